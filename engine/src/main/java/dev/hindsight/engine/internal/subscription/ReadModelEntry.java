package dev.hindsight.engine.internal.subscription;

import dev.hindsight.engine.internal.BinaryFiles;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.function.LongPredicate;

/**
 * One value of a read model's Chronicle Map: the user's encoded value wrapped with the position of
 * the last event applied to the key, so that a replayed event is recognised and skipped.
 *
 * <pre>
 * offset  size field (little-endian)
 *  0      8    applied: position of the last event applied in order (-1 if none)
 *  8      1    flags: bit 0 = tombstone (the key was removed); other bits 0
 *  9      1    late count L (0..255)
 * 10      8L   late positions: parked events applied by a retry, out of order (increasing)
 * 10+8L   P    payload: the value as the model's codec encodes it (empty for a tombstone)
 * end-4   4    CRC32C of bytes [0, end-4)
 * </pre>
 *
 * Not thread-safe: a parsed view is reused by one thread.
 */
final class ReadModelEntry {
    static final int FIXED = 10;
    static final int CRC = 4;
    static final int MAX_LATE = 255;
    static final int MAX_PAYLOAD = 1 << 20;
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

    long applied;
    boolean tombstone;
    int lateCount;
    long[] late = new long[4];
    byte[] bytes;
    int payloadOffset;
    int payloadLength;

    /**
     * Parses and checks a stored value.
     *
     * @param value the stored bytes
     * @return null if they are valid, else what is wrong
     */
    String parse(byte[] value) {
        bytes = value;
        if (value.length < FIXED + CRC) {
            return "value is " + value.length + " bytes; at least " + (FIXED + CRC) + " expected";
        }
        int end = value.length - CRC;
        if ((int) INT.get(value, end) != BinaryFiles.crc32c(value, 0, end)) {
            return "value checksum mismatch";
        }
        applied = (long) LONG.get(value, 0);
        int flags = value[8] & 0xFF;
        if ((flags & ~1) != 0) {
            return "unknown flags 0x" + Integer.toHexString(flags);
        }
        tombstone = (flags & 1) != 0;
        lateCount = value[9] & 0xFF;
        if (FIXED + 8L * lateCount > end) {
            return lateCount + " late positions do not fit a " + value.length + "-byte value";
        }
        if (late.length < lateCount) {
            late = new long[Math.max(lateCount, late.length * 2)];
        }
        for (int i = 0; i < lateCount; i++) {
            late[i] = (long) LONG.get(value, FIXED + 8 * i);
        }
        payloadOffset = FIXED + 8 * lateCount;
        payloadLength = end - payloadOffset;
        if (tombstone && payloadLength != 0) {
            return "a tombstone with a " + payloadLength + "-byte payload";
        }
        if (applied < -1) {
            return "applied position " + applied;
        }
        return null;
    }

    boolean hasLate(long position) {
        for (int i = 0; i < lateCount; i++) {
            if (late[i] == position) {
                return true;
            }
        }
        return false;
    }

    /**
     * @param applied   position of the last event applied in order
     * @param tombstone true for a removed key
     * @param previous  the previous value's late positions (its {@code lateCount} first entries), or null
     * @param prevCount how many of them
     * @param keepLate  which of them to keep (those still parked)
     * @param addLate   a late position to add, or -1
     * @param payload   the encoded value (ignored for a tombstone)
     * @return the stored bytes
     */
    static byte[] encode(long applied, boolean tombstone, long[] previous, int prevCount, LongPredicate keepLate,
                         long addLate, byte[] payload) {
        long[] late = new long[prevCount + 1];
        int n = 0;
        for (int i = 0; i < prevCount; i++) {
            if (previous[i] != addLate && keepLate.test(previous[i])) {
                late[n++] = previous[i];
            }
        }
        if (addLate >= 0) {
            late[n++] = addLate;
        }
        if (n > MAX_LATE) {
            throw new IllegalStateException("a read model key has " + n + " retried parked events not yet"
                    + " cleared from the parked list; at most " + MAX_LATE);
        }
        java.util.Arrays.sort(late, 0, n); // kept in increasing order
        int p = tombstone ? 0 : payload.length;
        if (p > MAX_PAYLOAD) {
            throw new IllegalArgumentException("a read model value encodes to " + p + " bytes; at most " + MAX_PAYLOAD);
        }
        byte[] out = new byte[FIXED + 8 * n + p + CRC];
        LONG.set(out, 0, applied);
        out[8] = (byte) (tombstone ? 1 : 0);
        out[9] = (byte) n;
        for (int i = 0; i < n; i++) {
            LONG.set(out, FIXED + 8 * i, late[i]);
        }
        if (p > 0) {
            System.arraycopy(payload, 0, out, FIXED + 8 * n, p);
        }
        INT.set(out, out.length - CRC, BinaryFiles.crc32c(out, 0, out.length - CRC));
        return out;
    }
}
