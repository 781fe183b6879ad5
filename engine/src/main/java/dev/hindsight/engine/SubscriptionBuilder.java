package dev.hindsight.engine;

import java.time.Duration;
import java.time.Instant;

/**
 * Configures a subscription to the store's global log; obtained from {@link EventStore#subscription(String)}.
 * Every setting has a validated default; invalid values are rejected when set, with the value in the message.
 *
 * <pre>{@code
 * // a live view of orders, from the start of the store, resumed from its checkpoint after a restart
 * try (Subscription orders = store.subscription("order-mailer")
 *         .resourceTypes("order")
 *         .eventTypes("order.Created")
 *         .handler(e -> mailer.confirm(e.entityId(), e.event()))
 *         .start()) {
 *     ...
 * }
 * }</pre>
 *
 * <h2>Where it starts</h2>
 * A durable subscription with a checkpoint resumes from it; the {@code from...} setting applies only
 * when there is none yet (the first start, or after its files were deleted). Use
 * {@link Subscription#resetTo(long)} to move a subscription that has a checkpoint.
 *
 * <h2>Delivery guarantees</h2>
 * At-least-once: the checkpoint is written after handlers return, so a crash redelivers the events
 * handled since the last checkpoint. For exactly-once effects, commit the position with the effect:
 * <ul>
 *   <li>a read model in a Chronicle Map: {@link #projection(ReadModel, ReadModel.Projection)}, which
 *       keeps the applied position inside every entry it writes (see {@link ReadModel});</li>
 *   <li>your own database: write {@code event.position()} in the same transaction as the effect
 *       (for example a row {@code (subscription, next_position)}), skip events below the stored
 *       position, and start the subscription {@link #fromPosition(long) from} the stored position
 *       with {@link #durable(boolean) durable(false)}: the database is then the only checkpoint.</li>
 * </ul>
 * A publisher to an external platform is just another handler: publish, then return; idempotent keys
 * ({@code position}) make the platform's side exactly-once.
 *
 * <p>Thread safety: not thread-safe; configure on one thread, then {@link #start()}.
 */
public interface SubscriptionBuilder {

    /** Delivers from position 0: the whole log (the default). @return this builder */
    SubscriptionBuilder fromStart();

    /**
     * @param position the first position to deliver: 0 to the store's current event count
     * @return this builder
     * @throws IllegalArgumentException if negative or beyond the store's end
     */
    SubscriptionBuilder fromPosition(long position);

    /**
     * @param instant deliver the events recorded at or after this instant (sequencer timestamps)
     * @return this builder
     * @throws IllegalArgumentException if the instant is in the future
     */
    SubscriptionBuilder fromInstant(Instant instant);

    /** Delivers only events appended after {@link #start()}. @return this builder */
    SubscriptionBuilder fromNow();

    /**
     * Delivers only events of these resource types (the default: all).
     *
     * @param resourceTypes resource types a registered {@link ResourceType} has, or that have entities in the store
     * @return this builder
     * @throws IllegalArgumentException for an invalid or unknown resource type, naming the known ones
     */
    SubscriptionBuilder resourceTypes(String... resourceTypes);

    /**
     * Delivers only events of these types (the default: all).
     *
     * @param eventTypes names in the schema catalog, e.g. {@code OrderPlaced} or {@code order.Created}
     * @return this builder
     * @throws IllegalArgumentException for a name the catalog does not have, naming the known ones
     */
    SubscriptionBuilder eventTypes(String... eventTypes);

    /**
     * Delivers only events of these registered classes (the default: all).
     *
     * @param eventClasses registered event records (a resource type's standard events are filtered by name)
     * @return this builder
     * @throws IllegalArgumentException for a class that is not registered
     */
    SubscriptionBuilder eventTypes(Class<?>... eventClasses);

    /**
     * @param durable true (the default) to keep a checkpoint and parked events in files and resume
     *                after a restart; false to start from the {@code from...} setting every time and
     *                keep parked events in memory only
     * @return this builder
     */
    SubscriptionBuilder durable(boolean durable);

    /**
     * @param retries how many times a failing handler is called again (with backoff) before the event is
     *                parked: 0 to 100; default 3
     * @return this builder
     */
    SubscriptionBuilder retries(int retries);

    /**
     * @param first the wait before the first retry, doubled for each next one: 0 to 1 minute; default 10 ms
     * @param max   the longest wait: at least {@code first}, at most 10 minutes; default 1 s
     * @return this builder
     */
    SubscriptionBuilder retryBackoff(Duration first, Duration max);

    /**
     * @param interval the most time between two checkpoint writes while events flow (each write is an
     *                 atomic file replace with fsync); 0 writes one after every batch of events.
     *                 0 to 1 hour; default 100 ms. A checkpoint is also written when the subscription
     *                 catches up and when it closes.
     * @return this builder
     */
    SubscriptionBuilder checkpointInterval(Duration interval);

    /**
     * @param handler receives each event, decoded
     * @return this builder
     */
    SubscriptionBuilder handler(EventHandler handler);

    /**
     * @param handler receives each event as a flyweight view, decoded only on demand (no allocation per
     *                event unless the handler asks for it)
     * @return this builder
     */
    SubscriptionBuilder viewHandler(EventView.Handler handler);

    /**
     * Keeps a read model exactly-once: every change the projection stages for an event is committed
     * into the model's Chronicle Map together with the event's position, and an event whose position a
     * key has already applied is skipped for that key. The subscription resumes from the read model's
     * own checkpoint. See {@link ReadModel} for an example.
     *
     * @param model      an open read model, bound to this subscription's name on start
     * @param projection stages the changes of one event
     * @param <V>        the model's value type
     * @return this builder
     */
    <V> SubscriptionBuilder projection(ReadModel<V> model, ReadModel.Projection<V> projection);

    /**
     * Starts the subscription's thread.
     *
     * @return the running subscription
     * @throws IllegalStateException    if no handler was set, or a subscription of this name already runs in
     *                                  this store (one consumer per name), or a durable subscription is
     *                                  started on a read-only store without a subscription directory
     * @throws IllegalArgumentException if the checkpoint or read model belongs to another store or subscription
     * @throws dev.hindsight.codec.CorruptFrameException if the checkpoint or parked-events file is damaged
     *                                  (naming the file and position)
     */
    Subscription start();
}
