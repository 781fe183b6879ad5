package dev.hindsight.engine.internal.resource;

/**
 * The layout of a resource state inside a snapshot record ({@link StateSnapshots}), for readers outside this
 * package (offline inspection) that decode it without the application's classes. Stateless, thread-safe.
 */
public final class SnapshotStateLayout {
    /** Bytes before the encoded state: layout, flags, created-at. */
    public static final int PREFIX = StateSnapshots.PREFIX;
    /** The layout byte this code writes and reads. */
    public static final int LAYOUT = StateSnapshots.LAYOUT;

    private SnapshotStateLayout() {
    }

    /**
     * @param stateFingerprint the fingerprint of the resource type's {@code R.Created} schema
     * @return the fingerprint its snapshots are stored under
     */
    public static long fingerprint(long stateFingerprint) {
        return StateSnapshots.fingerprint(stateFingerprint);
    }
}
