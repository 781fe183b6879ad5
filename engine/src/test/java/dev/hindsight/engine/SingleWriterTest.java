package dev.hindsight.engine;

import dev.hindsight.engine.TestEvents.OrderPlaced;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SingleWriterTest {
    @TempDir
    Path dir;

    @Test
    void aSecondWriterInTheSameProcessIsRefused() {
        try (EventStore store = TestEvents.builder(dir).open()) {
            StoreLockedException e = assertThrows(StoreLockedException.class, () -> TestEvents.builder(dir).open());
            assertTrue(e.getMessage().contains("already open for writing in this process"), e.getMessage());
            store.append("order", "o-1", ExpectedVersion.NO_STREAM, new OrderPlaced("a", 1));
        }
        try (EventStore again = TestEvents.builder(dir).open()) {
            assertEquals(1, again.eventCount());
        }
    }

    @Test
    void aSecondWriterProcessIsRefusedWithTheHoldersPid() throws Exception {
        Process holder = ChildJvm.start(true, LockHolderMain.class, dir.toString());
        try {
            BufferedReader out = ChildJvm.stdout(holder);
            String line = out.readLine();
            assertTrue(line != null && line.startsWith("OPEN "), "child said: " + line + " / " + (line == null ? ChildJvm.stderr(holder) : ""));
            String pid = line.substring(5);
            StoreLockedException e = assertThrows(StoreLockedException.class, () -> TestEvents.builder(dir).open());
            assertTrue(e.getMessage().contains("another process (pid " + pid + ")"), e.getMessage());
            try (EventStore reader = TestEvents.builder(dir).openReadOnly()) {
                assertEquals(0, reader.eventCount());
            }
        } finally {
            ChildJvm.kill9(holder);
        }
        // the kernel released the dead writer's lock
        try (EventStore store = TestEvents.builder(dir).open()) {
            store.append("order", "o-1", ExpectedVersion.NO_STREAM, new OrderPlaced("a", 1));
        }
    }

    @Test
    void aReadOnlyStoreSeesEventsAppendedAfterItOpened() throws Exception {
        try (EventStore writer = TestEvents.builder(dir).open()) {
            writer.append("order", "o-1", ExpectedVersion.NO_STREAM, new OrderPlaced("a", 1));
            try (EventStore reader = TestEvents.builder(dir).openReadOnly()) {
                assertEquals(1, reader.eventCount());
                assertThrows(UnsupportedOperationException.class,
                        () -> reader.append("order", "o-2", ExpectedVersion.ANY, new OrderPlaced("b", 2)));
                for (int i = 1; i <= 20; i++) {
                    writer.append("order", "o-1", i, new OrderPlaced("a", i + 1));
                }
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (reader.eventCount() < 21 && System.nanoTime() < deadline) {
                    Thread.sleep(5);
                }
                assertEquals(21, reader.eventCount());
                assertEquals(21, reader.headVersion("order", "o-1"));
                List<RecordedEvent> events = reader.readEntity("order", "o-1", 20);
                assertEquals(List.of(new OrderPlaced("a", 20), new OrderPlaced("a", 21)), events.stream().map(RecordedEvent::event).toList());
                assertEquals(21, reader.readAll(0, 100).size());
            }
        }
    }

    @Test
    void openWithoutTheJvmFlagsListsExactlyTheFlagsToAdd() throws Exception {
        Process p = ChildJvm.start(false, OpenWithoutFlagsMain.class, dir.resolve("store").toString());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        List<String> lines = ChildJvm.stdout(p).lines().toList();
        String err = ChildJvm.stderr(p);
        assertTrue(lines.size() >= 2 && lines.get(0).startsWith("MISSING "), "stdout " + lines + " stderr " + err);
        List<String> missing = List.of(lines.get(0).substring("MISSING ".length()).split(" "));
        assertTrue(missing.contains("--add-opens=java.base/java.lang=ALL-UNNAMED"), missing.toString());
        assertTrue(missing.contains("--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED"), missing.toString());
        List<String> required = List.of(System.getProperty("hindsight.jvm.flags").trim().split("\\s+"));
        assertTrue(required.containsAll(missing), "only flags from the POM property are named");
        assertTrue(lines.get(1).contains("--add-exports=java.base/sun.nio.ch=ALL-UNNAMED"), lines.get(1));
    }
}
