package dev.hindsight.tools.check;

/**
 * The entities a journal scan has met so far, by ordinal (0, 1, 2, ... in order of first appearance), with
 * what the scan knows of each: resource type, id, head version (the highest version read), first and last
 * timestamps. Memory is per entity, never per event (about 150 bytes plus the id's length). Read-only view; not thread-safe (it belongs to the scanning thread).
 */
public interface Entities {
    /** @return how many entities the scan has met */
    int count();

    /** @param entity an ordinal @return its resource type */
    String resourceType(int entity);

    /** @param entity an ordinal @return its id */
    String entityId(int entity);

    /** @param entity an ordinal @return the highest version read so far */
    long headVersion(int entity);

    /** @param entity an ordinal @return its first event's timestamp, epoch ns */
    long firstTimestamp(int entity);

    /** @param entity an ordinal @return its latest event's timestamp, epoch ns */
    long lastTimestamp(int entity);

    /**
     * @param entity an ordinal
     * @return a 64-bit hash of {@code "type/id"} as UTF-8 (see {@link #hash(String, String)})
     */
    long hash(int entity);

    /**
     * @param resourceType a resource type
     * @param entityId     an entity id
     * @return its ordinal, or -1 if the scan has not met it
     */
    int find(String resourceType, String entityId);

    /**
     * The hash {@link #hash(int)} returns: FNV-1a 64 over the UTF-8 bytes of {@code type + "/" + id}, then
     * the SplitMix64 finaliser. Derived checks use it to fingerprint what they compare.
     *
     * @param resourceType a resource type
     * @param entityId     an entity id
     * @return the hash
     */
    static long hash(String resourceType, String entityId) {
        byte[] t = resourceType.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] i = entityId.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        long h = Hashing.FNV_OFFSET;
        h = Hashing.fnv(h, t, 0, t.length);
        h = Hashing.fnv(h, '/');
        h = Hashing.fnv(h, i, 0, i.length);
        return Hashing.mix(h);
    }
}
