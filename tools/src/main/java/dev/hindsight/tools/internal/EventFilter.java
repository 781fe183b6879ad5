package dev.hindsight.tools.internal;

import dev.hindsight.codec.EventSchema;
import dev.hindsight.codec.FrameReader;
import dev.hindsight.codec.SchemaCatalog;
import org.agrona.collections.IntHashSet;

import java.util.TreeSet;

/**
 * Which events a listing shows: by resource type, entity id, event type name, and a range of positions or
 * instants (both ends inclusive). Matching reads the frame in place, without allocating. Immutable after
 * construction; not thread-safe (the type set is an Agrona set).
 */
public final class EventFilter {
    private final String resource;
    private final String entity;
    private final IntHashSet types;
    private final Bound from;
    private final Bound to;

    /**
     * @param catalog  the store's catalog, to resolve {@code type}
     * @param resource a resource type, or null for any
     * @param entity   an entity id, or null for any
     * @param type     an event name ({@code order.Created}, or {@code Created} for every resource's), or null
     * @param from     the first event (position or instant), or null
     * @param to       the last event (position or instant), or null
     * @throws CliException (exit 2) if no event type has that name
     */
    public EventFilter(SchemaCatalog catalog, String resource, String entity, String type, Bound from, Bound to) {
        this.resource = resource;
        this.entity = entity;
        this.from = from;
        this.to = to;
        if (type == null) {
            this.types = null;
        } else {
            IntHashSet ids = new IntHashSet();
            TreeSet<String> known = new TreeSet<>();
            for (EventSchema s : catalog.all()) {
                known.add(s.name());
                if (s.name().equals(type) || s.name().endsWith("." + type)) {
                    ids.add(s.eventTypeId());
                }
            }
            if (ids.isEmpty()) {
                throw new CliException(CliException.UNUSABLE, "--type: the catalog has no event type named '" + Text.safe(type)
                        + "'" + (known.isEmpty() ? " (it is empty)" : "; it has " + Text.safe(String.join(", ", known))));
            }
            this.types = ids;
        }
    }

    /** @return the lower bound, or null */
    public Bound from() {
        return from;
    }

    /**
     * @param f a valid frame
     * @return true if the event is shown
     */
    public boolean matches(FrameReader f) {
        return (resource == null || f.resourceTypeEquals(resource))
                && (entity == null || f.entityIdEquals(entity))
                && (types == null || types.contains(f.eventTypeId()))
                && (from == null || from.notBefore(f.globalPosition(), f.timestampNanos()))
                && (to == null || to.notAfter(f.globalPosition(), f.timestampNanos()));
    }

    /**
     * @param f a valid frame
     * @return true if this event and every later one are past the upper bound (positions and timestamps never decrease)
     */
    public boolean pastEnd(FrameReader f) {
        return to != null && !to.notAfter(f.globalPosition(), f.timestampNanos());
    }
}
