/**
 * Where each entity's events are, derived from the journal and rebuilt from it when missing or
 * suspect.
 * <ul>
 *   <li>{@link dev.hindsight.engine.internal.index.LiveIndex}: entity -> head version and, per
 *       version, its location: the Chronicle index of its excerpt, the byte address of its own
 *       frame in that excerpt's cycle file, and its timestamp. Written by one thread (the
 *       sequencer; before it, the recovering thread; in a read-only store, the indexer thread),
 *       read by any. Each entity keeps its newest block of 32 locations on-heap.</li>
 *   <li>{@link dev.hindsight.engine.internal.index.PersistedBlocks}: completed blocks (and, at a
 *       clean close, heads and partial blocks) in Chronicle Map, format 2 of the index (see
 *       {@link dev.hindsight.engine.internal.index.IndexState}).</li>
 *   <li>{@link dev.hindsight.engine.internal.index.IndexFollower}: follows the journal and records
 *       every append; recovery, rebuilds and read-only stores use it.</li>
 *   <li>{@link dev.hindsight.engine.internal.index.Locations}: a reader's reusable buffer of located
 *       versions.</li>
 * </ul>
 */
package dev.hindsight.engine.internal.index;
