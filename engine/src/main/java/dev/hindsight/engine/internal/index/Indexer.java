package dev.hindsight.engine.internal.index;

import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * The indexer thread: drives an {@link IndexFollower} so the entity index follows the journal,
 * off the append's critical path. It sleeps when caught up; {@link #wake()} (called by the
 * sequencer after an append, and by readers waiting for the index) rouses it. Thread-safe.
 */
public final class Indexer implements Runnable {
    private final IndexFollower follower;
    private final LongSupplier stopAt;
    private final String storeName;
    private final CheckpointWriter dirtyCheckpoint;
    private long nextCheckpointNanos;
    private volatile boolean stopping;
    private volatile boolean sleeping;
    private volatile Throwable failure;
    private volatile Thread thread;

    /** Records a (dirty) checkpoint: how many entities the index holds, so a rebuild after a crash is sized for them. */
    @FunctionalInterface
    public interface CheckpointWriter {
        /** @throws java.io.IOException if it cannot be written */
        void write() throws java.io.IOException;
    }

    /**
     * @param follower        the follower to drive
     * @param stopAt          when stopping, the position the index must reach first (the sequencer's published position)
     * @param storeName       for the thread's messages
     * @param dirtyCheckpoint written every {@value #CHECKPOINT_INTERVAL_SECONDS} s while indexing; null for none
     */
    public Indexer(IndexFollower follower, LongSupplier stopAt, String storeName, CheckpointWriter dirtyCheckpoint) {
        this.follower = follower;
        this.stopAt = stopAt;
        this.storeName = storeName;
        this.dirtyCheckpoint = dirtyCheckpoint;
    }

    /** How often a writing store's indexer records its entity count. */
    static final int CHECKPOINT_INTERVAL_SECONDS = 10;

    /** Starts the indexer thread. */
    public void start() {
        Thread t = new Thread(this, "hindsight-indexer");
        t.setDaemon(true);
        thread = t;
        t.start();
    }

    @Override
    public void run() {
        int idle = 0;
        try {
            while (true) {
                if (follower.poll() > 0) {
                    idle = 0;
                    maybeCheckpoint();
                    continue;
                }
                if (stopping && follower.indexedPosition() >= stopAt.getAsLong()) {
                    return;
                }
                if (idle < 32) {
                    Thread.onSpinWait();
                } else if (idle < 64) {
                    Thread.yield();
                } else {
                    sleeping = true;
                    if (!stopping) {
                        LockSupport.parkNanos(idle < 1000 ? 50_000 : 1_000_000);
                    }
                    sleeping = false;
                }
                idle++;
            }
        } catch (Throwable t) {
            failure = t;
        }
    }

    private void maybeCheckpoint() throws java.io.IOException {
        if (dirtyCheckpoint == null) {
            return;
        }
        long now = System.nanoTime();
        if (nextCheckpointNanos == 0) {
            nextCheckpointNanos = now + java.util.concurrent.TimeUnit.SECONDS.toNanos(CHECKPOINT_INTERVAL_SECONDS);
        } else if (now >= nextCheckpointNanos) {
            dirtyCheckpoint.write();
            nextCheckpointNanos = now + java.util.concurrent.TimeUnit.SECONDS.toNanos(CHECKPOINT_INTERVAL_SECONDS);
        }
    }

    /** Wakes the indexer if it sleeps; cheap when it does not. */
    public void wake() {
        if (sleeping) {
            LockSupport.unpark(thread);
        }
    }

    /** @return the follower this thread drives */
    public IndexFollower follower() {
        return follower;
    }

    /** @return the failure that stopped the indexer, or null */
    public Throwable failure() {
        return failure;
    }

    /** @return the store this indexer serves */
    public String storeName() {
        return storeName;
    }

    /** Indexes up to {@code stopAt}, then stops the thread and waits for it. */
    public void stop() {
        stopping = true;
        Thread t = thread;
        if (t == null) {
            return;
        }
        boolean interrupted = false;
        while (t.isAlive()) {
            LockSupport.unpark(t);
            try {
                t.join(100);
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
