package dev.hindsight.engine;

import dev.hindsight.codec.EventMetadata;

/**
 * A flyweight over one event of the journal, for handlers that must not allocate per event: the
 * header fields read straight from the frame, the payload decoded only when {@link #event()} is
 * called. The view is reused for the next event as soon as the handler returns: never keep it, keep
 * {@link #toRecorded()} instead.
 *
 * <p>What allocates: {@link #resourceType()} and {@link #eventType()} return cached strings (no
 * allocation after the first of each); {@link #entityId()} allocates unless the previous event had
 * the same entity; {@link #metadata()}, {@link #event()} and {@link #toRecorded()} decode and
 * allocate. {@link #resourceTypeIs} and {@link #entityIdIs} compare without allocating.
 *
 * <p>Thread safety: not thread-safe; valid only on the subscription's thread during the call.
 */
public interface EventView {
    /** @return the global position, 0-based and gapless */
    long position();

    /** @return the sequencer's timestamp, epoch nanoseconds */
    long timestampNanos();

    /** @return the entity's version after this event */
    long version();

    /** @return the registered event type id */
    int eventTypeId();

    /** @return the schema version the event was written with */
    int schemaVersion();

    /** @return the event type's name in the schema catalog, e.g. {@code order.Created} (cached) */
    String eventType();

    /** @return the entity's resource type (cached) */
    String resourceType();

    /** @return the entity's id */
    String entityId();

    /**
     * @param resourceType a resource type
     * @return true if the event belongs to that resource type; does not allocate
     */
    boolean resourceTypeIs(String resourceType);

    /**
     * @param entityId an entity id
     * @return true if the event belongs to an entity with that id; does not allocate
     */
    boolean entityIdIs(String entityId);

    /** @return the event's metadata (decoded on each call) */
    EventMetadata metadata();

    /**
     * @return the decoded event: the application's record, or a {@link dev.hindsight.codec.GenericEvent}
     *     when this process has no class registered for its type (decoded once per event)
     */
    Object event();

    /**
     * @param type the expected event class
     * @param <T>  the event class
     * @return the decoded event
     * @throws ClassCastException naming both classes if it is of another type
     */
    <T> T eventAs(Class<T> type);

    /** @return an immutable copy that may be kept after the handler returns */
    RecordedEvent toRecorded();

    /**
     * Receives the events of a {@link Subscription} as {@link EventView}s. Called on the
     * subscription's thread, one event at a time, in global order; retried, then parked, when it
     * throws (as {@link EventHandler}).
     */
    @FunctionalInterface
    interface Handler {
        /**
         * @param event the view; valid only during the call
         * @throws Exception to have the event retried, then parked
         */
        void handle(EventView event) throws Exception;
    }
}
