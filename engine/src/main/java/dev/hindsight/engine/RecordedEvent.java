package dev.hindsight.engine;

import dev.hindsight.codec.EventMetadata;

import java.time.Instant;
import java.util.Objects;

/**
 * One event as it stands in the journal: where it is (global position, entity and version), when
 * the sequencer recorded it, its type and schema version, its metadata and the decoded event.
 * Immutable, thread-safe.
 *
 * <p>{@link #event()} is the application's record when this process registered its class, or a
 * {@link dev.hindsight.codec.GenericEvent} (named fields read through the store's schema catalog)
 * when it did not.
 */
public final class RecordedEvent {
    private final long position;
    private final long timestampNanos;
    private final String resourceType;
    private final String entityId;
    private final long version;
    private final int eventTypeId;
    private final String eventType;
    private final int schemaVersion;
    private final EventMetadata metadata;
    private final Object event;

    /**
     * @param position       global position (0-based)
     * @param timestampNanos sequencer timestamp, epoch nanoseconds
     * @param resourceType   the entity's resource type
     * @param entityId       the entity's id
     * @param version        the entity's version after this event (1-based)
     * @param eventTypeId    the registered event type id
     * @param eventType      the registered event type name
     * @param schemaVersion  the event type's schema version this event was written with
     * @param metadata       actor, correlation, causation, reason and attributes
     * @param event          the decoded event
     */
    public RecordedEvent(long position, long timestampNanos, String resourceType, String entityId, long version,
                         int eventTypeId, String eventType, int schemaVersion, EventMetadata metadata, Object event) {
        this.position = position;
        this.timestampNanos = timestampNanos;
        this.resourceType = resourceType;
        this.entityId = entityId;
        this.version = version;
        this.eventTypeId = eventTypeId;
        this.eventType = eventType;
        this.schemaVersion = schemaVersion;
        this.metadata = metadata;
        this.event = event;
    }

    /** @return the global position, 0-based and gapless across the store */
    public long position() {
        return position;
    }

    /** @return the sequencer's timestamp in epoch nanoseconds; never decreases with position */
    public long timestampNanos() {
        return timestampNanos;
    }

    /** @return the sequencer's timestamp */
    public Instant timestamp() {
        return Instant.ofEpochSecond(0, timestampNanos);
    }

    /** @return the entity's resource type */
    public String resourceType() {
        return resourceType;
    }

    /** @return the entity's id */
    public String entityId() {
        return entityId;
    }

    /** @return the entity's version after this event, 1-based and gapless per entity */
    public long version() {
        return version;
    }

    /** @return the registered event type id */
    public int eventTypeId() {
        return eventTypeId;
    }

    /** @return the registered event type name */
    public String eventType() {
        return eventType;
    }

    /** @return the schema version the event was written with */
    public int schemaVersion() {
        return schemaVersion;
    }

    /** @return the event's metadata */
    public EventMetadata metadata() {
        return metadata;
    }

    /** @return the decoded event */
    public Object event() {
        return event;
    }

    /**
     * @param type the expected event class
     * @param <T>  the event class
     * @return the event cast to {@code type}
     * @throws ClassCastException naming both classes if the event is of another type
     */
    public <T> T eventAs(Class<T> type) {
        if (!type.isInstance(event)) {
            throw new ClassCastException("event at position " + position + " is " + eventType + " ("
                    + (event == null ? "null" : event.getClass().getName()) + "), not " + type.getName());
        }
        return type.cast(event);
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof RecordedEvent)) {
            return false;
        }
        RecordedEvent that = (RecordedEvent) o;
        return position == that.position && timestampNanos == that.timestampNanos && version == that.version
                && eventTypeId == that.eventTypeId && schemaVersion == that.schemaVersion
                && resourceType.equals(that.resourceType) && entityId.equals(that.entityId)
                && metadata.equals(that.metadata) && Objects.equals(event, that.event);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(position) * 31 + entityId.hashCode();
    }

    @Override
    public String toString() {
        return "#" + position + " " + resourceType + "/" + entityId + " v" + version + " " + eventType
                + " @" + timestamp() + " " + event + " " + metadata;
    }
}
