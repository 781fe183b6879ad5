package dev.hindsight.engine;

import dev.hindsight.codec.EventMetadata;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * The entities of one {@link ResourceType} in one store: actions that record events, and reads that rebuild
 * state by replaying them. Obtained from {@link EventStore#resource(ResourceType)}.
 *
 * <pre>{@code
 * Resource<Order> orders = store.resource(ORDER);
 * orders.as("alice").withCorrelation("checkout-42").create("order-123", new Order("alice", 500, "pending", null));
 * orders.update("order-123", Map.of("amount", 600L));
 * orders.act("order-123", o -> List.of(new PaymentReceived("pay-1", o.amount())));
 * Order now = orders.get("order-123").orElseThrow();
 * }</pre>
 *
 * <p><b>Actions</b> ({@link #create}, {@link #update}, {@link #destroy}, {@link #act}) read the entity's current
 * state, decide, and append their events atomically with the version they read as the expected version. On a
 * version conflict (another action got there first) the decision is re-run against the fresh state, up to
 * {@link EventStoreBuilder#actionRetries(int)} times, then the {@link WrongExpectedVersionException} is thrown.
 * A refused action (bad input, a failed validation) records nothing. After an action that recorded events, the
 * type's {@link AfterAction} hooks run on the calling thread.
 *
 * <p><b>Metadata</b>: every event records the metadata of the view it was recorded through. {@link #as},
 * {@link #withCorrelation}, {@link #withCausation}, {@link #withReason}, {@link #withIdempotencyKey} and
 * {@link #withMetadata} return a view with more metadata; the original is unchanged.
 *
 * <p><b>Idempotency</b>: an action through a view with an idempotency key records its events only if no event
 * of the entity already carries that key; otherwise it records nothing and returns the first call's events
 * with {@link ActionResult#duplicate()} set. Keys are per entity and kept forever (in the events' metadata
 * attribute {@value #IDEMPOTENCY_KEY_ATTRIBUTE}).
 *
 * <p><b>Thread safety:</b> thread-safe; views are immutable. Any number of threads may act on the same and on
 * different entities: no update is lost, and an entity's state always equals the replay of its history.
 *
 * @param <S> the state record
 */
public interface Resource<S extends Record> {
    /** The metadata attribute that carries an action's idempotency key. */
    String IDEMPOTENCY_KEY_ATTRIBUTE = "idempotency-key";

    /** @return the resource type */
    ResourceType<S> type();

    /**
     * Creates an entity, recording a {@link dev.hindsight.codec.Created} event with every attribute.
     *
     * @param id    the entity id: 1 to 256 UTF-8 bytes, no control characters
     * @param state the initial state
     * @return the Created event and the state
     * @throws ResourceExistsException if the id exists (or existed: destroyed entities keep their id)
     */
    ActionResult<S> create(String id, S state);

    /**
     * Changes some attributes, recording a {@link dev.hindsight.codec.Updated} event holding only the attributes
     * whose value changed, with old and new values; records nothing when nothing changed.
     *
     * @param id      the entity id
     * @param changes attribute (record component) name to new value, boxed for primitive attributes, with
     *                exactly the attribute's type
     * @return the Updated event (or none) and the state
     * @throws ResourceNotFoundException if the entity does not exist or was destroyed
     * @throws IllegalArgumentException  for an unknown attribute, a value of the wrong type, or a null for a
     *                                   primitive attribute
     */
    ActionResult<S> update(String id, Map<String, ?> changes);

    /**
     * Changes the state through a function of the current state, recording a {@link dev.hindsight.codec.Updated}
     * event with the attributes that differ; records nothing when nothing changed. The function may be re-run
     * on a version conflict.
     *
     * @param id     the entity id
     * @param change the current state to the new state (not null)
     * @return the Updated event (or none) and the state
     * @throws ResourceNotFoundException if the entity does not exist or was destroyed
     */
    ActionResult<S> update(String id, UnaryOperator<S> change);

    /**
     * Destroys an entity, recording a {@link dev.hindsight.codec.Deleted} event. Its data is kept: {@link #get}
     * no longer returns it, {@link #find}, {@link #history} and {@link #rebuild} still do.
     *
     * @param id the entity id
     * @return the Deleted event and the last state, marked deleted
     * @throws ResourceNotFoundException if the entity does not exist or was already destroyed
     */
    ActionResult<S> destroy(String id);

    /**
     * Runs a custom domain action: {@code action} reads the current state, validates and returns the custom
     * events to record, which are applied to the state and appended atomically.
     *
     * @param id     the entity id
     * @param action the decision; may be re-run on a version conflict
     * @return the events recorded and the state after them
     * @throws ResourceNotFoundException if the entity does not exist or was destroyed
     * @throws IllegalArgumentException  if the action returns an event that is not a custom event of this type
     */
    ActionResult<S> act(String id, ResourceAction<S> action);

    /**
     * @param id the entity id
     * @return the current state, or empty if the entity does not exist or was destroyed
     */
    Optional<S> get(String id);

    /**
     * @param id the entity id
     * @return the current state with its version, deleted flag and timestamps, or empty if the entity never
     *     existed
     */
    Optional<ResourceState<S>> find(String id);

    /**
     * @param id the entity id
     * @return the entity's full audit trail: every event in version order, typed, with metadata; empty if it never
     *     existed
     */
    List<RecordedEvent> history(String id);

    /**
     * Replays the entity's events from its first, ignoring every cache; for verification.
     *
     * @param id the entity id
     * @return the state rebuilt from the journal, or empty if the entity never existed
     */
    Optional<ResourceState<S>> rebuild(String id);

    /**
     * Snapshots the entity's current state now (for {@link SnapshotPolicy#onDemand()}, or between the automatic
     * snapshots of {@link SnapshotPolicy#every(int)}), and returns once it is stored.
     *
     * @param id the entity id
     * @throws ResourceNotFoundException     if the entity does not exist
     * @throws UnsupportedOperationException if snapshots are off for this type or the store is read-only
     */
    void snapshot(String id);

    // ------------------------------------------------------------------ time travel

    /**
     * The entity's state as of an instant: including every event whose timestamp is at or before it. Timestamps
     * are the sequencer's (epoch nanoseconds, never decreasing even when the wall clock steps back; events of
     * one action share one).
     *
     * @param id      the entity id
     * @param instant the instant (inclusive)
     * @return the state then (a destroyed entity shows as deleted), or empty if it did not exist yet
     * @throws NullPointerException if {@code instant} is null
     */
    Optional<ResourceState<S>> asOf(String id, java.time.Instant instant);

    /**
     * @param id      the entity id
     * @param version 1 to the entity's head version
     * @return the state after exactly {@code version} events
     * @throws IllegalArgumentException if the version is below 1 or beyond the entity's head
     */
    ResourceState<S> atVersion(String id, long version);

    /**
     * The entity's state as of a global position: including every one of its events at or before it.
     *
     * @param id       the entity id
     * @param position 0 to the store's last position
     * @return the state then, or empty if it did not exist yet
     * @throws IllegalArgumentException if the position is negative or beyond the log
     */
    Optional<ResourceState<S>> asOfPosition(String id, long position);

    /**
     * Every entity of this type as of an instant, as a lazy stream: entities are visited one at a time, so it
     * works for millions of entities without holding them all. Entities that did not exist yet are left out;
     * destroyed ones are included, marked deleted. The order is unspecified.
     *
     * @param instant the instant (inclusive)
     * @return the states
     */
    java.util.stream.Stream<ResourceState<S>> allAsOf(java.time.Instant instant);

    /**
     * What changed between two instants: the events after {@code from} up to and including {@code to}, and the
     * attribute-level difference.
     *
     * @param id   the entity id
     * @param from the first instant
     * @param to   the second instant, not before {@code from}
     * @return the changes
     */
    ResourceChanges<S> changes(String id, java.time.Instant from, java.time.Instant to);

    /**
     * What changed between two versions: the events {@code fromVersion + 1 .. toVersion}, and the difference.
     *
     * @param id          the entity id
     * @param fromVersion 0 (before creation) to {@code toVersion}
     * @param toVersion   up to the head version
     * @return the changes
     */
    ResourceChanges<S> changes(String id, long fromVersion, long toVersion);

    /**
     * @param actor who acts, e.g. a user id
     * @return a view recording {@code actor} on its events
     */
    Resource<S> as(String actor);

    /**
     * @param correlationId the id tying together everything done for one request or workflow
     * @return a view recording it on its events
     */
    Resource<S> withCorrelation(String correlationId);

    /**
     * @param causationId the id of what caused this action (a command or another event)
     * @return a view recording it on its events
     */
    Resource<S> withCausation(String causationId);

    /**
     * @param reason why, in words
     * @return a view recording it on its events
     */
    Resource<S> withReason(String reason);

    /**
     * @param key a key naming one logical action, e.g. a request id; a retried action with the same key on the
     *            same entity records its events once
     * @return a view acting idempotently under {@code key}
     */
    Resource<S> withIdempotencyKey(String key);

    /**
     * @param metadata the metadata to record (replacing this view's)
     * @return a view recording it on its events
     */
    Resource<S> withMetadata(EventMetadata metadata);

    /** @return the metadata this view records */
    EventMetadata metadata();
}
