package dev.hindsight.engine;

import dev.hindsight.engine.internal.snapshot.SnapshotStats;
import dev.hindsight.engine.internal.snapshot.SnapshotStore;
import dev.hindsight.engine.internal.snapshot.SnapshotView;
import dev.hindsight.engine.internal.snapshot.States;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A real snapshot writer process killed with {@code kill -9} mid-put, again and again: every reopen
 * finds no damaged record, every snapshot whose put returned before the kill (the mapped pages outlive
 * the process), every rung below it, and the right bytes everywhere; the next writer resumes the
 * segment the dead one was writing.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class SnapshotCrashTest {
    private static final int KILLS = 6;

    @TempDir
    Path dir;

    @Test
    void everyReturnedPutSurvivesKillNineAndNothingTornIsRead() throws Exception {
        long[] acked = new long[SnapshotWriterMain.ENTITIES];
        long seedBase = System.nanoTime();
        long totalPuts = 0;
        for (int round = 0; round < KILLS; round++) {
            Process child = ChildJvm.start(true, SnapshotWriterMain.class, dir.toString(), Long.toString(seedBase + round));
            BufferedReader out = ChildJvm.stdout(child);
            String open = out.readLine();
            assertNotNull(open, () -> "child died: " + stderrOf(child));
            assertEquals("OPEN", open);
            long stopAt = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(300 + 100L * round);
            int lines = 0;
            String line;
            while ((line = out.readLine()) != null) {
                totalPuts += record(line, acked);
                if (++lines > 50 && System.nanoTime() > stopAt) {
                    break;
                }
            }
            ChildJvm.kill9(child);
            while ((line = out.readLine()) != null) {
                totalPuts += record(line, acked); // printed before it died: those puts had returned
            }
            SnapshotStats st = verify(acked);
            System.out.printf("kill %d: %d puts returned so far; reopen: %s%n", round, totalPuts, st);
        }
        assertTrue(totalPuts > KILLS * 50L, "the child put snapshots before each kill: " + totalPuts);
    }

    private static int record(String line, long[] acked) {
        String[] f = line.split(" ");
        if (f.length != 3 || !f[0].equals("PUT")) {
            return 0;
        }
        int k = Integer.parseInt(f[1]);
        acked[k] = Math.max(acked[k], Long.parseLong(f[2]));
        return 1;
    }

    private SnapshotStats verify(long[] acked) {
        try (SnapshotStore store = SnapshotWriterMain.builder(dir).open()) {
            SnapshotStats st = store.stats();
            assertEquals(0, st.skippedRecords(), "a killed writer leaves no damaged record: " + st);
            assertEquals(0, st.discardedSegments(), "nor a damaged segment: " + st);
            SnapshotView view = new SnapshotView();
            for (int k = 0; k < SnapshotWriterMain.ENTITIES; k++) {
                String id = "e-" + k;
                if (acked[k] == 0) {
                    continue;
                }
                assertTrue(store.latest("crash", id, States.FP, view), id);
                assertTrue(view.version() >= acked[k], id + " newest " + view.version() + " >= returned put " + acked[k]);
                check(view, id, k);
                for (long v = 1; v <= view.version(); v++) {
                    boolean found = store.floorByVersion("crash", id, v, States.FP, view);
                    assertEquals(v >= SnapshotWriterMain.INTERVAL, found, id + " floor of " + v);
                    if (found) {
                        assertTrue(view.version() <= v && v - view.version() < SnapshotWriterMain.INTERVAL,
                                id + " floor of " + v + " is " + view.version());
                        check(view, id, k);
                    }
                }
            }
            return st;
        }
    }

    private static void check(SnapshotView view, String id, int k) {
        assertEquals(States.pos(view.version(), k, SnapshotWriterMain.ENTITIES), view.position());
        assertEquals(States.ts(view.version()), view.timestampNanos());
        assertTrue(States.matches(view, id, States.FP, SnapshotWriterMain.MAX), id + " bytes of version " + view.version());
    }

    private static String stderrOf(Process p) {
        try {
            return ChildJvm.stderr(p);
        } catch (Exception e) {
            return e.toString();
        }
    }
}
