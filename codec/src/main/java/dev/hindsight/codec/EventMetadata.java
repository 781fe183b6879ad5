package dev.hindsight.codec;

import dev.hindsight.codec.internal.Utf8;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Who and why of an event: actor, correlation id, causation id, reason and up to 16 string attributes.
 * Immutable and thread-safe. Limits (checked by {@link Builder#build()}): each string at most 1024 bytes in
 * UTF-8; attribute keys 1..128 bytes, values at most 1024 bytes, non-null; at most 16 attributes; no
 * unpaired surrogates.
 */
public final class EventMetadata {
    /** Metadata with nothing set. */
    public static final EventMetadata NONE = new Builder().build();

    private final String actor;
    private final String correlationId;
    private final String causationId;
    private final String reason;
    private final Map<String, String> attributes;
    private final int encodedLength;

    private EventMetadata(Builder b) {
        this.actor = b.actor;
        this.correlationId = b.correlationId;
        this.causationId = b.causationId;
        this.reason = b.reason;
        this.attributes = b.attributes.isEmpty() ? Map.of()
                : Collections.unmodifiableMap(new LinkedHashMap<>(b.attributes));
        int len = FrameFormat.MIN_METADATA_LENGTH;
        len += stringBytes("actor", actor);
        len += stringBytes("correlationId", correlationId);
        len += stringBytes("causationId", causationId);
        len += stringBytes("reason", reason);
        if (attributes.size() > FrameFormat.MAX_ATTRIBUTES) {
            throw new IllegalArgumentException("metadata has " + attributes.size() + " attributes; the limit is "
                    + FrameFormat.MAX_ATTRIBUTES);
        }
        for (Map.Entry<String, String> e : attributes.entrySet()) {
            int k = utf8Length("attribute key '" + FrameFormat.printable(e.getKey()) + "'", e.getKey());
            if (k < 1 || k > FrameFormat.MAX_ATTRIBUTE_KEY_BYTES) {
                throw new IllegalArgumentException("attribute key '" + FrameFormat.printable(e.getKey()) + "' is " + k
                        + " bytes in UTF-8; it must be 1.." + FrameFormat.MAX_ATTRIBUTE_KEY_BYTES);
            }
            int v = utf8Length("value of attribute '" + FrameFormat.printable(e.getKey()) + "'", e.getValue());
            if (v > FrameFormat.MAX_METADATA_STRING_BYTES) {
                throw new IllegalArgumentException("value of attribute '" + FrameFormat.printable(e.getKey())
                        + "' is " + v + " bytes in UTF-8; the limit is " + FrameFormat.MAX_METADATA_STRING_BYTES);
            }
            len += 4 + k + v;
        }
        this.encodedLength = len;
    }

    private static int stringBytes(String what, String s) {
        if (s == null) {
            return 0;
        }
        int n = utf8Length(what, s);
        if (n > FrameFormat.MAX_METADATA_STRING_BYTES) {
            throw new IllegalArgumentException("metadata " + what + " is " + n + " bytes in UTF-8; the limit is "
                    + FrameFormat.MAX_METADATA_STRING_BYTES);
        }
        return n;
    }

    private static int utf8Length(String what, String s) {
        try {
            return Utf8.encodedLength(s);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("metadata " + what + ": " + e.getMessage(), e);
        }
    }

    /** @return a new builder with nothing set */
    public static Builder builder() {
        return new Builder();
    }

    /** @return a builder initialised with this metadata's values */
    public Builder toBuilder() {
        Builder b = new Builder().actor(actor).correlationId(correlationId).causationId(causationId).reason(reason);
        b.attributes.putAll(attributes);
        return b;
    }

    /** @return who caused the event, or null */
    public String actor() {
        return actor;
    }

    /** @return the correlation id, or null */
    public String correlationId() {
        return correlationId;
    }

    /** @return the causation id, or null */
    public String causationId() {
        return causationId;
    }

    /** @return the reason, or null */
    public String reason() {
        return reason;
    }

    /** @return the attributes, unmodifiable, in insertion order, never null */
    public Map<String, String> attributes() {
        return attributes;
    }

    /** @return the number of bytes of this metadata's block in a frame */
    public int encodedLength() {
        return encodedLength;
    }

    /** @param actor the new actor, may be null @return a copy with the actor replaced */
    public EventMetadata withActor(String actor) {
        return toBuilder().actor(actor).build();
    }

    /** @param correlationId the new correlation id, may be null @return a copy with it replaced */
    public EventMetadata withCorrelationId(String correlationId) {
        return toBuilder().correlationId(correlationId).build();
    }

    /** @param causationId the new causation id, may be null @return a copy with it replaced */
    public EventMetadata withCausationId(String causationId) {
        return toBuilder().causationId(causationId).build();
    }

    @Override
    public boolean equals(Object o) {
        return this == o || (o instanceof EventMetadata m && Objects.equals(actor, m.actor)
                && Objects.equals(correlationId, m.correlationId) && Objects.equals(causationId, m.causationId)
                && Objects.equals(reason, m.reason) && attributes.equals(m.attributes));
    }

    @Override
    public int hashCode() {
        return Objects.hash(actor, correlationId, causationId, reason, attributes);
    }

    @Override
    public String toString() {
        return "EventMetadata{actor=" + actor + ", correlationId=" + correlationId + ", causationId=" + causationId
                + ", reason=" + reason + ", attributes=" + attributes + '}';
    }

    /**
     * Builds {@link EventMetadata}. Not thread-safe; use one per thread.
     */
    public static final class Builder {
        private String actor;
        private String correlationId;
        private String causationId;
        private String reason;
        private final Map<String, String> attributes = new LinkedHashMap<>();

        private Builder() {
        }

        /** @param actor who caused the event, may be null @return this */
        public Builder actor(String actor) {
            this.actor = actor;
            return this;
        }

        /** @param correlationId the correlation id, may be null @return this */
        public Builder correlationId(String correlationId) {
            this.correlationId = correlationId;
            return this;
        }

        /** @param causationId the causation id, may be null @return this */
        public Builder causationId(String causationId) {
            this.causationId = causationId;
            return this;
        }

        /** @param reason why, may be null @return this */
        public Builder reason(String reason) {
            this.reason = reason;
            return this;
        }

        /**
         * Sets an attribute; setting a key again replaces its value and keeps its position.
         *
         * @param key   the key, 1..128 bytes in UTF-8
         * @param value the value, at most 1024 bytes in UTF-8, non-null
         * @return this
         */
        public Builder attribute(String key, String value) {
            if (key == null) {
                throw new IllegalArgumentException("attribute key is null");
            }
            if (value == null) {
                throw new IllegalArgumentException("value of attribute '" + FrameFormat.printable(key) + "' is null");
            }
            attributes.put(key, value);
            return this;
        }

        /**
         * @return the metadata
         * @throws IllegalArgumentException if a limit is exceeded
         */
        public EventMetadata build() {
            if (actor == null && correlationId == null && causationId == null && reason == null
                    && attributes.isEmpty() && NONE != null) {
                return NONE;
            }
            return new EventMetadata(this);
        }
    }
}
