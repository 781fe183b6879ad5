package dev.hindsight.engine.internal.subscription;

import dev.hindsight.engine.EventHandler;
import dev.hindsight.engine.EventView;
import dev.hindsight.engine.ReadModel;

import java.time.Instant;

/**
 * A subscription as configured by {@link DefaultSubscriptionBuilder}, validated. Immutable.
 *
 * @param name                    the subscription's name
 * @param startKind               where it starts without a checkpoint
 * @param startPosition           for {@link StartKind#POSITION}
 * @param startInstant            for {@link StartKind#INSTANT}
 * @param filter                  which events it delivers
 * @param durable                 keep a checkpoint and parked events in files
 * @param retries                 handler calls after the first before parking
 * @param backoffFirstNanos       the first retry's wait
 * @param backoffMaxNanos         the longest wait
 * @param checkpointIntervalNanos the most time between checkpoints while events flow
 * @param handler                 a decoded-event handler, or null
 * @param viewHandler             a view handler, or null
 * @param model                   a read model, or null
 * @param projection              the read model's projection, or null
 */
record SubscriptionConfig(String name, StartKind startKind, long startPosition, Instant startInstant, EventFilter filter,
                          boolean durable, int retries, long backoffFirstNanos, long backoffMaxNanos,
                          long checkpointIntervalNanos, EventHandler handler, EventView.Handler viewHandler,
                          ChronicleReadModel<Object> model, ReadModel.Projection<Object> projection) {

    /** Where a subscription without a checkpoint starts. */
    enum StartKind {
        START, POSITION, INSTANT, NOW
    }
}
