package dev.hindsight.engine.internal.subscription;

import dev.hindsight.codec.CorruptFrameException;
import dev.hindsight.engine.internal.BinaryFiles;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * A read model's checkpoint and clean-close flag, {@code readmodel.state} in its directory. Written
 * by atomic replace; written dirty as soon as the model is opened, so a crash always leaves it dirty.
 * Immutable, thread-safe.
 *
 * <pre>
 * offset size field (little-endian)
 *  0     8    magic "HSRMSTA\0"
 *  8     2    format version (1)
 * 10     1    clean: 1 after a clean close (the map forced to disk first), else 0
 * 11     1    reserved, 0
 * 12     2    subscription name length N (0 while not bound to a subscription, else 1..64)
 * 14     2    reserved, 0
 * 16     8    store id (the store marker's creation time, epoch ms); 0 while not bound
 * 24     8    origin: the position the model was first built from (-1 while not bound)
 * 32     8    checkpoint: every event in [origin, checkpoint) is applied (but parked ones); -1 if none
 * 40     N    subscription name, UTF-8
 * 40+N   4    CRC32C of bytes [0, 40+N)
 * </pre>
 *
 * @param clean        true after a clean close
 * @param subscription the subscription it is bound to, or "" if none yet
 * @param storeId      the store it was built from, 0 if none yet
 * @param origin       the first position it was built from, -1 if none yet
 * @param checkpoint   the next position to apply, -1 if none yet
 */
public record ReadModelState(boolean clean, String subscription, long storeId, long origin, long checkpoint) {
    /** The format version this code writes and reads. */
    public static final int FORMAT_VERSION = 1;
    /** A model never bound to a subscription. */
    public static final ReadModelState NEW = new ReadModelState(true, "", 0, -1, -1);
    static final int HEADER = 40;
    private static final long MAGIC = BinaryFiles.magic("HSRMSTA\0");

    /** @return true if the model has been bound to a subscription */
    public boolean bound() {
        return !subscription.isEmpty();
    }

    /**
     * @param file the state file
     * @return its content
     * @throws CorruptFrameException naming the file and byte position of the first problem
     * @throws IOException           if it cannot be read
     */
    public static ReadModelState read(Path file) throws IOException {
        ByteBuffer buf = BinaryFiles.readChecked(file, "read model state", MAGIC, HEADER + 4,
                HEADER + SubscriptionNames.MAX_BYTES + 4);
        String src = file.toString();
        int version = Short.toUnsignedInt(buf.getShort(8));
        if (version != FORMAT_VERSION) {
            throw new CorruptFrameException(src, 8, "unsupported read model state format version " + version
                    + " (this Hindsight reads version " + FORMAT_VERSION + ")");
        }
        int clean = buf.get(10);
        if (clean != 0 && clean != 1) {
            throw new CorruptFrameException(src, 10, "clean flag is " + clean + ", not 0 or 1");
        }
        if (buf.get(11) != 0 || buf.getShort(14) != 0) {
            throw new CorruptFrameException(src, 11, "reserved bytes are not 0");
        }
        int n = Short.toUnsignedInt(buf.getShort(12));
        if (n > SubscriptionNames.MAX_BYTES || HEADER + n + 4 != buf.capacity()) {
            throw new CorruptFrameException(src, 12, "name length " + n + " does not fit a " + buf.capacity() + "-byte file");
        }
        long origin = buf.getLong(24);
        long checkpoint = buf.getLong(32);
        if (origin < -1 || checkpoint < -1 || (checkpoint >= 0 && checkpoint < origin) || (n == 0) != (origin == -1)) {
            throw new CorruptFrameException(src, 24, "origin " + origin + " and checkpoint " + checkpoint
                    + " are inconsistent (name length " + n + ")");
        }
        String name = n == 0 ? "" : SubscriptionNames.decode(buf.array(), HEADER, n, src);
        return new ReadModelState(clean == 1, name, buf.getLong(16), origin, checkpoint);
    }

    /**
     * Writes this state atomically.
     *
     * @param file the state file
     * @throws IOException if it cannot be written
     */
    public void write(Path file) throws IOException {
        byte[] name = subscription.getBytes(StandardCharsets.UTF_8);
        ByteBuffer buf = ByteBuffer.allocate(HEADER + name.length + 4).order(ByteOrder.LITTLE_ENDIAN);
        buf.putLong(0, MAGIC);
        buf.putShort(8, (short) FORMAT_VERSION);
        buf.put(10, (byte) (clean ? 1 : 0));
        buf.putShort(12, (short) name.length);
        buf.putLong(16, storeId);
        buf.putLong(24, origin);
        buf.putLong(32, checkpoint);
        buf.position(HEADER);
        buf.put(name);
        byte[] bytes = buf.array();
        buf.putInt(HEADER + name.length, BinaryFiles.crc32c(bytes, 0, HEADER + name.length));
        BinaryFiles.writeAtomically(file, bytes);
    }

    ReadModelState withClean(boolean c) {
        return new ReadModelState(c, subscription, storeId, origin, checkpoint);
    }

    ReadModelState withCheckpoint(long c) {
        return new ReadModelState(clean, subscription, storeId, origin, c);
    }
}
