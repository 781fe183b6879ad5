package dev.hindsight.engine;

import java.time.Instant;

/**
 * An event a subscription's handler kept failing on: set aside after the configured retries, kept
 * (durably, for a durable subscription) with its last error until it is retried on demand with
 * {@link Subscription#retryParked()} or dropped by {@link Subscription#resetTo(long)}. Immutable,
 * thread-safe.
 *
 * @param subscription the subscription's name
 * @param position     the event's global position
 * @param attempts     how many times the handler was called for it and failed
 * @param lastError    the last failure: exception class and message (at most 2,000 characters)
 * @param firstParked  when it was parked
 * @param lastAttempt  when the handler last failed on it
 */
public record ParkedEvent(String subscription, long position, int attempts, String lastError, Instant firstParked,
                          Instant lastAttempt) {
}
