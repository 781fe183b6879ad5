package dev.hindsight.engine.inspect;

import dev.hindsight.codec.CorruptFrameException;
import dev.hindsight.codec.EventCodec;
import dev.hindsight.codec.EventSchema;
import dev.hindsight.engine.internal.resource.SnapshotStateLayout;

import java.util.Map;

/**
 * Decodes the resource states that snapshot records hold without the application's classes: a state is
 * encoded like the fields of its resource type's {@code R.Created} event, after a 10-byte prefix (layout 1,
 * flags with bit 0 = deleted, created-at epoch ns), under a fingerprint derived from that schema's. Stateless,
 * thread-safe.
 *
 * <pre>
 *  offset size  field
 *   0     1     layout       1
 *   1     1     flags        bit 0: deleted
 *   2     8     createdAt    int64 LE, epoch nanoseconds of the entity's first event
 *  10     ..    state        the state record, encoded like the fields of a Created event
 * </pre>
 */
public final class SnapshotStates {
    private SnapshotStates() {
    }

    /**
     * A state decoded generically.
     *
     * @param attributes     its attributes by name, as generic values
     * @param deleted        whether the entity was deleted
     * @param createdAtNanos its first event's timestamp
     */
    public record State(Map<String, Object> attributes, boolean deleted, long createdAtNanos) {
    }

    /**
     * @param created the resource type's {@code R.Created} schema
     * @return the fingerprint under which snapshots of states of that shape are stored
     */
    public static long fingerprintOf(EventSchema created) {
        return SnapshotStateLayout.fingerprint(created.fingerprint());
    }

    /**
     * @param codec   a codec over the store's catalog
     * @param created the resource type's {@code R.Created} schema (whose fingerprint the record's matches)
     * @param buf     the record's state bytes
     * @param offset  where they start
     * @param length  how many
     * @param source  the segment file, for errors
     * @param at      the record's offset, for errors
     * @return the state
     * @throws CorruptFrameException naming source and offset if the bytes are not such a state
     */
    public static State decode(EventCodec codec, EventSchema created, byte[] buf, int offset, int length, String source, long at) {
        if (length < SnapshotStateLayout.PREFIX || buf[offset] != SnapshotStateLayout.LAYOUT || (buf[offset + 1] & ~1) != 0) {
            throw new CorruptFrameException(source, at, "snapshot state has an unknown layout (" + length + " bytes, layout byte "
                    + (length > 0 ? buf[offset] : -1) + ")");
        }
        long createdAt = 0;
        for (int i = 7; i >= 0; i--) {
            createdAt = (createdAt << 8) | (buf[offset + 2 + i] & 0xFF);
        }
        Map<String, Object> fields = codec.decodeGeneric(created, buf, offset + SnapshotStateLayout.PREFIX,
                length - SnapshotStateLayout.PREFIX, source, at).fields();
        return new State(fields, (buf[offset + 1] & 1) != 0, createdAt);
    }
}
