/**
 * The store's implementation: {@link dev.hindsight.engine.internal.DefaultEventStore} wires the
 * journal, the sequencer and the entity index together, and owns the store directory's layout and
 * lock. Not API: anything here may change.
 */
package dev.hindsight.engine.internal;
