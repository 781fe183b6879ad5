package dev.hindsight.codec;

import java.util.List;
import java.util.Objects;

/**
 * The type of an event field, as recorded in the schema catalog. Immutable and thread-safe.
 *
 * <p>Reference-typed record components (including boxed primitives) are {@code nullable}; primitive
 * components, list elements and map values are not. Map keys are always non-null {@code String}s.
 *
 * @param kind          what the value is
 * @param nullable      whether the encoded value is preceded by a presence byte
 * @param name          the simple class name for {@link FieldKind#ENUM} and {@link FieldKind#RECORD}, else null
 * @param enumConstants the constant names in declaration order for ENUM, else empty
 * @param recordFields  the nested fields in declaration order for RECORD, else empty
 * @param element       the element type of a LIST or the value type of a MAP, else null
 */
public record FieldType(FieldKind kind, boolean nullable, String name, List<String> enumConstants,
                        List<FieldSchema> recordFields, FieldType element) {

    /** Validates that the parts match the kind and copies the lists. */
    public FieldType {
        Objects.requireNonNull(kind, "kind");
        enumConstants = enumConstants == null ? List.of() : List.copyOf(enumConstants);
        recordFields = recordFields == null ? List.of() : List.copyOf(recordFields);
        boolean named = kind == FieldKind.ENUM || kind == FieldKind.RECORD;
        if (named != (name != null)) {
            throw new IllegalArgumentException(kind + " type " + (named ? "needs" : "must not have") + " a name");
        }
        if (named && name.isEmpty()) {
            throw new IllegalArgumentException(kind + " type has an empty name");
        }
        if (kind != FieldKind.ENUM && !enumConstants.isEmpty()) {
            throw new IllegalArgumentException(kind + " type must not have enum constants");
        }
        if (kind != FieldKind.RECORD && !recordFields.isEmpty()) {
            throw new IllegalArgumentException(kind + " type must not have record fields");
        }
        boolean container = kind == FieldKind.LIST || kind == FieldKind.MAP || kind == FieldKind.CHANGES;
        if (container != (element != null)) {
            throw new IllegalArgumentException(kind + " type " + (container ? "needs" : "must not have")
                    + " an element type");
        }
        if (kind == FieldKind.CHANGES && (element.kind() != FieldKind.RECORD || nullable)) {
            throw new IllegalArgumentException("CHANGES type needs a RECORD element and is never nullable");
        }
    }

    /**
     * @param kind     a kind other than ENUM, RECORD, LIST and MAP
     * @param nullable whether the value may be null
     * @return the simple type
     */
    public static FieldType of(FieldKind kind, boolean nullable) {
        return new FieldType(kind, nullable, null, List.of(), List.of(), null);
    }

    /**
     * @param name      the enum's simple class name
     * @param constants the constant names in declaration order
     * @param nullable  whether the value may be null
     * @return an ENUM type
     */
    public static FieldType enumType(String name, List<String> constants, boolean nullable) {
        return new FieldType(FieldKind.ENUM, nullable, name, constants, List.of(), null);
    }

    /**
     * @param name     the record's simple class name
     * @param fields   the record's fields in declaration order
     * @param nullable whether the value may be null
     * @return a RECORD type
     */
    public static FieldType recordType(String name, List<FieldSchema> fields, boolean nullable) {
        return new FieldType(FieldKind.RECORD, nullable, name, List.of(), fields, null);
    }

    /**
     * @param state the (non-null, RECORD) state type whose attributes change
     * @return a CHANGES type (never nullable)
     */
    public static FieldType changesOf(FieldType state) {
        return new FieldType(FieldKind.CHANGES, false, null, List.of(), List.of(), state);
    }

    /**
     * @param element  the (non-null) element type
     * @param nullable whether the list may be null
     * @return a LIST type
     */
    public static FieldType listOf(FieldType element, boolean nullable) {
        return new FieldType(FieldKind.LIST, nullable, null, List.of(), List.of(), element);
    }

    /**
     * @param value    the (non-null) value type; keys are always String
     * @param nullable whether the map may be null
     * @return a MAP type
     */
    public static FieldType mapOf(FieldType value, boolean nullable) {
        return new FieldType(FieldKind.MAP, nullable, null, List.of(), List.of(), value);
    }

    /** @return this type, not nullable */
    public FieldType asNonNull() {
        return nullable ? new FieldType(kind, false, name, enumConstants, recordFields, element) : this;
    }

    /**
     * A human-readable form: {@code long}, {@code String?}, {@code List<String>}, {@code Map<String,long>},
     * {@code enum Color{RED,GREEN}}, {@code record Address{street: String?, zip: int}}; a trailing {@code ?}
     * marks a nullable type.
     *
     * @return the description
     */
    public String describe() {
        StringBuilder sb = new StringBuilder();
        describe(sb);
        return sb.toString();
    }

    private void describe(StringBuilder sb) {
        switch (kind) {
            case LIST -> {
                sb.append("List<");
                element.describe(sb);
                sb.append('>');
            }
            case MAP -> {
                sb.append("Map<String,");
                element.describe(sb);
                sb.append('>');
            }
            case CHANGES -> {
                sb.append("Changes<");
                element.describe(sb);
                sb.append('>');
            }
            case ENUM -> sb.append("enum ").append(name).append('{').append(String.join(",", enumConstants))
                    .append('}');
            case RECORD -> {
                sb.append("record ").append(name).append('{');
                for (int i = 0; i < recordFields.size(); i++) {
                    if (i > 0) {
                        sb.append(", ");
                    }
                    FieldSchema f = recordFields.get(i);
                    sb.append(f.name()).append(": ");
                    f.type().describe(sb);
                }
                sb.append('}');
            }
            default -> sb.append(kind.displayName());
        }
        if (nullable) {
            sb.append('?');
        }
    }

    /** @return the nesting depth of this type: 1 for a leaf, more for lists, maps and records */
    public int depth() {
        int d = 0;
        if (element != null) {
            d = element.depth();
        }
        for (FieldSchema f : recordFields) {
            d = Math.max(d, f.type().depth());
        }
        return d + 1;
    }
}
