package dev.hindsight.engine.internal.subscription;

import dev.hindsight.codec.CorruptFrameException;
import dev.hindsight.codec.EventCodec;
import dev.hindsight.codec.EventMetadata;
import dev.hindsight.codec.EventSchema;
import dev.hindsight.codec.FrameReader;
import dev.hindsight.engine.EventView;
import dev.hindsight.engine.RecordedEvent;
import org.agrona.collections.Long2ObjectHashMap;

import java.util.function.BooleanSupplier;

/**
 * The {@link EventView} a subscription hands its handler: a flyweight over the frame in hand, with
 * the event type's schema, the resource types and the last entity id cached, and the payload decoded
 * at most once per event, on demand. A decode failure is remembered so the subscription can tell a
 * damaged journal from a failing handler. Not thread-safe: the subscription's thread only.
 */
final class FrameEventView implements EventView {
    /** The schema of one (event type id, schema version), and whether this process has its class. */
    private static final class TypeInfo {
        final EventSchema schema;
        final boolean hasClass;

        TypeInfo(EventSchema schema, boolean hasClass) {
            this.schema = schema;
            this.hasClass = hasClass;
        }
    }

    private final EventCodec codec;
    private final BooleanSupplier refreshCatalog;
    private final Long2ObjectHashMap<TypeInfo> types = new Long2ObjectHashMap<>();
    private final String[] resourceTypes = new String[32];
    private int resourceTypeCount;
    private String lastEntityId;
    private long lastTypeKey = -1;
    private TypeInfo lastType;

    private FrameReader frame;
    private String source;
    private long sourcePosition;
    private boolean decoded;
    private Object event;
    private CorruptFrameException decodeFailure;

    FrameEventView(EventCodec codec, BooleanSupplier refreshCatalog) {
        this.codec = codec;
        this.refreshCatalog = refreshCatalog;
    }

    /** Points the view at a wrapped, validated frame. */
    void wrap(FrameReader f, String source, long sourcePosition) {
        this.frame = f;
        this.source = source;
        this.sourcePosition = sourcePosition;
        this.decoded = false;
        this.event = null;
        this.decodeFailure = null;
    }

    /** @return the failure of the last decode of this event, if the journal could not be decoded */
    CorruptFrameException decodeFailure() {
        return decodeFailure;
    }

    private TypeInfo typeInfo() {
        int typeId = frame.eventTypeId();
        int version = frame.schemaVersion();
        long key = ((long) typeId << 32) | version;
        if (key == lastTypeKey) {
            return lastType;
        }
        TypeInfo t = types.get(key);
        if (t == null) {
            EventSchema schema = codec.catalog().find(typeId, version).orElse(null);
            if (schema == null) {
                refreshCatalog.getAsBoolean(); // another subscription may have refreshed it already: look again either way
                schema = codec.catalog().find(typeId, version).orElse(null);
            }
            if (schema == null) {
                throw remember(new CorruptFrameException(source, sourcePosition, "unknown event type " + typeId
                        + " schema version " + version + " (not in the schema catalog)"));
            }
            t = new TypeInfo(schema, codec.lookup(typeId, version) != null);
            types.put(key, t);
        }
        lastTypeKey = key;
        lastType = t;
        return t;
    }

    private CorruptFrameException remember(CorruptFrameException e) {
        decodeFailure = e;
        return e;
    }

    @Override
    public long position() {
        return frame.globalPosition();
    }

    @Override
    public long timestampNanos() {
        return frame.timestampNanos();
    }

    @Override
    public long version() {
        return frame.entityVersion();
    }

    @Override
    public int eventTypeId() {
        return frame.eventTypeId();
    }

    @Override
    public int schemaVersion() {
        return frame.schemaVersion();
    }

    @Override
    public String eventType() {
        return typeInfo().schema.name();
    }

    @Override
    public String resourceType() {
        for (int i = 0; i < resourceTypeCount; i++) {
            if (frame.resourceTypeEquals(resourceTypes[i])) {
                return resourceTypes[i];
            }
        }
        String t = decodeString(true);
        if (resourceTypeCount < resourceTypes.length) {
            resourceTypes[resourceTypeCount++] = t;
        }
        return t;
    }

    @Override
    public String entityId() {
        String last = lastEntityId;
        if (last != null && frame.entityIdEquals(last)) {
            return last;
        }
        last = decodeString(false);
        lastEntityId = last;
        return last;
    }

    private String decodeString(boolean resourceType) {
        try {
            return resourceType ? frame.resourceType() : frame.entityId();
        } catch (CorruptFrameException e) {
            throw remember(e);
        }
    }

    @Override
    public boolean resourceTypeIs(String resourceType) {
        return frame.resourceTypeEquals(resourceType);
    }

    @Override
    public boolean entityIdIs(String entityId) {
        return frame.entityIdEquals(entityId);
    }

    @Override
    public EventMetadata metadata() {
        try {
            return frame.metadata();
        } catch (CorruptFrameException e) {
            throw remember(e);
        }
    }

    @Override
    public Object event() {
        if (!decoded) {
            TypeInfo t = typeInfo();
            try {
                event = t.hasClass
                        ? codec.decode(frame.eventTypeId(), frame.schemaVersion(), frame.buffer(), frame.payloadOffset(),
                        frame.payloadLength(), source, sourcePosition)
                        : codec.decodeGeneric(t.schema, frame.buffer(), frame.payloadOffset(), frame.payloadLength(),
                        source, sourcePosition);
            } catch (CorruptFrameException e) {
                throw remember(e);
            }
            decoded = true;
        }
        return event;
    }

    @Override
    public <T> T eventAs(Class<T> type) {
        Object e = event();
        if (!type.isInstance(e)) {
            throw new ClassCastException("event at position " + position() + " is " + eventType() + " ("
                    + (e == null ? "null" : e.getClass().getName()) + "), not " + type.getName());
        }
        return type.cast(e);
    }

    @Override
    public RecordedEvent toRecorded() {
        return new RecordedEvent(position(), timestampNanos(), resourceType(), entityId(), version(), eventTypeId(),
                eventType(), schemaVersion(), metadata(), event());
    }

    @Override
    public String toString() {
        return frame == null ? "EventView[none]" : "EventView[#" + position() + " " + resourceType() + "/" + entityId()
                + " v" + version() + " " + eventType() + "]";
    }
}
