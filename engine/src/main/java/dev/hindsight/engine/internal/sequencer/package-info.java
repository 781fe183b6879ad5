/**
 * The single writer. Producers on any thread encode their events into their own
 * {@link dev.hindsight.engine.internal.sequencer.AppendRequest} (one per producer thread, reused)
 * and hand it to the {@link dev.hindsight.engine.internal.sequencer.Sequencer} through a
 * many-to-one queue; the sequencer thread checks the expected version against the hot index,
 * stamps position, version and timestamp, seals each frame's CRC, appends one excerpt, and
 * acknowledges. Nothing else writes the journal or the hot index.
 */
package dev.hindsight.engine.internal.sequencer;
