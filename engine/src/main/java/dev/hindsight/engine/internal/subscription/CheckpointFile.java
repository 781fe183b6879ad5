package dev.hindsight.engine.internal.subscription;

import dev.hindsight.codec.CorruptFrameException;
import dev.hindsight.engine.internal.BinaryFiles;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * A durable subscription's checkpoint, {@code <name>.ckpt} in the subscription directory: the next
 * position it delivers. Written by atomic replace (temporary file, fsync, rename, fsync of the
 * directory), so a crash leaves the old or the new checkpoint, never a mix. Immutable, thread-safe.
 *
 * <pre>
 * offset size field (little-endian)
 *  0     8    magic "HSSUBCK\0"
 *  8     2    format version (1)
 * 10     2    name length N (1..64)
 * 12     4    reserved, 0
 * 16     8    store id: the store marker's creation time, epoch ms
 * 24     8    position: the next global position to deliver (every event before it was
 *             handled, parked or filtered out)
 * 32     8    written at, epoch ms
 * 40     N    subscription name, UTF-8
 * 40+N   4    CRC32C of bytes [0, 40+N)
 * </pre>
 *
 * @param name     the subscription's name
 * @param storeId  the store's id
 * @param position the next position to deliver
 * @param writtenAtMillis when it was written
 */
public record CheckpointFile(String name, long storeId, long position, long writtenAtMillis) {
    /** The format version this code writes and reads. */
    public static final int FORMAT_VERSION = 1;
    static final int HEADER = 40;
    private static final long MAGIC = BinaryFiles.magic("HSSUBCK\0");

    /**
     * @param file the checkpoint file
     * @return its content
     * @throws CorruptFrameException naming the file and byte position of the first problem
     * @throws IOException           if it cannot be read
     */
    public static CheckpointFile read(Path file) throws IOException {
        ByteBuffer buf = BinaryFiles.readChecked(file, "subscription checkpoint", MAGIC, HEADER + 1 + 4,
                HEADER + SubscriptionNames.MAX_BYTES + 4);
        String src = file.toString();
        int version = Short.toUnsignedInt(buf.getShort(8));
        if (version != FORMAT_VERSION) {
            throw new CorruptFrameException(src, 8, "unsupported subscription checkpoint format version " + version
                    + " (this Hindsight reads version " + FORMAT_VERSION + ")");
        }
        int n = Short.toUnsignedInt(buf.getShort(10));
        if (n < 1 || n > SubscriptionNames.MAX_BYTES || HEADER + n + 4 != buf.capacity()) {
            throw new CorruptFrameException(src, 10, "name length " + n + " does not fit a " + buf.capacity() + "-byte checkpoint");
        }
        if (buf.getInt(12) != 0) {
            throw new CorruptFrameException(src, 12, "reserved bytes are not 0");
        }
        long position = buf.getLong(24);
        if (position < 0) {
            throw new CorruptFrameException(src, 24, "negative position " + position);
        }
        String name = SubscriptionNames.decode(buf.array(), HEADER, n, src);
        return new CheckpointFile(name, buf.getLong(16), position, buf.getLong(32));
    }

    /**
     * Writes this checkpoint atomically.
     *
     * @param file the checkpoint file
     * @throws IOException if it cannot be written
     */
    public void write(Path file) throws IOException {
        byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
        ByteBuffer buf = ByteBuffer.allocate(HEADER + nameBytes.length + 4).order(ByteOrder.LITTLE_ENDIAN);
        buf.putLong(0, MAGIC);
        buf.putShort(8, (short) FORMAT_VERSION);
        buf.putShort(10, (short) nameBytes.length);
        buf.putLong(16, storeId);
        buf.putLong(24, position);
        buf.putLong(32, writtenAtMillis);
        buf.position(HEADER);
        buf.put(nameBytes);
        byte[] bytes = buf.array();
        buf.putInt(HEADER + nameBytes.length, BinaryFiles.crc32c(bytes, 0, HEADER + nameBytes.length));
        BinaryFiles.writeAtomically(file, bytes);
    }
}
