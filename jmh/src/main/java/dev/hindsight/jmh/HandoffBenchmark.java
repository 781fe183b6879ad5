package dev.hindsight.jmh;

import org.agrona.concurrent.ManyToOneConcurrentArrayQueue;
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

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Question: what does the hand-off alone cost on this machine? A producer queues a reusable request
 * on an Agrona {@link ManyToOneConcurrentArrayQueue} and busy-spins until a consumer thread (which
 * busy-spins on the queue) marks it done: the sequencer's round trip with no encode, no journal and
 * no indexer. The floor below {@link AppendBenchmark} that is not Chronicle's; its distance from
 * {@link RawChronicleAppendBenchmark} is the price of the single-writer design on 2 cores.
 */
@BenchmarkMode({Mode.Throughput, Mode.SampleTime})
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Benchmark)
public class HandoffBenchmark {
    static final class Request {
        final AtomicInteger state = new AtomicInteger();
    }

    private final ManyToOneConcurrentArrayQueue<Request> queue = new ManyToOneConcurrentArrayQueue<>(1024);
    private volatile boolean running;
    private Thread consumer;

    @Setup(Level.Trial)
    public void start() {
        running = true;
        consumer = new Thread(() -> {
            while (running) {
                Request r = queue.poll();
                if (r != null) {
                    r.state.lazySet(2);
                } else {
                    Thread.onSpinWait();
                }
            }
        }, "handoff-consumer");
        consumer.setDaemon(true);
        consumer.start();
    }

    @TearDown(Level.Trial)
    public void stop() throws InterruptedException {
        running = false;
        consumer.join(5_000);
    }

    @State(Scope.Thread)
    public static class Producer {
        final Request request = new Request();
    }

    @Benchmark
    @Threads(1)
    public int handoff1P(Producer p) {
        Request r = p.request;
        r.state.set(1);
        while (!queue.offer(r)) {
            Thread.onSpinWait();
        }
        int s;
        while ((s = r.state.get()) != 2) {
            Thread.onSpinWait();
        }
        return s;
    }
}
