/**
 * Subscriptions and read models: each subscription's thread reads the journal with its own tailer
 * from its position (catch-up and live delivery are one sequential read), filters on frame headers,
 * delivers to the handler with retries and parking, and writes durable checkpoints
 * ({@link dev.hindsight.engine.internal.subscription.CheckpointFile}) and parked events
 * ({@link dev.hindsight.engine.internal.subscription.ParkedEventsFile}) in the subscription directory;
 * {@link dev.hindsight.engine.internal.subscription.ChronicleReadModel} keeps a read model in a
 * Chronicle Map exactly-once by storing the applied position in every entry. Implementation only: the
 * API is {@link dev.hindsight.engine.Subscription}, {@link dev.hindsight.engine.SubscriptionBuilder} and
 * {@link dev.hindsight.engine.ReadModel}.
 */
package dev.hindsight.engine.internal.subscription;
