package dev.hindsight.tools.internal;

import dev.hindsight.codec.FrameFormat;
import dev.hindsight.codec.FrameReader;
import dev.hindsight.tools.check.Entities;
import dev.hindsight.tools.check.Hashing;

import java.util.Arrays;

/**
 * Per-entity state of a journal scan in flat arrays: an open-addressing table from a 64-bit hash of the
 * entity's bytes to an ordinal, and per ordinal the id, an interned resource type, head version, first and
 * last timestamps. A lookup from a frame reads the resource type and id bytes in place and compares them
 * without allocating; only a new entity allocates (its id string). Memory: about 150 bytes plus the id's
 * length per entity (arrays grow by doubling), so 10 million entities with 12-character ids take up to about
 * 1.6 GB of heap. Not thread-safe.
 */
public final class EntityTable implements Entities {
    private int[] slots = new int[1024];      // ordinal + 1; 0 = empty
    private long[] slotHashes = new long[1024];
    private int count;
    private int[] typeOf = new int[256];
    private String[] ids = new String[256];
    private long[] hashes = new long[256];
    private long[] heads = new long[256];
    private long[] firsts = new long[256];
    private long[] lasts = new long[256];
    private String[] types = new String[8];
    private int typeCount;
    private long[] typeEvents = new long[8];
    private long[] typeEntities = new long[8];

    /**
     * Finds the entity of a wrapped frame, adding it if new.
     *
     * @param frame a valid frame
     * @return its entity's ordinal
     */
    public int findOrAdd(FrameReader frame) {
        byte[] b = frame.buffer();
        int off = frame.offset();
        int typeLen = u16(b, off + FrameFormat.RESOURCE_TYPE_LENGTH_OFFSET);
        int idLen = u16(b, off + FrameFormat.ENTITY_ID_LENGTH_OFFSET);
        int typeAt = off + FrameFormat.HEADER_LENGTH;
        long h = Hashing.FNV_OFFSET;
        h = Hashing.fnv(h, b, typeAt, typeLen);
        h = Hashing.fnv(h, '/');
        h = Hashing.fnv(h, b, typeAt + typeLen, idLen);
        h = Hashing.mix(h);
        int mask = slots.length - 1;
        for (int i = (int) h & mask; ; i = (i + 1) & mask) {
            int s = slots[i];
            if (s == 0) {
                return add(i, h, frame.resourceType(), frame.entityId());
            }
            int o = s - 1;
            if (slotHashes[i] == h && frame.entityIdEquals(ids[o]) && frame.resourceTypeEquals(types[typeOf[o]])) {
                return o;
            }
        }
    }

    @Override
    public int find(String resourceType, String entityId) {
        long h = Entities.hash(resourceType, entityId);
        int mask = slots.length - 1;
        for (int i = (int) h & mask; ; i = (i + 1) & mask) {
            int s = slots[i];
            if (s == 0) {
                return -1;
            }
            int o = s - 1;
            if (slotHashes[i] == h && ids[o].equals(entityId) && types[typeOf[o]].equals(resourceType)) {
                return o;
            }
        }
    }

    private int add(int slot, long h, String type, String id) {
        int o = count;
        if (o == ids.length) {
            int n = o * 2;
            typeOf = Arrays.copyOf(typeOf, n);
            ids = Arrays.copyOf(ids, n);
            hashes = Arrays.copyOf(hashes, n);
            heads = Arrays.copyOf(heads, n);
            firsts = Arrays.copyOf(firsts, n);
            lasts = Arrays.copyOf(lasts, n);
        }
        int t = internType(type);
        typeOf[o] = t;
        typeEntities[t]++;
        ids[o] = id;
        hashes[o] = h;
        count++;
        slots[slot] = o + 1;
        slotHashes[slot] = h;
        if (count * 10L > slots.length * 6L) {
            rehash();
        }
        return o;
    }

    private int internType(String type) {
        for (int t = 0; t < typeCount; t++) {
            if (types[t].equals(type)) {
                return t;
            }
        }
        if (typeCount == types.length) {
            types = Arrays.copyOf(types, typeCount * 2);
            typeEvents = Arrays.copyOf(typeEvents, typeCount * 2);
            typeEntities = Arrays.copyOf(typeEntities, typeCount * 2);
        }
        types[typeCount] = type;
        return typeCount++;
    }

    private void rehash() {
        int n = slots.length * 2;
        int[] newSlots = new int[n];
        long[] newHashes = new long[n];
        int mask = n - 1;
        for (int i = 0; i < slots.length; i++) {
            if (slots[i] != 0) {
                int j = (int) slotHashes[i] & mask;
                while (newSlots[j] != 0) {
                    j = (j + 1) & mask;
                }
                newSlots[j] = slots[i];
                newHashes[j] = slotHashes[i];
            }
        }
        slots = newSlots;
        slotHashes = newHashes;
    }

    /**
     * Records an event of an entity.
     *
     * @param entity    its ordinal
     * @param version   the event's version
     * @param timestamp the event's timestamp
     */
    public void record(int entity, long version, long timestamp) {
        if (heads[entity] == 0) {
            firsts[entity] = timestamp;
        }
        if (version > heads[entity]) {
            heads[entity] = version;
        }
        lasts[entity] = timestamp;
        typeEvents[typeOf[entity]]++;
    }

    private static int u16(byte[] b, int at) {
        return (b[at] & 0xFF) | (b[at + 1] & 0xFF) << 8;
    }

    @Override
    public int count() {
        return count;
    }

    @Override
    public String resourceType(int entity) {
        return types[typeOf[entity]];
    }

    @Override
    public String entityId(int entity) {
        return ids[entity];
    }

    @Override
    public long headVersion(int entity) {
        return heads[entity];
    }

    @Override
    public long firstTimestamp(int entity) {
        return firsts[entity];
    }

    @Override
    public long lastTimestamp(int entity) {
        return lasts[entity];
    }

    @Override
    public long hash(int entity) {
        return hashes[entity];
    }

    /** @return how many resource types the scan met */
    public int typeCount() {
        return typeCount;
    }

    /** @param t a type ordinal @return its name */
    public String typeName(int t) {
        return types[t];
    }

    /** @param t a type ordinal @return events recorded for entities of that type */
    public long typeEvents(int t) {
        return typeEvents[t];
    }

    /** @param t a type ordinal @return entities of that type */
    public long typeEntities(int t) {
        return typeEntities[t];
    }

    /** @return a copy of the head versions, by ordinal (for a check that needs them as of a checkpoint) */
    public long[] headsCopy() {
        return Arrays.copyOf(heads, count);
    }

    /** @return a copy of the first timestamps, by ordinal */
    public long[] firstsCopy() {
        return Arrays.copyOf(firsts, count);
    }

    /** @return a copy of the last timestamps, by ordinal */
    public long[] lastsCopy() {
        return Arrays.copyOf(lasts, count);
    }
}
