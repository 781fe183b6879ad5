package dev.hindsight.codec;

import java.util.Objects;

/**
 * The standard event a resource type records when an entity is created: every attribute of its initial
 * state. In the schema catalog it is {@code <resourceType>.Created} and its fields are the state record's
 * components, so a reader without the application's classes sees the attributes by name.
 *
 * <p>Immutable and thread-safe if the state is.
 *
 * @param state the initial state
 * @param <S>   the resource's state record
 */
public record Created<S extends Record>(S state) {
    /** Rejects a null state. */
    public Created {
        Objects.requireNonNull(state, "state");
    }
}
