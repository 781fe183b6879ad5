package dev.hindsight.tools;

import dev.hindsight.engine.EventStore;
import dev.hindsight.engine.Resource;
import dev.hindsight.tools.Stores.Order;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The inspection commands run as a user runs them: a process started through {@code tools/bin/hindsight} or
 * {@code java -jar hindsight.jar}, its stdout, stderr and exit code, on stores the engine wrote, healthy,
 * damaged, copied with a stale lock file, and beside a live writer in another process.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class InspectIT {
    @TempDir
    static Path shared;
    static Path store;

    @TempDir
    Path dir;

    private record Result(int exit, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exit + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    @BeforeAll
    static void createStore() {
        store = shared.resolve("store");
        Stores.orderStory(store, 1_000);
    }

    private static List<String> launcher(String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(System.getProperty("hindsight.launcher"));
        cmd.addAll(List.of(args));
        return cmd;
    }

    private Result run(List<String> cmd) throws Exception {
        Path out = Files.createTempFile(dir, "out", ".txt");
        Path err = Files.createTempFile(dir, "err", ".txt");
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        p.getOutputStream().close();
        assertTrue(p.waitFor(2, TimeUnit.MINUTES), "finished: " + cmd);
        return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    private static void assertNoStackTrace(Result r) {
        assertFalse(r.err().contains("Exception") || r.err().contains("\tat "), "no stack trace: " + r);
    }

    @Test
    void javaDashJarWithoutTheJvmFlagsRelaunchesItselfWithThem() throws Exception {
        Path jar = Path.of(System.getProperty("hindsight.jar"));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Result r = run(List.of(java, "-jar", jar.toString(), "info", store.toString()));
        assertEquals(0, r.exit(), r.toString());
        assertTrue(r.out().contains("Events           2,008 in 2,008 appends"), r.out());
        assertNoStackTrace(r);
        Result help = run(List.of(java, "-jar", jar.toString(), "--help"));
        assertEquals(0, help.exit(), help.toString());
        for (String command : List.of("info", "events", "history", "state", "verify", "export", "tail", "demo")) {
            assertTrue(help.out().contains("  " + command + " "), command + " is listed: " + help.out());
        }
    }

    @Test
    void verifyExitCodesAreZeroOneAndTwoAndAStoreCopiedWithAStaleLockFileReadsAndStaysUnchanged() throws Exception {
        Path copy = dir.resolve("copy");
        Stores.copyTree(store, copy);
        assertTrue(Files.exists(copy.resolve("hindsight.lock")), "the copy carries the last writer's lock file");
        Map<String, String> before = Stores.checksums(copy);
        Result clean = run(launcher("verify", copy.toString()));
        assertEquals(0, clean.exit(), clean.toString());
        assertTrue(clean.out().endsWith("Result: no problems\n"), clean.out());
        assertEquals(0, run(launcher("history", copy.toString(), "order", "o-1")).exit());
        assertEquals(Stores.checksums(copy), before, "no byte changed");

        Map.Entry<Path, Long> hit = Stores.findOnce(copy, "DHL");
        Stores.flipByte(hit.getKey(), hit.getValue());
        Map<String, String> damaged = Stores.checksums(copy);
        Result problems = run(launcher("verify", copy.toString()));
        assertEquals(1, problems.exit(), problems.toString());
        assertTrue(problems.out().contains("PROBLEM journal/" + hit.getKey().getFileName() + " byte "), problems.out());
        Result events = run(launcher("events", copy.toString()));
        assertEquals(2, events.exit(), events.toString());
        assertTrue(events.err().startsWith("hindsight events: the journal is damaged at journal/"), events.err());
        assertEquals(1, events.err().lines().count(), events.err());
        assertEquals(damaged, Stores.checksums(copy), "no byte of the damaged store changed either");

        Result missing = run(launcher("verify", dir.resolve("nope").toString()));
        assertEquals(2, missing.exit());
        assertEquals("hindsight verify: " + dir.resolve("nope") + ": no such file or directory\n", missing.err());
        assertNoStackTrace(missing);
    }

    @Test
    void outputPipedIntoHeadEndsQuietly() throws Exception {
        for (String command : List.of("export", "events")) {
            Path err = dir.resolve(command + ".err");
            Path status = dir.resolve(command + ".status");
            String line = "'" + System.getProperty("hindsight.launcher") + "' " + command + " '" + store + "' 2>'" + err
                    + "' | head -3; echo ${PIPESTATUS[0]} > '" + status + "'";
            Result r = run(List.of("bash", "-c", line));
            assertEquals(3, r.out().lines().count(), r.toString());
            assertEquals("0", Files.readString(status).trim(), command + " exits 0 when its reader goes away");
            assertEquals("", Files.readString(err), command + " says nothing on stderr");
        }
    }

    @Test
    void tailFollowsEventsAWriterInAnotherProcessAppends() throws Exception {
        Path live = dir.resolve("live");
        Stores.orderStory(live, 0);
        try (EventStore writer = Stores.open(live)) {
            Resource<Order> orders = writer.resource(Stores.ORDER);
            Process tail = new ProcessBuilder(launcher("tail", live.toString(), "-n", "1", "--count", "3", "--format", "jsonl", "--interval", "20"))
                    .redirectError(dir.resolve("tail.err").toFile()).start();
            try (BufferedReader out = new BufferedReader(new InputStreamReader(tail.getInputStream(), StandardCharsets.UTF_8))) {
                String last = out.readLine();
                assertTrue(last != null && last.startsWith("{\"position\":7,"), "the last event first: " + last);
                for (int i = 0; i < 3; i++) {
                    orders.create("n-" + i, new Order("new", i, "pending"));
                }
                List<String> followed = List.of(out.readLine(), out.readLine(), out.readLine());
                for (int i = 0; i < 3; i++) {
                    assertTrue(followed.get(i).startsWith("{\"position\":" + (8 + i) + ",") && followed.get(i).contains("\"entity\":\"n-" + i + "\""),
                            followed.toString());
                }
                assertTrue(tail.waitFor(1, TimeUnit.MINUTES), "tail exits after --count events");
                assertEquals(0, tail.exitValue(), Files.readString(dir.resolve("tail.err")));
            } finally {
                tail.destroyForcibly();
            }
            Result verify = run(launcher("verify", live.toString()));
            assertEquals(0, verify.exit(), "verify beside the live writer: " + verify);
            assertTrue(verify.out().contains("index not compared: its state is dirty"), verify.out());
        }
    }
}
