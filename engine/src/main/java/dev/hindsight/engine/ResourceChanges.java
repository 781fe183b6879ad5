package dev.hindsight.engine;

import dev.hindsight.codec.AttributeChange;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What happened to an entity between two points in its history: the events recorded after the first point up
 * to and including the second, and the attribute-level difference between the two states. Immutable and
 * thread-safe if the states are.
 *
 * @param resourceType the resource type
 * @param entityId     the entity id
 * @param before       the state at the first point, empty if the entity did not exist yet
 * @param after        the state at the second point, empty if the entity did not exist yet
 * @param events       the events between them, in version order
 * @param changes      the attributes whose value differs between {@code before} and {@code after}, in component
 *                     order (every attribute, with a null old value, if {@code before} is empty)
 * @param <S>          the state record
 */
public record ResourceChanges<S extends Record>(String resourceType, String entityId, Optional<ResourceState<S>> before,
                                                Optional<ResourceState<S>> after, List<RecordedEvent> events,
                                                List<AttributeChange> changes) {
    /** Copies the lists. */
    public ResourceChanges {
        Objects.requireNonNull(before, "before");
        Objects.requireNonNull(after, "after");
        events = List.copyOf(events);
        changes = List.copyOf(changes);
    }

    /** @return true if the entity was destroyed between the two points */
    public boolean destroyed() {
        return after.isPresent() && after.get().deleted() && (before.isEmpty() || !before.get().deleted());
    }
}
