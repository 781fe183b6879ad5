package dev.hindsight.tools.check;

/**
 * What a finished journal scan found, for {@link ArtifactCheck#finish}. Immutable, thread-safe.
 *
 * @param events             readable events
 * @param nextPosition       one past the highest global position read (the store's event count if the journal is whole)
 * @param damaged            true if any excerpt or region of the journal could not be read
 * @param excerptIndicesKnown false if damage made some excerpts' Chronicle indices unknown
 * @param lastTimestampNanos the last event's timestamp, epoch ns (0 if none)
 * @param entities           every entity met, with its head version and timestamps
 */
public record JournalSummary(long events, long nextPosition, boolean damaged, boolean excerptIndicesKnown,
                             long lastTimestampNanos, Entities entities) {
}
