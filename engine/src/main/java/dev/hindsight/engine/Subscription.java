package dev.hindsight.engine;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A running subscription: a thread of its own that reads the journal from the subscription's
 * position, delivers every matching event to the handler in global order, and switches from catch-up
 * to following new appends with no gap and no duplicate (both are the same sequential read of the
 * journal). Started with {@link EventStore#subscription(String)}.
 *
 * <p>Its position is the next global position it delivers: every event before it was handled,
 * parked, or filtered out. A durable subscription writes its position to a checkpoint after handlers
 * return (at most every {@link SubscriptionBuilder#checkpointInterval(Duration) checkpoint interval},
 * when it catches up, and when it closes), so after a restart or a crash it resumes from its last
 * checkpoint (at-least-once).
 *
 * <p>Thread safety: thread-safe. Any thread may read its progress, retry parked events, reset or
 * close it; the handler itself only ever runs on the subscription's thread, and {@link #retryParked()}
 * and {@link #resetTo(long)} are carried out there, between two events.
 */
public interface Subscription extends AutoCloseable {

    /** @return the subscription's name */
    String name();

    /** @return the next global position to deliver; every event before it was handled, parked or filtered out */
    long position();

    /** @return the position last written to the durable checkpoint (for a non-durable subscription, {@link #position()}) */
    long checkpointedPosition();

    /** @return how many events the store holds at or after {@link #position()} */
    long lag();

    /** @return true until the subscription is closed or has failed */
    boolean isRunning();

    /**
     * @return why the subscription stopped (a damaged journal, a handler that threw an {@link Error}, a
     *     checkpoint that could not be written), or null while it runs or after a clean close
     */
    Throwable failure();

    /** @return the parked events, in position order */
    List<ParkedEvent> parkedEvents();

    /**
     * Retries every parked event once, in position order, on the subscription's thread (between two
     * events of the stream, so a retried event arrives after newer ones). An event whose handler now
     * returns is removed from the parked list; one that fails again stays parked with its attempts
     * and error updated.
     *
     * @return completes with how many parked events were handled, or exceptionally if the
     *     subscription stops first
     */
    CompletableFuture<Integer> retryParked();

    /**
     * Moves the subscription to {@code position}, on its thread: it delivers from there on, forgets
     * its parked events and writes its checkpoint. A subscription with a {@link ReadModel} can only be
     * reset to 0: the read model is cleared and rebuilt from the journal.
     *
     * @param position 0 to the store's event count
     * @return completes when the subscription stands at {@code position}
     * @throws IllegalArgumentException if the position is negative or beyond the store's end, or is
     *                                  not 0 for a read-model projection
     */
    CompletableFuture<Void> resetTo(long position);

    /**
     * Waits until the subscription's position reaches {@code position}.
     *
     * @param position the position to wait for
     * @param timeout  how long to wait at most
     * @return true if it got there, false on timeout or if the subscription stopped first
     * @throws InterruptedException if the calling thread is interrupted
     */
    boolean awaitPosition(long position, Duration timeout) throws InterruptedException;

    /**
     * Stops the subscription: lets the handler finish the event in hand, writes the checkpoint and
     * ends the thread (a handler that does not return within 10 s is interrupted). Idempotent; closing
     * the store closes its subscriptions. Called from the subscription's own handler, it returns at
     * once and the thread stops when the handler returns; called again from another thread, it waits
     * for that.
     */
    @Override
    void close();
}
