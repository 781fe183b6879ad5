package dev.hindsight.codec;

import dev.hindsight.codec.internal.ValueCodec;
import java.util.Objects;

/**
 * A Java record class registered with an {@link EventCodec} as one version of one event type.
 * Immutable and thread-safe.
 */
public final class Registration {
    private final Class<? extends Record> eventClass;
    private final EventSchema schema;
    private final ValueCodec bound;

    Registration(Class<? extends Record> eventClass, EventSchema schema) {
        this(eventClass, schema, null);
    }

    Registration(Class<? extends Record> eventClass, EventSchema schema, ValueCodec bound) {
        this.eventClass = eventClass;
        this.schema = schema;
        this.bound = bound;
    }

    /** The payload codec of a standard event bound to one state record, or null for a Kryo-registered class. */
    ValueCodec bound() {
        return bound;
    }

    /** @return true for a resource type's standard event ({@link Created}, {@link Updated}, {@link Deleted}) */
    public boolean isStandard() {
        return bound != null;
    }

    /** @return the event type id */
    public int eventTypeId() {
        return schema.eventTypeId();
    }

    /** @return the schema version */
    public int schemaVersion() {
        return schema.schemaVersion();
    }

    /** @return the derived schema */
    public EventSchema schema() {
        return schema;
    }

    /** @return the event name */
    public String name() {
        return schema.name();
    }

    /** @return the record class */
    public Class<? extends Record> eventClass() {
        return eventClass;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Registration r && r.eventClass == eventClass && r.schema.equals(schema);
    }

    @Override
    public int hashCode() {
        return Objects.hash(eventClass, schema);
    }

    @Override
    public String toString() {
        return "Registration{" + eventClass.getName() + " as event type " + eventTypeId() + " '" + name()
                + "' v" + schemaVersion() + "}";
    }
}
