/**
 * Hindsight's public face: {@link dev.hindsight.engine.EventStore} opened through
 * {@link dev.hindsight.engine.EventStoreBuilder}, the values it returns and the exceptions a caller
 * catches. Everything under {@code dev.hindsight.engine.internal} is implementation and may change.
 *
 * <p>Threading in one sentence: any thread may append and read; one sequencer thread owned by the
 * store assigns positions, versions and timestamps and alone writes the journal and the hot index;
 * one indexer thread alone writes the persisted entity index.
 */
package dev.hindsight.engine;
