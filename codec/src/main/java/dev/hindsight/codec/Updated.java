package dev.hindsight.codec;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The standard event a resource type records when an update changes an entity: only the attributes that
 * changed, each with its old and new value, in the state record's component order. In the schema catalog it is
 * {@code <resourceType>.Updated} with one field, {@code changes}, of kind {@link FieldKind#CHANGES}; a reader
 * without the application's classes sees it as {@code {"amount": {"old": 500, "new": 600}}}.
 *
 * <p>Immutable and thread-safe if the values are.
 *
 * @param changes the changed attributes, at least one, each attribute at most once
 */
public record Updated(List<AttributeChange> changes) {
    /** Copies the list and rejects an empty one. */
    public Updated {
        changes = List.copyOf(Objects.requireNonNull(changes, "changes"));
        if (changes.isEmpty()) {
            throw new IllegalArgumentException("an Updated event needs at least one changed attribute");
        }
    }

    /**
     * @param attribute an attribute name
     * @return its change, or empty if this update did not change it
     */
    public Optional<AttributeChange> change(String attribute) {
        for (AttributeChange c : changes) {
            if (c.attribute().equals(attribute)) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }
}
