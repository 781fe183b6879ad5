package dev.hindsight.engine;

import dev.hindsight.codec.FrameFormat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiFunction;

/**
 * The definition of an event-sourced resource type: its name, its state record, the custom domain events its
 * actions may record (each with the function that applies it to the state) and the hooks that run after an
 * action. Defined once, registered with {@link EventStoreBuilder#resource(ResourceType)}, used through
 * {@link EventStore#resource(ResourceType)}.
 *
 * <pre>{@code
 * static final ResourceType<Order> ORDER = ResourceType.define("order", Order.class)
 *     .event(PaymentReceived.class, 1, (o, e) -> new Order(o.customer(), o.amount(), "paid", e.paymentId()))
 *     .event(Shipped.class, 2, (o, e) -> o)
 *     .build();
 * }</pre>
 *
 * <p>Besides the custom events, every resource type records three standard events:
 * {@link dev.hindsight.codec.Created} (every attribute), {@link dev.hindsight.codec.Updated} (only the changed
 * attributes, old and new values) and {@link dev.hindsight.codec.Deleted}. In the schema catalog they are named
 * {@code <name>.Created}, {@code <name>.Updated}, {@code <name>.Deleted} and {@code <name>.<EventName>}.
 *
 * <p>Event type ids: a custom event's id (1 to {@value #MAX_EVENT_ID}) is local to the resource type and
 * stable forever. The store maps each resource type to a block of 1,000 global event type ids at or above
 * 100,000 the first time it sees it, and records the block in the schema catalog, so plain
 * {@link EventStoreBuilder#register(Class, int) registered} events should use ids below 100,000.
 *
 * <p>Immutable and thread-safe once built; the appliers and hooks it holds must be thread-safe (they run on the
 * threads that call the resource's methods).
 *
 * @param <S> the state record
 */
public final class ResourceType<S extends Record> {
    /** The largest custom event id of a resource type. */
    public static final int MAX_EVENT_ID = 989;

    private final String name;
    private final Class<S> stateClass;
    private final int schemaVersion;
    private final List<EventDefinition<S, ?>> events;
    private final List<AfterAction<S>> afterActions;
    private final SnapshotPolicy snapshots;

    private ResourceType(Builder<S> b) {
        this.snapshots = b.snapshots;
        this.name = b.name;
        this.stateClass = b.stateClass;
        this.schemaVersion = b.schemaVersion;
        this.events = List.copyOf(b.events.values());
        this.afterActions = List.copyOf(b.afterActions);
    }

    /**
     * Starts defining a resource type.
     *
     * @param name       the resource type's name: {@code [a-z][a-z0-9_-]*}, at most 64 bytes; stable forever
     * @param stateClass the record holding an entity's state
     * @param <S>        the state record
     * @return a builder
     * @throws IllegalArgumentException if the name is invalid or the class is not a record
     */
    public static <S extends Record> Builder<S> define(String name, Class<S> stateClass) {
        return new Builder<>(name, stateClass);
    }

    /** @return the resource type's name, which is also the resource type of its events */
    public String name() {
        return name;
    }

    /** @return the state record */
    public Class<S> stateClass() {
        return stateClass;
    }

    /** @return the schema version of the standard events (and of the state record's shape) */
    public int schemaVersion() {
        return schemaVersion;
    }

    /** @return the custom events, in definition order */
    public List<EventDefinition<S, ?>> events() {
        return events;
    }

    /** @return when this type's states are snapshotted */
    public SnapshotPolicy snapshots() {
        return snapshots;
    }

    /** @return the hooks run after each action that recorded events */
    public List<AfterAction<S>> afterActions() {
        return afterActions;
    }

    @Override
    public String toString() {
        return "ResourceType{" + name + ": " + stateClass.getName() + ", " + events.size() + " custom events}";
    }

    /**
     * One custom event of a resource type.
     *
     * @param eventClass    the event record
     * @param id            the resource-local event id, 1 to {@value ResourceType#MAX_EVENT_ID}
     * @param name          the event's name (the catalog name is {@code <resource>.<name>})
     * @param schemaVersion the event's schema version
     * @param applier       applies the event to the state, returning the new state (never null)
     * @param <S>           the state record
     * @param <E>           the event record
     */
    public record EventDefinition<S extends Record, E extends Record>(Class<E> eventClass, int id, String name,
                                                                      int schemaVersion,
                                                                      BiFunction<S, E, S> applier) {
        /**
         * Applies this event to a state.
         *
         * @param state the state before
         * @param event the event (an instance of {@link #eventClass()})
         * @return the state after
         */
        public S apply(S state, Object event) {
            return applier.apply(state, eventClass.cast(event));
        }
    }

    /**
     * Builds a {@link ResourceType}. Not thread-safe.
     *
     * @param <S> the state record
     */
    public static final class Builder<S extends Record> {
        private final String name;
        private final Class<S> stateClass;
        private int schemaVersion = 1;
        private final Map<Integer, EventDefinition<S, ?>> events = new LinkedHashMap<>();
        private final List<AfterAction<S>> afterActions = new ArrayList<>();
        private SnapshotPolicy snapshots = SnapshotPolicy.defaults();

        private Builder(String name, Class<S> stateClass) {
            FrameFormat.validateResourceType(name);
            Objects.requireNonNull(stateClass, "stateClass");
            if (!stateClass.isRecord()) {
                throw new IllegalArgumentException("state of resource type '" + name + "' must be a record, not "
                        + stateClass.getName());
            }
            if (stateClass.getRecordComponents().length == 0) {
                throw new IllegalArgumentException("state record " + stateClass.getName() + " of resource type '"
                        + name + "' has no components");
            }
            this.name = name;
            this.stateClass = stateClass;
        }

        /**
         * Adds a custom domain event, named after its simple class name, schema version 1.
         *
         * @param eventClass the event record
         * @param id         its resource-local id, 1 to {@value ResourceType#MAX_EVENT_ID}, stable forever
         * @param applier    applies the event to the state; returns the new state, never null
         * @param <E>        the event record
         * @return this builder
         */
        public <E extends Record> Builder<S> event(Class<E> eventClass, int id, BiFunction<S, E, S> applier) {
            return event(eventClass, id, Objects.requireNonNull(eventClass, "eventClass").getSimpleName(), 1, applier);
        }

        /**
         * Adds a custom domain event.
         *
         * @param eventClass    the event record
         * @param id            its resource-local id, 1 to {@value ResourceType#MAX_EVENT_ID}, stable forever
         * @param name          its name, {@code [A-Za-z][A-Za-z0-9_]*}
         * @param schemaVersion 1 to 65535; a changed record needs a new schema version
         * @param applier       applies the event to the state; returns the new state, never null
         * @param <E>           the event record
         * @return this builder
         */
        public <E extends Record> Builder<S> event(Class<E> eventClass, int id, String name, int schemaVersion,
                                                   BiFunction<S, E, S> applier) {
            Objects.requireNonNull(eventClass, "eventClass");
            Objects.requireNonNull(applier, "applier");
            Objects.requireNonNull(name, "name");
            if (!eventClass.isRecord()) {
                throw new IllegalArgumentException("event " + eventClass.getName() + " of resource type '" + this.name
                        + "' must be a record");
            }
            if (eventClass == stateClass) {
                throw new IllegalArgumentException("the state record " + stateClass.getName()
                        + " cannot also be an event of resource type '" + this.name + "'");
            }
            if (id < 1 || id > MAX_EVENT_ID) {
                throw new IllegalArgumentException("event id of " + eventClass.getSimpleName() + " in resource type '"
                        + this.name + "' must be 1 to " + MAX_EVENT_ID + ", not " + id);
            }
            if (!name.matches("[A-Za-z][A-Za-z0-9_]{0,63}") || name.equals("Created") || name.equals("Updated")
                    || name.equals("Deleted")) {
                throw new IllegalArgumentException("event name '" + name + "' in resource type '" + this.name
                        + "' must match [A-Za-z][A-Za-z0-9_]{0,63} and not be Created, Updated or Deleted");
            }
            if (schemaVersion < 1 || schemaVersion > 0xFFFF) {
                throw new IllegalArgumentException("schema version of " + eventClass.getSimpleName() + " must be 1 to "
                        + "65535, not " + schemaVersion);
            }
            EventDefinition<S, ?> taken = events.get(id);
            if (taken != null) {
                throw new IllegalArgumentException("event id " + id + " of resource type '" + this.name
                        + "' is already " + taken.eventClass().getSimpleName());
            }
            for (EventDefinition<S, ?> d : events.values()) {
                if (d.eventClass() == eventClass || d.name().equals(name)) {
                    throw new IllegalArgumentException(eventClass.getSimpleName() + " (" + name + ") is already an "
                            + "event of resource type '" + this.name + "' with id " + d.id());
                }
            }
            events.put(id, new EventDefinition<>(eventClass, id, name, schemaVersion, applier));
            return this;
        }

        /**
         * Sets the schema version of the standard events; raise it when the state record changes shape.
         *
         * @param version 1 to 65535, default 1
         * @return this builder
         */
        public Builder<S> schemaVersion(int version) {
            if (version < 1 || version > 0xFFFF) {
                throw new IllegalArgumentException("schema version of resource type '" + name + "' must be 1 to "
                        + "65535, not " + version);
            }
            this.schemaVersion = version;
            return this;
        }

        /**
         * Adds a hook run after every action that recorded events, once they are durable, on the thread that
         * called the action (never the store's sequencer thread). Hooks run in the order added.
         *
         * @param hook the hook
         * @return this builder
         */
        public Builder<S> afterAction(AfterAction<S> hook) {
            afterActions.add(Objects.requireNonNull(hook, "hook"));
            return this;
        }

        /**
         * Sets when states are snapshotted.
         *
         * @param policy the policy; default {@link SnapshotPolicy#defaults()}
         * @return this builder
         */
        public Builder<S> snapshots(SnapshotPolicy policy) {
            this.snapshots = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /** @return the resource type */
        public ResourceType<S> build() {
            return new ResourceType<>(this);
        }
    }

    /** @return the custom event definitions by class, for lookups */
    Map<Class<?>, EventDefinition<S, ?>> eventsByClass() {
        Map<Class<?>, EventDefinition<S, ?>> m = new LinkedHashMap<>();
        for (EventDefinition<S, ?> d : events) {
            m.put(d.eventClass(), d);
        }
        return Collections.unmodifiableMap(m);
    }
}
