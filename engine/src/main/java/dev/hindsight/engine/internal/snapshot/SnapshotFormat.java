package dev.hindsight.engine.internal.snapshot;

import dev.hindsight.engine.internal.BinaryFiles;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteOrder;

/**
 * The on-disk layout of snapshot segment files ({@code snapshots/<16 hex digits>.snap}). Stateless,
 * thread-safe. All integers are little-endian.
 *
 * <p>A segment is a preallocated file of fixed capacity, memory-mapped whole: a 64-byte header, then
 * records back to back, each starting at a multiple of 8. The rest of the file is zero; a record
 * length of 0 marks the end of the data.
 *
 * <pre>
 * segment header (64 bytes)
 * offset size field
 *  0     8    magic "HSSNAPS\0"
 *  8     2    format version (1)
 * 10     2    header length (64)
 * 12     4    capacity: the file's length in bytes
 * 16     8    segment sequence number (also the file name, 16 hex digits)
 * 24     8    store id: the store marker's creation time; segments of another store are discarded
 * 32     8    created, epoch milliseconds
 * 40     4    max record bytes of the writer that created it (bounds the zeroing of a torn tail)
 * 44    16    reserved, 0
 * 60     4    CRC32C of bytes [0, 60)
 *
 * snapshot record (at a multiple of 8, from offset 64)
 * offset size field
 *  0     4    recordLength L  int32 = 52 + R + E + S; written last, with release semantics
 *  4     1    kind            uint8, 1 = snapshot
 *  5     1    flags           uint8, 0
 *  6     2    reserved        0
 *  8     2    R               uint16, resource type bytes (1..64)
 * 10     2    E               uint16, entity id bytes (1..256)
 * 12     4    S               int32, state bytes (0..capacity)
 * 16     8    version         int64 &gt;= 1: the entity version the state includes
 * 24     8    globalPosition  int64 &gt;= version - 1: the position of that version's event
 * 32     8    timestamp       int64, epoch ns: the sequencer timestamp of that event
 * 40     8    fingerprint     int64, the state schema's fingerprint
 * 48     R    resource type   UTF-8
 * 48+R   E    entity id       UTF-8
 * 48+R+E S    state           the encoded state, opaque to the store
 * L-4    4    CRC32C over bytes [4, L-4)
 * then zero padding to the next multiple of 8
 * </pre>
 *
 * <p>The length is not covered by the CRC but must equal {@code 52 + R + E + S}, which is.
 */
public final class SnapshotFormat {
    /** "HSSNAPS\0" as a little-endian long. */
    static final long MAGIC = BinaryFiles.magic("HSSNAPS\0");
    /** The segment format version this code writes and reads. */
    public static final int FORMAT_VERSION = 1;
    /** Segment header bytes; the first record starts here. */
    public static final int HEADER_BYTES = 64;
    static final int HEADER_CRC_OFFSET = 60;

    static final int H_VERSION = 8;
    static final int H_HEADER_LENGTH = 10;
    static final int H_CAPACITY = 12;
    static final int H_SEQUENCE = 16;
    static final int H_STORE_ID = 24;
    static final int H_CREATED = 32;
    static final int H_MAX_RECORD = 40;

    static final int R_LENGTH = 0;
    static final int R_KIND = 4;
    static final int R_FLAGS = 5;
    static final int R_RESERVED = 6;
    static final int R_TYPE_LEN = 8;
    static final int R_ID_LEN = 10;
    static final int R_STATE_LEN = 12;
    static final int R_VERSION = 16;
    static final int R_POSITION = 24;
    static final int R_TIMESTAMP = 32;
    static final int R_FINGERPRINT = 40;
    /** Fixed bytes of a record before the key. */
    public static final int RECORD_FIXED = 48;
    /** Fixed bytes of a record: header and CRC. */
    public static final int RECORD_OVERHEAD = RECORD_FIXED + 4;
    static final byte KIND_SNAPSHOT = 1;

    /** Longest resource type, in UTF-8 bytes (as in event frames). */
    public static final int MAX_TYPE_BYTES = 64;
    /** Longest entity id, in UTF-8 bytes (as in event frames). */
    public static final int MAX_ID_BYTES = 256;
    /** Shortest possible record: one-byte type and id, empty state. */
    static final int MIN_RECORD = RECORD_OVERHEAD + 2;

    static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
    private static final boolean NATIVE_LE = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;

    // validation outcomes of checkRecord (negative: the record is not valid)
    static final int END = 0;
    static final int BAD_LENGTH = -1;
    static final int BAD_KIND = -2;
    static final int BAD_KEY_LENGTHS = -3;
    static final int BAD_STATE_LENGTH = -4;
    static final int LENGTH_MISMATCH = -5;
    static final int BAD_VERSION = -6;
    static final int BAD_CRC = -7;

    private SnapshotFormat() {
    }

    /**
     * @param typeBytes  UTF-8 bytes of the resource type
     * @param idBytes    UTF-8 bytes of the entity id
     * @param stateBytes bytes of the state
     * @return the record's length L (without padding)
     */
    public static int recordLength(int typeBytes, int idBytes, int stateBytes) {
        return RECORD_OVERHEAD + typeBytes + idBytes + stateBytes;
    }

    /**
     * @param length a record length
     * @return the bytes it occupies in a segment, padding included
     */
    static int aligned(int length) {
        return (length + 7) & ~7;
    }

    /**
     * Checks the structure of the record at {@code offset} without allocating: its length, fixed
     * fields and bounds (not its CRC: see {@link RecordCopy}).
     *
     * @param buf       the segment
     * @param offset    where the record starts (a multiple of 8)
     * @param limit     the end of the readable data
     * @param maxLength the longest record accepted (bounds the memory a reader copies it into)
     * @return the record length (&gt; 0) if it is well-formed, {@link #END} if there is no record
     *         (length 0, or no room for one), or a negative code naming the fault (see {@link #describe})
     */
    static int checkRecord(UnsafeBuffer buf, int offset, int limit, int maxLength) {
        if (limit - offset < MIN_RECORD) {
            return END;
        }
        int length = littleEndian(buf.getIntVolatile(offset + R_LENGTH)); // the writer stores the length last (release)
        if (length == 0) {
            return END;
        }
        if (length < MIN_RECORD || length > limit - offset || length > maxLength) {
            return BAD_LENGTH;
        }
        if (buf.getByte(offset + R_KIND) != KIND_SNAPSHOT || buf.getByte(offset + R_FLAGS) != 0
                || buf.getShort(offset + R_RESERVED, LE) != 0) {
            return BAD_KIND;
        }
        int r = Short.toUnsignedInt(buf.getShort(offset + R_TYPE_LEN, LE));
        int e = Short.toUnsignedInt(buf.getShort(offset + R_ID_LEN, LE));
        if (r < 1 || r > MAX_TYPE_BYTES || e < 1 || e > MAX_ID_BYTES) {
            return BAD_KEY_LENGTHS;
        }
        int s = buf.getInt(offset + R_STATE_LEN, LE);
        if (s < 0 || s > length) {
            return BAD_STATE_LENGTH;
        }
        if (recordLength(r, e, s) != length) {
            return LENGTH_MISMATCH;
        }
        long version = buf.getLong(offset + R_VERSION, LE);
        long position = buf.getLong(offset + R_POSITION, LE);
        if (version < 1 || position < version - 1) {
            return BAD_VERSION;
        }
        return length;
    }

    /**
     * @param nativeOrder an int as read or to be written in the platform's byte order
     * @return it converted to or from little-endian (the volatile and release accessors use native order)
     */
    static int littleEndian(int nativeOrder) {
        return NATIVE_LE ? nativeOrder : Integer.reverseBytes(nativeOrder);
    }

    /**
     * @param code a negative outcome of {@link #checkRecord}
     * @return what it means
     */
    static String describe(int code) {
        switch (code) {
            case BAD_LENGTH: return "record length out of range (or above the largest record this store accepts)";
            case BAD_KIND: return "unknown record kind, flags or reserved bytes";
            case BAD_KEY_LENGTHS: return "resource type or entity id length out of range";
            case BAD_STATE_LENGTH: return "state length out of range";
            case LENGTH_MISMATCH: return "record length does not match its type, id and state lengths";
            case BAD_VERSION: return "version below 1 or global position below version - 1";
            case BAD_CRC: return "record checksum mismatch";
            default: return "unknown fault " + code;
        }
    }

    static int typeLength(UnsafeBuffer buf, int offset) {
        return Short.toUnsignedInt(buf.getShort(offset + R_TYPE_LEN, LE));
    }

    static int idLength(UnsafeBuffer buf, int offset) {
        return Short.toUnsignedInt(buf.getShort(offset + R_ID_LEN, LE));
    }

    static int stateLength(UnsafeBuffer buf, int offset) {
        return buf.getInt(offset + R_STATE_LEN, LE);
    }

    static long version(UnsafeBuffer buf, int offset) {
        return buf.getLong(offset + R_VERSION, LE);
    }

    static long position(UnsafeBuffer buf, int offset) {
        return buf.getLong(offset + R_POSITION, LE);
    }

    static long timestamp(UnsafeBuffer buf, int offset) {
        return buf.getLong(offset + R_TIMESTAMP, LE);
    }

    static long fingerprint(UnsafeBuffer buf, int offset) {
        return buf.getLong(offset + R_FINGERPRINT, LE);
    }
}
