package dev.hindsight.jmh;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.infra.Blackhole;

import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * Question: what does the SQL baseline cost for the reads Hindsight's snapshots serve? An embedded H2
 * event table ({@link H2EventTable}: one row per event, primary key (type, id, version), index (type,
 * id, timestamp)) holding 1,000 entities of 47 events and 20 entities of 10,000 events (~40-byte
 * payloads). Reads hand every row's payload to a {@link Blackhole}; nothing is decoded or folded (the
 * resource benchmarks add that on both sides).
 * <ul>
 *   <li>{@code loadStream47}: a random 47-event entity's whole stream (what {@code get} replays);</li>
 *   <li>{@code asOf47}: its events up to a random instant;</li>
 *   <li>{@code asOf10k}: a random 10,000-event entity's events up to a random instant (5,000 rows on
 *       average);</li>
 *   <li>{@code tail10k}: the events after the 32-version rung below a random instant, up to it (at
 *       most 31 rows): what a snapshot beside the table would leave to read.</li>
 * </ul>
 * JMH state: one table per trial, read by one thread.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Benchmark)
public class H2BaselineBenchmark {
    static final String TYPE = "order";
    static final int SHORT_ENTITIES = 1_000;
    static final int SHORT_VERSIONS = 47;
    static final int LONG_ENTITIES = 20;
    static final int LONG_VERSIONS = 10_000;
    static final int QUERIES = 1 << 14;

    private Path dir;
    H2EventTable table;
    private String[] shortIds;
    private String[] longIds;
    private final int[] entity = new int[QUERIES];
    private final long[] drawn = new long[QUERIES];
    private final long[] rung = new long[QUERIES];
    private int next;

    static long ts(long v, int k) {
        return SnapshotStoreBenchmark.T0 + v * 1_000_000L + k;
    }

    /** Fills the table. */
    @Setup(Level.Trial)
    public void setup() {
        dir = BenchSupport.tempDir("h2");
        table = H2EventTable.open(dir);
        SplittableRandom r = new SplittableRandom(7);
        shortIds = new String[SHORT_ENTITIES];
        longIds = new String[LONG_ENTITIES];
        long started = System.nanoTime();
        for (int k = 0; k < SHORT_ENTITIES; k++) {
            shortIds[k] = "order-" + (1_000_000 + k);
            for (long v = 1; v <= SHORT_VERSIONS; v++) {
                table.append(TYPE, shortIds[k], v, ts(v, k), 1, payload(r));
            }
        }
        for (int k = 0; k < LONG_ENTITIES; k++) {
            longIds[k] = "long-" + (1_000_000 + k);
            for (long v = 1; v <= LONG_VERSIONS; v++) {
                table.append(TYPE, longIds[k], v, ts(v, k), 1, payload(r));
            }
            table.commit();
        }
        table.commit();
        System.out.printf("# H2: %,d rows inserted in %d ms%n", table.count(), (System.nanoTime() - started) / 1_000_000);
        for (int i = 0; i < QUERIES; i++) {
            entity[i] = r.nextInt(SHORT_ENTITIES);
            long v = 1 + r.nextLong(LONG_VERSIONS);
            drawn[i] = v; // a version; its instant depends on the entity
            rung[i] = v - v % 32;
        }
    }

    private static byte[] payload(SplittableRandom r) {
        byte[] b = new byte[30 + r.nextInt(20)];
        r.nextBytes(b);
        return b;
    }

    /** Closes the table and deletes its files. */
    @TearDown(Level.Trial)
    public void tearDown() {
        try {
            if (table != null) {
                table.close();
            }
        } finally {
            BenchSupport.deleteRecursively(dir);
        }
    }

    private int nextQuery() {
        int i = next;
        next = (i + 1) & (QUERIES - 1);
        return i;
    }

    /** A random 47-event entity's whole stream. */
    @Benchmark
    @Threads(1)
    public int loadStream47(Blackhole bh) {
        int i = nextQuery();
        return table.loadStream(TYPE, shortIds[entity[i]], (v, ts, type, p) -> bh.consume(p));
    }

    /** A random 47-event entity's events up to a random instant. */
    @Benchmark
    @Threads(1)
    public int asOf47(Blackhole bh) {
        int i = nextQuery();
        int k = entity[i];
        return table.loadUpToTimestamp(TYPE, shortIds[k], ts(1 + drawn[i] % SHORT_VERSIONS, k), (v, ts, type, p) -> bh.consume(p));
    }

    /** A random 10,000-event entity's events up to a random instant. */
    @Benchmark
    @Threads(1)
    public int asOf10k(Blackhole bh) {
        int i = nextQuery();
        int k = entity[i] % LONG_ENTITIES;
        return table.loadUpToTimestamp(TYPE, longIds[k], ts(drawn[i], k), (v, ts, type, p) -> bh.consume(p));
    }

    /** The events between the rung below a random instant and that instant, of a 10,000-event entity. */
    @Benchmark
    @Threads(1)
    public int tail10k(Blackhole bh) {
        int i = nextQuery();
        int k = entity[i] % LONG_ENTITIES;
        return table.loadAfterVersionUpToTimestamp(TYPE, longIds[k], rung[i], rung[i] + 32, ts(drawn[i], k),
                (v, ts, type, p) -> bh.consume(p));
    }
}
