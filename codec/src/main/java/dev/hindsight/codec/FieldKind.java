package dev.hindsight.codec;

/**
 * The kinds of value an event field can hold. The catalog file stores a kind by its
 * {@linkplain #code() code}, which never changes even if constants are reordered. Enums are thread-safe.
 */
public enum FieldKind {
    /** {@code boolean} / {@code Boolean}: one byte, 0 or 1. */
    BOOLEAN(1, "boolean"),
    /** {@code byte} / {@code Byte}: one byte. */
    BYTE(2, "byte"),
    /** {@code short} / {@code Short}: two bytes little-endian. */
    SHORT(3, "short"),
    /** {@code int} / {@code Integer}: zigzag varint. */
    INT(4, "int"),
    /** {@code long} / {@code Long}: zigzag varlong. */
    LONG(5, "long"),
    /** {@code float} / {@code Float}: four bytes IEEE 754 little-endian. */
    FLOAT(6, "float"),
    /** {@code double} / {@code Double}: eight bytes IEEE 754 little-endian. */
    DOUBLE(7, "double"),
    /** {@code char} / {@code Character}: two bytes little-endian UTF-16 code unit. */
    CHAR(8, "char"),
    /** {@code String}: varint byte length and UTF-8. */
    STRING(9, "String"),
    /** {@code java.time.Instant}: varlong epoch second and varint nanos. */
    INSTANT(10, "Instant"),
    /** {@code java.util.UUID}: two longs. */
    UUID(11, "UUID"),
    /** {@code java.math.BigDecimal}: varint scale, varint length, unscaled two's-complement bytes. */
    BIG_DECIMAL(12, "BigDecimal"),
    /** A Java enum: the constant name as a STRING. */
    ENUM(13, "enum"),
    /** {@code byte[]}: varint length and bytes. */
    BYTES(14, "byte[]"),
    /** {@code java.util.List}: varint count and elements. */
    LIST(15, "List"),
    /** {@code java.util.Map} with String keys: varint count and (key, value) pairs. */
    MAP(16, "Map"),
    /** A nested Java record: its components in declaration order. */
    RECORD(17, "record"),
    /**
     * The attributes of a state record that an update changed, with their old and new values: a varint count
     * (1 to the number of components), then per changed attribute, in component order, its varint component
     * index, the old value and the new value, each encoded like the component. The element type is the state
     * RECORD. Used by the standard {@code Updated} event of a resource type.
     */
    CHANGES(18, "changes");

    private final int code;
    private final String displayName;

    FieldKind(int code, String displayName) {
        this.code = code;
        this.displayName = displayName;
    }

    /** @return the stable code of this kind in the catalog file */
    public int code() {
        return code;
    }

    /** @return the name used by {@link FieldType#describe()} for this kind */
    public String displayName() {
        return displayName;
    }

    /**
     * @param code a stable kind code
     * @return the kind with that code, or null if there is none
     */
    public static FieldKind fromCode(int code) {
        FieldKind[] all = values();
        return code >= 1 && code <= all.length ? all[code - 1] : null;
    }
}
