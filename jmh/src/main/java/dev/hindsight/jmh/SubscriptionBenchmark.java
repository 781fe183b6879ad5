package dev.hindsight.jmh;

import dev.hindsight.engine.AppendResult;
import dev.hindsight.engine.Durability;
import dev.hindsight.engine.EventStore;
import dev.hindsight.engine.ExpectedVersion;
import dev.hindsight.engine.Subscription;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;
import org.agrona.concurrent.UnsafeBuffer;
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

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Questions: how fast does a subscription replay the log (decoding every event, through a view
 * without decoding, and raw Chronicle reading the same journal as the floor)? How long from the
 * start of an append to its delivery to a subscriber in the same process and in another process?
 * Does a stalled subscriber slow appends (appends with none, a stalled one and one keeping up, side
 * by side)?
 *
 * <p>Each state holds its own store in a fresh temp directory for the trial. Replays read a store of
 * {@value Filled#EVENTS} single-event appends (one frame per excerpt, the worst case for a reader)
 * from position 0 with a new non-durable subscription per invocation, so the figure includes starting
 * the subscription's thread and seeking. Latencies are round trips measured by the appending thread:
 * it appends, then spins until the subscriber has published the event's position (a volatile field in
 * this process; a volatile long in a memory-mapped file written by a read-only store in a child JVM).
 */
public class SubscriptionBenchmark {
    private static final Duration WAIT = Duration.ofMinutes(2);

    /** A store and a cursor over the benchmarks' entity ids. */
    abstract static class StoreState {
        EventStore store;
        String[] ids;
        int next;
        Path dir;

        void openStore() {
            dir = BenchSupport.tempDir(getClass().getSimpleName());
            store = BenchSupport.open(dir, Durability.PROCESS_CRASH);
            ids = BenchSupport.entityIds();
        }

        AppendResult append() {
            int i = next;
            next = i + 1 == BenchSupport.ENTITIES ? 0 : i + 1;
            return store.append(OrderPlaced.RESOURCE_TYPE, ids[i], ExpectedVersion.ANY, OrderPlaced.SAMPLE);
        }

        void closeStore() {
            try {
                if (store != null) {
                    store.close();
                }
            } finally {
                BenchSupport.deleteRecursively(dir);
            }
        }
    }

    /** A store of {@value #EVENTS} events to replay. JMH state: one per trial; the subscriptions' threads only read it. */
    @State(Scope.Benchmark)
    public static class Filled extends StoreState {
        static final int EVENTS = 1_000_000;
        long sink;

        /** Appends the events. */
        @Setup(Level.Trial)
        public void fill() {
            openStore();
            for (int i = 0; i < EVENTS; i++) {
                append();
            }
        }

        /** Deletes the store. */
        @TearDown(Level.Trial)
        public void close() {
            closeStore();
        }

        long replay(Subscription s) {
            try (s) {
                if (!s.awaitPosition(EVENTS, WAIT)) {
                    throw new IllegalStateException("replay did not finish: " + s);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            return sink;
        }
    }

    /** A store with no subscriber. JMH state: one per trial, appended to by the benchmark thread. */
    @State(Scope.Benchmark)
    public static class NoSubscriber extends StoreState {
        /** Opens the store. */
        @Setup(Level.Trial)
        public void open() {
            openStore();
        }

        /** Deletes the store. */
        @TearDown(Level.Trial)
        public void close() {
            closeStore();
        }
    }

    /** A store whose one subscriber is stuck in its handler from the first event on. JMH state: one per trial. */
    @State(Scope.Benchmark)
    public static class StalledSubscriber extends StoreState {
        final CountDownLatch release = new CountDownLatch(1);
        Subscription subscription;

        /** Opens the store and the stalled subscription. */
        @Setup(Level.Trial)
        public void open() {
            openStore();
            subscription = store.subscription("stalled").durable(false).handler(e -> release.await()).start();
        }

        /** Releases the handler, closes the subscription and deletes the store. */
        @TearDown(Level.Trial)
        public void close() {
            release.countDown();
            subscription.close();
            closeStore();
        }
    }

    /** A store with a subscriber that keeps up (its handler only reads the position). JMH state: one per trial. */
    @State(Scope.Benchmark)
    public static class LiveSubscriber extends StoreState {
        Subscription subscription;
        volatile long delivered = -1;

        /** Opens the store and the subscription. */
        @Setup(Level.Trial)
        public void open() {
            openStore();
            subscription = store.subscription("live").durable(false).fromNow()
                    .viewHandler(v -> delivered = v.position()).start();
        }

        /** Closes the subscription and deletes the store. */
        @TearDown(Level.Trial)
        public void close() {
            subscription.close();
            closeStore();
        }
    }

    /** A store written here and followed by a read-only store in a child JVM. JMH state: one per trial. */
    @State(Scope.Benchmark)
    public static class CrossProcess extends StoreState {
        Process child;
        UnsafeBuffer ack;
        private MappedByteBuffer mapped;

        /** Opens the store, starts the child and waits until it has subscribed. */
        @Setup(Level.Trial)
        public void open() throws IOException {
            openStore();
            append(); // the store exists with one event before the reader opens it
            Path ackFile = dir.resolve("ack.bin");
            try (FileChannel ch = FileChannel.open(ackFile, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                mapped = ch.map(FileChannel.MapMode.READ_WRITE, 0, 64);
            }
            ack = new UnsafeBuffer(mapped);
            ack.putLongVolatile(0, Long.MIN_VALUE);
            List<String> cmd = new ArrayList<>();
            cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            cmd.addAll(BenchmarkMain.jvmFlags());
            cmd.addAll(List.of("-Xmx256m", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-Dchronicle.announcer.disable=true",
                    "-cp", System.getProperty("java.class.path"), CrossProcessSubscriber.class.getName(),
                    dir.toString(), ackFile.toString()));
            child = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            String ready = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8)).readLine();
            if (ready == null || !ready.startsWith("READY")) {
                throw new IllegalStateException("the subscriber process did not start: " + ready);
            }
        }

        /** Stops the child and deletes the store. */
        @TearDown(Level.Trial)
        public void close() throws InterruptedException {
            try {
                child.getOutputStream().close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } finally {
                if (!child.waitFor(30, TimeUnit.SECONDS)) {
                    child.destroyForcibly();
                }
                closeStore();
            }
        }
    }

    // ------------------------------------------------------------------ replay

    /** @return replays every event, decoded into a {@code RecordedEvent} */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @OperationsPerInvocation(Filled.EVENTS)
    public long replayDecoded(Filled f) {
        return f.replay(f.store.subscription("replay-decoded").durable(false)
                .handler(e -> f.sink += ((OrderPlaced) e.event()).amount()).start());
    }

    /** @return replays every event through the view, decoding the payload */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @OperationsPerInvocation(Filled.EVENTS)
    public long replayViewDecoded(Filled f) {
        return f.replay(f.store.subscription("replay-view-decoded").durable(false)
                .viewHandler(v -> f.sink += ((OrderPlaced) v.event()).amount()).start());
    }

    /** @return replays every event through the view, reading header fields only (no decode, no allocation) */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @OperationsPerInvocation(Filled.EVENTS)
    public long replayViewHeaders(Filled f) {
        return f.replay(f.store.subscription("replay-view").durable(false)
                .viewHandler(v -> f.sink += v.position() + v.eventTypeId()).start());
    }

    /** @return the floor: raw Chronicle reading the same journal's excerpts into a reused array on this thread */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @OperationsPerInvocation(Filled.EVENTS)
    public long rawChronicleRead(Filled f) {
        byte[] buf = new byte[4096];
        long sum = 0;
        int n = 0;
        try (SingleChronicleQueue q = SingleChronicleQueueBuilder.single(f.dir.resolve("journal").toFile())
                .rollCycle(RollCycles.FAST_DAILY).readOnly(true).build();
             ExcerptTailer t = q.createTailer()) {
            while (n < Filled.EVENTS) {
                try (DocumentContext dc = t.readingDocument()) {
                    if (!dc.isPresent()) {
                        throw new IllegalStateException("journal ended after " + n + " excerpts");
                    }
                    Bytes<?> b = dc.wire().bytes();
                    int len = (int) b.readRemaining();
                    b.read(buf, 0, len);
                    sum += buf[len - 1] + len;
                    n++;
                }
            }
        }
        return sum;
    }

    // ------------------------------------------------------------------ latency

    /** @return append, then wait until the subscriber in this process has the event */
    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    @Threads(1)
    public long appendToDelivery(LiveSubscriber s) {
        long p = s.append().firstPosition();
        while (s.delivered < p) {
            Thread.onSpinWait();
        }
        return p;
    }

    /** @return append, then wait until the subscriber in the child JVM has the event */
    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    @Threads(1)
    public long appendToDeliveryCrossProcess(CrossProcess s) {
        long p = s.append().firstPosition();
        while (s.ack.getLongVolatile(0) < p) {
            Thread.onSpinWait();
        }
        return p;
    }

    /** @return the append alone, measured beside the round trips */
    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    @Threads(1)
    public AppendResult appendOnly(NoSubscriber s) {
        return s.append();
    }

    // ------------------------------------------------------------------ appends with subscribers

    /** @return appends with no subscriber */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @Threads(1)
    public AppendResult appendNoSubscriber(NoSubscriber s) {
        return s.append();
    }

    /** @return appends with a subscriber stuck in its handler */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @Threads(1)
    public AppendResult appendStalledSubscriber(StalledSubscriber s) {
        return s.append();
    }

    /** @return appends with a subscriber that keeps up */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @Threads(1)
    public AppendResult appendLiveSubscriber(LiveSubscriber s) {
        return s.append();
    }
}
