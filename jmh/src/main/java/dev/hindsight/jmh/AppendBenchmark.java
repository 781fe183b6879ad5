package dev.hindsight.jmh;

import dev.hindsight.engine.AppendResult;
import dev.hindsight.engine.Durability;
import dev.hindsight.engine.EventStore;
import dev.hindsight.engine.ExpectedVersion;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.infra.Blackhole;

import java.util.concurrent.TimeUnit;

/**
 * Question: how fast is one {@link EventStore#append} of a small event (PROCESS_CRASH durability,
 * the default), with one and with two producer threads, in throughput and in latency percentiles?
 *
 * <p>{@code appendAny*}: {@link ExpectedVersion#ANY} over 10,000 entities, each thread walking the
 * pre-built ids from its own offset. {@code appendExact*}: each thread appends to its own entity
 * with the exact expected version (the optimistic-concurrency path). One store per fork (trial),
 * in a fresh temp directory deleted at tear-down; it grows for the whole trial, so iterations cross
 * pages and chunk boundaries.
 */
@BenchmarkMode({Mode.Throughput, Mode.SampleTime})
public class AppendBenchmark extends StoreBenchmarkBase {
    @Override
    Durability durability() {
        return Durability.PROCESS_CRASH;
    }

    private AppendResult exact(Producer p) {
        AppendResult r = store.append(OrderPlaced.RESOURCE_TYPE, p.ownEntity, p.version, OrderPlaced.SAMPLE);
        p.version = r.lastVersion();
        return r;
    }

    @Benchmark
    @Threads(1)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public void appendAny1P(Producer p, Blackhole bh) {
        bh.consume(appendAny(p));
    }

    @Benchmark
    @Threads(2)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public void appendAny2P(Producer p, Blackhole bh) {
        bh.consume(appendAny(p));
    }

    @Benchmark
    @Threads(1)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public void appendExact1P(Producer p, Blackhole bh) {
        bh.consume(exact(p));
    }

    @Benchmark
    @Threads(2)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public void appendExact2P(Producer p, Blackhole bh) {
        bh.consume(exact(p));
    }
}
