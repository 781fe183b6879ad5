package dev.hindsight.tools.internal;

import dev.hindsight.engine.inspect.JvmFlags;

import java.lang.management.ManagementFactory;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Makes {@code java -jar hindsight.jar ...} work without the JVM flags Chronicle needs: when flags are missing,
 * runs the same command in a child JVM started with them (and with this JVM's own options), wired to this
 * process's standard streams, and returns its exit code. {@code tools/bin/hindsight} passes the flags, so it
 * never relaunches. Stateless; used once from {@code main}.
 */
public final class Relauncher {
    /** Set in the child, so that a child still missing flags runs anyway instead of relaunching again. */
    static final String RELAUNCHED = "hindsight.relaunched";

    private Relauncher() {
    }

    /**
     * @param mainClass the class to run in the child
     * @param args      the command line
     * @return the child's exit code, or -1 if no relaunch is needed (or possible): run in this JVM
     */
    public static int relaunchIfFlagsMissing(Class<?> mainClass, String[] args) {
        if (Boolean.getBoolean(RELAUNCHED)) {
            return -1;
        }
        List<String> missing;
        try {
            missing = JvmFlags.missing();
        } catch (RuntimeException e) {
            return -1;
        }
        if (missing.isEmpty()) {
            return -1;
        }
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Path jar;
        try {
            jar = Path.of(mainClass.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException | SecurityException | NullPointerException e) {
            return -1;
        }
        if (!Files.isExecutable(java) || !Files.exists(jar)) {
            return -1;
        }
        List<String> cmd = new ArrayList<>();
        cmd.add(java.toString());
        cmd.addAll(JvmFlags.required());
        cmd.addAll(jvmOptions());
        cmd.add("-D" + RELAUNCHED + "=true");
        cmd.add("-cp");
        cmd.add(jar.toString());
        cmd.add(mainClass.getName());
        cmd.addAll(List.of(args));
        try {
            Process child = new ProcessBuilder(cmd).inheritIO().start();
            Thread stop = new Thread(child::destroy, "hindsight-relaunch-stop");
            Runtime.getRuntime().addShutdownHook(stop);
            int exit = child.waitFor();
            Runtime.getRuntime().removeShutdownHook(stop);
            return exit;
        } catch (java.io.IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 130;
        }
    }

    /** This JVM's options (heap size, system properties), without the agent and debug ones. */
    private static List<String> jvmOptions() {
        try {
            List<String> out = new ArrayList<>();
            for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
                if (!a.startsWith("-agentlib") && !a.startsWith("-javaagent") && !a.startsWith("-Xrunjdwp")) {
                    out.add(a);
                }
            }
            return out;
        } catch (RuntimeException | LinkageError e) {
            return List.of(); // no java.management in this runtime
        }
    }
}
