package dev.hindsight.engine;

import java.util.List;
import java.util.Objects;

/**
 * What a resource action recorded and the entity's state after it. Immutable and thread-safe if the state is.
 *
 * @param resourceType the resource type
 * @param entityId     the entity id
 * @param events       the events recorded, in order; empty when the action changed nothing
 * @param version      the entity's version after the action
 * @param state        the state after the action (for a destroy: the last state, marked deleted)
 * @param deleted      whether the entity is deleted after the action
 * @param duplicate    true when the action's idempotency key had already been used: {@code events} are those
 *                     recorded the first time and nothing new was recorded
 * @param <S>          the state record
 */
public record ActionResult<S extends Record>(String resourceType, String entityId, List<RecordedEvent> events,
                                             long version, S state, boolean deleted, boolean duplicate) {
    /** Copies the event list. */
    public ActionResult {
        Objects.requireNonNull(resourceType, "resourceType");
        Objects.requireNonNull(entityId, "entityId");
        events = List.copyOf(events);
    }

    /** @return true if this call recorded events (false for a no-op update or a duplicate) */
    public boolean recorded() {
        return !duplicate && !events.isEmpty();
    }

    /** @return the global position of the first event, or -1 if there is none */
    public long firstPosition() {
        return events.isEmpty() ? -1 : events.get(0).position();
    }
}
