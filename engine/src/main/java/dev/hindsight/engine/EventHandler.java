package dev.hindsight.engine;

/**
 * Receives the events of a {@link Subscription}, decoded, one at a time, in global order, on the
 * subscription's own thread (never the sequencer's). A handler that throws is retried with backoff;
 * after the configured retries the event is parked and the subscription moves on (see
 * {@link SubscriptionBuilder#retries(int)}).
 *
 * <p>Delivery is at-least-once: after a crash, events handled since the last checkpoint are
 * delivered again, so a handler must tolerate seeing an event twice (or keep its own checkpoint in
 * the same transaction as its effects: see {@link SubscriptionBuilder}).
 *
 * <p>Thread safety: called by one thread at a time (the subscription's), so an implementation needs
 * no locking for state only it touches.
 */
@FunctionalInterface
public interface EventHandler {
    /**
     * @param event the event; immutable, may be kept
     * @throws Exception to have the event retried, then parked
     */
    void handle(RecordedEvent event) throws Exception;
}
