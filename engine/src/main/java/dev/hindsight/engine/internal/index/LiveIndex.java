package dev.hindsight.engine.internal.index;

import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Entity -> head version and where each version is (the Chronicle index of its excerpt, and its
 * timestamp). One writer thread at a time (the sequencer while the store runs; the recovering or
 * read-only following thread before or instead; asserted), readers on any thread.
 *
 * <p>Each entity keeps its newest versions on-heap in a window; in a writing store the window
 * holds at most one block of {@value EntityKeys#BLOCK_SIZE} versions: when a block fills, the
 * writer puts it in the {@link PersistedBlocks} Chronicle Map (one map write per 32 events) and
 * starts a new window. Heads and partial blocks are persisted at a clean close. A read-only
 * store keeps every location on-heap ({@code persisted == null}).
 *
 * <p>Publication: the writer fills window entries (and puts a completed block in the map) before
 * it raises the entity's volatile head, so a reader that sees head {@code v} finds every version
 * up to {@code v} either in the window it then reads or in the map.
 */
public final class LiveIndex {
    private final ConcurrentHashMap<String, ConcurrentHashMap<String, Entity>> byType = new ConcurrentHashMap<>();
    private PersistedBlocks persisted;
    private Thread owner;
    private volatile long entityCount;
    private boolean persistedFull;

    /** The versions of an entity held on-heap: entries for versions [base, base + capacity). */
    private static final class Window {
        final long base;
        final long[] entries; // pairs: excerpt index, timestamp

        Window(long base, long[] entries) {
            this.base = base;
            this.entries = entries;
        }
    }

    /** One entity's head and newest locations. Written by the index's writer only. */
    public static final class Entity {
        final String key;
        final String resourceType;
        final String entityId;
        volatile long head;
        volatile Window window;
        long firstTimestamp;
        volatile long lastTimestamp;
        boolean dirty;

        Entity(String resourceType, String entityId) {
            this.resourceType = resourceType;
            this.entityId = entityId;
            this.key = EntityKeys.entity(resourceType, entityId);
        }

        /** @return the entity's head version */
        public long head() {
            return head;
        }
    }

    /** @param persisted where completed blocks go; null to keep every location on-heap */
    public LiveIndex(PersistedBlocks persisted) {
        this.persisted = persisted;
    }

    /**
     * Points the index at other maps holding the same blocks (after a rebuild moved them). Only
     * before readers and the sequencer start.
     *
     * @param moved the maps, reopened
     */
    public void usePersisted(PersistedBlocks moved) {
        this.persisted = moved;
    }

    /** @return the maps completed blocks go to, or null */
    public PersistedBlocks persisted() {
        return persisted;
    }

    /** Makes the calling thread the only one that may write (the previous writer must have stopped). */
    public void bindToCurrentThread() {
        owner = Thread.currentThread();
    }

    private boolean ownedByCaller() {
        return owner == null || owner == Thread.currentThread();
    }

    /**
     * @param resourceType the entity's resource type
     * @param entityId     the entity's id
     * @return the entity, or null if it has no event
     */
    public Entity entity(String resourceType, String entityId) {
        ConcurrentHashMap<String, Entity> entities = byType.get(resourceType);
        return entities == null ? null : entities.get(entityId);
    }

    /**
     * @param resourceType the entity's resource type
     * @param entityId     the entity's id
     * @return its head version, 0 if it has no event
     */
    public long headVersion(String resourceType, String entityId) {
        Entity e = entity(resourceType, entityId);
        return e == null ? 0 : e.head;
    }

    /**
     * Records an append of {@code count} versions of one entity in one excerpt. Writer only.
     *
     * @param entity         the entity as looked up before the append, or null if it was new
     * @param resourceType   its resource type
     * @param entityId       its id
     * @param firstVersion   the first version appended
     * @param count          how many versions
     * @param excerptIndex   the excerpt holding them
     * @param timestampNanos their timestamp
     */
    public void recordAppend(Entity entity, String resourceType, String entityId, long firstVersion, int count,
                             long excerptIndex, long timestampNanos) {
        assert ownedByCaller() : "entity index written by " + Thread.currentThread().getName() + ", owned by " + owner.getName();
        Entity e = entity;
        if (e == null) {
            e = entity(resourceType, entityId);
            if (e == null) {
                e = new Entity(resourceType, entityId);
                e.firstTimestamp = timestampNanos;
                byType.computeIfAbsent(resourceType, t -> new ConcurrentHashMap<>()).put(entityId, e);
                entityCount = entityCount + 1;
            }
        }
        if (firstVersion != e.head + 1) {
            throw new IllegalStateException("entity " + e.key + " is at version " + e.head + "; cannot record version " + firstVersion);
        }
        for (int i = 0; i < count; i++) {
            put(e, firstVersion + i, excerptIndex, timestampNanos);
        }
        e.lastTimestamp = timestampNanos;
        e.dirty = true;
        e.head = firstVersion + count - 1;
    }

    private void put(Entity e, long version, long excerptIndex, long timestampNanos) {
        Window w = e.window;
        if (w == null) {
            w = new Window(version, new long[4]);
            e.window = w;
        }
        int slot = (int) (version - w.base);
        if (slot * 2 + 1 >= w.entries.length) {
            w = new Window(w.base, Arrays.copyOf(w.entries, Math.max(4, w.entries.length * 2)));
            e.window = w;
        }
        w.entries[slot * 2] = excerptIndex;
        w.entries[slot * 2 + 1] = timestampNanos;
        if (persisted != null && !persistedFull && version % EntityKeys.BLOCK_SIZE == 0 && version - w.base == EntityKeys.BLOCK_SIZE - 1) {
            // the block is complete: persist it, then start the next window (readers of these
            // versions find them in the map from now on)
            try {
                persisted.putBlock(e.key, EntityKeys.blockOf(version), w.entries, EntityKeys.BLOCK_SIZE);
                // an entity that filled a block is busy: its next window starts full-size, not grown in steps
                e.window = new Window(version + 1, new long[EntityKeys.BLOCK_SIZE * 2]);
            } catch (IllegalStateException full) {
                // never fail an append for derived data: keep locations on-heap until a reopen
                // rebuilds the map larger
                persistedFull = true;
                System.getLogger("dev.hindsight").log(System.Logger.Level.WARNING, full.getMessage());
            }
        }
    }

    /**
     * Where versions {@code from..to} of an entity are.
     *
     * @param resourceType the entity's resource type
     * @param entityId     the entity's id
     * @param from         first version, 1 or more
     * @param to           last version, at most the head
     * @return the excerpt index of each version, or null if the entity does not reach {@code to}
     */
    public long[] locate(String resourceType, String entityId, long from, long to) {
        Entity e = entity(resourceType, entityId);
        if (e == null || from < 1 || to < from || to > e.head) {
            return null;
        }
        Window w = e.window;
        long[] out = new long[(int) (to - from + 1)];
        long[] block = null;
        long blockNo = -1;
        for (long v = from; v <= to; v++) {
            if (w != null && v >= w.base) {
                out[(int) (v - from)] = w.entries[(int) (v - w.base) * 2];
                continue;
            }
            long b = EntityKeys.blockOf(v);
            if (b != blockNo) {
                blockNo = b;
                block = persisted == null ? null : persisted.block(e.key, b);
            }
            int slot = EntityKeys.slotOf(v) * 2;
            if (block == null || slot >= block.length) {
                throw new IllegalStateException("the entity index has no location for " + e.key + " version " + v
                        + " (block " + b + " is " + (block == null ? "missing" : "short") + ")");
            }
            out[(int) (v - from)] = block[slot];
        }
        return out;
    }

    /**
     * The entity's last version recorded at or before an instant: a binary search over the versions'
     * timestamps (which never decrease), reading at most one persisted block per probe outside the window.
     *
     * @param resourceType   the entity's resource type
     * @param entityId       the entity's id
     * @param timestampNanos the instant, epoch nanoseconds
     * @return the version, 0 if the entity has no event at or before the instant
     */
    public long versionAt(String resourceType, String entityId, long timestampNanos) {
        return versionAt(resourceType, entityId, timestampNanos, 0);
    }

    /**
     * The same, knowing that version {@code atLeast} (0 for none) is at or before the instant: gallops forward
     * from it (1, 2, 4... versions ahead) and then binary-searches, so a hint from a snapshot a few versions back
     * costs a few probes, usually in one block.
     *
     * @param resourceType   the entity's resource type
     * @param entityId       the entity's id
     * @param timestampNanos the instant, epoch nanoseconds
     * @param atLeast        a version known to be at or before the instant, or 0
     * @return the version, 0 if the entity has no event at or before the instant
     */
    public long versionAt(String resourceType, String entityId, long timestampNanos, long atLeast) {
        Entity e = entity(resourceType, entityId);
        if (e == null) {
            return 0;
        }
        long head = e.head;
        Probe probe = new Probe(e);
        long found = Math.min(Math.max(atLeast, 0), head);
        long hi = head;
        if (found > 0) {
            // gallop: find a version beyond the instant not far from the hint
            long step = 1;
            while (true) {
                long v = found + step;
                if (v > head) {
                    break;
                }
                if (probe.timestamp(v) <= timestampNanos) {
                    found = v;
                    step <<= 1;
                } else {
                    hi = v - 1;
                    break;
                }
            }
        }
        long lo = found + 1;
        while (lo <= hi) {
            long mid = (lo + hi) >>> 1;
            if (probe.timestamp(mid) <= timestampNanos) {
                found = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return found;
    }

    /** Reads versions' timestamps from the window or persisted blocks, keeping the last block read. */
    private final class Probe {
        private final Entity e;
        private long[] block;
        private long blockNo = -1;

        Probe(Entity e) {
            this.e = e;
        }

        long timestamp(long v) {
            Window w = e.window;
            if (w != null && v >= w.base && (v - w.base) * 2 + 1 < w.entries.length) {
                return w.entries[(int) (v - w.base) * 2 + 1];
            }
            long b = EntityKeys.blockOf(v);
            if (b != blockNo) {
                blockNo = b;
                block = persisted == null ? null : persisted.block(e.key, b);
            }
            int slot = EntityKeys.slotOf(v) * 2 + 1;
            if (block == null || slot >= block.length) {
                throw new IllegalStateException("the entity index has no timestamp for " + e.key + " version " + v
                        + " (block " + b + " is " + (block == null ? "missing" : "short") + ")");
            }
            return block[slot];
        }
    }

    /**
     * Visits every entity of a resource type that has events (a weakly consistent view: entities created during
     * the visit may or may not be seen).
     *
     * @param resourceType the resource type
     * @return the entity ids
     */
    public Iterable<String> entityIds(String resourceType) {
        ConcurrentHashMap<String, Entity> entities = byType.get(resourceType);
        return entities == null ? java.util.List.of() : entities.keySet();
    }

    /** @return the resource types that have entities (a live, unmodifiable view) */
    public java.util.Set<String> resourceTypes() {
        return java.util.Collections.unmodifiableSet(byType.keySet());
    }

    /** @return how many entities have events */
    public long entityCount() {
        return entityCount;
    }

    /**
     * Persists every changed entity's head and on-heap blocks, for a clean close. Writer only; the
     * caller forces the maps afterwards.
     *
     * @return false if the persisted index is full: it must then be rebuilt larger
     */
    public boolean persistAll() {
        assert ownedByCaller() : "entity index persisted off its writer thread";
        if (persisted == null) {
            return true;
        }
        try {
            for (ConcurrentHashMap<String, Entity> entities : byType.values()) {
                for (Entity e : entities.values()) {
                    if (e.dirty) {
                        persist(e);
                        e.dirty = false;
                    }
                }
            }
            return !persistedFull;
        } catch (IllegalStateException full) {
            System.getLogger("dev.hindsight").log(System.Logger.Level.WARNING, full.getMessage());
            return false;
        }
    }

    private void persist(Entity e) {
        Window w = e.window;
        long head = e.head;
        if (w != null && head >= w.base) {
            // the window starts at a block boundary; it spans several blocks only if the map was full
            long[] block = new long[EntityKeys.BLOCK_SIZE * 2];
            for (long start = w.base; start <= head; start += EntityKeys.BLOCK_SIZE) {
                int count = (int) Math.min(EntityKeys.BLOCK_SIZE, head - start + 1);
                System.arraycopy(w.entries, (int) (start - w.base) * 2, block, 0, count * 2);
                persisted.putBlock(e.key, EntityKeys.blockOf(start), block, count);
            }
        }
        persisted.putHead(e.key, head, e.firstTimestamp, e.lastTimestamp);
    }

    /**
     * Loads every persisted head and partial block, when a cleanly closed store opens, checking the
     * maps against the checkpoint: as many heads as it counted, and for every entity each of its
     * blocks (a clean close persists them all). Writer only.
     *
     * @param expectedEntities the checkpoint's entity count
     * @return null if the maps are complete, else what is wrong
     */
    public String loadPersisted(long expectedEntities) {
        long heads = persisted.headCount();
        if (heads != expectedEntities) {
            return "it has " + heads + " entities where the checkpoint counted " + expectedEntities;
        }
        long[] blocksExpected = new long[1];
        String[] problem = new String[1];
        persisted.forEachHead((key, head, firstTs, lastTs) -> {
            if (problem[0] != null) {
                return;
            }
            if (head < 1) {
                problem[0] = key + " has head version " + head;
                return;
            }
            Entity e = new Entity(EntityKeys.typeOf(key), EntityKeys.idOf(key));
            e.firstTimestamp = firstTs;
            e.lastTimestamp = lastTs;
            long lastBlock = EntityKeys.blockOf(head);
            blocksExpected[0] += lastBlock + 1;
            int count = (int) (head - lastBlock * EntityKeys.BLOCK_SIZE);
            long[] block = persisted.block(key, lastBlock);
            if (block == null || block.length != count * 2) {
                problem[0] = key + " at version " + head + " lacks its last block " + lastBlock;
                return;
            }
            if (count < EntityKeys.BLOCK_SIZE) {
                e.window = new Window(lastBlock * EntityKeys.BLOCK_SIZE + 1, Arrays.copyOf(block, EntityKeys.BLOCK_SIZE * 2));
            }
            e.head = head;
            byType.computeIfAbsent(e.resourceType, t -> new ConcurrentHashMap<>()).put(e.entityId, e);
            entityCount = entityCount + 1;
        });
        if (problem[0] == null && persisted.blockCount() != blocksExpected[0]) {
            problem[0] = "it has " + persisted.blockCount() + " blocks where the heads need " + blocksExpected[0];
        }
        if (problem[0] != null) {
            byType.clear();
            entityCount = 0;
        }
        return problem[0];
    }
}
