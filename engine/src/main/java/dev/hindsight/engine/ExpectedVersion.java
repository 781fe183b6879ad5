package dev.hindsight.engine;

/**
 * The version an append expects an entity to be at, checked by the sequencer before anything is
 * written. Versions start at 1 with an entity's first event; an entity with no event is at
 * version 0. Constants only; thread-safe.
 */
public final class ExpectedVersion {
    /** No check: append whatever version the entity is at. */
    public static final long ANY = -1;
    /** The entity must have no event yet (it is at version 0). */
    public static final long NO_STREAM = 0;

    private ExpectedVersion() {
    }

    /**
     * The entity must be exactly at {@code version}.
     *
     * @param version the expected head version, 0 or more
     * @return {@code version}
     * @throws IllegalArgumentException if {@code version} is negative
     */
    public static long exactly(long version) {
        if (version < 0) {
            throw new IllegalArgumentException("expected version must be 0 or more (or ExpectedVersion.ANY), not " + version);
        }
        return version;
    }

    static String describe(long expected) {
        return expected == ANY ? "any version" : expected == NO_STREAM ? "no stream (version 0)" : "version " + expected;
    }
}
