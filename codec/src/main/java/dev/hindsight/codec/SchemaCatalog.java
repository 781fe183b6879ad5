package dev.hindsight.codec;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The set of event schemas ever recorded for a store, keyed by {@code (eventTypeId, schemaVersion)}.
 *
 * <p>Thread-safe: copy-on-write. Readers see an immutable snapshot through one volatile read and never
 * lock; {@link #add} is synchronized and publishes a new snapshot.
 */
public final class SchemaCatalog {
    private volatile Snapshot snapshot = Snapshot.EMPTY;

    /** Creates an empty catalog. */
    public SchemaCatalog() {
    }

    /**
     * @param eventTypeId   the event type id
     * @param schemaVersion the schema version
     * @return the schema, if recorded
     */
    public Optional<EventSchema> find(int eventTypeId, int schemaVersion) {
        return Optional.ofNullable(snapshot.byKey.get(key(eventTypeId, schemaVersion)));
    }

    /**
     * @param eventTypeId   the event type id read from a frame
     * @param schemaVersion the schema version read from a frame
     * @param source        where the frame came from, for the exception
     * @param position      the frame's position, for the exception
     * @return the schema
     * @throws CorruptFrameException "unknown event type 17 schema version 1" if it is not recorded
     */
    public EventSchema require(int eventTypeId, int schemaVersion, String source, long position) {
        EventSchema s = snapshot.byKey.get(key(eventTypeId, schemaVersion));
        if (s == null) {
            throw new CorruptFrameException(source, position,
                    "unknown event type " + eventTypeId + " schema version " + schemaVersion);
        }
        return s;
    }

    /**
     * @param eventTypeId the event type id
     * @return the schema with the highest version for that id, if any
     */
    public Optional<EventSchema> latest(int eventTypeId) {
        return Optional.ofNullable(snapshot.latest.get(eventTypeId));
    }

    /** @return every schema, sorted by event type id then schema version; unmodifiable */
    public List<EventSchema> all() {
        return snapshot.sorted;
    }

    /** @return the number of schemas recorded */
    public int size() {
        return snapshot.sorted.size();
    }

    /**
     * Records a schema.
     *
     * @param s the schema
     * @return true if added, false if an identical schema (same fingerprint) is already recorded
     * @throws SchemaConflictException if it contradicts a recorded schema
     */
    public synchronized boolean add(EventSchema s) {
        if (!check(s)) {
            return false;
        }
        snapshot = snapshot.with(s);
        return true;
    }

    /**
     * Checks that a schema could be recorded, without recording it.
     *
     * @param s the schema
     * @return true if {@link #add} would add it, false if an identical schema is already recorded
     * @throws SchemaConflictException if it contradicts a recorded schema
     */
    public synchronized boolean check(EventSchema s) {
        Snapshot cur = snapshot;
        EventSchema existing = cur.byKey.get(key(s.eventTypeId(), s.schemaVersion()));
        if (existing != null) {
            if (existing.fingerprint() == s.fingerprint()) {
                return false;
            }
            if (!existing.name().equals(s.name())) {
                throw nameConflict(existing, s);
            }
            int next = cur.latest.get(s.eventTypeId()).schemaVersion() + 1;
            throw new SchemaConflictException("event type " + s.eventTypeId() + " '" + s.name() + "' schema version "
                    + s.schemaVersion() + " is already recorded with fields " + existing.describeFields()
                    + "; the class now has " + s.describeFields() + ": register it as schema version " + next);
        }
        EventSchema sameId = cur.latest.get(s.eventTypeId());
        if (sameId != null && !sameId.name().equals(s.name())) {
            throw nameConflict(sameId, s);
        }
        Integer idForName = cur.nameToId.get(s.name());
        if (idForName != null && idForName != s.eventTypeId()) {
            throw new SchemaConflictException("event name '" + s.name() + "' is already recorded as event type "
                    + idForName + "; it cannot also be event type " + s.eventTypeId());
        }
        return true;
    }

    /**
     * @param name an event name
     * @return the event type id recorded under that name, or -1
     */
    public int idOf(String name) {
        Integer id = snapshot.nameToId.get(name);
        return id == null ? -1 : id;
    }

    private static SchemaConflictException nameConflict(EventSchema existing, EventSchema s) {
        return new SchemaConflictException("event type " + s.eventTypeId() + " is already recorded as '"
                + existing.name() + "'; it cannot also be '" + s.name() + "'");
    }

    static long key(int eventTypeId, int schemaVersion) {
        return ((long) eventTypeId << 32) | (schemaVersion & 0xFFFFFFFFL);
    }

    @Override
    public String toString() {
        return "SchemaCatalog" + all();
    }

    private static final class Snapshot {
        static final Snapshot EMPTY = new Snapshot(List.of());

        final List<EventSchema> sorted;
        final Map<Long, EventSchema> byKey = new HashMap<>();
        final Map<Integer, EventSchema> latest = new HashMap<>();
        final Map<String, Integer> nameToId = new HashMap<>();

        Snapshot(List<EventSchema> schemas) {
            List<EventSchema> list = new ArrayList<>(schemas);
            list.sort(Comparator.comparingInt(EventSchema::eventTypeId).thenComparingInt(EventSchema::schemaVersion));
            this.sorted = List.copyOf(list);
            for (EventSchema s : sorted) {
                byKey.put(key(s.eventTypeId(), s.schemaVersion()), s);
                latest.put(s.eventTypeId(), s); // sorted, so the last one wins
                nameToId.put(s.name(), s.eventTypeId());
            }
        }

        Snapshot with(EventSchema s) {
            List<EventSchema> list = new ArrayList<>(sorted);
            list.add(s);
            return new Snapshot(list);
        }
    }
}
