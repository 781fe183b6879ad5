package dev.hindsight.engine.internal.index;

/**
 * Entity -> head version and, per version, the Chronicle index of the excerpt holding it and its
 * timestamp. Readers on any thread; one writer, the indexer thread, whose {@link #record} calls
 * become visible at {@link #flush()}. Implementations document their thread safety.
 */
public interface EntityIndex extends AutoCloseable {

    /** Receives head versions when the index is enumerated. */
    @FunctionalInterface
    interface HeadVisitor {
        /**
         * @param resourceType the entity's resource type
         * @param entityId     the entity's id
         * @param headVersion  its head version
         */
        void visit(String resourceType, String entityId, long headVersion);
    }

    /**
     * @param resourceType the entity's resource type
     * @param entityId     the entity's id
     * @return the entity's head version as far as indexed, 0 if none
     */
    long headVersion(String resourceType, String entityId);

    /**
     * @param resourceType the entity's resource type
     * @param entityId     the entity's id
     * @param version      1-based version
     * @return the Chronicle index of the excerpt holding that version, -1 if not indexed
     */
    long excerptIndex(String resourceType, String entityId, long version);

    /**
     * Records that {@code version} of an entity is in excerpt {@code excerptIndex}. Indexer thread only.
     *
     * @param resourceType   the entity's resource type
     * @param entityId       the entity's id
     * @param version        the version
     * @param excerptIndex   where it is
     * @param timestampNanos its timestamp
     */
    void record(String resourceType, String entityId, long version, long excerptIndex, long timestampNanos);

    /** Makes every recorded entry visible to readers. Indexer thread only. */
    void flush();

    /** @param visitor receives every entity and its head version */
    void forEachHead(HeadVisitor visitor);

    /** @return how many entities are indexed */
    long entityCount();

    @Override
    void close();
}
