package dev.hindsight.engine;

import java.util.List;

/**
 * What a store knows about one subscription: from the running subscription if it runs in this
 * store, else from its durable checkpoint and parked-event files. For tools (the CLI's {@code info})
 * and monitoring. Immutable, thread-safe.
 *
 * @param name         the subscription's name
 * @param running      true if it runs in this store now
 * @param position     the next position it delivers (running) or resumes from (checkpoint)
 * @param lag          events in the store at or after {@code position}
 * @param parkedEvents its parked events, in position order
 * @param problem      why it stopped, or why its files could not be read (then {@code position} and
 *                     {@code lag} are -1); empty if none
 */
public record SubscriptionStatus(String name, boolean running, long position, long lag, List<ParkedEvent> parkedEvents,
                                 String problem) {
    /** Copies the list. */
    public SubscriptionStatus {
        parkedEvents = List.copyOf(parkedEvents);
    }
}
