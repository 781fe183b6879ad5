package dev.hindsight.jmh;

import dev.hindsight.engine.internal.snapshot.SnapshotStats;
import dev.hindsight.engine.internal.snapshot.SnapshotStore;
import dev.hindsight.engine.internal.snapshot.SnapshotView;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;

import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * Question: how long does the snapshot store take to find and copy out the snapshot a read starts
 * from? Floor lookups by version and by timestamp and the newest snapshot, at random entities and
 * versions, on a store reopened (so its ladders were rebuilt by the open-time scan):
 * <ul>
 *   <li>{@code deep}: 1,000 entities of 10,000 versions, a rung every 32 versions (313 snapshots per
 *       entity, as a follower that snapshots every 32 events leaves them), 200-byte states: ~85 MB of
 *       segments;</li>
 *   <li>{@code medium}: 10,000 entities of 47 versions, with the rung at 32 and the newest (47): two
 *       200-byte snapshots each, ~5.5 MB of segments (about what the other benchmarks' entity count
 *       leaves, and mostly cache-resident);</li>
 *   <li>{@code wide}: the same for 200,000 entities, ~110 MB of segments (lookups miss the caches).</li>
 * </ul>
 * Queried versions are drawn from [32, head], so every lookup finds a snapshot.
 * With and without the CRC32C check of every record read ({@code verifyOnRead}). The result includes
 * copying the record into the reader's view; no decoding (the state is opaque here).
 * JMH state: one store per trial, one view and query sequence per thread.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Benchmark)
public class SnapshotStoreBenchmark {
    static final String TYPE = "order";
    static final long FP = 0x5EED_F00D_CAFE_BEEFL;
    static final int INTERVAL = 32;
    static final int STATE_BYTES = 200;
    static final int DEEP_ENTITIES = 1_000;
    static final int DEEP_VERSIONS = 10_000;
    static final int MEDIUM_ENTITIES = 10_000;
    static final int WIDE_ENTITIES = 200_000;
    static final long T0 = 1_767_225_600_000_000_000L; // 2026-01-01, epoch ns

    /** Store shape: {@code deep} (long ladders), {@code medium} or {@code wide} (many entities). */
    @Param({"deep", "medium", "wide"})
    public String shape;

    /** Whether every lookup checks the record's CRC32C. */
    @Param({"true", "false"})
    public boolean verifyOnRead;

    SnapshotStore store;
    String[] ids;
    int versions;
    private Path dir;

    /** The timestamp of version {@code v} of entity {@code k}: a few microseconds per event, entities interleaved. */
    static long ts(long v, int k, int entities) {
        return T0 + ((v - 1) * entities + k) * 3_000L;
    }

    /** Writes the store, closes it and opens it again. */
    @Setup(Level.Trial)
    public void setup() {
        boolean deep = shape.equals("deep");
        int entities = deep ? DEEP_ENTITIES : shape.equals("medium") ? MEDIUM_ENTITIES : WIDE_ENTITIES;
        versions = deep ? DEEP_VERSIONS : 47;
        ids = new String[entities];
        for (int k = 0; k < entities; k++) {
            ids[k] = "order-" + (1_000_000 + k);
            ids[k].hashCode();
        }
        dir = BenchSupport.tempDir("snapshots");
        byte[] state = new byte[STATE_BYTES];
        new SplittableRandom(1).nextBytes(state);
        long started = System.nanoTime();
        try (SnapshotStore s = builder().open()) {
            for (long v = INTERVAL; v <= versions; v += INTERVAL) { // a follower's rungs, entities interleaved
                for (int k = 0; k < entities; k++) {
                    put(s, k, v, entities, state);
                }
            }
            for (int k = 0; k < entities; k++) {
                put(s, k, versions, entities, state); // the newest
            }
        }
        long written = System.nanoTime();
        store = builder().open();
        long opened = System.nanoTime();
        SnapshotStats st = store.stats();
        System.out.printf("# %s: wrote %,d snapshots in %d ms; reopen (scan, rebuild ladders) %d ms: %s%n", shape,
                st.snapshots(), (written - started) / 1_000_000, (opened - written) / 1_000_000, st);
    }

    private SnapshotStore.Builder builder() {
        return SnapshotStore.builder(dir).interval(INTERVAL).verifyOnRead(verifyOnRead);
    }

    private static void put(SnapshotStore s, int k, long v, int entities, byte[] state) {
        state[0] = (byte) v;
        s.put(TYPE, "order-" + (1_000_000 + k), v, (v - 1) * entities + k, ts(v, k, entities), FP, state, 0, state.length);
    }

    /** Closes the store and deletes its files. */
    @TearDown(Level.Trial)
    public void tearDown() {
        try {
            if (store != null) {
                store.close();
            }
        } finally {
            BenchSupport.deleteRecursively(dir);
        }
    }

    /** A reader thread's view and its pre-drawn queries (entity, version, instant), so the loop draws no random numbers. */
    @State(Scope.Thread)
    public static class Reader {
        static final int QUERIES = 1 << 16;
        final SnapshotView view = new SnapshotView();
        final int[] entity = new int[QUERIES];
        final long[] version = new long[QUERIES];
        final long[] nanos = new long[QUERIES];
        int next;

        /** @param b the store whose entities to query */
        @Setup(Level.Trial)
        public void setup(SnapshotStoreBenchmark b) {
            SplittableRandom r = new SplittableRandom(42);
            for (int i = 0; i < QUERIES; i++) {
                entity[i] = r.nextInt(b.ids.length);
                version[i] = INTERVAL + r.nextLong(b.versions - INTERVAL + 1);
                nanos[i] = ts(version[i], entity[i], b.ids.length) + r.nextLong(3_000);
            }
        }

        int next() {
            int i = next;
            next = (i + 1) & (QUERIES - 1);
            return i;
        }
    }

    /** The newest snapshot at or before a random version. */
    @Benchmark
    @Threads(1)
    public long floorByVersion(Reader r) {
        int i = r.next();
        store.floorByVersion(TYPE, ids[r.entity[i]], r.version[i], FP, r.view);
        return r.view.version();
    }

    /** The newest snapshot at or before a random instant. */
    @Benchmark
    @Threads(1)
    public long floorByTimestamp(Reader r) {
        int i = r.next();
        store.floorByTimestamp(TYPE, ids[r.entity[i]], r.nanos[i], FP, r.view);
        return r.view.version();
    }

    /** The newest snapshot of a random entity (where {@code get} starts). */
    @Benchmark
    @Threads(1)
    public long latest(Reader r) {
        int i = r.next();
        store.latest(TYPE, ids[r.entity[i]], FP, r.view);
        return r.view.version();
    }
}
