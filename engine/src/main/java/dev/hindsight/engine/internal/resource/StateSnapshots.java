package dev.hindsight.engine.internal.resource;

import dev.hindsight.codec.EventCodec;
import dev.hindsight.engine.internal.snapshot.SnapshotView;

import java.util.Map;

/**
 * How a resource state is laid out in a snapshot (the snapshot store keeps the bytes opaque):
 *
 * <pre>
 *  offset size  field
 *   0     1     layout       1
 *   1     1     flags        bit 0: deleted
 *   2     8     createdAt    int64 LE, epoch nanoseconds of the entity's first event
 *  10     ..    state        the state record, encoded like the fields of a Created event
 * </pre>
 *
 * The version, position and timestamp of the last event folded in are the snapshot record's own. Idempotency
 * keys are not kept: a fold restored from a snapshot is marked as not knowing them. Stateless and thread-safe.
 */
final class StateSnapshots {
    static final int LAYOUT = 1;
    static final int PREFIX = 10;
    /** Mixed into the state schema fingerprint, so a change of this layout never decodes old bytes. */
    private static final long LAYOUT_SALT = 0x5EED_5A17_0000_0001L;

    private StateSnapshots() {
    }

    /**
     * @param stateFingerprint the state schema's fingerprint
     * @return the fingerprint snapshots of this layout are stored under
     */
    static long fingerprint(long stateFingerprint) {
        return stateFingerprint ^ LAYOUT_SALT;
    }

    /**
     * Encodes a fold into {@code buf} (growing it up to {@code maxBytes}).
     *
     * @return the buffer written (possibly a new, larger one) and its length in {@code length[0]}
     */
    static byte[] encode(EventCodec codec, Folded<?> f, byte[] buf, int maxBytes, int[] length) {
        byte[] b = buf;
        while (true) {
            int room = Math.min(b.length, maxBytes) - PREFIX;
            try {
                if (room < 0) {
                    throw new dev.hindsight.codec.EventTooLargeException("no room", PREFIX, maxBytes);
                }
                int n = codec.encodeState(f.state, b, PREFIX, room);
                b[0] = LAYOUT;
                b[1] = (byte) (f.deleted ? 1 : 0);
                putLong(b, 2, f.createdAtNanos);
                length[0] = PREFIX + n;
                return b;
            } catch (dev.hindsight.codec.EventTooLargeException tooLarge) {
                if (b.length >= maxBytes) {
                    return null;
                }
                b = new byte[(int) Math.min(maxBytes, (long) b.length * 2)];
            }
        }
    }

    /**
     * Restores a fold from a snapshot found for an entity.
     *
     * @return the fold, or null if the bytes are not a state of this layout
     */
    static <S extends Record> Folded<S> decode(EventCodec codec, Class<S> stateClass, String resourceType,
                                               String entityId, SnapshotView view) {
        byte[] b = view.stateArray();
        int off = view.stateOffset();
        int len = view.stateLength();
        if (len < PREFIX || b[off] != LAYOUT || (b[off + 1] & ~1) != 0) {
            return null;
        }
        S state = codec.decodeState(stateClass, b, off + PREFIX, len - PREFIX, "snapshot of " + resourceType + "/"
                + entityId + " version " + view.version(), view.position());
        return new Folded<>(resourceType, entityId, view.version(), state, (b[off + 1] & 1) != 0, getLong(b, off + 2),
                view.timestampNanos(), view.position(), Map.of(), false);
    }

    private static void putLong(byte[] b, int at, long v) {
        for (int i = 0; i < 8; i++) {
            b[at + i] = (byte) (v >>> (8 * i));
        }
    }

    private static long getLong(byte[] b, int at) {
        long v = 0;
        for (int i = 7; i >= 0; i--) {
            v = (v << 8) | (b[at + i] & 0xFF);
        }
        return v;
    }
}
