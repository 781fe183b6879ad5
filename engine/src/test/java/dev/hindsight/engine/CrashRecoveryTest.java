package dev.hindsight.engine;

import dev.hindsight.engine.TestEvents.Counter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A real writer process killed with {@code kill -9} while appending, again and again: after every
 * kill, reopening finds every acknowledged event, gapless positions and versions, whole batches
 * only, and an index that agrees with the journal.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class CrashRecoveryTest {
    private static final int KILLS = 12;

    @TempDir
    Path dir;

    record Ack(String entity, long firstVersion, int count, long firstPosition) {
    }

    @Test
    void everyAcknowledgedEventSurvivesKillNineWhileAppending() throws Exception {
        runKills(Durability.PROCESS_CRASH, KILLS);
    }

    @Test
    void groupCommitInOsCrashModeAlsoSurvivesKillNine() throws Exception {
        runKills(Durability.OS_CRASH, 3);
    }

    private void runKills(Durability durability, int kills) throws Exception {
        Map<Long, Ack> acked = new HashMap<>();
        long seedBase = System.nanoTime();
        for (int round = 0; round < kills; round++) {
            Process child = ChildJvm.start(true, CrashAppenderMain.class, dir.toString(), Long.toString(seedBase + round), durability.name());
            BufferedReader out = ChildJvm.stdout(child);
            String open = out.readLine();
            assertNotNull(open, () -> "child died: " + stderrOf(child));
            assertTrue(open.startsWith("OPEN "), open);
            long stopAt = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(300 + 50L * round);
            int lines = 0;
            String line;
            while ((line = out.readLine()) != null) {
                String[] f = line.split(" ");
                Ack ack = new Ack(f[1], Long.parseLong(f[2]), Integer.parseInt(f[3]), Long.parseLong(f[4]));
                acked.put(ack.firstPosition(), ack);
                if (++lines > 20 && System.nanoTime() > stopAt) {
                    break;
                }
            }
            ChildJvm.kill9(child);
            // drain what the child printed before it died: those appends were acknowledged too
            while ((line = out.readLine()) != null) {
                String[] f = line.split(" ");
                if (f.length == 5 && f[0].equals("ACK")) {
                    acked.put(Long.parseLong(f[4]), new Ack(f[1], Long.parseLong(f[2]), Integer.parseInt(f[3]), Long.parseLong(f[4])));
                }
            }
            RecoveryReport report = verify(acked);
            System.out.printf("kill %d (%s): %d appends acknowledged so far; reopen: %s%n", round, durability, acked.size(), report);
        }
        assertTrue(acked.size() > kills * 20L, "the child acknowledged appends before each kill");
    }

    private static String stderrOf(Process p) {
        try {
            return ChildJvm.stderr(p);
        } catch (Exception e) {
            return e.toString();
        }
    }

    private RecoveryReport verify(Map<Long, Ack> acked) {
        try (EventStore store = TestEvents.builder(dir).open()) {
            RecoveryReport report = store.recoveryReport();
            assertTrue(!report.cleanShutdown() && report.indexRebuilt(), "after a kill the index is rebuilt: " + report);
            long count = store.eventCount();
            List<RecordedEvent> all = store.readAll(0, (int) count + 10);
            assertEquals(count, all.size(), "readAll returns every event");
            Map<String, Long> versions = new HashMap<>();
            Map<String, Integer> batchSizes = new HashMap<>();
            Map<String, Integer> batchSeen = new HashMap<>();
            for (int i = 0; i < all.size(); i++) {
                RecordedEvent e = all.get(i);
                assertEquals(i, e.position(), "global positions are gapless");
                long expected = versions.merge(e.entityId(), 1L, Long::sum);
                assertEquals(expected, e.version(), "versions of " + e.entityId() + " are gapless");
                Counter c = e.eventAs(Counter.class);
                batchSizes.put(c.tags().get(0), Integer.parseInt(c.tags().get(1)));
                batchSeen.merge(c.tags().get(0), 1, Integer::sum);
                assertEquals(batchSeen.get(c.tags().get(0)) - 1, c.sequence(), "batch events are in order");
            }
            batchSizes.forEach((batch, size) -> assertEquals(size, batchSeen.get(batch), "batch " + batch + " is whole"));
            for (Ack ack : acked.values()) {
                assertTrue(ack.firstPosition() + ack.count() <= count, "acknowledged " + ack + " is in the journal of " + count);
                for (int k = 0; k < ack.count(); k++) {
                    RecordedEvent e = all.get((int) (ack.firstPosition() + k));
                    assertEquals(ack.entity(), e.entityId());
                    assertEquals(ack.firstVersion() + k, e.version());
                }
            }
            for (Map.Entry<String, Long> v : versions.entrySet()) {
                assertEquals(v.getValue(), store.headVersion("crash", v.getKey()), "index head of " + v.getKey());
                List<RecordedEvent> entity = store.readEntity("crash", v.getKey(), 1);
                assertEquals(v.getValue().longValue(), entity.size());
                assertEquals(v.getValue().longValue(), entity.get(entity.size() - 1).version());
            }
            return report;
        }
    }
}
