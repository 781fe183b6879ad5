package dev.hindsight.engine.internal;

import dev.hindsight.codec.CorruptFrameException;
import dev.hindsight.engine.JournalRollCycle;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;

/**
 * The store marker file {@code hindsight.store}: says a directory is a Hindsight store, which
 * store format it has and which journal roll cycle it was created with. Written once, atomically,
 * when a store is created. Immutable, thread-safe.
 *
 * <pre>
 * offset size field (little-endian)
 *  0     8    magic "HSSTORE\0"
 *  8     2    store format version (1)
 * 10     2    roll cycle (JournalRollCycle ordinal)
 * 12     4    reserved, 0
 * 16     8    created, epoch milliseconds
 * 24     4    CRC32C of bytes [0, 24)
 * </pre>
 *
 * @param formatVersion the store format version
 * @param rollCycle     the journal roll cycle
 * @param createdMillis when the store was created
 */
public record StoreMarker(int formatVersion, JournalRollCycle rollCycle, long createdMillis) {
    /** The store format this code writes and reads. */
    public static final int FORMAT_VERSION = 1;
    static final int LENGTH = 28;
    private static final long MAGIC = BinaryFiles.magic("HSSTORE\0");

    /**
     * @param file the marker file
     * @return the marker
     * @throws CorruptFrameException naming the file and position if it is not a valid marker
     * @throws IOException           if it cannot be read
     */
    public static StoreMarker read(Path file) throws IOException {
        ByteBuffer buf = BinaryFiles.readChecked(file, "Hindsight store marker", MAGIC, LENGTH, LENGTH);
        String name = file.toString();
        int version = Short.toUnsignedInt(buf.getShort(8));
        if (version != FORMAT_VERSION) {
            throw new CorruptFrameException(name, 8, "unsupported store format version " + version
                    + " (this Hindsight reads version " + FORMAT_VERSION + ")");
        }
        int cycle = Short.toUnsignedInt(buf.getShort(10));
        JournalRollCycle[] cycles = JournalRollCycle.values();
        if (cycle >= cycles.length) {
            throw new CorruptFrameException(name, 10, "unknown roll cycle " + cycle);
        }
        return new StoreMarker(version, cycles[cycle], buf.getLong(16));
    }

    /**
     * @param file where to write, atomically
     * @throws IOException if it cannot be written
     */
    public void write(Path file) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(LENGTH).order(ByteOrder.LITTLE_ENDIAN);
        buf.putLong(0, MAGIC).putShort(8, (short) formatVersion).putShort(10, (short) rollCycle.ordinal())
                .putInt(12, 0).putLong(16, createdMillis);
        buf.putInt(24, BinaryFiles.crc32c(buf.array(), 0, 24));
        BinaryFiles.writeAtomically(file, buf.array());
    }
}
