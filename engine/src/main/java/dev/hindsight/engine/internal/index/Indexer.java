package dev.hindsight.engine.internal.index;

import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * The indexer thread of a read-only store: drives an {@link IndexFollower} so the on-heap entity
 * index follows what a writer in another process appends. It sleeps when caught up. Thread-safe.
 */
public final class Indexer implements Runnable {
    private final IndexFollower follower;
    private final LongSupplier stopAt;
    private final String storeName;
    private volatile boolean stopping;
    private volatile Throwable failure;
    private volatile Thread thread;

    /**
     * @param follower  the follower to drive
     * @param stopAt    when stopping, the position the index must reach first
     * @param storeName for the thread's messages
     */
    public Indexer(IndexFollower follower, LongSupplier stopAt, String storeName) {
        this.follower = follower;
        this.stopAt = stopAt;
        this.storeName = storeName;
    }

    /** Starts the indexer thread. */
    public void start() {
        Thread t = new Thread(this, "hindsight-indexer");
        t.setDaemon(true);
        thread = t;
        t.start();
    }

    @Override
    public void run() {
        follower.index().bindToCurrentThread();
        int idle = 0;
        try {
            while (true) {
                if (follower.poll() > 0) {
                    idle = 0;
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
                    if (!stopping) {
                        LockSupport.parkNanos(idle < 1000 ? 50_000 : 1_000_000);
                    }
                }
                idle++;
            }
        } catch (Throwable t) {
            failure = t;
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
