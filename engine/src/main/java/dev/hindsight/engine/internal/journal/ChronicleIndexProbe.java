package dev.hindsight.engine.internal.journal;

import dev.hindsight.engine.Durability;
import dev.hindsight.engine.JournalRollCycle;
import net.openhft.chronicle.queue.RollCycle;

import java.nio.file.Path;

/**
 * Asks Chronicle Queue itself, through a read-only queue, where it finds excerpts by index, so that damage in
 * Chronicle's own metadata (file headers, index pages, the metadata table), which the raw reader skips, is found
 * before the engine trips over it. Only for a journal the raw reader found whole: Chronicle maps the files and
 * faults on bytes a damaged header points beyond. Not thread-safe.
 */
public final class ChronicleIndexProbe implements AutoCloseable {
    private final Journal journal;
    private final JournalReader reader;
    private final RollCycle rollCycle;
    private final long spacingMask;

    /**
     * @param journalDirectory the journal
     * @param rollCycle        the store's roll cycle
     * @param maxExcerptBytes  the largest excerpt accepted
     */
    public ChronicleIndexProbe(Path journalDirectory, JournalRollCycle rollCycle, int maxExcerptBytes) {
        this.journal = Journal.open(journalDirectory, rollCycle, true, Durability.PROCESS_CRASH, JournalCuts.none(), maxExcerptBytes);
        try {
            this.reader = journal.createReader();
        } catch (RuntimeException | Error e) {
            journal.close();
            throw e;
        }
        this.rollCycle = Journal.chronicleCycle(rollCycle);
        int spacing = Integer.highestOneBit(Math.max(1, journal.queue().indexSpacing()));
        this.spacingMask = spacing - 1L;
    }

    /**
     * @param rollCycle a store's roll cycle
     * @return Chronicle's index spacing for it (the journal uses Chronicle's default): one excerpt in this many
     *     has its position in the index pages
     */
    public static int indexSpacing(JournalRollCycle rollCycle) {
        return Journal.chronicleCycle(rollCycle).defaultIndexSpacing();
    }

    /**
     * @param rollCycle    a store's roll cycle
     * @param excerptIndex a Chronicle index
     * @return its sequence number within its cycle
     */
    public static long sequenceOf(JournalRollCycle rollCycle, long excerptIndex) {
        return Journal.chronicleCycle(rollCycle).toSequenceNumber(excerptIndex);
    }

    /**
     * @param excerptIndex a Chronicle index
     * @return true if Chronicle's index pages hold its position (its sequence is a multiple of the index spacing)
     */
    public boolean indexed(long excerptIndex) {
        return (rollCycle.toSequenceNumber(excerptIndex) & spacingMask) == 0;
    }

    /**
     * @param excerptIndex a Chronicle index
     * @param file         the file where the raw reader found it
     * @param dataPosition the byte offset of its data there
     * @return null if Chronicle finds it at the same place, else what Chronicle says
     */
    public String locate(long excerptIndex, Path file, long dataPosition) {
        if (!reader.moveTo(excerptIndex)) {
            return "Chronicle's index does not find excerpt 0x" + Long.toHexString(excerptIndex);
        }
        if (!reader.next()) {
            return "Chronicle finds no complete excerpt 0x" + Long.toHexString(excerptIndex);
        }
        Path found = Path.of(reader.fileName()).toAbsolutePath().normalize();
        if (reader.excerptIndex() != excerptIndex || !found.equals(file.toAbsolutePath().normalize()) || reader.filePosition() != dataPosition) {
            return "Chronicle's index leads to excerpt 0x" + Long.toHexString(reader.excerptIndex()) + " at byte " + reader.filePosition()
                    + " of " + found.getFileName() + " for excerpt 0x" + Long.toHexString(excerptIndex);
        }
        return null;
    }

    /** @return Chronicle's last index, -1 if it finds none */
    public long lastIndex() {
        return journal.lastExcerptIndex();
    }

    @Override
    public void close() {
        journal.close();
    }
}
