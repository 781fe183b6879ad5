package dev.hindsight.codec;

import dev.hindsight.codec.internal.Json;
import java.util.Map;
import java.util.Objects;

/**
 * An event decoded with only its catalog schema, without the application's classes. Field values are
 * {@code Boolean, Byte, Short, Integer, Long, Float, Double, Character, String, Instant, UUID, BigDecimal},
 * {@code String} (enum constant names), {@code byte[]}, {@code List<Object>}, {@code Map<String,Object>}
 * (both for maps and for nested records), or null. Immutable apart from the {@code byte[]} values, which
 * callers must not modify; thread-safe for reading.
 */
public final class GenericEvent {
    private final EventSchema schema;
    private final Map<String, Object> fields;

    /**
     * @param schema the schema the payload was decoded with
     * @param fields the values by field name, in declaration order (unmodifiable)
     */
    public GenericEvent(EventSchema schema, Map<String, Object> fields) {
        this.schema = Objects.requireNonNull(schema, "schema");
        this.fields = Objects.requireNonNull(fields, "fields");
    }

    /** @return the schema the payload was decoded with */
    public EventSchema schema() {
        return schema;
    }

    /** @return the values by field name, in declaration order, unmodifiable */
    public Map<String, Object> fields() {
        return fields;
    }

    /**
     * @param name a field name
     * @return its value, or null
     */
    public Object get(String name) {
        return fields.get(name);
    }

    /**
     * The fields as one JSON object: strings escaped (including control characters), {@code byte[]} as base64,
     * instants as ISO-8601 strings, UUIDs and chars as strings, integral numbers and decimals as JSON
     * numbers, NaN and infinities as strings, nested records and maps as objects.
     *
     * @return valid JSON
     */
    public String toJson() {
        StringBuilder sb = new StringBuilder(64);
        Json.write(sb, fields);
        return sb.toString();
    }

    @Override
    public String toString() {
        return schema.name() + " v" + schema.schemaVersion() + " " + toJson();
    }
}
