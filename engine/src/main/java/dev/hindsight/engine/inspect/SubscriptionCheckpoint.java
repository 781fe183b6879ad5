package dev.hindsight.engine.inspect;

import java.nio.file.Path;

/**
 * A durable subscription's checkpoint file ({@code subscriptions/NAME.ckpt}, layout in docs/format.md).
 * Immutable, thread-safe.
 *
 * @param file            the file
 * @param name            the subscription's name
 * @param storeId         the store it belongs to (the store marker's creation time, epoch ms)
 * @param position        the next global position it delivers
 * @param writtenAtMillis when it was written, epoch ms
 */
public record SubscriptionCheckpoint(Path file, String name, long storeId, long position, long writtenAtMillis) {
}
