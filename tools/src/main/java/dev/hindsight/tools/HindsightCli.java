package dev.hindsight.tools;

import dev.hindsight.tools.demo.DemoCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Entry point of the {@code hindsight} command. Launch it through {@code tools/bin/hindsight},
 * which passes the JVM flags the store needs. Not thread-safe; one invocation per process.
 */
@Command(name = "hindsight", mixinStandardHelpOptions = true, version = "hindsight 0.1.0",
        description = "Hindsight: an embedded event-sourcing store for the JVM.",
        subcommands = {DemoCommand.class, CommandLine.HelpCommand.class})
public final class HindsightCli implements Runnable {

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    /**
     * @param args command and arguments
     */
    public static void main(String[] args) {
        System.exit(run(args));
    }

    /**
     * Runs a command without exiting, for tests.
     *
     * @param args command and arguments
     * @return the exit code: 0 success, 1 the command found problems, 2 usage error or unreadable input
     */
    public static int run(String... args) {
        return run(new java.io.PrintWriter(System.out, true), new java.io.PrintWriter(System.err, true), args);
    }

    /**
     * Runs a command without exiting, writing to the given streams.
     *
     * @param out  standard output
     * @param err  standard error
     * @param args command and arguments
     * @return the exit code: 0 success, 1 the command found problems, 2 usage error or unreadable input
     */
    public static int run(java.io.PrintWriter out, java.io.PrintWriter err, String... args) {
        CommandLine cli = new CommandLine(new HindsightCli());
        cli.setOut(out);
        cli.setErr(err);
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            commandLine.getErr().println("hindsight " + commandLine.getCommandName() + ": " + oneLine(e));
            return 2;
        });
        return cli.execute(args);
    }

    private static String oneLine(Throwable e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return message.replace('\n', ' ');
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
