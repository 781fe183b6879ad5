package dev.hindsight.engine.internal.subscription;

import dev.hindsight.codec.EventCodec;
import dev.hindsight.engine.internal.journal.Journal;

import java.nio.file.Path;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * What subscriptions need of their store. Immutable; the suppliers are thread-safe.
 *
 * @param storeName           the store's directory, for messages
 * @param markerFile          the store marker (its creation time is the store id)
 * @param journal             the journal to read
 * @param codec               decodes payloads
 * @param maxFrameBytes       the largest valid frame
 * @param readOnly            true if the store is open read-only (no bound on delivery but the journal's end)
 * @param forceOnCheckpoint   true to force read models to disk before their checkpoints (OS_CRASH)
 * @param deliverableEnd      a writing store's acknowledged position: events before it may be delivered
 * @param eventCount          the store's event count
 * @param resourceTypes       the resource types the store knows (registered or with entities)
 * @param refreshCatalog      re-reads the schema catalog file (a read-only store following a writer that
 *                            registered new types); true if it learnt something
 * @param writableDirectory   where durable subscriptions keep their files; null if none (read-only store)
 * @param listingDirectory    where to look for subscriptions' files when listing them
 */
public record SubscriptionHost(String storeName, Path markerFile, Journal journal, EventCodec codec, int maxFrameBytes,
                               boolean readOnly, boolean forceOnCheckpoint, LongSupplier deliverableEnd,
                               LongSupplier eventCount, Supplier<Set<String>> resourceTypes, BooleanSupplier refreshCatalog,
                               Path writableDirectory, Path listingDirectory) {
}
