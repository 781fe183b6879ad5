package dev.hindsight.tools;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Runs {@code tools/bin/hindsight} as a user would: a process, its output and exit code. */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class LauncherIT {
    @TempDir
    Path dir;

    private record Result(int exit, String out, String err) {
    }

    private static Result hindsight(String... args) throws Exception {
        String launcher = System.getProperty("hindsight.launcher");
        String[] cmd = new String[args.length + 1];
        cmd[0] = launcher;
        System.arraycopy(args, 0, cmd, 1, args.length);
        Process p = new ProcessBuilder(cmd).start();
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        byte[] err = p.getErrorStream().readAllBytes();
        assertTrue(p.waitFor(2, TimeUnit.MINUTES));
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
    }

    @Test
    void theLauncherRunsTheDemoWithTheJvmFlagsTwiceOnOneStore() throws Exception {
        Result first = hindsight("demo", dir.toString());
        assertEquals(0, first.exit(), first.err());
        assertTrue(first.out().contains("Store now holds 10 events"), first.out());
        assertTrue(!first.err().contains("Exception"), first.err());
        Result second = hindsight("demo", dir.toString());
        assertEquals(0, second.exit(), second.err());
        assertTrue(second.out().contains("Store now holds 20 events (this run added 10)"), second.out());
    }

    @Test
    void helpListsTheDemoCommand() throws Exception {
        Result help = hindsight("--help");
        assertEquals(0, help.exit());
        assertTrue(help.out().contains("demo"), help.out());
    }
}
