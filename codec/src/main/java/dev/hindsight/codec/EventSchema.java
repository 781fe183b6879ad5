package dev.hindsight.codec;

import dev.hindsight.codec.internal.Fingerprint;
import java.util.List;
import java.util.Objects;

/**
 * The recorded shape of one version of one event type: what the payload of a frame with this
 * {@code (eventTypeId, schemaVersion)} contains. Immutable and thread-safe.
 *
 * @param eventTypeId   the event type id (1..1,000,000)
 * @param name          the event name, e.g. {@code OrderPlaced}
 * @param schemaVersion the schema version (1..65535)
 * @param javaClassName the fully qualified name of the Java record it was derived from (informational)
 * @param fields        the payload fields in record-component declaration order
 */
public record EventSchema(int eventTypeId, String name, int schemaVersion, String javaClassName,
                          List<FieldSchema> fields) {

    /** The largest event type id. */
    public static final int MAX_EVENT_TYPE_ID = 1_000_000;

    /** Validates ranges and copies the field list. */
    public EventSchema {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(javaClassName, "javaClassName");
        fields = List.copyOf(Objects.requireNonNull(fields, "fields"));
        if (eventTypeId < 1 || eventTypeId > MAX_EVENT_TYPE_ID) {
            throw new IllegalArgumentException("event type id " + eventTypeId + " is outside 1.." + MAX_EVENT_TYPE_ID);
        }
        if (schemaVersion < 1 || schemaVersion > 0xFFFF) {
            throw new IllegalArgumentException("schema version " + schemaVersion + " is outside 1..65535");
        }
        if (name.isBlank()) {
            throw new IllegalArgumentException("event name is blank");
        }
    }

    /**
     * A stable 64-bit hash of the name, the schema version and the fields (names, kinds, nullability, enum
     * constants and nested structure). It does not depend on the event type id or the Java class name, and
     * is the same in every JVM run (FNV-1a over a canonical encoding, then a 64-bit finaliser).
     *
     * @return the fingerprint
     */
    public long fingerprint() {
        return Fingerprint.of(this);
    }

    /** @return the fields as {@code [name: type, ...]} */
    public String describeFields() {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < fields.size(); i++) {
            if (i > 0) {
                sb.append(", ");
            }
            sb.append(fields.get(i).describe());
        }
        return sb.append(']').toString();
    }
}
