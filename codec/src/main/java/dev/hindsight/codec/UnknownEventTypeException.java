package dev.hindsight.codec;

/**
 * Thrown by {@link EventCodec#decode} when the schema catalog knows an event type and schema version but no
 * Java class is registered for it in this process (for example, an old version whose class was deleted, or a
 * tool that only knows the catalog). Use {@link EventCodec#decodeGeneric} to read such events.
 * Immutable and thread-safe.
 */
public class UnknownEventTypeException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int eventTypeId;
    private final int schemaVersion;

    /**
     * @param eventTypeId   the event type id found in the frame
     * @param schemaVersion the schema version found in the frame
     * @param name          the event name recorded in the catalog
     */
    public UnknownEventTypeException(int eventTypeId, int schemaVersion, String name) {
        super("event type " + eventTypeId + " schema version " + schemaVersion + " ('" + name
                + "') has no registered class in this process");
        this.eventTypeId = eventTypeId;
        this.schemaVersion = schemaVersion;
    }

    /** @return the event type id found in the frame */
    public int eventTypeId() {
        return eventTypeId;
    }

    /** @return the schema version found in the frame */
    public int schemaVersion() {
        return schemaVersion;
    }
}
