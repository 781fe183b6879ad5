package dev.hindsight.engine.internal.snapshot;

/**
 * One entity's snapshots: its key and its {@link Ladder}, replaced (never modified) by the store's
 * writer and read by any thread through the volatile field.
 */
final class SnapshotEntity {
    final String resourceType;
    final String entityId;
    /** The current ladder; never null once the entity is in the store's map. */
    volatile long[] ladder;

    SnapshotEntity(String resourceType, String entityId) {
        this.resourceType = resourceType;
        this.entityId = entityId;
    }
}
