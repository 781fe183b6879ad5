package dev.hindsight.jmh;

import dev.hindsight.engine.internal.snapshot.SnapshotStats;
import dev.hindsight.engine.internal.snapshot.SnapshotStore;

import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * The snapshot store's one-off figures that are not latencies (so not JMH): put rate, open-time scan
 * rate, heap held per entity, and file bytes against live bytes after churn.
 * {@code java <hindsight.jvm.flags> -cp jmh/target/benchmarks.jar dev.hindsight.jmh.SnapshotStoreFigures [entities]}.
 * Not thread-safe (a main program).
 */
public final class SnapshotStoreFigures {
    private SnapshotStoreFigures() {
    }

    public static void main(String[] args) throws Exception {
        int entities = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        byte[] state = new byte[200];
        new SplittableRandom(3).nextBytes(state);
        Path dir = BenchSupport.tempDir("snapfig");
        try {
            String[] ids = new String[entities];
            for (int k = 0; k < entities; k++) {
                ids[k] = "order-" + (1_000_000 + k);
            }
            long t0 = System.nanoTime();
            try (SnapshotStore s = SnapshotStore.builder(dir).open()) {
                for (int k = 0; k < entities; k++) {
                    s.put("order", ids[k], 47, 46L * entities + k, 47L * entities + k, 1, state, 0, state.length);
                }
            }
            long t1 = System.nanoTime();
            System.out.printf("put: %,d snapshots (200-byte states) in %d ms = %.0f k/s%n", entities, (t1 - t0) / 1_000_000,
                    entities / ((t1 - t0) / 1e9) / 1e3);
            long before = usedHeap();
            long t2 = System.nanoTime();
            SnapshotStore s = SnapshotStore.builder(dir).open();
            long t3 = System.nanoTime();
            long after = usedHeap();
            SnapshotStats st = s.stats();
            System.out.printf("reopen: %,d records scanned in %d ms = %.2f M/s; %s%n", st.snapshots(), (t3 - t2) / 1_000_000,
                    st.snapshots() / ((t3 - t2) / 1e9) / 1e6, st);
            System.out.printf("heap held by the store: %,d bytes = %d bytes per entity (one snapshot each; ids are the store's own strings)%n",
                    after - before, (after - before) / entities);
            // churn: rewrite the newest snapshot of every entity three times, then compare file and live bytes
            long t4 = System.nanoTime();
            for (long v = 48; v <= 50; v++) {
                for (int k = 0; k < entities; k++) {
                    s.put("order", ids[k], v, (v - 1) * entities + k, v * entities + k, 1, state, 0, state.length);
                }
            }
            long t5 = System.nanoTime();
            SnapshotStats churned = s.stats();
            System.out.printf("churn: %,d more puts (each supersedes one) in %d ms = %.0f k/s, compacting as it goes: %s;"
                    + " files / live = %.2f%n", 3L * entities, (t5 - t4) / 1_000_000, 3.0 * entities / ((t5 - t4) / 1e9) / 1e3,
                    churned, (double) churned.fileBytes() / churned.liveBytes());
            s.compact();
            SnapshotStats compacted = s.stats();
            System.out.printf("after compact(): %s; files / live = %.2f%n", compacted,
                    (double) compacted.fileBytes() / compacted.liveBytes());
            s.close();
        } finally {
            BenchSupport.deleteRecursively(dir);
        }
    }

    private static long usedHeap() throws InterruptedException {
        Runtime rt = Runtime.getRuntime();
        for (int i = 0; i < 4; i++) {
            System.gc();
            Thread.sleep(100);
        }
        return rt.totalMemory() - rt.freeMemory();
    }
}
