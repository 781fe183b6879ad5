package dev.hindsight.codec.internal;

import dev.hindsight.codec.FieldSchema;
import dev.hindsight.codec.FieldType;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Decodes a payload using only its schema (no application classes): records become insertion-ordered maps,
 * enums their constant names. Stateless and thread-safe.
 */
public final class GenericDecoder {
    private GenericDecoder() {
    }

    /**
     * @param fields the event's fields
     * @param in     the input positioned at the payload start
     * @return the field values by name, in declaration order
     */
    public static Map<String, Object> readFields(List<FieldSchema> fields, PayloadInput in) {
        in.enter();
        Map<String, Object> values = new LinkedHashMap<>(Math.max(4, fields.size() * 2));
        for (FieldSchema f : fields) {
            values.put(f.name(), readNullable(f.type(), in));
        }
        in.leave();
        return Collections.unmodifiableMap(values);
    }

    private static Object readNullable(FieldType t, PayloadInput in) {
        if (t.nullable() && !Reads.present(in)) {
            return null;
        }
        return read(t, in);
    }

    private static Object read(FieldType t, PayloadInput in) {
        return switch (t.kind()) {
            case BOOLEAN -> Reads.bool(in);
            case BYTE -> Reads.int8(in);
            case SHORT -> Reads.int16(in);
            case CHAR -> Reads.char16(in);
            case INT -> Reads.varint(in);
            case LONG -> Reads.varlong(in);
            case FLOAT -> Reads.float32(in);
            case DOUBLE -> Reads.float64(in);
            case STRING -> Reads.string(in);
            case INSTANT -> Reads.instant(in);
            case UUID -> Reads.uuid(in);
            case BIG_DECIMAL -> Reads.bigDecimal(in);
            case BYTES -> Reads.bytes(in);
            case ENUM -> readEnum(t, in);
            case LIST -> readList(t, in);
            case MAP -> readMap(t, in);
            case RECORD -> readFields(t.recordFields(), in);
            case CHANGES -> readChanges(t.element().recordFields(), in);
        };
    }

    private static String readEnum(FieldType t, PayloadInput in) {
        int at = in.offset();
        String name = Reads.string(in);
        if (!t.enumConstants().contains(name)) {
            throw new Corruption("'" + name + "' is not a constant of enum " + t.name(), at);
        }
        return name;
    }

    private static List<Object> readList(FieldType t, PayloadInput in) {
        in.enter();
        FieldType element = t.element();
        int n = Reads.count(in, minWidth(element, in), "list");
        List<Object> list = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            list.add(readNullable(element, in));
        }
        in.leave();
        return Collections.unmodifiableList(list);
    }

    private static Map<String, Object> readMap(FieldType t, PayloadInput in) {
        in.enter();
        FieldType value = t.element();
        int n = Reads.count(in, 1 + minWidth(value, in), "map");
        Map<String, Object> map = new LinkedHashMap<>(Math.max(4, (int) (n / 0.75f) + 1));
        for (int i = 0; i < n; i++) {
            int at = in.offset();
            String key = Reads.string(in);
            if (map.put(key, readNullable(value, in)) != null) {
                throw new Corruption("map key '" + key + "' appears twice", at);
            }
        }
        in.leave();
        return Collections.unmodifiableMap(map);
    }

    /**
     * Reads a CHANGES value (see {@link dev.hindsight.codec.FieldKind#CHANGES}) as an insertion-ordered map
     * from attribute name to {@code {"old": value, "new": value}}.
     */
    private static Map<String, Object> readChanges(List<FieldSchema> attributes, PayloadInput in) {
        in.enter();
        int countAt = in.offset();
        int n = Reads.uvarint(in);
        if (n < 1 || n > attributes.size()) {
            throw new Corruption("change count " + n + " is outside 1.." + attributes.size(), countAt);
        }
        Map<String, Object> changes = new LinkedHashMap<>(Math.max(4, n * 2));
        int previous = -1;
        for (int i = 0; i < n; i++) {
            int at = in.offset();
            int index = Reads.uvarint(in);
            if (index <= previous || index >= attributes.size()) {
                throw new Corruption("changed attribute index " + index + " is not in increasing order within 0.."
                        + (attributes.size() - 1), at);
            }
            previous = index;
            FieldSchema f = attributes.get(index);
            Map<String, Object> pair = new LinkedHashMap<>(4);
            pair.put("old", readNullable(f.type(), in));
            pair.put("new", readNullable(f.type(), in));
            changes.put(f.name(), Collections.unmodifiableMap(pair));
        }
        in.leave();
        return Collections.unmodifiableMap(changes);
    }

    /** The fewest bytes a value of this type takes; a schema deeper than the limit is corrupt. */
    private static int minWidth(FieldType t, PayloadInput in) {
        return minWidth(t, in, 0);
    }

    private static int minWidth(FieldType t, PayloadInput in, int depth) {
        if (t.nullable()) {
            return 1;
        }
        if (t.kind() != dev.hindsight.codec.FieldKind.RECORD) {
            return Scalars.minWidth(t.kind());
        }
        if (depth > 64) {
            throw in.corrupt("schema nests records deeper than 64");
        }
        int sum = 0;
        for (FieldSchema f : t.recordFields()) {
            sum += minWidth(f.type(), in, depth + 1);
            if (sum > 0) {
                return sum; // only zero versus non-zero matters for safety; any positive lower bound is valid
            }
        }
        return sum;
    }
}
