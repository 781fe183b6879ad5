package dev.hindsight.tools.internal;

import dev.hindsight.codec.GenericEvent;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Folds a resource's events into its state without the application's classes, using only what the standard
 * events say: {@code R.Created} sets every attribute, {@code R.Updated} sets the new value of each changed
 * attribute, {@code R.Deleted} marks the entity deleted (its data is kept). A custom event
 * ({@code R.PaymentReceived}) changes the state only through the application's code, which an offline tool
 * does not have: it is listed as not applied, never guessed at. Not thread-safe.
 */
public final class GenericFold {
    /**
     * An event the fold could not apply.
     *
     * @param version        its version
     * @param position       its global position
     * @param timestampNanos its timestamp
     * @param type           its event name
     * @param data           its decoded fields
     */
    public record NotApplied(long version, long position, long timestampNanos, String type, Map<String, Object> data) {
    }

    private final String resource;
    private final Map<String, Object> attributes = new LinkedHashMap<>();
    private final List<NotApplied> notApplied = new ArrayList<>();
    private boolean exists;
    private boolean deleted;
    private long version;
    private long lastChangedNanos;

    /** @param resource the resource type whose standard events are {@code resource.Created} etc. */
    public GenericFold(String resource) {
        this.resource = resource;
    }

    /**
     * Starts from a state folded elsewhere (a snapshot).
     *
     * @param version        its version
     * @param timestampNanos that version's timestamp
     * @param state          its attributes
     * @param isDeleted      whether it was deleted
     */
    public void startFrom(long version, long timestampNanos, Map<String, Object> state, boolean isDeleted) {
        this.version = version;
        this.lastChangedNanos = timestampNanos;
        this.attributes.clear();
        this.attributes.putAll(state);
        this.exists = true;
        this.deleted = isDeleted;
    }

    /**
     * Applies the next event.
     *
     * @param type           its event name from the catalog
     * @param eventVersion   its version
     * @param position       its global position
     * @param timestampNanos its timestamp
     * @param data           its decoded fields
     */
    public void apply(String type, long eventVersion, long position, long timestampNanos, GenericEvent data) {
        version = eventVersion;
        lastChangedNanos = timestampNanos;
        if (type.equals(resource + ".Created")) {
            attributes.clear();
            attributes.putAll(data.fields());
            exists = true;
            deleted = false;
        } else if (type.equals(resource + ".Updated") && data.get("changes") instanceof Map<?, ?> changes) {
            for (Map.Entry<?, ?> c : changes.entrySet()) {
                if (c.getValue() instanceof Map<?, ?> oldNew) {
                    attributes.put(String.valueOf(c.getKey()), oldNew.get("new"));
                }
            }
            exists = true;
        } else if (type.equals(resource + ".Deleted")) {
            deleted = true;
        } else {
            notApplied.add(new NotApplied(eventVersion, position, timestampNanos, type, data.fields()));
        }
    }

    /** @return true once a Created (or a baseline) was folded */
    public boolean exists() {
        return exists;
    }

    /** @return true if the last lifecycle event was Deleted */
    public boolean deleted() {
        return deleted;
    }

    /** @return the version folded to */
    public long version() {
        return version;
    }

    /** @return the timestamp of the last event folded */
    public long lastChangedNanos() {
        return lastChangedNanos;
    }

    /** @return the attributes, in the order Created listed them */
    public Map<String, Object> attributes() {
        return Collections.unmodifiableMap(attributes);
    }

    /** @return the custom events that were not applied, in version order */
    public List<NotApplied> notApplied() {
        return Collections.unmodifiableList(notApplied);
    }
}
