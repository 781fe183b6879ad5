package dev.hindsight.engine;

import java.time.Instant;
import java.util.Objects;

/**
 * An entity's state with its bookkeeping. Immutable and thread-safe if the state is.
 *
 * @param resourceType  the resource type
 * @param entityId      the entity id
 * @param state         the state (for a deleted entity: its last state)
 * @param version       the entity's version: the number of its events
 * @param deleted       whether the entity was destroyed
 * @param createdAt     when the entity was created (its first event's timestamp)
 * @param lastChangedAt its last event's timestamp
 * @param <S>           the state record
 */
public record ResourceState<S extends Record>(String resourceType, String entityId, S state, long version,
                                              boolean deleted, Instant createdAt, Instant lastChangedAt) {
    /** Rejects nulls. */
    public ResourceState {
        Objects.requireNonNull(resourceType, "resourceType");
        Objects.requireNonNull(entityId, "entityId");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(lastChangedAt, "lastChangedAt");
    }
}
