package dev.hindsight.engine;

/**
 * How often the journal starts a new file. Fixed when a store is created; reopening with another
 * value keeps the stored one. Immutable, thread-safe.
 */
public enum JournalRollCycle {
    /** A file per second: for tests that must cross file boundaries quickly. */
    TEST_SECONDLY,
    /** A file per hour. */
    HOURLY,
    /** A file per day (up to 4 billion events a day). The default. */
    DAILY,
    /** A file per week. */
    WEEKLY
}
