package dev.hindsight.jmh;

import dev.hindsight.codec.CodecLimits;
import dev.hindsight.codec.EventCodec;
import dev.hindsight.codec.EventMetadata;
import dev.hindsight.codec.FrameWriter;
import dev.hindsight.codec.SchemaCatalog;
import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;
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
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32C;

/**
 * Question: what is the floor? A raw Chronicle Queue append, on the calling thread, of the very
 * bytes Hindsight writes for one {@link OrderPlaced} (one sealed frame, encoded once with the
 * project's codec), with the journal's settings (FAST_DAILY roll cycle, ASYNC sync mode, no
 * interrupt checks). No hand-off, no version check, no encode: what Hindsight adds is the
 * difference to {@link AppendBenchmark}.
 */
@BenchmarkMode({Mode.Throughput, Mode.SampleTime})
@State(Scope.Thread)
public class RawChronicleAppendBenchmark {
    /** One sealed frame, as Hindsight would write it. */
    private byte[] frame;
    private Path dir;
    private ChronicleQueue queue;
    private ExcerptAppender appender;

    @Setup(Level.Trial)
    public void open() {
        EventCodec codec = new EventCodec(new SchemaCatalog(), CodecLimits.defaults());
        codec.register(OrderPlaced.class, OrderPlaced.TYPE_ID, OrderPlaced.class.getSimpleName(), 1);
        FrameWriter fw = new FrameWriter(codec, 4096);
        fw.reset();
        fw.addFrame(OrderPlaced.RESOURCE_TYPE, BenchSupport.entityIds()[42], OrderPlaced.SAMPLE, EventMetadata.NONE);
        FrameWriter.seal(fw.buffer(), 0, 42, System.currentTimeMillis() * 1_000_000L, 1, new CRC32C());
        frame = Arrays.copyOf(fw.buffer(), fw.length());
        System.out.println("# raw frame: " + frame.length + " bytes (one sealed Hindsight frame of OrderPlaced)");

        dir = BenchSupport.tempDir("raw");
        queue = SingleChronicleQueueBuilder.single(dir.toFile())
                .rollCycle(RollCycles.FAST_DAILY)
                .checkInterrupts(false)
                .build();
        appender = queue.createAppender();
        appender.singleThreadedCheckDisabled(true); // as the journal's writer does
    }

    @TearDown(Level.Trial)
    public void close() {
        try {
            if (appender != null) {
                appender.close();
            }
            if (queue != null) {
                queue.close();
            }
        } finally {
            BenchSupport.deleteRecursively(dir);
        }
    }

    @Benchmark
    @Threads(1)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public void rawAppend1P(Blackhole bh) {
        try (DocumentContext dc = appender.writingDocument()) {
            dc.wire().bytes().write(frame);
        }
        bh.consume(appender.lastIndexAppended());
    }
}
