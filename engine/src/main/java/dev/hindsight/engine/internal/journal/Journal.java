package dev.hindsight.engine.internal.journal;

import dev.hindsight.engine.Durability;
import dev.hindsight.engine.JournalRollCycle;
import net.openhft.chronicle.bytes.SyncMode;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.queue.rollcycles.TestRollCycles;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The Chronicle Queue behind a store, opened for writing or read-only. Hands out the one
 * {@link JournalWriter} (writing stores), per-thread {@link JournalReader}s (which it closes), and
 * {@link FrameFiles} for reads at known addresses. Thread-safe.
 */
public final class Journal implements AutoCloseable {
    private final Path directory;
    private final SingleChronicleQueue queue;
    private final boolean readOnly;
    private final JournalCuts cuts;
    private final int maxExcerptBytes;
    private final List<JournalReader> readers = new CopyOnWriteArrayList<>();
    private volatile JournalWriter writer;

    private Journal(Path directory, SingleChronicleQueue queue, boolean readOnly, JournalCuts cuts, int maxExcerptBytes) {
        this.directory = directory;
        this.queue = queue;
        this.readOnly = readOnly;
        this.cuts = cuts;
        this.maxExcerptBytes = maxExcerptBytes;
    }

    /**
     * @param directory       the journal directory
     * @param rollCycle       the store's roll cycle
     * @param readOnly        open without writing
     * @param durability      OS_CRASH makes {@link JournalWriter#sync()} msync
     * @param cuts            excerpts recovery cut; readers skip them
     * @param maxExcerptBytes the largest excerpt a reader accepts
     * @return the open journal
     */
    public static Journal open(Path directory, JournalRollCycle rollCycle, boolean readOnly, Durability durability,
                               JournalCuts cuts, int maxExcerptBytes) {
        SingleChronicleQueueBuilder builder = SingleChronicleQueueBuilder.single(directory.toFile())
                .rollCycle(chronicleCycle(rollCycle))
                .readOnly(readOnly)
                .checkInterrupts(false);
        if (durability == Durability.OS_CRASH && !readOnly) {
            builder.syncMode(SyncMode.SYNC);
        }
        return new Journal(directory, builder.build(), readOnly, cuts, maxExcerptBytes);
    }

    static RollCycle chronicleCycle(JournalRollCycle cycle) {
        switch (cycle) {
            case TEST_SECONDLY:
                return TestRollCycles.TEST_SECONDLY;
            case HOURLY:
                return RollCycles.FAST_HOURLY;
            case DAILY:
                return RollCycles.FAST_DAILY;
            case WEEKLY:
                return RollCycles.WEEKLY;
            default:
                throw new IllegalArgumentException("unknown roll cycle " + cycle);
        }
    }

    /**
     * Creates the writer, bound to the calling thread (the sequencer's).
     *
     * @return the journal's one writer
     */
    public JournalWriter createWriter() {
        if (readOnly) {
            throw new IllegalStateException("journal " + directory + " is open read-only");
        }
        if (writer != null) {
            throw new IllegalStateException("journal " + directory + " already has a writer");
        }
        writer = new JournalWriter(queue.createAppender());
        return writer;
    }

    /**
     * @return a new reader, for one thread at a time; closed with the journal if not before
     */
    public synchronized JournalReader createReader() {
        // synchronized: Chronicle's tailer creation is not safe from several threads at once
        JournalReader reader = new JournalReader(this, queue.createTailer(), maxExcerptBytes);
        readers.add(reader);
        return reader;
    }

    /**
     * @param maxFrameBytes the largest frame to accept
     * @return direct, mapped access to this journal's frames; the caller closes it (before the journal)
     *         once no read is in progress
     */
    public FrameFiles openFrameFiles(int maxFrameBytes) {
        return new FrameFiles(this, maxFrameBytes);
    }

    void released(JournalReader reader) {
        readers.remove(reader);
    }

    /** @return the excerpts recovery cut */
    public JournalCuts cuts() {
        return cuts;
    }

    /** @return the Chronicle index of the last excerpt, or -1 when the journal is empty */
    public long lastExcerptIndex() {
        long last = queue.lastIndex();
        return last == Long.MIN_VALUE ? -1 : last;
    }

    /** @return the journal directory */
    public Path directory() {
        return directory;
    }

    SingleChronicleQueue queue() {
        return queue;
    }

    @Override
    public void close() {
        for (JournalReader reader : readers) {
            reader.closeFromOwner();
        }
        readers.clear();
        JournalWriter w = writer;
        if (w != null) {
            w.closeFromOwner();
        }
        queue.close();
    }
}
