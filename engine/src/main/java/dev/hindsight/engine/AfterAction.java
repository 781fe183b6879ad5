package dev.hindsight.engine;

/**
 * A hook run after a resource action recorded its events, once they are durable (see {@link Durability}), on
 * the thread that called the action, never on the store's sequencer thread. A retried action whose idempotency
 * key was already used, and an action that recorded nothing, run no hook. If a hook throws, the remaining hooks
 * still run and the action throws {@link AfterActionException}; the events stay recorded.
 *
 * <p>Implementations must be thread-safe: actions on several threads run hooks concurrently.
 *
 * @param <S> the state record
 */
@FunctionalInterface
public interface AfterAction<S extends Record> {
    /**
     * @param result what the action recorded and the state after it
     */
    void afterAction(ActionResult<S> result);
}
