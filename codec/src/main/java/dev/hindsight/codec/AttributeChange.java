package dev.hindsight.codec;

import java.util.Objects;

/**
 * One attribute that an update changed, with its value before and after. Values of primitive attributes are
 * boxed; values of reference attributes may be null.
 *
 * <p>Immutable and thread-safe if the values are.
 *
 * @param attribute the state record component's name
 * @param oldValue  the value before the update
 * @param newValue  the value after the update
 */
public record AttributeChange(String attribute, Object oldValue, Object newValue) {
    /** Rejects a null attribute name. */
    public AttributeChange {
        Objects.requireNonNull(attribute, "attribute");
    }
}
