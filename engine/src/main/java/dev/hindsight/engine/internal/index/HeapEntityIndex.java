package dev.hindsight.engine.internal.index;

import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The entity index on-heap, for read-only stores (which must not write a byte of the store).
 * Built by the indexer thread from the journal when the store opens, then kept current as a
 * writer in another process appends. Readers on any thread: each entity's arrays are replaced
 * before its volatile head is raised, so a reader that sees head {@code v} sees where {@code v} is.
 * One writer, the indexer thread.
 */
public final class HeapEntityIndex implements EntityIndex {
    private final Map<String, Entry> entities = new ConcurrentHashMap<>();

    private static final class Entry {
        final String resourceType;
        final String entityId;
        volatile long head;
        volatile long[] excerpts = new long[2];

        Entry(String resourceType, String entityId) {
            this.resourceType = resourceType;
            this.entityId = entityId;
        }
    }

    @Override
    public long headVersion(String resourceType, String entityId) {
        Entry e = entities.get(EntityKeys.entity(resourceType, entityId));
        return e == null ? 0 : e.head;
    }

    @Override
    public long excerptIndex(String resourceType, String entityId, long version) {
        Entry e = entities.get(EntityKeys.entity(resourceType, entityId));
        if (e == null || version < 1 || version > e.head) {
            return -1;
        }
        return e.excerpts[(int) (version - 1)];
    }

    @Override
    public void record(String resourceType, String entityId, long version, long excerptIndex, long timestampNanos) {
        String key = EntityKeys.entity(resourceType, entityId);
        Entry e = entities.get(key);
        if (e == null) {
            e = new Entry(resourceType, entityId);
            entities.put(key, e);
        }
        if (version > Integer.MAX_VALUE) {
            throw new IllegalStateException("entity " + key + " has more than " + Integer.MAX_VALUE
                    + " versions, more than a read-only store can index on-heap");
        }
        long[] excerpts = e.excerpts;
        int slot = (int) (version - 1);
        if (slot >= excerpts.length) {
            excerpts = Arrays.copyOf(excerpts, Math.max(slot + 1, excerpts.length * 2));
        }
        excerpts[slot] = excerptIndex;
        e.excerpts = excerpts;
        e.head = version;
    }

    @Override
    public void flush() {
        // entries are visible as soon as they are recorded
    }

    @Override
    public void forEachHead(HeadVisitor visitor) {
        for (Entry e : entities.values()) {
            visitor.visit(e.resourceType, e.entityId, e.head);
        }
    }

    @Override
    public long entityCount() {
        return entities.size();
    }

    @Override
    public void close() {
        entities.clear();
    }
}
