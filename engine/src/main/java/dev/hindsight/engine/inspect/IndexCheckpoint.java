package dev.hindsight.engine.inspect;

/**
 * The persisted entity index's checkpoint ({@code index/index.state}, layout in docs/format.md). Immutable,
 * thread-safe.
 *
 * @param clean              true after a clean close (the maps were forced to disk first); a writing store
 *                           marks it dirty when it opens, so dirty means "a writer has the store open, or
 *                           did not close it"
 * @param nextPosition       events {@code [0, nextPosition)} are in the index
 * @param lastExcerptIndex   the Chronicle index of the last excerpt indexed, -1 if none
 * @param lastTimestampNanos the last indexed event's timestamp, epoch ns
 * @param entityCount        entities indexed
 */
public record IndexCheckpoint(boolean clean, long nextPosition, long lastExcerptIndex, long lastTimestampNanos,
                              long entityCount) {
}
