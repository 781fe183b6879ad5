package dev.hindsight.engine;

/**
 * When a resource type's entity states are snapshotted. Snapshots are derived data kept in memory-mapped files
 * beside the journal: they make {@code get} and as-of reads replay a bounded number of events, and are never
 * needed for correctness (deleting them loses nothing). They are written by the store's snapshot thread, off
 * the append path.
 *
 * <ul>
 *   <li>{@link #every(int) every(n)}: a snapshot at every version that is a multiple of {@code n}; the older
 *       ones stay as a ladder for as-of reads, so a read replays fewer than {@code n} events plus what the
 *       snapshot thread has not reached yet.</li>
 *   <li>{@link #onDemand()}: only when {@link Resource#snapshot(String)} is called.</li>
 *   <li>{@link #off()}: never; reads replay from the first event.</li>
 * </ul>
 *
 * <p>Immutable and thread-safe.
 */
public final class SnapshotPolicy {
    /** The default interval: a snapshot every 10 versions. */
    public static final int DEFAULT_INTERVAL = 10;
    private static final SnapshotPolicy OFF = new SnapshotPolicy(0, false);
    private static final SnapshotPolicy ON_DEMAND = new SnapshotPolicy(0, true);
    private static final SnapshotPolicy DEFAULT = new SnapshotPolicy(DEFAULT_INTERVAL, true);

    private final int interval;
    private final boolean enabled;

    private SnapshotPolicy(int interval, boolean enabled) {
        this.interval = interval;
        this.enabled = enabled;
    }

    /**
     * @param interval 1 to 1,000,000 versions between snapshots
     * @return the policy
     */
    public static SnapshotPolicy every(int interval) {
        if (interval < 1 || interval > 1_000_000) {
            throw new IllegalArgumentException("snapshot interval must be 1 to 1000000 versions, not " + interval);
        }
        return interval == DEFAULT_INTERVAL ? DEFAULT : new SnapshotPolicy(interval, true);
    }

    /** @return the default policy, {@code every(}{@value #DEFAULT_INTERVAL}{@code )} */
    public static SnapshotPolicy defaults() {
        return DEFAULT;
    }

    /** @return snapshots only on {@link Resource#snapshot(String)} */
    public static SnapshotPolicy onDemand() {
        return ON_DEMAND;
    }

    /** @return no snapshots */
    public static SnapshotPolicy off() {
        return OFF;
    }

    /** @return versions between automatic snapshots, 0 if there are none */
    public int interval() {
        return interval;
    }

    /** @return true unless snapshots are off */
    public boolean enabled() {
        return enabled;
    }

    @Override
    public String toString() {
        return !enabled ? "off" : interval == 0 ? "on demand" : "every " + interval + " versions";
    }
}
