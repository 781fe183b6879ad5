package dev.hindsight.engine.internal.snapshot;

import org.agrona.collections.LongArrayList;

import java.util.Arrays;

/**
 * The retention policy, applied to one entity's ladder when a snapshot is added (by {@code put}, or by
 * the scan at open, which replays the records in the order they were written). Computes the new
 * ladder and which records it no longer references, without touching the old one. Not thread-safe:
 * one per writer (reused, so an update allocates only the new ladder).
 *
 * <p>A ladder keeps, for one fingerprint:
 * <ul>
 *   <li>every <em>rung</em>: a snapshot whose version is a multiple of the interval N of its
 *       resource type, so that after a floor lookup at most N - 1 events remain to replay;</li>
 *   <li>the newest snapshot, whatever its version (the one {@code get} starts from); a newer
 *       snapshot supersedes it unless it is a rung;</li>
 *   <li>with thinning on (dense rungs D &gt; 0, factor K): rungs more than D x N versions below the
 *       newest rung are kept only at multiples of K x N, so replay from there is at most K x N - 1;</li>
 *   <li>one fingerprint only: a snapshot with another fingerprint replaces the whole ladder (the old
 *       state shape can no longer be decoded by the code that writes the new one).</li>
 * </ul>
 */
final class LadderUpdate {
    /** What an update did. */
    enum Outcome {
        /** The snapshot is new to the ladder: write it. */
        INSERTED,
        /** The scan found a newer copy of a snapshot the ladder holds (compaction's copy): use it. */
        REPLACED,
        /** The ladder already holds this version with this fingerprint: nothing to do. */
        DUPLICATE,
        /** The policy would not keep it (an older non-rung version, or a thinned rung). */
        NOT_RETAINED,
        /** Its timestamp or position contradicts the ladder's order (see {@link #inconsistency}). */
        INCONSISTENT
    }

    /** The new ladder, for INSERTED and REPLACED; its entry {@link #index} has location -1 until set. */
    long[] result;
    /** Where the new snapshot is in {@link #result}. */
    int index;
    /** Locations of the records the new ladder no longer references. */
    final LongArrayList dropped = new LongArrayList();
    /** Why the snapshot was INCONSISTENT. */
    String inconsistency;
    private long[] keep = new long[1];

    /**
     * @param old                the entity's ladder, or null
     * @param fingerprint        the snapshot's fingerprint
     * @param version            its version
     * @param timestamp          its timestamp
     * @param position           its global position
     * @param interval           the rung interval N of its resource type
     * @param denseRungs         D: rungs kept at interval N below the newest rung; 0 = no thinning
     * @param thinFactor         K: older rungs kept at multiples of K x N
     * @param replaceSameVersion whether a snapshot of a version the ladder holds replaces it (the scan)
     *                           or is a {@link Outcome#DUPLICATE} (a put)
     * @return what the update does
     */
    Outcome apply(long[] old, long fingerprint, long version, long timestamp, long position, int interval,
                  int denseRungs, int thinFactor, boolean replaceSameVersion) {
        dropped.clear();
        result = null;
        inconsistency = null;
        long[] base = old;
        if (old == null || Ladder.fingerprint(old) != fingerprint) {
            base = Ladder.empty(fingerprint);
        }
        int n = Ladder.count(base);
        int found = Ladder.search(base, version);
        if (found >= 0) {
            if (!replaceSameVersion) {
                return Outcome.DUPLICATE;
            }
            if (!consistent(base, found - 1, found + 1, version, timestamp, position)) {
                return Outcome.INCONSISTENT;
            }
            dropped.addLong(Ladder.location(base, found));
            result = base.clone();
            Ladder.set(result, found, version, timestamp, position, -1);
            index = found;
            return Outcome.REPLACED;
        }
        int at = -found - 1;
        boolean rung = isRung(version, interval);
        long newest = n > 0 ? Ladder.version(base, n - 1) : 0;
        if (!rung && version < newest) {
            return Outcome.NOT_RETAINED;
        }
        long newestRung = 0;
        if (rung && denseRungs > 0) {
            newestRung = Math.max(version, highestRung(base, interval));
            if (thinned(version, newestRung, interval, denseRungs, thinFactor)) {
                return Outcome.NOT_RETAINED;
            }
        }
        if (!consistent(base, at - 1, at, version, timestamp, position)) {
            return Outcome.INCONSISTENT;
        }
        if (base != old && old != null) {
            for (int i = 0, m = Ladder.count(old); i < m; i++) {
                dropped.addLong(Ladder.location(old, i));
            }
        }
        long[] grown = Ladder.insertGap(base, at);
        Ladder.set(grown, at, version, timestamp, position, -1);
        int total = n + 1;
        if (keep.length < (total + 63) >>> 6) {
            keep = new long[(total + 63) >>> 6];
        }
        Arrays.fill(keep, 0, (total + 63) >>> 6, 0L);
        int kept = 0;
        for (int i = 0; i < total; i++) {
            long v = Ladder.version(grown, i);
            boolean drop = false;
            if (i == at - 1 && at == n && !isRung(v, interval)) {
                drop = true; // the newest snapshot, not a rung, superseded by a newer one
            } else if (rung && denseRungs > 0 && i != at && isRung(v, interval)
                    && thinned(v, newestRung, interval, denseRungs, thinFactor)) {
                drop = true;
            }
            if (drop) {
                dropped.addLong(Ladder.location(grown, i));
            } else {
                keep[i >>> 6] |= 1L << i;
                kept++;
            }
        }
        if (kept == total) {
            result = grown;
            index = at;
        } else {
            result = Ladder.retain(grown, keep, kept);
            index = Ladder.search(result, version);
        }
        return Outcome.INSERTED;
    }

    static boolean isRung(long version, int interval) {
        return version % interval == 0;
    }

    static boolean thinned(long rungVersion, long newestRung, int interval, int denseRungs, int thinFactor) {
        return rungVersion < newestRung - (long) denseRungs * interval && rungVersion % ((long) interval * thinFactor) != 0;
    }

    private static long highestRung(long[] l, int interval) {
        for (int i = Ladder.count(l) - 1; i >= 0; i--) {
            long v = Ladder.version(l, i);
            if (isRung(v, interval)) {
                return v;
            }
        }
        return 0;
    }

    /** Checks the new snapshot against its neighbours {@code below} and {@code above} (indices, may be out of range). */
    private boolean consistent(long[] l, int below, int above, long version, long timestamp, long position) {
        int n = Ladder.count(l);
        if (below >= 0 && (Ladder.timestamp(l, below) > timestamp || Ladder.position(l, below) >= position)) {
            inconsistency = "version " + version + " at position " + position + " with timestamp " + timestamp
                    + " is not after version " + Ladder.version(l, below) + " at position " + Ladder.position(l, below)
                    + " with timestamp " + Ladder.timestamp(l, below);
            return false;
        }
        if (above < n && (Ladder.timestamp(l, above) < timestamp || Ladder.position(l, above) <= position)) {
            inconsistency = "version " + version + " at position " + position + " with timestamp " + timestamp
                    + " is not before version " + Ladder.version(l, above) + " at position " + Ladder.position(l, above)
                    + " with timestamp " + Ladder.timestamp(l, above);
            return false;
        }
        return true;
    }
}
