package dev.hindsight.engine.inspect;

import dev.hindsight.engine.internal.journal.ChronicleIndexProbe;

import java.nio.file.Path;

/**
 * Chronicle Queue's own view of a journal, read-only, for checking that the metadata Chronicle keeps beside the
 * excerpts (each cycle file's header and index pages, the {@code metadata.cq4t} table) leads to the excerpts the
 * raw scan found: the engine finds an entity's events through Chronicle's index, so damage there breaks reads.
 * Open it only on a journal whose raw scan found no damage (Chronicle memory-maps the files and a damaged header
 * can send it past their end); expect any failure to open or read to be damage. Not thread-safe.
 */
public final class ChronicleIndexCheck implements AutoCloseable {
    private final ChronicleIndexProbe probe;

    private ChronicleIndexCheck(ChronicleIndexProbe probe) {
        this.probe = probe;
    }

    /**
     * @param store the store
     * @return the check, with the queue open read-only
     */
    public static ChronicleIndexCheck open(StoreInspector store) {
        return new ChronicleIndexCheck(new ChronicleIndexProbe(store.journalDirectory(), store.rollCycle(), StoreInspector.MAX_EXCERPT_BYTES));
    }

    /**
     * Without opening the queue: the index spacing the engine's journals use (Chronicle's default for the roll
     * cycle; 256 for the daily cycle). Chronicle's index pages hold the position of each excerpt whose
     * sequence in its cycle is a multiple of it; a scan keeps those excerpts' places to {@link #locate} afterwards.
     *
     * @param store the store
     * @return the spacing
     */
    public static int defaultIndexSpacing(StoreInspector store) {
        return ChronicleIndexProbe.indexSpacing(store.rollCycle());
    }

    /**
     * @param store        the store
     * @param excerptIndex a Chronicle index
     * @return its sequence number within its cycle
     */
    public static long sequenceOf(StoreInspector store, long excerptIndex) {
        return ChronicleIndexProbe.sequenceOf(store.rollCycle(), excerptIndex);
    }

    /**
     * @param excerptIndex a Chronicle index
     * @return true if Chronicle's index pages record it directly (one excerpt in every index spacing): checking
     *     those checks every index entry
     */
    public boolean indexed(long excerptIndex) {
        return probe.indexed(excerptIndex);
    }

    /**
     * @param excerptIndex a Chronicle index the raw scan found
     * @param file         its file
     * @param dataPosition the byte offset of its data in that file
     * @return null if Chronicle finds it at the same place, else what Chronicle found instead
     */
    public String locate(long excerptIndex, Path file, long dataPosition) {
        return probe.locate(excerptIndex, file, dataPosition);
    }

    /** @return the last excerpt index Chronicle reports, -1 if none */
    public long lastIndex() {
        return probe.lastIndex();
    }

    @Override
    public void close() {
        probe.close();
    }
}
