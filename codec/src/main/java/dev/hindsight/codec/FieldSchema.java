package dev.hindsight.codec;

import java.util.Objects;

/**
 * One named field of an event or nested record: a record component's name and its {@link FieldType}.
 * Immutable and thread-safe.
 *
 * @param name the record component name
 * @param type the field's type
 */
public record FieldSchema(String name, FieldType type) {
    /** Validates that both parts are present and the name is not empty. */
    public FieldSchema {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        if (name.isEmpty()) {
            throw new IllegalArgumentException("field name is empty");
        }
    }

    /** @return {@code name: type}, e.g. {@code amount: long} */
    public String describe() {
        return name + ": " + type.describe();
    }
}
