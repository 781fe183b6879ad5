package dev.hindsight.engine.internal.snapshot;

/**
 * A snapshot store's counters at one moment. Immutable. Exact when taken on the writer thread;
 * from another thread the byte counts may lag the writer's last few puts.
 *
 * @param entities          entities with at least one snapshot
 * @param snapshots         snapshots held (rungs and newest ones), over all entities
 * @param segments          segment files in use
 * @param fileBytes         bytes of those files (their preallocated capacity)
 * @param liveBytes         bytes of the records the ladders reference, padding included
 * @param skippedRecords    records found at open but not used: corrupt, torn, beyond the journal, or
 *                          inconsistent with the entity's other snapshots
 * @param discardedSegments segment files found at open and not used: damaged headers, another
 *                          store's, unreadable
 * @param retiredSegments   segments emptied by compaction and deleted since open
 * @param corruptReads      reads that found a record damaged since open (each was skipped)
 */
public record SnapshotStats(long entities, long snapshots, int segments, long fileBytes, long liveBytes,
                            long skippedRecords, long discardedSegments, long retiredSegments, long corruptReads) {
}
