package dev.hindsight.engine.internal.snapshot;

import org.agrona.concurrent.UnsafeBuffer;

import java.util.zip.CRC32C;

import static dev.hindsight.engine.internal.snapshot.SnapshotFormat.LE;

/**
 * A record copied out of a mapped segment into an owned array and checked there: structure, then CRC32C
 * over the copy, so what was checked is exactly what the caller then reads (the mapping can change
 * under a reader only through outside tampering, but a copy cannot). The array grows to the longest
 * record copied, at most the store's largest record. Not thread-safe: one per thread (readers own
 * theirs through their {@link SnapshotView}; the writer has its own).
 */
final class RecordCopy {
    /** The record, from offset 0; its fields are read with {@link SnapshotFormat}'s accessors. */
    final UnsafeBuffer buffer;
    private byte[] bytes;
    private final CRC32C crc = new CRC32C();

    RecordCopy() {
        bytes = new byte[512];
        buffer = new UnsafeBuffer(bytes);
    }

    /** @return the array holding the last record loaded, from index 0 */
    byte[] bytes() {
        return bytes;
    }

    /**
     * Copies the record at {@code offset} of {@code segment} and checks it.
     *
     * @param segment   the mapped segment
     * @param offset    the record's offset
     * @param limit     the end of the segment's readable data
     * @param maxLength the longest record accepted
     * @param verifyCrc whether to check the CRC
     * @return the record's length if it is valid, else {@link SnapshotFormat#END} or a negative fault code
     */
    int load(UnsafeBuffer segment, int offset, int limit, int maxLength, boolean verifyCrc) {
        int length = SnapshotFormat.checkRecord(segment, offset, limit, maxLength);
        if (length <= 0) {
            return length;
        }
        if (bytes.length < length) {
            bytes = new byte[Math.min(maxLength, Math.max(length, bytes.length * 2))];
            buffer.wrap(bytes);
        }
        segment.getBytes(offset, bytes, 0, length);
        if (verifyCrc) {
            crc.reset();
            crc.update(bytes, 4, length - 8);
            if (buffer.getInt(length - 4, LE) != (int) crc.getValue()) {
                return SnapshotFormat.BAD_CRC;
            }
        }
        return length;
    }
}
