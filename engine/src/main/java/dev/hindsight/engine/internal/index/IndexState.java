package dev.hindsight.engine.internal.index;

import dev.hindsight.codec.CorruptFrameException;
import dev.hindsight.engine.internal.BinaryFiles;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The indexer's checkpoint and the clean-shutdown flag, in {@code index/index.state}. A writing
 * store marks it dirty on open; a clean close forces the index maps to disk and then writes it
 * clean with how far the index got. On open, anything but a clean, readable state of the current
 * {@linkplain #FORMAT_VERSION format} whose checkpoint lies inside the journal means the persisted
 * index is rebuilt from the journal. Immutable.
 *
 * <p>The format version is that of the whole index directory: this file, {@code heads.cm} and
 * {@code blocks.cm} (see {@link PersistedBlocks}). Version 1 had blocks of (excerpt index,
 * timestamp) pairs; version 2 adds each version's frame address. A state of another version makes
 * {@link #read} throw {@link OtherFormatException}, and the index is rebuilt.
 *
 * <pre>
 * offset size field (little-endian)
 *  0     8    magic "HSIDXST\0"
 *  8     2    index format version (2)
 * 10     1    clean: 1 if the index was flushed and closed cleanly, else 0
 * 11     1    reserved, 0
 * 12     4    reserved, 0
 * 16     8    next position: events [0, next) are indexed
 * 24     8    Chronicle index of the last excerpt indexed, -1 if none
 * 32     8    timestamp of the last event indexed, epoch ns
 * 40     8    entity count
 * 48     4    CRC32C of bytes [0, 48)
 * </pre>
 *
 * @param clean             whether the index was closed cleanly
 * @param nextPosition      events before this position are indexed
 * @param lastExcerptIndex  the last excerpt indexed, -1 if none
 * @param lastTimestampNanos the last event's timestamp
 * @param entityCount       entities indexed
 */
public record IndexState(boolean clean, long nextPosition, long lastExcerptIndex, long lastTimestampNanos, long entityCount) {
    static final int LENGTH = 52;
    /** The index format this code writes and trusts: 2, blocks of (excerpt index, frame address, timestamp). */
    public static final int FORMAT_VERSION = 2;
    private static final long MAGIC = BinaryFiles.magic("HSIDXST\0");

    /** An intact index state of another index format version: the index must be rebuilt. Not shared across threads. */
    public static final class OtherFormatException extends IOException {
        private static final long serialVersionUID = 1L;
        private final int version;
        private final boolean clean;

        OtherFormatException(Path file, int version, boolean clean) {
            super("index format version " + version + " in " + file + " (this version of Hindsight reads format "
                    + FORMAT_VERSION + ")");
            this.version = version;
            this.clean = clean;
        }

        /** @return the version found */
        public int version() {
            return version;
        }

        /** @return whether that index was closed cleanly */
        public boolean clean() {
            return clean;
        }
    }

    /** The state of an index that has seen nothing. */
    public static final IndexState EMPTY = new IndexState(false, 0, -1, 0, 0);

    /**
     * @param file the state file
     * @return the state, or null if the file is missing
     * @throws CorruptFrameException naming file and position if it is damaged
     * @throws OtherFormatException  if it is intact but of another index format version
     * @throws IOException           if it cannot be read
     */
    public static IndexState read(Path file) throws IOException {
        if (!Files.exists(file)) {
            return null;
        }
        ByteBuffer buf = BinaryFiles.readChecked(file, "index state", MAGIC, LENGTH, LENGTH);
        int version = Short.toUnsignedInt(buf.getShort(8));
        if (version != FORMAT_VERSION) {
            throw new OtherFormatException(file, version, buf.get(10) == 1);
        }
        return new IndexState(buf.get(10) == 1, buf.getLong(16), buf.getLong(24), buf.getLong(32), buf.getLong(40));
    }

    /**
     * @param file where to write it, atomically and durably
     * @throws IOException if it cannot be written
     */
    public void write(Path file) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(LENGTH).order(ByteOrder.LITTLE_ENDIAN);
        buf.putLong(0, MAGIC).putShort(8, (short) FORMAT_VERSION).put(10, (byte) (clean ? 1 : 0))
                .putLong(16, nextPosition).putLong(24, lastExcerptIndex).putLong(32, lastTimestampNanos)
                .putLong(40, entityCount);
        buf.putInt(48, BinaryFiles.crc32c(buf.array(), 0, 48));
        BinaryFiles.writeAtomically(file, buf.array());
    }

    /**
     * @param knownEntities entities the index is known to have held, so a rebuild after a crash can
     *                      size the new index for them
     * @return this state marked dirty
     */
    public IndexState dirtyWith(long knownEntities) {
        return new IndexState(false, nextPosition, lastExcerptIndex, lastTimestampNanos, Math.max(entityCount, knownEntities));
    }
}
