package dev.hindsight.jmh;

import dev.hindsight.codec.FrameReader;
import dev.hindsight.engine.EventStore;
import dev.hindsight.engine.ExpectedVersion;
import dev.hindsight.engine.inspect.JournalScanner;
import dev.hindsight.engine.inspect.StoreInspector;
import dev.hindsight.tools.HindsightCli;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;
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

import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * How fast the offline CLI scans a store of {@value #EVENTS} events over {@value #ENTITIES} entities
 * ({@code OrderPlaced}, 106-byte frames, one event per append), in events per second: {@code verify} with and
 * without the index comparison, {@code export} to JSON lines (written to a null writer), and, in the same run,
 * the floors: the CLI's own journal reader without any check ({@code rawScan}), with the frames' CRC and bounds
 * checked ({@code rawScanWithCrc}), and Chronicle's read-only tailer copying every excerpt ({@code chronicleTailer}).
 * Each invocation is one whole scan. JMH state: one store per fork, built in set-up (seconds on an idle machine,
 * minutes on a busy one) and deleted at tear-down; with {@code -Dhindsight.bench.inspectStore=DIR} every fork
 * uses (and the first builds) the store in DIR, which is kept: the commands never change it.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@OperationsPerInvocation(InspectScanBenchmark.EVENTS)
public class InspectScanBenchmark {
    static final int EVENTS = 2_000_000;
    static final int ENTITIES = 100_000;

    private Path dir;
    private Path work;
    private final PrintWriter sink = new PrintWriter(Writer.nullWriter());

    /** Builds the store, or finds the one named by {@code -Dhindsight.bench.inspectStore}. */
    @Setup(Level.Trial)
    public void build() throws java.io.IOException {
        String shared = System.getProperty("hindsight.bench.inspectStore");
        dir = shared != null ? Path.of(shared) : BenchSupport.tempDir("inspect");
        work = BenchSupport.tempDir("inspect-work");
        Path built = dir.resolve("built-" + EVENTS);
        if (java.nio.file.Files.exists(built)) {
            return;
        }
        String[] ids = new String[ENTITIES];
        for (int i = 0; i < ENTITIES; i++) {
            ids[i] = "order-" + (1_000_000 + i);
        }
        try (EventStore store = EventStore.builder(dir).register(OrderPlaced.class, OrderPlaced.TYPE_ID).expectedEntities(ENTITIES).open()) {
            for (int i = 0; i < EVENTS; i++) {
                store.append("order", ids[i % ENTITIES], ExpectedVersion.ANY, new OrderPlaced("customer-" + (i & 1023), i));
            }
        }
        if (shared != null) {
            java.nio.file.Files.createFile(built); // beside the store's files; the commands ignore it
        }
    }

    /** Deletes the store. */
    @TearDown(Level.Trial)
    public void delete() {
        if (System.getProperty("hindsight.bench.inspectStore") == null) {
            BenchSupport.deleteRecursively(dir);
        }
        BenchSupport.deleteRecursively(work);
    }

    private int cli(String... args) {
        int exit = HindsightCli.run(sink, sink, args);
        if (exit != 0) {
            throw new IllegalStateException("hindsight " + String.join(" ", args) + " exited " + exit);
        }
        return exit;
    }

    /** @return the exit code: verify, index comparison included (maps copied to a work directory first) */
    @Benchmark
    public int verify() {
        return cli("verify", dir.toString(), "--work-dir", work.toString());
    }

    /** @return the exit code: verify of the journal alone */
    @Benchmark
    public int verifyNoIndex() {
        return cli("verify", dir.toString(), "--no-index");
    }

    /** @return the exit code: every event as a JSON line, decoded through the catalog */
    @Benchmark
    public int export() {
        return cli("export", dir.toString());
    }

    /** @return bytes read: the CLI's journal reader (positional file reads), no frame check at all */
    @Benchmark
    public long rawScan() {
        long bytes = 0;
        try (JournalScanner journal = StoreInspector.open(dir).openJournal()) {
            while (journal.next() != null) {
                bytes += journal.length() + journal.buffer()[journal.offset()];
            }
        }
        return bytes;
    }

    /** @return frames validated: the CLI's reader plus a CRC32C and bounds check of every frame (verify's floor) */
    @Benchmark
    public long rawScanWithCrc() {
        long frames = 0;
        FrameReader frame = new FrameReader(1 << 20);
        try (JournalScanner journal = StoreInspector.open(dir).openJournal()) {
            while (journal.next() != null) {
                frame.wrap(journal.buffer(), journal.offset(), journal.length(), "", 0);
                frames += frame.globalPosition() >= 0 ? 1 : 0;
            }
        }
        return frames;
    }

    /** @return bytes read: Chronicle's read-only tailer, copying each excerpt into a reused array as the engine does */
    @Benchmark
    public long chronicleTailer() {
        long bytes = 0;
        byte[] buf = new byte[4096];
        try (SingleChronicleQueue queue = SingleChronicleQueueBuilder.single(dir.resolve("journal").toFile())
                .rollCycle(RollCycles.FAST_DAILY).readOnly(true).build();
             ExcerptTailer tailer = queue.createTailer()) {
            while (true) {
                try (DocumentContext dc = tailer.readingDocument()) {
                    if (!dc.isPresent()) {
                        break;
                    }
                    Bytes<?> b = dc.wire().bytes();
                    int len = (int) b.readRemaining();
                    b.read(buf, 0, len);
                    bytes += len + buf[0];
                }
            }
        }
        return bytes;
    }
}
