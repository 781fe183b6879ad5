package dev.hindsight.engine;

import dev.hindsight.codec.GenericEvent;
import dev.hindsight.engine.TestEvents.OrderPlaced;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A store opened read-only in this process subscribes to a store written by a child JVM: it receives
 * the events as the writer appends them, keeps its durable subscriptions in a directory of its own,
 * and writes not one byte into the store's directory.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class CrossProcessSubscriptionTest {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path tmp;

    private static Map<String, Long> listing(Path dir) throws Exception {
        Map<String, Long> out = new TreeMap<>();
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.toList()) {
                if (Files.isRegularFile(p)) {
                    out.put(dir.relativize(p).toString(), Files.getLastModifiedTime(p).toMillis());
                }
            }
        }
        return out;
    }

    @Test
    void aReadOnlyProcessReceivesTheWritersAppendsAsTheyHappen() throws Exception {
        Path store = tmp.resolve("store");
        Path mine = tmp.resolve("reader-subscriptions");
        Process writer = ChildJvm.start(true, SubscriptionWriterMain.class, store.toString(), "10", "3000");
        try {
            BufferedReader out = ChildJvm.stdout(writer);
            Writer in = new OutputStreamWriter(writer.getOutputStream(), StandardCharsets.UTF_8);
            String open = out.readLine();
            assertNotNull(open, () -> "writer died: " + stderr(writer));
            assertEquals("OPEN 10", open);
            Map<String, Long> before = listing(store);

            List<RecordedEvent> live = Collections.synchronizedList(new ArrayList<>());
            List<Long> durable = Collections.synchronizedList(new ArrayList<>());
            try (EventStore ro = TestEvents.builder(store).subscriptionDirectory(mine).openReadOnly();
                 Subscription a = ro.subscription("live").durable(false).handler(live::add).start();
                 Subscription b = ro.subscription("mine").fromPosition(5).handler(e -> durable.add(e.position())).start()) {
                assertTrue(a.awaitPosition(10, WAIT), a.toString());
                in.write("GO\n");
                in.flush();
                // delivered while the writer appends, not after: the first events arrive before it is done
                assertTrue(a.awaitPosition(500, WAIT), a.toString());
                assertEquals("DONE 3010", out.readLine());
                assertTrue(a.awaitPosition(3010, WAIT), a.toString());
                assertTrue(b.awaitPosition(3010, WAIT), b.toString());
                for (int i = 0; i < 3010; i++) {
                    RecordedEvent e = live.get(i);
                    assertEquals(i, e.position());
                    OrderPlaced o = e.eventAs(OrderPlaced.class);
                    assertEquals(i < 10 ? i : i - 10, o.amount());
                }
                assertEquals(3010, live.size());
                assertEquals(SubscriptionTest.range(5, 3010), durable);

                // the writer registers a type this process has never heard of: delivered, decoded generically
                in.write("NEWTYPE\n");
                in.flush();
                assertEquals("DONE 3015", out.readLine());
                assertTrue(a.awaitPosition(3015, WAIT), a.toString());
                assertTrue(b.awaitPosition(3015, WAIT), b.toString());
                GenericEvent g = assertInstanceOf(GenericEvent.class, live.get(3014).event());
                assertEquals(4L, g.fields().get("n"));
                assertEquals("Extra", live.get(3014).eventType());
            }
            assertTrue(Files.exists(mine.resolve("mine.ckpt")), "the reader's checkpoint is in its own directory");
            try (EventStore ro = TestEvents.builder(store).subscriptionDirectory(mine).openReadOnly()) {
                SubscriptionStatus s = ro.subscriptions().get(0);
                assertEquals("mine", s.name());
                assertEquals(3015, s.position(), "resumable from where it stopped");
            }
            in.write("EXIT\n");
            in.flush();
            assertTrue(writer.waitFor(60, TimeUnit.SECONDS));
            Map<String, Long> after = listing(store);
            after.keySet().removeIf(f -> f.startsWith("journal") || f.startsWith("index") || f.equals("catalog.bin"));
            before.keySet().removeIf(f -> f.startsWith("journal") || f.startsWith("index") || f.equals("catalog.bin"));
            assertEquals(before.keySet(), after.keySet(), "the reader added no file to the store's directory");
        } finally {
            if (writer.isAlive()) {
                writer.destroyForcibly();
            }
        }
    }

    private static String stderr(Process p) {
        try {
            return ChildJvm.stderr(p);
        } catch (Exception e) {
            return e.toString();
        }
    }
}
