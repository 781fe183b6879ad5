package dev.hindsight.engine;

import java.time.Instant;

/**
 * What the sequencer assigned to an acknowledged append of {@code count} events of one entity:
 * global positions {@code firstPosition .. firstPosition + count - 1} and entity versions
 * {@code firstVersion .. firstVersion + count - 1}, all with one timestamp. Immutable, thread-safe.
 *
 * @param firstPosition   global position of the first event (0-based, gapless across the store)
 * @param firstVersion    entity version of the first event (1-based, gapless per entity)
 * @param count           how many events were appended
 * @param timestampNanos  the sequencer's timestamp, epoch nanoseconds
 */
public record AppendResult(long firstPosition, long firstVersion, int count, long timestampNanos) {
    /** @return the global position of the last event appended */
    public long lastPosition() {
        return firstPosition + count - 1;
    }

    /** @return the entity's version after this append */
    public long lastVersion() {
        return firstVersion + count - 1;
    }

    /** @return the timestamp as an instant */
    public Instant timestamp() {
        return Instant.ofEpochSecond(0, timestampNanos);
    }
}
