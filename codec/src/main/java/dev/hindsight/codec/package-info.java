/**
 * The Hindsight codec: the binary frame format ({@link dev.hindsight.codec.FrameFormat},
 * {@link dev.hindsight.codec.FrameWriter}, {@link dev.hindsight.codec.FrameReader}), event metadata, the schema
 * catalog and its file, and the Kryo-based event payload codec ({@link dev.hindsight.codec.EventCodec}).
 * Every public type states whether it is thread-safe. Bytes from storage are treated as hostile: any
 * inconsistency is reported as a {@link dev.hindsight.codec.CorruptFrameException} naming the source and
 * position.
 */
package dev.hindsight.codec;
