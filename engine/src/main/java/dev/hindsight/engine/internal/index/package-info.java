/**
 * Where each entity's events are. Two layers with one writer each:
 * <ul>
 *   <li>{@link dev.hindsight.engine.internal.index.HotIndex}: entity -> head version, on-heap
 *       (Agrona primitive maps), written and read only by the sequencer thread. It decides
 *       expected-version checks in about 100 ns.</li>
 *   <li>{@link dev.hindsight.engine.internal.index.EntityIndex}: entity -> head version and, per
 *       version, the journal excerpt and timestamp. Persisted in Chronicle Map for a writing store
 *       ({@link dev.hindsight.engine.internal.index.PersistentEntityIndex}), on-heap for a read-only
 *       one ({@link dev.hindsight.engine.internal.index.HeapEntityIndex}). Written only by the
 *       indexer thread ({@link dev.hindsight.engine.internal.index.IndexFollower}), which follows
 *       the journal: off the append's critical path, and the same code that rebuilds it.</li>
 * </ul>
 * Both are derived from the journal and rebuilt from it when missing or suspect.
 */
package dev.hindsight.engine.internal.index;
