package dev.hindsight.tools.internal;

import dev.hindsight.codec.CodecLimits;
import dev.hindsight.codec.CorruptFrameException;
import dev.hindsight.codec.EventCodec;
import dev.hindsight.codec.EventMetadata;
import dev.hindsight.codec.EventSchema;
import dev.hindsight.codec.FrameReader;
import dev.hindsight.codec.GenericEvent;
import dev.hindsight.codec.SchemaCatalog;
import org.agrona.collections.Long2ObjectHashMap;

import java.util.Map;

/**
 * Renders events for output, decoded through the store's schema catalog without the application's classes:
 * as table rows (every text value escaped for the terminal) or as JSON lines with stable field names:
 *
 * <pre>
 * {"position":7,"time":"2026-11-27T10:15:30.123456789Z","resource":"order","entity":"order-1","version":3,
 *  "type":"order.PaymentReceived","typeId":100011,"schemaVersion":1,
 *  "metadata":{"actor":"payments","correlationId":"checkout-1","causationId":"psp-webhook","reason":null,"attributes":{}},
 *  "data":{"paymentId":"pay-1","amount":650}}
 * </pre>
 *
 * An event whose payload cannot be decoded (its schema is not in the catalog) has {@code "data":null} and a
 * {@code "dataError"} saying why. Not thread-safe.
 */
public final class EventFormat {
    /** How events are printed. */
    public enum Style {
        /** Aligned columns for people. */
        TABLE,
        /** One JSON object per line, for programs. */
        JSONL
    }

    private final SchemaCatalog catalog;
    private final EventCodec codec;
    private final Style style;
    private final boolean oneEntity;
    private final Long2ObjectHashMap<EventSchema> schemas = new Long2ObjectHashMap<>();
    private final StringBuilder sb = new StringBuilder(512);
    private long decodeFailures;

    /**
     * @param catalog   the store's catalog
     * @param style     table or JSON lines
     * @param oneEntity table columns for one entity's history (version first, full metadata) instead of the log's
     */
    public EventFormat(SchemaCatalog catalog, Style style, boolean oneEntity) {
        this.catalog = catalog;
        this.codec = new EventCodec(catalog, CodecLimits.defaults());
        this.style = style;
        this.oneEntity = oneEntity;
    }

    /** @return the table's header line, or null for JSON lines */
    public String header() {
        if (style == Style.JSONL) {
            return null;
        }
        return oneEntity
                ? String.format("%4s %9s  %-26s  %-24s %-12s %-14s %-14s %-18s %s", "VER", "POSITION", "TIME (UTC)", "EVENT", "ACTOR",
                "CORRELATION", "CAUSATION", "REASON", "DATA")
                : String.format("%9s  %-26s  %-28s %4s  %-24s %-12s %s", "POSITION", "TIME (UTC)", "RESOURCE/ID", "VER", "EVENT", "ACTOR", "DATA");
    }

    /**
     * @param frame a valid frame
     * @return the schema of its payload, or null if the catalog lacks it
     */
    public EventSchema schemaOf(FrameReader frame) {
        long key = (long) frame.eventTypeId() << 16 | frame.schemaVersion();
        EventSchema s = schemas.get(key);
        if (s == null) {
            s = catalog.find(frame.eventTypeId(), frame.schemaVersion()).orElse(null);
            if (s != null) {
                schemas.put(key, s);
            }
        }
        return s;
    }

    /**
     * @param frame a valid frame
     * @return its event name from the catalog, or {@code #<id>v<schema>} if unknown
     */
    public String nameOf(FrameReader frame) {
        EventSchema s = schemaOf(frame);
        return s != null ? s.name() : "#" + frame.eventTypeId() + "v" + frame.schemaVersion();
    }

    /**
     * Decodes a frame's payload generically.
     *
     * @param frame a valid frame
     * @return the decoded event
     * @throws CorruptFrameException if its schema is unknown or the payload does not match it
     */
    public GenericEvent decode(FrameReader frame) {
        EventSchema s = schemaOf(frame);
        if (s == null) {
            throw new CorruptFrameException(frame.source(), frame.sourcePosition(), "the catalog has no event type "
                    + frame.eventTypeId() + " schema version " + frame.schemaVersion());
        }
        return codec.decodeGeneric(s, frame.buffer(), frame.payloadOffset(), frame.payloadLength(), frame.source(), frame.sourcePosition());
    }

    /**
     * @param frame a valid frame
     * @return the event as one output line
     */
    public String line(FrameReader frame) {
        GenericEvent data = null;
        String error = null;
        try {
            data = decode(frame);
        } catch (CorruptFrameException e) {
            error = e.reason();
            decodeFailures++;
        }
        EventMetadata m = frame.metadata();
        String name = nameOf(frame);
        sb.setLength(0);
        if (style == Style.JSONL) {
            sb.append("{\"position\":").append(frame.globalPosition());
            sb.append(",\"time\":\"").append(Text.iso(frame.timestampNanos())).append('"');
            sb.append(",\"resource\":");
            Text.jsonString(sb, frame.resourceType());
            sb.append(",\"entity\":");
            Text.jsonString(sb, frame.entityId());
            sb.append(",\"version\":").append(frame.entityVersion());
            sb.append(",\"type\":");
            Text.jsonString(sb, name);
            sb.append(",\"typeId\":").append(frame.eventTypeId());
            sb.append(",\"schemaVersion\":").append(frame.schemaVersion());
            sb.append(",\"metadata\":");
            metadataJson(sb, m);
            sb.append(",\"data\":");
            if (data == null) {
                sb.append("null,\"dataError\":");
                Text.jsonString(sb, error);
            } else {
                Text.json(sb, data.fields());
            }
            sb.append('}');
            return sb.toString();
        }
        String shown = data == null ? "(cannot decode: " + Text.safe(error) + ")" : describe(name, frame.resourceType(), data);
        if (!m.attributes().isEmpty()) {
            shown = shown + "  " + attributes(m.attributes());
        }
        if (oneEntity) {
            return String.format("%4d %9d  %-26s  %-24s %-12s %-14s %-14s %-18s %s", frame.entityVersion(), frame.globalPosition(),
                    Text.tableTime(frame.timestampNanos()), Text.safe(name), Text.safe(m.actor()), Text.safe(m.correlationId()),
                    Text.safe(m.causationId()), Text.safe(m.reason()), shown);
        }
        return String.format("%9d  %-26s  %-28s %4d  %-24s %-12s %s", frame.globalPosition(), Text.tableTime(frame.timestampNanos()),
                Text.safe(frame.resourceType()) + "/" + Text.safe(frame.entityId()), frame.entityVersion(), Text.safe(name),
                Text.safe(m.actor()), shown);
    }

    /**
     * @param sb where to write
     * @param m  metadata
     */
    public static void metadataJson(StringBuilder sb, EventMetadata m) {
        sb.append("{\"actor\":");
        Text.jsonString(sb, m.actor());
        sb.append(",\"correlationId\":");
        Text.jsonString(sb, m.correlationId());
        sb.append(",\"causationId\":");
        Text.jsonString(sb, m.causationId());
        sb.append(",\"reason\":");
        Text.jsonString(sb, m.reason());
        sb.append(",\"attributes\":{");
        boolean first = true;
        for (Map.Entry<String, String> a : m.attributes().entrySet()) {
            if (!first) {
                sb.append(',');
            }
            first = false;
            Text.jsonString(sb, a.getKey());
            sb.append(':');
            Text.jsonString(sb, a.getValue());
        }
        sb.append("}}");
    }

    private static String attributes(Map<String, String> attributes) {
        StringBuilder b = new StringBuilder("[");
        for (Map.Entry<String, String> a : attributes.entrySet()) {
            if (b.length() > 1) {
                b.append(", ");
            }
            b.append(Text.safe(a.getKey())).append('=').append(Text.safe(a.getValue()));
        }
        return b.append(']').toString();
    }

    /** Standard events read like a diff; others as their fields in JSON (strings escaped for the terminal). */
    private static String describe(String name, String resourceType, GenericEvent data) {
        if (name.equals(resourceType + ".Updated") && data.get("changes") instanceof Map<?, ?> changes) {
            StringBuilder b = new StringBuilder();
            for (Map.Entry<?, ?> c : changes.entrySet()) {
                if (b.length() > 0) {
                    b.append(", ");
                }
                Object oldValue = c.getValue() instanceof Map<?, ?> on ? on.get("old") : null;
                Object newValue = c.getValue() instanceof Map<?, ?> nn ? nn.get("new") : null;
                b.append(Text.safe(String.valueOf(c.getKey()))).append(": ").append(Text.json(oldValue)).append(" -> ").append(Text.json(newValue));
            }
            return b.toString();
        }
        if (name.equals(resourceType + ".Deleted") && data.fields().isEmpty()) {
            return "(deleted; data kept)";
        }
        return Text.json(data.fields());
    }

    /** @return events whose payload could not be decoded so far */
    public long decodeFailures() {
        return decodeFailures;
    }
}
