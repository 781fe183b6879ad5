package dev.hindsight.engine.internal.index;

import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Entity -> head version and where each version is: the Chronicle index of the excerpt holding
 * it, the byte address of its own frame in that excerpt's cycle file (so a reader copies the frame
 * straight out of a mapping of the file, see {@code FrameFiles}), and its timestamp. One writer
 * thread at a time (the sequencer while the store runs; the recovering or read-only following
 * thread before or instead; asserted), readers on any thread.
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

    /** Longs per version in a window: excerpt index, frame address, timestamp. */
    private static final int STRIDE = EntityKeys.ENTRY_LONGS;

    /** The versions of an entity held on-heap: entries for versions [base, base + capacity). */
    private static final class Window {
        final long base;
        final long[] entries; // triples: excerpt index, frame address, timestamp

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
     * @param excerptAddress the byte offset of the excerpt's data in its cycle file
     * @param frameOffsets   the offset of each version's frame in the excerpt's data ({@code count} of them)
     * @param timestampNanos their timestamp
     */
    public void recordAppend(Entity entity, String resourceType, String entityId, long firstVersion, int count,
                             long excerptIndex, long excerptAddress, int[] frameOffsets, long timestampNanos) {
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
            put(e, firstVersion + i, excerptIndex, excerptAddress + frameOffsets[i], timestampNanos);
        }
        e.lastTimestamp = timestampNanos;
        e.dirty = true;
        e.head = firstVersion + count - 1;
    }

    private void put(Entity e, long version, long excerptIndex, long address, long timestampNanos) {
        Window w = e.window;
        if (w == null) {
            w = new Window(version, new long[2 * STRIDE]);
            e.window = w;
        }
        int slot = (int) (version - w.base);
        if ((slot + 1) * STRIDE > w.entries.length) {
            w = new Window(w.base, Arrays.copyOf(w.entries, Math.max(2 * STRIDE, w.entries.length * 2)));
            e.window = w;
        }
        int at = slot * STRIDE;
        w.entries[at] = excerptIndex;
        w.entries[at + 1] = address;
        w.entries[at + 2] = timestampNanos;
        if (persisted != null && !persistedFull && version % EntityKeys.BLOCK_SIZE == 0 && version - w.base == EntityKeys.BLOCK_SIZE - 1) {
            // the block is complete: persist it, then start the next window (readers of these
            // versions find them in the map from now on)
            try {
                persisted.putBlock(e.key, EntityKeys.blockOf(version), w.entries, EntityKeys.BLOCK_SIZE);
                // an entity that filled a block is busy: its next window starts full-size, not grown in steps
                e.window = new Window(version + 1, new long[EntityKeys.BLOCK_SIZE * STRIDE]);
            } catch (IllegalStateException full) {
                // never fail an append for derived data: keep locations on-heap until a reopen
                // rebuilds the map larger
                persistedFull = true;
                System.getLogger("dev.hindsight").log(System.Logger.Level.WARNING, full.getMessage());
            }
        }
    }

    /**
     * Where versions {@code from..to} of an entity are: fills {@code out} with each version's excerpt
     * index and frame address. Allocates nothing once {@code out} is warm (a persisted block is read
     * into its staging array; one key string per block read).
     *
     * @param resourceType the entity's resource type
     * @param entityId     the entity's id
     * @param from         first version, 1 or more
     * @param to           last version, at most the head and less than {@code from + Locations.MAX_RUN}
     * @param out          receives the locations, {@code out.excerpt(0)} for version {@code from}
     * @return false if the entity does not reach {@code to}
     * @throws IllegalStateException if the index lacks a location it should have (a damaged persisted block)
     */
    public boolean locate(String resourceType, String entityId, long from, long to, Locations out) {
        Entity e = entity(resourceType, entityId);
        if (e == null || from < 1 || to < from || to > e.head) {
            return false;
        }
        if (to - from >= Locations.MAX_RUN) {
            throw new IllegalArgumentException("cannot locate " + (to - from + 1) + " versions at once; at most " + Locations.MAX_RUN);
        }
        Window w = e.window;
        byte[] block = null;
        int blockEntries = 0;
        long blockNo = -1;
        for (long v = from; v <= to; v++) {
            int i = (int) (v - from);
            if (w != null && v >= w.base) {
                int at = (int) (v - w.base) * STRIDE;
                out.excerpts[i] = w.entries[at];
                out.addresses[i] = w.entries[at + 1];
                continue;
            }
            long b = EntityKeys.blockOf(v);
            if (b != blockNo) {
                blockNo = b;
                block = readBlock(e, b, out);
                blockEntries = block == null ? 0 : block.length / EntityKeys.ENTRY_BYTES;
            }
            int slot = EntityKeys.slotOf(v);
            if (slot >= blockEntries) {
                throw missing(e, v, b, block);
            }
            out.excerpts[i] = PersistedBlocks.excerpt(block, slot);
            out.addresses[i] = PersistedBlocks.address(block, slot);
        }
        out.count = (int) (to - from + 1);
        return true;
    }

    private byte[] readBlock(Entity e, long blockNo, Locations scratch) {
        if (persisted == null) {
            return null;
        }
        byte[] b = persisted.block(e.key, blockNo, scratch.block);
        if (b != null && b.length == scratch.block.length) {
            scratch.block = b; // a full block: keep it as the staging array
        }
        return b;
    }

    private static IllegalStateException missing(Entity e, long version, long blockNo, byte[] block) {
        return new IllegalStateException("the entity index has no location for " + e.key + " version " + version
                + " (block " + blockNo + " is " + (block == null ? "missing" : "short: " + block.length + " bytes") + ")");
    }

    /**
     * The entity's last version recorded at or before an instant. Timestamps never decrease with the
     * version, so this is a search: first the on-heap window (no map read), then the persisted blocks,
     * each probe reading one whole block of 32 timestamps and narrowing the range by both its ends.
     * Probes are placed by interpolating between the known timestamps at the range's ends (entities
     * written at a steady rate are answered in one or two block reads), alternating with plain
     * bisection when interpolation does not halve the range, so the worst case stays logarithmic.
     * With a hint (a version known to be at or before the instant, e.g. a snapshot's), the first
     * probe is the block just after it: a hint a few versions back costs one block read at most.
     *
     * @param resourceType   the entity's resource type
     * @param entityId       the entity's id
     * @param timestampNanos the instant, epoch nanoseconds
     * @param atLeast        a version known to be at or before the instant, or 0
     * @param scratch        staging for persisted blocks (its locations are not touched)
     * @return the version, 0 if the entity has no event at or before the instant
     * @throws IllegalStateException if a persisted block it needs is missing or damaged
     */
    public long versionAt(String resourceType, String entityId, long timestampNanos, long atLeast, Locations scratch) {
        Entity e = entity(resourceType, entityId);
        if (e == null) {
            return 0;
        }
        long head = e.head; // before the window: every version up to it is in the window read next or in the map
        Window w = e.window;
        if (head == 0 || timestampNanos < e.firstTimestamp) {
            return 0;
        }
        if (timestampNanos >= e.lastTimestamp) {
            return head; // the last timestamp is the head's, or a later version's: at least as late
        }
        long hint = Math.min(Math.max(atLeast, 1), head);
        // known: ts(lo) <= t (version 1 has the first timestamp; the hint is at or before t) and
        // ts(hi) > t, or hi = head + 1; loTs and hiTs only guide the probes
        long lo = hint;
        long loTs = e.firstTimestamp;
        long hi = head + 1;
        long hiTs = e.lastTimestamp;
        if (w != null && head >= w.base) {
            long baseTs = w.entries[2];
            if (lo >= w.base || baseTs <= timestampNanos) {
                return searchWindow(w, Math.max(lo, w.base), head, timestampNanos);
            }
            hi = w.base;
            hiTs = baseTs;
        }
        boolean bisect = false;
        boolean fromHint = hint > 1;
        while (hi - lo > 1) {
            long probe;
            if (fromHint) {
                probe = lo + 1;
                fromHint = false;
            } else if (bisect || hiTs <= loTs) {
                probe = (lo + hi) >>> 1;
            } else {
                double f = (double) (timestampNanos - loTs) / (double) (hiTs - loTs);
                probe = lo + 1 + (long) (f * (hi - lo - 1));
                probe = Math.max(lo + 1, Math.min(hi - 1, probe));
            }
            long span = hi - lo;
            long b = EntityKeys.blockOf(probe);
            byte[] block = readBlock(e, b, scratch);
            int n = block == null ? 0 : block.length / EntityKeys.ENTRY_BYTES;
            long first = b * EntityKeys.BLOCK_SIZE + 1;
            // the block holds versions [first, first + n); all of those below hi must be there
            long needed = Math.min(EntityKeys.BLOCK_SIZE, hi - first);
            if (n < needed) {
                throw missing(e, first + n, b, block);
            }
            int count = (int) needed;
            int i0 = (int) Math.max(0, lo + 1 - first); // entries at or below lo are known to be <= t
            if (PersistedBlocks.timestamp(block, i0) > timestampNanos) {
                hi = first + i0;
                hiTs = PersistedBlocks.timestamp(block, i0);
            } else if (PersistedBlocks.timestamp(block, count - 1) <= timestampNanos) {
                lo = first + count - 1;
                loTs = PersistedBlocks.timestamp(block, count - 1);
            } else {
                // the answer is inside this block: the last entry in [i0, count - 1) at or before t
                int a = i0;
                int z = count - 1;
                while (z - a > 1) {
                    int m = (a + z) >>> 1;
                    if (PersistedBlocks.timestamp(block, m) <= timestampNanos) {
                        a = m;
                    } else {
                        z = m;
                    }
                }
                return first + a;
            }
            bisect = !bisect && (hi - lo) * 2 > span;
        }
        return lo;
    }

    /** @return the last version in [from, to] of the window whose timestamp is at most t; ts(from) <= t */
    private static long searchWindow(Window w, long from, long to, long t) {
        long a = from;
        long z = to + 1;
        while (z - a > 1) {
            long m = (a + z) >>> 1;
            if (w.entries[(int) (m - w.base) * STRIDE + 2] <= t) {
                a = m;
            } else {
                z = m;
            }
        }
        return a;
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
            long[] block = new long[EntityKeys.BLOCK_SIZE * STRIDE];
            for (long start = w.base; start <= head; start += EntityKeys.BLOCK_SIZE) {
                int count = (int) Math.min(EntityKeys.BLOCK_SIZE, head - start + 1);
                System.arraycopy(w.entries, (int) (start - w.base) * STRIDE, block, 0, count * STRIDE);
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
            byte[] block = persisted.block(key, lastBlock, null);
            if (block == null || block.length != count * EntityKeys.ENTRY_BYTES) {
                problem[0] = key + " at version " + head + " lacks its last block " + lastBlock
                        + (block == null ? "" : " (it has " + block.length + " bytes where " + count + " entries take "
                        + count * EntityKeys.ENTRY_BYTES + ")");
                return;
            }
            if (count < EntityKeys.BLOCK_SIZE) {
                e.window = new Window(lastBlock * EntityKeys.BLOCK_SIZE + 1, PersistedBlocks.entries(block, EntityKeys.BLOCK_SIZE));
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
