package dev.hindsight.engine.internal.index;

/**
 * Where a run of one entity's versions are, as {@link LiveIndex#locate} fills it: per version the
 * Chronicle index of the excerpt holding its frame (which names the journal cycle) and the frame's
 * byte address in that cycle's file. Also the staging buffer for persisted blocks read on the way,
 * so locating allocates nothing once warm. Reused by one reading thread; not thread-safe.
 */
public final class Locations {
    /** The most versions located at once; readers locate longer runs in chunks. */
    public static final int MAX_RUN = 1024;

    final long[] excerpts = new long[MAX_RUN];
    final long[] addresses = new long[MAX_RUN];
    int count;
    /** Reused for persisted blocks: Chronicle Map fills an array of the right length in place. */
    byte[] block = new byte[EntityKeys.BLOCK_SIZE * EntityKeys.ENTRY_BYTES];

    /** @return how many versions were located */
    public int count() {
        return count;
    }

    /**
     * @param i 0 for the first version located
     * @return the Chronicle index of the excerpt holding that version's frame
     */
    public long excerpt(int i) {
        return excerpts[i];
    }

    /**
     * @param i 0 for the first version located
     * @return the byte address of that version's frame in its cycle file
     */
    public long address(int i) {
        return addresses[i];
    }
}
