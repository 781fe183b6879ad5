package dev.hindsight.engine.internal.snapshot;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The result of a snapshot lookup, filled by {@link SnapshotStore#floorByVersion},
 * {@link SnapshotStore#floorByTimestamp} or {@link SnapshotStore#latest}: the snapshot's version,
 * position, timestamp and fingerprint, and its encoded state, copied out of the memory-mapped segment
 * into an array the view owns and checked there (CRC32C), so what the caller decodes is exactly what was
 * checked. The array grows to the largest snapshot read (at most the store's largest record) and is
 * reused: a lookup allocates nothing once it is large enough. Keep one per thread.
 *
 * <p>Not thread-safe. The state stays valid until the view's next lookup.
 */
public final class SnapshotView {
    final RecordCopy record = new RecordCopy();
    private final UnsafeBuffer state = new UnsafeBuffer(new byte[0]);
    private boolean present;
    private long version;
    private long position;
    private long timestampNanos;
    private long fingerprint;
    private int stateOffset;
    private int stateLength;

    void set(long version, long position, long timestampNanos, long fingerprint, int stateOffset, int stateLength) {
        this.version = version;
        this.position = position;
        this.timestampNanos = timestampNanos;
        this.fingerprint = fingerprint;
        this.stateOffset = stateOffset;
        this.stateLength = stateLength;
        state.wrap(record.bytes(), stateOffset, stateLength);
        present = true;
    }

    void clear() {
        present = false;
        version = 0;
        position = -1;
        timestampNanos = 0;
        fingerprint = 0;
        stateOffset = 0;
        stateLength = 0;
    }

    /** @return whether the last lookup found a snapshot */
    public boolean present() {
        return present;
    }

    /** @return the entity version the state includes (all events 1..version), 0 if none was found */
    public long version() {
        return version;
    }

    /** @return the global position of that version's event, -1 if none was found */
    public long position() {
        return position;
    }

    /** @return the sequencer timestamp (epoch ns) of that version's event */
    public long timestampNanos() {
        return timestampNanos;
    }

    /** @return the state schema's fingerprint (the one the lookup asked for) */
    public long fingerprint() {
        return fingerprint;
    }

    /** @return the encoded state's length in bytes, 0 if none was found */
    public int stateLength() {
        return stateLength;
    }

    /**
     * @return the array holding the encoded state at {@link #stateOffset()} (for a decoder reading a
     *         {@code byte[]}); the view's own, overwritten by its next lookup
     */
    public byte[] stateArray() {
        return record.bytes();
    }

    /** @return where the encoded state starts in {@link #stateArray()} */
    public int stateOffset() {
        return stateOffset;
    }

    /** @return the encoded state, as a buffer over {@link #stateArray()} (empty if none was found) */
    public DirectBuffer state() {
        return present ? state : EMPTY;
    }

    private static final DirectBuffer EMPTY = new UnsafeBuffer(new byte[0]);

    /**
     * Copies the encoded state.
     *
     * @param dst    where to copy it
     * @param offset where in {@code dst}
     * @throws IndexOutOfBoundsException if it does not fit
     */
    public void copyState(byte[] dst, int offset) {
        System.arraycopy(record.bytes(), stateOffset, dst, offset, stateLength);
    }

    /** @return a copy of the encoded state (allocates) */
    public byte[] stateCopy() {
        byte[] b = new byte[stateLength];
        copyState(b, 0);
        return b;
    }

    @Override
    public String toString() {
        return present ? "snapshot v" + version + " @" + position + " ts " + timestampNanos + " fp "
                + Long.toHexString(fingerprint) + " (" + stateLength + " bytes)" : "no snapshot";
    }
}
