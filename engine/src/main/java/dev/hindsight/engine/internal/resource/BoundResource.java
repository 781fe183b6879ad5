package dev.hindsight.engine.internal.resource;

import dev.hindsight.codec.AttributeChange;
import dev.hindsight.codec.Created;
import dev.hindsight.codec.Deleted;
import dev.hindsight.codec.GenericEvent;
import dev.hindsight.codec.Registration;
import dev.hindsight.codec.StandardEventTypes;
import dev.hindsight.codec.Updated;
import dev.hindsight.engine.RecordedEvent;
import dev.hindsight.engine.Resource;
import dev.hindsight.engine.ResourceType;

import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A resource type bound to one store: its event registrations, its state's shape, the fold of events into
 * state, and a bounded cache of folds (derived data: any entry can be dropped and rebuilt from the journal).
 * Thread-safe.
 *
 * @param <S> the state record
 */
public final class BoundResource<S extends Record> {
    private final ResourceType<S> type;
    private final StandardEventTypes standard;
    private final StateShape<S> shape;
    private final Map<Class<?>, Registration> customRegistrations;
    private final Map<Class<?>, ResourceType.EventDefinition<S, ?>> definitions;
    private final int cacheCapacity;
    private final ConcurrentHashMap<String, Folded<S>> cache = new ConcurrentHashMap<>();

    BoundResource(ResourceType<S> type, StandardEventTypes standard, Map<Class<?>, Registration> customRegistrations,
                  int cacheCapacity) {
        this.type = type;
        this.standard = standard;
        this.shape = new StateShape<>(type.stateClass());
        this.customRegistrations = Map.copyOf(customRegistrations);
        Map<Class<?>, ResourceType.EventDefinition<S, ?>> defs = new IdentityHashMap<>();
        for (ResourceType.EventDefinition<S, ?> d : type.events()) {
            defs.put(d.eventClass(), d);
        }
        this.definitions = defs;
        this.cacheCapacity = cacheCapacity;
    }

    /** @return the resource type */
    public ResourceType<S> type() {
        return type;
    }

    /** @return the fingerprint this type's snapshots are stored under: the state's shape and the snapshot layout */
    public long snapshotFingerprint() {
        return StateSnapshots.fingerprint(standard.stateFingerprint());
    }

    /** @return versions between automatic snapshots, 0 for none */
    int snapshotInterval() {
        return type.snapshots().interval();
    }

    /** @return the registrations of the standard events */
    public StandardEventTypes standard() {
        return standard;
    }

    StateShape<S> shape() {
        return shape;
    }

    String name() {
        return type.name();
    }

    /**
     * @param eventClass a custom event class
     * @return its registration, or null if it is not a custom event of this type
     */
    Registration customRegistration(Class<?> eventClass) {
        return customRegistrations.get(eventClass);
    }

    /**
     * Applies one event to a fold.
     *
     * @throws IllegalStateException if the event cannot follow the fold (a version gap, a second Created, an
     *                               event with no registered class)
     */
    Folded<S> apply(Folded<S> f, RecordedEvent e) {
        if (e.version() != f.version + 1) {
            throw new IllegalStateException("event at position " + e.position() + " is version " + e.version()
                    + " of " + where(f) + ", expected version " + (f.version + 1));
        }
        Object event = e.event();
        String key = e.metadata().attributes().get(Resource.IDEMPOTENCY_KEY_ATTRIBUTE);
        if (event instanceof Created<?> c) {
            if (f.exists()) {
                throw new IllegalStateException("a second Created event at version " + e.version() + " of " + where(f));
            }
            return f.next(type.stateClass().cast(c.state()), false, e.timestampNanos(), e.position(), key);
        }
        if (!f.exists()) {
            throw new IllegalStateException(e.eventType() + " at position " + e.position() + " comes before "
                    + where(f) + " was created");
        }
        if (event instanceof Updated u) {
            Object[] values = shape.values(f.state);
            for (AttributeChange c : u.changes()) {
                int i = shape.index(c.attribute());
                if (i < 0) {
                    throw new IllegalStateException("Updated event at position " + e.position() + " changes '"
                            + c.attribute() + "', which " + shape.type().getSimpleName() + " no longer has");
                }
                values[i] = c.newValue();
            }
            return f.next(shape.construct(values), f.deleted, e.timestampNanos(), e.position(), key);
        }
        if (event instanceof Deleted) {
            return f.next(f.state, true, e.timestampNanos(), e.position(), key);
        }
        ResourceType.EventDefinition<S, ?> d = event == null ? null : definitions.get(event.getClass());
        if (d == null) {
            String what = event instanceof GenericEvent
                    ? "no class is registered for its schema version " + e.schemaVersion()
                    : "it is not an event of resource type '" + type.name() + "'";
            throw new IllegalStateException("cannot apply " + e.eventType() + " at position " + e.position() + " to "
                    + where(f) + ": " + what);
        }
        S next = applyCustom(d, f.state, event);
        return f.next(next, f.deleted, e.timestampNanos(), e.position(), key);
    }

    /** Applies a custom event through its definition; a null result is the definition's bug. */
    S applyCustom(ResourceType.EventDefinition<S, ?> d, S state, Object event) {
        S next = d.apply(state, event);
        if (next == null) {
            throw new IllegalStateException("the applier of " + type.name() + "." + d.name() + " returned null");
        }
        return next;
    }

    ResourceType.EventDefinition<S, ?> definition(Class<?> eventClass) {
        return definitions.get(eventClass);
    }

    private String where(Folded<S> f) {
        return type.name() + "/" + f.entityId;
    }

    Folded<S> cached(String id) {
        return cache.get(id);
    }

    /** Caches a fold unless a newer one is there; evicts an arbitrary entry beyond the capacity. */
    void remember(Folded<S> f) {
        if (cacheCapacity == 0) {
            return;
        }
        cache.merge(f.entityId, f, (old, neu) -> neu.version >= old.version ? neu : old);
        if (cache.size() > cacheCapacity) {
            Iterator<String> it = cache.keySet().iterator();
            if (it.hasNext()) {
                String victim = it.next();
                if (!victim.equals(f.entityId)) {
                    cache.remove(victim);
                }
            }
        }
    }
}
