package dev.hindsight.engine;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A child JVM appends orders while keeping revenue per customer in a Chronicle Map through the
 * exactly-once projection (and an at-least-once audit subscription), and is killed with {@code kill -9}
 * mid-stream, again and again. After every kill the read model, recovered and caught up, equals revenue
 * computed from the log and a read model rebuilt from scratch; the audit subscription resumed from its
 * checkpoint without losing an event.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class RevenueProjectionCrashTest {
    private static final int KILLS = 6;
    private static final Duration WAIT = Duration.ofSeconds(120);

    @TempDir
    Path dir;

    @Test
    void theReadModelAfterEveryKillEqualsOneRebuiltFromScratch() throws Exception {
        Path store = dir.resolve("store");
        Path model = dir.resolve("views/revenue");
        BitSet seen = new BitSet();
        long seedBase = System.nanoTime();
        List<String> reports = new ArrayList<>();
        for (int round = 0; round < KILLS; round++) {
            Process child = ChildJvm.start(true, RevenueProjectionMain.class, store.toString(), model.toString(),
                    Long.toString(seedBase + round));
            BufferedReader out = ChildJvm.stdout(child);
            String open = out.readLine();
            assertNotNull(open, () -> "child died: " + stderr(child));
            assertTrue(open.startsWith("OPEN "), open);
            String[] f = open.split(" ", 5);
            long auditFrom = Long.parseLong(f[3]);
            assertTrue(auditFrom <= seen.nextClearBit(0), "round " + round + ": the audit subscription resumed at " + auditFrom
                    + " but event " + seen.nextClearBit(0) + " was never handled: an event would be lost");
            reports.add(f[4]);
            long stopAt = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1000 + 300L * round);
            String line;
            int lines = 0;
            while ((line = out.readLine()) != null) {
                record(line, seen);
                if (++lines > 50 && System.nanoTime() > stopAt) {
                    break;
                }
            }
            ChildJvm.kill9(child);
            while ((line = out.readLine()) != null) {
                record(line, seen); // printed before it died: handled too
            }
            verify(store, model, seen, round);
        }
        System.out.println("read model reports when the child reopened it: " + reports);
    }

    private static void record(String line, BitSet seen) {
        if (line.startsWith("SEEN ")) {
            seen.set(Integer.parseInt(line.substring(5)));
        }
    }

    private void verify(Path store, Path modelDir, BitSet seen, int round) throws Exception {
        try (EventStore s = EventStore.builder(store).resource(Revenue.ORDER).open();
             ReadModel<Long> model = ReadModel.open(modelDir, ReadModel.Codec.LONG, 10_000);
             ReadModel<Long> rebuilt = ReadModel.open(dir.resolve("rebuilt-" + round), ReadModel.Codec.LONG, 10_000)) {
            long end = s.eventCount();
            assertTrue(model.openReport().startsWith("recovered after a crash") || model.openReport().startsWith("cleared"),
                    "round " + round + ": the model was not closed cleanly: " + model.openReport());
            Resource<Revenue.Order> orders = s.resource(Revenue.ORDER);
            try (Subscription p = s.subscription("revenue").resourceTypes("order").projection(model, Revenue.projection(orders)).start();
                 Subscription r = s.subscription("rebuild-" + round).resourceTypes("order").projection(rebuilt, Revenue.projection(orders)).start();
                 Subscription a = s.subscription("audit").handler(e -> seen.set((int) e.position())).start()) {
                assertTrue(a.position() <= seen.nextClearBit(0), "round " + round + ": audit resumed at " + a.position()
                        + " past the unhandled event " + seen.nextClearBit(0));
                assertTrue(p.awaitPosition(end, WAIT), p.toString());
                assertTrue(r.awaitPosition(end, WAIT), r.toString());
                assertTrue(a.awaitPosition(end, WAIT), a.toString());
            }
            Map<String, Long> fromLog = Revenue.fromLog(s.readAll(0, Integer.MAX_VALUE));
            assertEquals(fromLog, rebuilt.snapshot(), "round " + round + ": a model rebuilt from scratch matches the log");
            assertEquals(fromLog, model.snapshot(), "round " + round + ": the model kept through the kill is exactly-once ("
                    + model.openReport() + ")");
            assertEquals(end, seen.nextClearBit(0), "round " + round + ": every event was handled by the audit subscription");
            System.out.printf("kill %d: %d events, %d customers, model %s%n", round, end, fromLog.size(), model.openReport());
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
