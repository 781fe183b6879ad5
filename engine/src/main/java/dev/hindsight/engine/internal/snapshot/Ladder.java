package dev.hindsight.engine.internal.snapshot;

/**
 * One entity's snapshots in memory, as an immutable {@code long[]} (copied on write and published in the
 * store's entity map, so a reader's binary search never sees it change):
 *
 * <pre>
 * [0]            the fingerprint every snapshot of the ladder has
 * [1 + 4i + 0]   version of snapshot i      (strictly increasing with i)
 * [1 + 4i + 1]   timestamp, epoch ns        (non-decreasing with i)
 * [1 + 4i + 2]   global position            (strictly increasing with i)
 * [1 + 4i + 3]   location: segment slot &lt;&lt; 32 | offset of the record
 * </pre>
 *
 * One array per entity, the map's value itself, keeps a lookup to one hash-map get and a binary search
 * over contiguous longs. Stateless helpers, thread-safe.
 */
final class Ladder {
    static final int STRIDE = 4;
    private static final int BASE = 1;

    private Ladder() {
    }

    static int count(long[] l) {
        return (l.length - BASE) / STRIDE;
    }

    static long fingerprint(long[] l) {
        return l[0];
    }

    static long version(long[] l, int i) {
        return l[BASE + STRIDE * i];
    }

    static long timestamp(long[] l, int i) {
        return l[BASE + STRIDE * i + 1];
    }

    static long position(long[] l, int i) {
        return l[BASE + STRIDE * i + 2];
    }

    static long location(long[] l, int i) {
        return l[BASE + STRIDE * i + 3];
    }

    static long location(int slot, int offset) {
        return ((long) slot << 32) | (offset & 0xFFFF_FFFFL);
    }

    static int slotOf(long location) {
        return (int) (location >>> 32);
    }

    static int offsetOf(long location) {
        return (int) location;
    }

    /**
     * @param l       a ladder
     * @param version a version
     * @return the index of the newest snapshot with a version at or below it, or -1
     */
    static int floorByVersion(long[] l, long version) {
        int lo = 0;
        int hi = count(l) - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (l[BASE + STRIDE * mid] <= version) {
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return hi;
    }

    /**
     * @param l     a ladder
     * @param nanos a timestamp
     * @return the index of the newest snapshot with a timestamp at or below it, or -1
     */
    static int floorByTimestamp(long[] l, long nanos) {
        int lo = 0;
        int hi = count(l) - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (l[BASE + STRIDE * mid + 1] <= nanos) {
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return hi;
    }

    /**
     * @param l       a ladder
     * @param version a version
     * @return its index if present, else {@code -(insertion point) - 1}
     */
    static int search(long[] l, long version) {
        int lo = 0;
        int hi = count(l) - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            long v = l[BASE + STRIDE * mid];
            if (v < version) {
                lo = mid + 1;
            } else if (v > version) {
                hi = mid - 1;
            } else {
                return mid;
            }
        }
        return -(lo + 1);
    }

    /** @return an empty ladder of snapshots with {@code fingerprint} */
    static long[] empty(long fingerprint) {
        return new long[]{fingerprint};
    }

    static void set(long[] l, int i, long version, long timestamp, long position, long location) {
        int b = BASE + STRIDE * i;
        l[b] = version;
        l[b + 1] = timestamp;
        l[b + 2] = position;
        l[b + 3] = location;
    }

    static void setLocation(long[] l, int i, long location) {
        l[BASE + STRIDE * i + 3] = location;
    }

    /** @return a copy of {@code l} with entry {@code i} moved to {@code location} */
    static long[] withLocation(long[] l, int i, long location) {
        long[] c = l.clone();
        setLocation(c, i, location);
        return c;
    }

    /**
     * @param l    a ladder
     * @param keep which entries to keep, by index (bit i of word i/64)
     * @param kept how many bits are set
     * @return a new ladder with those entries, in order
     */
    static long[] retain(long[] l, long[] keep, int kept) {
        long[] c = new long[BASE + STRIDE * kept];
        c[0] = l[0];
        int n = count(l);
        int j = 0;
        for (int i = 0; i < n; i++) {
            if ((keep[i >>> 6] & (1L << i)) != 0) {
                System.arraycopy(l, BASE + STRIDE * i, c, BASE + STRIDE * j, STRIDE);
                j++;
            }
        }
        return c;
    }

    /**
     * @return a copy of {@code l} with room for one entry at index {@code at} (its fields zero), the
     *         entries from {@code at} on shifted up by one
     */
    static long[] insertGap(long[] l, int at) {
        int n = count(l);
        long[] c = new long[BASE + STRIDE * (n + 1)];
        System.arraycopy(l, 0, c, 0, BASE + STRIDE * at);
        System.arraycopy(l, BASE + STRIDE * at, c, BASE + STRIDE * (at + 1), STRIDE * (n - at));
        return c;
    }
}
