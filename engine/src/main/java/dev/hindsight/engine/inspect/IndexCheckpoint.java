package dev.hindsight.engine.inspect;

/**
 * The persisted entity index's checkpoint ({@code index/index.state}, layout in docs/format.md). Immutable,
 * thread-safe.
 *
 * @param formatVersion      the index format version ({@link #CURRENT_FORMAT}; another one means an index written by
 *                           another version of Hindsight, which the next writer open rebuilds: the other fields
 *                           are then 0 or -1)
 * @param clean              true after a clean close (the maps were forced to disk first); a writing store
 *                           marks it dirty when it opens, so dirty means "a writer has the store open, or
 *                           did not close it"
 * @param nextPosition       events {@code [0, nextPosition)} are in the index
 * @param lastExcerptIndex   the Chronicle index of the last excerpt indexed, -1 if none
 * @param lastTimestampNanos the last indexed event's timestamp, epoch ns
 * @param entityCount        entities indexed
 */
public record IndexCheckpoint(int formatVersion, boolean clean, long nextPosition, long lastExcerptIndex, long lastTimestampNanos,
                              long entityCount) {
    /** The index format this version of Hindsight writes and reads. */
    public static final int CURRENT_FORMAT = dev.hindsight.engine.internal.index.IndexState.FORMAT_VERSION;
}
