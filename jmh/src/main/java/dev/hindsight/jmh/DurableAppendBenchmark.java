package dev.hindsight.jmh;

import dev.hindsight.engine.Durability;
import dev.hindsight.engine.EventStore;
import dev.hindsight.engine.ExpectedVersion;
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
import org.openjdk.jmh.infra.ThreadParams;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Question: what does {@link Durability#OS_CRASH} (acknowledge after msync, group commit) cost, and
 * does group commit scale with producers? Throughput only: each append waits about one sync
 * (milliseconds), so with N producers one sync should acknowledge about N appends.
 * Same event and entity spread as {@link AppendBenchmark#appendAny1P}.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Benchmark)
public class DurableAppendBenchmark {
    private Path dir;
    private EventStore store;
    private String[] ids;

    @Setup(Level.Trial)
    public void open() {
        dir = BenchSupport.tempDir("durable");
        store = BenchSupport.open(dir, Durability.OS_CRASH);
        ids = BenchSupport.entityIds();
    }

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

    @State(Scope.Thread)
    public static class Producer {
        int next;

        @Setup(Level.Trial)
        public void setup(ThreadParams params) {
            next = params.getThreadIndex() * (BenchSupport.ENTITIES / Math.max(1, params.getThreadCount()));
        }
    }

    private Object any(Producer p) {
        int i = p.next;
        p.next = i + 1 == BenchSupport.ENTITIES ? 0 : i + 1;
        return store.append(OrderPlaced.RESOURCE_TYPE, ids[i], ExpectedVersion.ANY, OrderPlaced.SAMPLE);
    }

    @Benchmark
    @Threads(1)
    public void durableAppend1P(Producer p, Blackhole bh) {
        bh.consume(any(p));
    }

    @Benchmark
    @Threads(2)
    public void durableAppend2P(Producer p, Blackhole bh) {
        bh.consume(any(p));
    }
}
