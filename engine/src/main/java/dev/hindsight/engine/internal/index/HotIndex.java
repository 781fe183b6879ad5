package dev.hindsight.engine.internal.index;

import org.agrona.collections.Object2LongHashMap;
import org.agrona.collections.Object2ObjectHashMap;

/**
 * Entity -> head version, on-heap, for the sequencer's expected-version checks: two-level Agrona
 * maps (resource type, then entity id), so a lookup hashes two strings whose hash codes are cached
 * and allocates nothing. Not thread-safe: owned by the sequencer thread (asserted once bound).
 */
public final class HotIndex {
    private final Object2ObjectHashMap<String, Object2LongHashMap<String>> byType = new Object2ObjectHashMap<>();
    private Thread owner;
    private long entityCount;

    /** Binds the index to the calling thread: from now on only it may use it. */
    public void bindToCurrentThread() {
        owner = Thread.currentThread();
    }

    /**
     * @param resourceType the entity's resource type
     * @param entityId     the entity's id
     * @return its head version, 0 if it has no event
     */
    public long head(String resourceType, String entityId) {
        assert owner == null || Thread.currentThread() == owner : "hot index read off the sequencer thread";
        Object2LongHashMap<String> entities = byType.get(resourceType);
        return entities == null ? 0 : entities.getValue(entityId);
    }

    /**
     * @param resourceType the entity's resource type
     * @param entityId     the entity's id
     * @param headVersion  its new head version
     */
    public void put(String resourceType, String entityId, long headVersion) {
        assert owner == null || Thread.currentThread() == owner : "hot index written off the sequencer thread";
        Object2LongHashMap<String> entities = byType.get(resourceType);
        if (entities == null) {
            entities = new Object2LongHashMap<>(1024, 0.65f, 0);
            byType.put(resourceType, entities);
        }
        if (entities.put(entityId, headVersion) == 0) {
            entityCount++;
        }
    }

    /** @return how many entities have events */
    public long entityCount() {
        return entityCount;
    }
}
