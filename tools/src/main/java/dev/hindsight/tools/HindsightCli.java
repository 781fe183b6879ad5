package dev.hindsight.tools;

import dev.hindsight.tools.demo.DemoCommand;
import dev.hindsight.tools.inspect.EventsCommand;
import dev.hindsight.tools.inspect.ExportCommand;
import dev.hindsight.tools.inspect.HistoryCommand;
import dev.hindsight.tools.inspect.InfoCommand;
import dev.hindsight.tools.inspect.StateCommand;
import dev.hindsight.tools.inspect.TailCommand;
import dev.hindsight.tools.inspect.VerifyCommand;
import dev.hindsight.tools.internal.CliException;
import dev.hindsight.tools.internal.Relauncher;
import dev.hindsight.tools.internal.Text;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.BufferedWriter;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

/**
 * Entry point of the {@code hindsight} command. Launch it through {@code tools/bin/hindsight}, which passes the
 * JVM flags the store needs; {@code java -jar hindsight.jar} relaunches itself with them. Exit codes: 0 success,
 * 1 the command found problems (or what was asked for does not exist), 2 usage error or unreadable input.
 * Not thread-safe; one invocation per process.
 */
@Command(name = "hindsight", mixinStandardHelpOptions = true, version = "hindsight 0.1.0",
        description = {"Hindsight: an embedded event-sourcing store for the JVM.",
                "The inspection commands read a store directory (or a copy of it) without changing a byte,",
                "without the application's classes, also while a writer appends."},
        subcommands = {InfoCommand.class, EventsCommand.class, HistoryCommand.class, StateCommand.class,
                VerifyCommand.class, ExportCommand.class, TailCommand.class, DemoCommand.class,
                CommandLine.HelpCommand.class},
        footer = {"", "Examples:",
                "  hindsight info data",
                "  hindsight events data --resource order --limit 20",
                "  hindsight history data order order-1-1",
                "  hindsight state data order order-1-1 --as-of 2026-11-27T10:15:30Z",
                "  hindsight verify data",
                "  hindsight export data --format jsonl > events.jsonl",
                "  hindsight tail data",
                "", "Exit codes: 0 success, 1 problems found (verify) or nothing found, 2 usage error or unreadable store."})
public final class HindsightCli implements Runnable {

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    /**
     * @param args command and arguments
     */
    public static void main(String[] args) {
        // Chronicle's own warnings (a read-only table store, a damaged header it skips) would only repeat, less
        // clearly, what the commands report; keep its errors
        if (System.getProperty("org.slf4j.simpleLogger.log.net.openhft") == null) {
            System.setProperty("org.slf4j.simpleLogger.log.net.openhft", "error");
        }
        int relaunched = Relauncher.relaunchIfFlagsMissing(HindsightCli.class, args);
        if (relaunched >= 0) {
            System.exit(relaunched);
        }
        PrintWriter out = new PrintWriter(new BufferedWriter(new OutputStreamWriter(new FileOutputStream(FileDescriptor.out),
                StandardCharsets.UTF_8), 1 << 16), false);
        PrintWriter err = new PrintWriter(new OutputStreamWriter(new FileOutputStream(FileDescriptor.err), StandardCharsets.UTF_8), true);
        int exit = run(out, err, args);
        out.flush();
        err.flush();
        System.exit(exit);
    }

    /**
     * Runs a command without exiting, for tests.
     *
     * @param args command and arguments
     * @return the exit code: 0 success, 1 the command found problems, 2 usage error or unreadable input
     */
    public static int run(String... args) {
        return run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
    }

    /**
     * Runs a command without exiting, writing to the given streams. Failures print one line on {@code err},
     * never a stack trace.
     *
     * @param out  standard output
     * @param err  standard error
     * @param args command and arguments
     * @return the exit code: 0 success, 1 the command found problems, 2 usage error or unreadable input
     */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cli = new CommandLine(new HindsightCli());
        cli.setOut(out);
        cli.setErr(err);
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        cli.setUsageHelpWidth(110);
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            commandLine.getErr().println("hindsight " + commandLine.getCommandName() + ": " + oneLine(e));
            commandLine.getErr().flush();
            return e instanceof CliException c ? c.exitCode() : CliException.UNUSABLE;
        });
        try {
            return cli.execute(args);
        } catch (VirtualMachineError | LinkageError e) {
            // an Error escapes picocli's handler; still one line, no stack trace
            err.println("hindsight: " + oneLine(e));
            err.flush();
            return CliException.UNUSABLE;
        }
    }

    private static String oneLine(Throwable e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (!(e instanceof CliException) && e.getMessage() != null && (e instanceof Error || e instanceof NullPointerException
                || e instanceof IllegalStateException || e instanceof ClassCastException || e instanceof IndexOutOfBoundsException)) {
            message = e.getClass().getSimpleName() + ": " + message;
        }
        return Text.controls(message.replace('\n', ' ').replace('\r', ' '));
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
