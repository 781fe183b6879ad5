package dev.hindsight.engine;

/**
 * When an append is acknowledged, and so what it survives. Immutable, thread-safe.
 */
public enum Durability {
    /**
     * Acknowledged once the frame is in the memory-mapped journal. Survives the process being
     * killed ({@code kill -9}), not a power loss or kernel crash. The default.
     */
    PROCESS_CRASH,
    /**
     * Acknowledged after the journal is synced to the device. The sequencer commits in groups:
     * it writes everything queued, syncs once, then acknowledges the whole group, so throughput
     * holds with many producers while each producer waits about one sync.
     */
    OS_CRASH
}
