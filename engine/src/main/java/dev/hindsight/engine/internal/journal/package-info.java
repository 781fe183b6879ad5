/**
 * The journal: a Chronicle Queue whose every excerpt is one atomic append, one or more event frames
 * of one entity back to back (the codec's frame format, each with its CRC32C). The journal is the
 * store's truth; everything else is derived from it.
 *
 * <pre>
 * cycle file (.cq4), byte offsets from its start
 *        excerpt address a (Chronicle's read/write position of the excerpt's data)
 *        v
 * | hdr | frame (version v)  | frame (version v+1)| ... | hdr | ...
 *       ^ a                  ^ a + length of the first frame
 *         each version's address: the first byte of its own frame
 * </pre>
 *
 * Only the sequencer thread writes ({@link dev.hindsight.engine.internal.journal.JournalWriter}
 * asserts it). Readers either follow the journal in order with a Chronicle tailer
 * ({@link dev.hindsight.engine.internal.journal.JournalReader}, one per thread: recovery, the
 * read-only follower, {@code readAll}) or copy a frame at a known address out of a read-only
 * mapping of its cycle file ({@link dev.hindsight.engine.internal.journal.FrameFiles},
 * {@link dev.hindsight.engine.internal.journal.FrameFetcher}: per-entity reads).
 */
package dev.hindsight.engine.internal.journal;
