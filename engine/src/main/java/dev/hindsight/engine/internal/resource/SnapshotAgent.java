package dev.hindsight.engine.internal.resource;

import dev.hindsight.codec.EventCodec;
import dev.hindsight.engine.internal.snapshot.SnapshotStore;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.ManyToOneConcurrentArrayQueue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The store's snapshot thread: the only writer of its {@link SnapshotStore}. Callers of resource actions hand it
 * folds (immutable states at a version) through a bounded queue and go on; it encodes and stores them off the
 * append path. Snapshots are derived data, so a full queue, a state too large or a failed write drops the
 * snapshot (counted, logged once) and reads replay more events instead.
 *
 * <p>Thread-safe: {@link #offer} and {@link #snapshotNow} from any thread; {@link #close} once.
 */
public final class SnapshotAgent implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("dev.hindsight");
    private static final int QUEUE_CAPACITY = 1 << 16;

    /** One fold to store, and who waits for it (on demand). */
    private record Task(BoundResource<?> bound, Folded<?> fold, CountDownLatch done) {
    }

    private final SnapshotStore snapshots;
    private final EventCodec codec;
    private final int maxStateBytes;
    private final ManyToOneConcurrentArrayQueue<Task> queue = new ManyToOneConcurrentArrayQueue<>(QUEUE_CAPACITY);
    private final Thread thread;
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong stored = new AtomicLong();
    private volatile boolean running = true;
    private boolean failureLogged;
    private byte[] buffer = new byte[4096];
    private final int[] length = new int[1];

    /**
     * Starts the snapshot thread.
     *
     * @param snapshots     the snapshot store (this thread becomes its writer)
     * @param codec         the store's codec
     * @param maxStateBytes the largest encoded state stored
     * @param storeName     for the thread's name
     */
    public SnapshotAgent(SnapshotStore snapshots, EventCodec codec, int maxStateBytes, String storeName) {
        this.snapshots = snapshots;
        this.codec = codec;
        this.maxStateBytes = maxStateBytes;
        this.thread = new Thread(this::run, "hindsight-snapshots");
        thread.setDaemon(true);
        thread.start();
    }

    /** @return the snapshot store (for lookups, from any thread) */
    public SnapshotStore store() {
        return snapshots;
    }

    /**
     * Hands a fold to the snapshot thread without waiting.
     *
     * @param bound the fold's resource type
     * @param fold  the fold
     */
    void offer(BoundResource<?> bound, Folded<?> fold) {
        if (!running || !queue.offer(new Task(bound, fold, null))) {
            dropped.incrementAndGet();
        }
    }

    /**
     * Hands a fold to the snapshot thread and waits until it is stored (or dropped).
     *
     * @return false if the store is closing or the wait timed out
     */
    boolean snapshotNow(BoundResource<?> bound, Folded<?> fold) {
        CountDownLatch done = new CountDownLatch(1);
        if (!running || !queue.offer(new Task(bound, fold, done))) {
            dropped.incrementAndGet();
            return false;
        }
        try {
            return done.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** @return snapshots stored by this agent since the store opened */
    public long storedCount() {
        return stored.get();
    }

    /** @return snapshots dropped (queue full, too large, write failed) since the store opened */
    public long droppedCount() {
        return dropped.get();
    }

    /** Waits until every fold handed over so far is processed; for tests and benchmarks. */
    public void awaitIdle() {
        CountDownLatch done = new CountDownLatch(1);
        while (running && !queue.offer(new Task(null, null, done))) {
            Thread.onSpinWait();
        }
        try {
            done.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        snapshots.bindWriterToCurrentThread();
        IdleStrategy idle = new BackoffIdleStrategy(10, 20, TimeUnit.MICROSECONDS.toNanos(50),
                TimeUnit.MILLISECONDS.toNanos(1));
        while (true) {
            Task t = queue.poll();
            if (t == null) {
                if (!running) {
                    return;
                }
                idle.idle();
                continue;
            }
            idle.reset();
            try {
                if (t.bound() != null) {
                    store(t.bound(), t.fold());
                }
            } catch (RuntimeException e) {
                dropped.incrementAndGet();
                if (!failureLogged) {
                    failureLogged = true;
                    LOG.log(System.Logger.Level.WARNING, "snapshot of " + t.bound().type().name() + "/"
                            + t.fold().entityId + " version " + t.fold().version + " not stored (snapshots are derived "
                            + "data; reads replay the journal instead): " + e);
                }
            } finally {
                if (t.done() != null) {
                    t.done().countDown();
                }
            }
        }
    }

    private void store(BoundResource<?> bound, Folded<?> f) {
        byte[] b = StateSnapshots.encode(codec, f, buffer, maxStateBytes, length);
        if (b == null) {
            dropped.incrementAndGet();
            return;
        }
        buffer = b;
        SnapshotStore.PutResult r = snapshots.put(bound.type().name(), f.entityId, f.version, f.position,
                f.lastChangedNanos, bound.snapshotFingerprint(), b, 0, length[0]);
        if (r == SnapshotStore.PutResult.STORED) {
            stored.incrementAndGet();
        } else if (r == SnapshotStore.PutResult.NOT_WRITTEN) {
            dropped.incrementAndGet();
        }
    }

    /** Stores what is queued, stops the thread and closes the snapshot store. */
    @Override
    public void close() {
        running = false;
        try {
            thread.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Task t;
        while ((t = queue.poll()) != null) {
            if (t.done() != null) {
                t.done().countDown();
            }
        }
        snapshots.close();
    }
}
