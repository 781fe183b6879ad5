package dev.hindsight.jmh;

import dev.hindsight.engine.Durability;
import dev.hindsight.engine.EventStore;
import dev.hindsight.engine.ExpectedVersion;
import dev.hindsight.engine.RecordedEvent;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.infra.Blackhole;
import org.openjdk.jmh.infra.ThreadParams;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Question: how fast are per-entity reads, the path {@code Resource.get}, {@code asOf} and
 * {@code changes} take: read one version, the last 10 versions (what rehydrating from a snapshot
 * replays), a whole 100-version entity, and the version as of a random instant of an entity with
 * 10,000 versions (index binary search plus one read)?
 *
 * <p>One store per fork (trial), filled in {@code @Setup} with 10,000 entities of 100 versions,
 * appended round-robin (one excerpt per event, so an entity's events are spread over the whole
 * journal, about 90 MB: each read lands on a cold spot), plus 10 entities of 10,000 versions.
 * The store is closed and reopened before measuring, so reads go through the persisted index
 * (completed blocks in Chronicle Map, the last partial block on-heap) as after any restart.
 * Readers pick entities and versions with a per-thread xorshift generator (no allocation).
 * JMH state: the store is shared by the benchmark's threads and is thread-safe.
 */
@State(Scope.Benchmark)
public class ReadBenchmark {
    /** Entities of {@link #VERSIONS} versions. */
    static final int ENTITIES = 10_000;
    /** Versions of each ordinary entity. */
    static final int VERSIONS = 100;
    /** Entities with {@link #LONG_VERSIONS} versions, for the as-of read. */
    static final int LONG_ENTITIES = 10;
    /** Versions of each long entity. */
    static final int LONG_VERSIONS = 10_000;
    /** Instants pre-built for the as-of read. */
    static final int INSTANTS = 4096;

    EventStore store;
    String[] ids;
    String[] longIds;
    Instant[] instants;
    private Path dir;

    /** Creates, fills, closes and reopens the store. */
    @Setup(Level.Trial)
    public void open() {
        dir = BenchSupport.tempDir("ReadBenchmark");
        ids = BenchSupport.entityIds();
        longIds = new String[LONG_ENTITIES];
        for (int i = 0; i < LONG_ENTITIES; i++) {
            longIds[i] = "long-" + i;
        }
        try (EventStore s = BenchSupport.open(dir, Durability.PROCESS_CRASH)) {
            for (int v = 0; v < LONG_VERSIONS; v++) {
                for (int e = 0; e < LONG_ENTITIES; e++) {
                    s.append(OrderPlaced.RESOURCE_TYPE, longIds[e], ExpectedVersion.ANY, OrderPlaced.SAMPLE);
                }
                if (v < VERSIONS) {
                    for (String id : ids) {
                        s.append(OrderPlaced.RESOURCE_TYPE, id, ExpectedVersion.ANY, OrderPlaced.SAMPLE);
                    }
                }
            }
        }
        store = BenchSupport.open(dir, Durability.PROCESS_CRASH);
        long first = store.readVersion(OrderPlaced.RESOURCE_TYPE, longIds[0], 1).timestampNanos();
        long last = store.readVersion(OrderPlaced.RESOURCE_TYPE, longIds[0], LONG_VERSIONS).timestampNanos();
        instants = new Instant[INSTANTS];
        long seed = 42;
        for (int i = 0; i < INSTANTS; i++) {
            seed = Reader.xorshift(seed);
            long at = first + Math.floorMod(seed, Math.max(1, last - first + 1));
            instants[i] = Instant.ofEpochSecond(0, at);
        }
    }

    /** Closes the store and deletes its files. */
    @TearDown(Level.Trial)
    public void close() {
        try {
            if (store != null) {
                store.close();
            }
        } finally {
            BenchSupport.deleteRecursively(dir);
        }
    }

    /** One reading thread's random generator. */
    @State(Scope.Thread)
    public static class Reader {
        long seed;

        /** @param params which thread this is, so threads draw different sequences */
        @Setup(Level.Trial)
        public void setup(ThreadParams params) {
            seed = 0x9E3779B97F4A7C15L * (params.getThreadIndex() + 1);
        }

        static long xorshift(long x) {
            x ^= x << 13;
            x ^= x >>> 7;
            x ^= x << 17;
            return x;
        }

        /** @return a non-negative random int below {@code bound} */
        int next(int bound) {
            seed = xorshift(seed);
            return (int) ((seed >>> 1) % bound);
        }
    }

    /** One random version of a random entity. */
    @Benchmark
    @BenchmarkMode({Mode.Throughput, Mode.SampleTime})
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    @Threads(1)
    public RecordedEvent readVersion(Reader r) {
        return store.readVersion(OrderPlaced.RESOURCE_TYPE, ids[r.next(ENTITIES)], 1 + r.next(VERSIONS));
    }

    /** The same with two reading threads: do reads scale, or contend? */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    @Threads(2)
    public RecordedEvent readVersion2T(Reader r) {
        return store.readVersion(OrderPlaced.RESOURCE_TYPE, ids[r.next(ENTITIES)], 1 + r.next(VERSIONS));
    }

    /** The last 10 versions of a random entity: the tail a snapshot-based {@code get} replays. */
    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    @Threads(1)
    public List<RecordedEvent> readTail10(Reader r) {
        return store.readEntity(OrderPlaced.RESOURCE_TYPE, ids[r.next(ENTITIES)], VERSIONS - 9);
    }

    /** A whole 100-version entity; the score is in events per time unit. */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @OperationsPerInvocation(VERSIONS)
    @Threads(1)
    public void readEntityEvents(Reader r, Blackhole bh) {
        bh.consume(store.readEntity(OrderPlaced.RESOURCE_TYPE, ids[r.next(ENTITIES)], 1));
    }

    /** The version of a 10,000-version entity as of a random instant, and that version's event. */
    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    @Threads(1)
    public RecordedEvent asOfVersion10k(Reader r) {
        String id = longIds[r.next(LONG_ENTITIES)];
        long v = store.versionAt(OrderPlaced.RESOURCE_TYPE, id, instants[r.next(INSTANTS)]);
        return store.readVersion(OrderPlaced.RESOURCE_TYPE, id, Math.max(1, v));
    }
}
