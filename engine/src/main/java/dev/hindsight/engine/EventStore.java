package dev.hindsight.engine;

import dev.hindsight.codec.EventMetadata;
import dev.hindsight.codec.SchemaCatalog;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/**
 * An embedded event store on a local directory: an append-only journal of immutable events, each
 * belonging to one entity ({@code resourceType/entityId}) at a gapless version, all in one gapless
 * global order.
 *
 * <pre>{@code
 * try (EventStore store = EventStore.builder(Path.of("data"))
 *         .register(OrderPlaced.class, 1)
 *         .open()) {
 *     store.append("order", "order-123", ExpectedVersion.NO_STREAM, new OrderPlaced("alice", 500));
 *     List<RecordedEvent> events = store.readEntity("order", "order-123", 1);
 * }
 * }</pre>
 *
 * <p><b>Thread safety:</b> thread-safe. Any thread may append and read. Appends are handed to the
 * store's single sequencer thread, which checks expected versions, assigns positions, versions and
 * timestamps and writes the journal; the calling thread waits for the acknowledgement (see
 * {@link Durability}). Reads see every append acknowledged before they started.
 *
 * <p>A store holds files and threads: always {@link #close()} it. {@code close()} waits for every
 * acknowledged append to be indexed and leaves the store clean; a store that was not closed (a
 * crash) is recovered from its journal on the next open.
 */
public interface EventStore extends AutoCloseable {

    /**
     * Starts configuring a store that writes to {@code directory} (created if missing).
     *
     * @param directory the store's directory
     * @return a builder with validated defaults
     */
    static EventStoreBuilder builder(Path directory) {
        return new EventStoreBuilder(directory);
    }

    /**
     * Appends one event to an entity.
     *
     * @param resourceType    the entity's resource type, {@code [a-z][a-z0-9_-]*}, at most 64 bytes
     * @param entityId        the entity's id: 1 to 256 UTF-8 bytes, no control characters
     * @param expectedVersion {@link ExpectedVersion#ANY}, {@link ExpectedVersion#NO_STREAM} or the exact head version
     * @param event           an instance of a registered event record
     * @return what the sequencer assigned
     * @throws WrongExpectedVersionException if the entity is at another version; nothing is written
     * @throws IllegalArgumentException      for an invalid id, an unregistered event class or an event over the size limit
     * @throws StoreClosedException          if the store is closed
     */
    default AppendResult append(String resourceType, String entityId, long expectedVersion, Object event) {
        return append(resourceType, entityId, expectedVersion, event, EventMetadata.NONE);
    }

    /**
     * Appends one event with metadata. See {@link #append(String, String, long, Object)}.
     *
     * @param resourceType    the entity's resource type
     * @param entityId        the entity's id
     * @param expectedVersion the expected head version, {@link ExpectedVersion#ANY} or {@link ExpectedVersion#NO_STREAM}
     * @param event           an instance of a registered event record
     * @param metadata        actor, correlation and causation ids, reason, attributes
     * @return what the sequencer assigned
     */
    AppendResult append(String resourceType, String entityId, long expectedVersion, Object event, EventMetadata metadata);

    /**
     * Appends several events to one entity atomically: all of them at contiguous versions, or none.
     *
     * @param resourceType    the entity's resource type
     * @param entityId        the entity's id
     * @param expectedVersion the expected head version, {@link ExpectedVersion#ANY} or {@link ExpectedVersion#NO_STREAM}
     * @param events          1 to {@value dev.hindsight.engine.EventStoreBuilder#MAX_BATCH_EVENTS} registered event records
     * @param metadata        metadata recorded with every event of the batch
     * @return what the sequencer assigned
     */
    AppendResult appendAll(String resourceType, String entityId, long expectedVersion, List<?> events, EventMetadata metadata);

    /**
     * @param resourceType the entity's resource type
     * @param entityId     the entity's id
     * @return the entity's version: the number of its events, 0 if it has none
     */
    long headVersion(String resourceType, String entityId);

    /**
     * Reads an entity's events from {@code fromVersion} (inclusive) to its head, in version order,
     * without scanning the journal: the entity index says where each version is.
     *
     * @param resourceType the entity's resource type
     * @param entityId     the entity's id
     * @param fromVersion  the first version to read, 1 or more
     * @return the events, empty if the entity has fewer than {@code fromVersion} events
     */
    List<RecordedEvent> readEntity(String resourceType, String entityId, long fromVersion);

    /**
     * Reads versions {@code fromVersion..toVersion} (inclusive) of an entity, in version order.
     *
     * @param resourceType the entity's resource type
     * @param entityId     the entity's id
     * @param fromVersion  the first version, 1 or more
     * @param toVersion    the last version, at least {@code fromVersion} and at most the head version
     * @return the events
     * @throws IllegalArgumentException if the range is empty, starts below 1 or ends beyond the head
     */
    List<RecordedEvent> readEntity(String resourceType, String entityId, long fromVersion, long toVersion);

    /**
     * The entity's version as of an instant: its last version whose timestamp is at or before {@code instant}.
     * Timestamps come from the sequencer (epoch nanoseconds) and never decrease, even when the wall clock
     * steps back, so this is a binary search over the entity's index.
     *
     * @param resourceType the entity's resource type
     * @param entityId     the entity's id
     * @param instant      the instant (inclusive)
     * @return the version, 0 if the entity had no event at or before {@code instant}
     */
    long versionAt(String resourceType, String entityId, java.time.Instant instant);

    /**
     * Reads one version of an entity directly.
     *
     * @param resourceType the entity's resource type
     * @param entityId     the entity's id
     * @param version      the version, 1 to the head version
     * @return the event at that version
     * @throws IllegalArgumentException if the entity has no such version
     */
    RecordedEvent readVersion(String resourceType, String entityId, long version);

    /**
     * Reads the global log from {@code fromPosition} (inclusive), in position order.
     *
     * @param fromPosition the first position, 0 or more
     * @param maxEvents    the most events to deliver, 1 or more
     * @param consumer     called on the calling thread for each event
     * @return how many events were delivered
     */
    int readAll(long fromPosition, int maxEvents, Consumer<RecordedEvent> consumer);

    /**
     * @param fromPosition the first position, 0 or more
     * @param maxEvents    the most events to return
     * @return up to {@code maxEvents} events from {@code fromPosition}
     */
    List<RecordedEvent> readAll(long fromPosition, int maxEvents);

    /**
     * The entities of a resource type registered with {@link EventStoreBuilder#resource(ResourceType)}.
     *
     * @param type the resource type
     * @param <S>  its state record
     * @return its entities (a view without metadata); on a read-only store, actions throw
     *     {@link UnsupportedOperationException}
     * @throws IllegalArgumentException if the resource type was not registered with this store's builder
     */
    <S extends Record> Resource<S> resource(ResourceType<S> type);

    /**
     * Starts configuring a subscription to the global log: catch-up from a position, instant or the
     * start, then live delivery of new appends, on a thread of its own. See {@link SubscriptionBuilder}.
     *
     * <pre>{@code
     * try (Subscription s = store.subscription("audit-log").fromStart().handler(e -> log(e)).start()) { ... }
     * }</pre>
     *
     * @param name the subscription's name: 1 to 64 characters of {@code [a-z0-9._-]}; a durable
     *             subscription's files are named after it, and one subscription per name runs at a time
     * @return a builder
     * @throws IllegalArgumentException if the name is invalid
     * @throws StoreClosedException     if the store is closed
     */
    SubscriptionBuilder subscription(String name);

    /**
     * @return the subscriptions running in this store and those with a checkpoint in its subscription
     *     directory (for a read-only store without one, the store's own), by name
     */
    List<SubscriptionStatus> subscriptions();

    /** @return the number of events in the store, which is also the next global position */
    long eventCount();

    /** @return the store's schema catalog: every registered event type and schema version */
    SchemaCatalog catalog();

    /** @return the store's directory */
    Path directory();

    /** @return what opening the store had to repair (index rebuilt, torn tail cut), for logs and tests */
    RecoveryReport recoveryReport();

    /** @return true if this store was opened read-only */
    boolean isReadOnly();

    /** Waits for acknowledged appends to be indexed, stops the store's threads and releases its files. Idempotent. */
    @Override
    void close();
}
