/**
 * Memory-mapped snapshots of entity states, derived from the journal:
 * {@link dev.hindsight.engine.internal.snapshot.SnapshotStore} keeps per entity a ladder of encoded
 * states (every N-th version plus the newest) in append-only segment files
 * ({@link dev.hindsight.engine.internal.snapshot.SnapshotFormat}), and answers "newest snapshot at or
 * before version V / timestamp T" with a hash lookup and a binary search over an in-memory ladder,
 * returning a {@link dev.hindsight.engine.internal.snapshot.SnapshotView} flyweight over the mapped
 * record. One writer thread, lock-free readers. Independent of the resource layer: states are opaque
 * bytes with a schema fingerprint.
 */
package dev.hindsight.engine.internal.snapshot;
