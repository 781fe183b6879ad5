/**
 * The journal: a Chronicle Queue whose every excerpt is one atomic append, one or more event frames
 * of one entity back to back (the codec's frame format, each with its CRC32C). The journal is the
 * store's truth; everything else is derived from it.
 *
 * <pre>
 * Chronicle excerpt (one append)
 * +--------------------+--------------------+-----+
 * | frame (version v)  | frame (version v+1)| ... |   frames of one entity, contiguous versions
 * +--------------------+--------------------+-----+   and contiguous global positions
 * </pre>
 *
 * Only the sequencer thread writes ({@link dev.hindsight.engine.internal.journal.JournalWriter}
 * asserts it); readers are per thread ({@link dev.hindsight.engine.internal.journal.JournalReader}).
 */
package dev.hindsight.engine.internal.journal;
