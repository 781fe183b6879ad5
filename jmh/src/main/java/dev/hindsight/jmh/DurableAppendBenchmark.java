package dev.hindsight.jmh;

import dev.hindsight.engine.Durability;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.infra.Blackhole;

import java.util.concurrent.TimeUnit;

/**
 * Question: what does {@link Durability#OS_CRASH} (acknowledge after msync, group commit) cost, and
 * does group commit scale with producers? Throughput only: each append waits about one sync
 * (milliseconds), so with N producers one sync should acknowledge about N appends.
 * Same event and entity spread as {@link AppendBenchmark#appendAny1P}.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class DurableAppendBenchmark extends StoreBenchmarkBase {
    @Override
    Durability durability() {
        return Durability.OS_CRASH;
    }

    @Benchmark
    @Threads(1)
    public void durableAppend1P(Producer p, Blackhole bh) {
        bh.consume(appendAny(p));
    }

    @Benchmark
    @Threads(2)
    public void durableAppend2P(Producer p, Blackhole bh) {
        bh.consume(appendAny(p));
    }
}
