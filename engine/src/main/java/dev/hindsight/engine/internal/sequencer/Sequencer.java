package dev.hindsight.engine.internal.sequencer;

import dev.hindsight.codec.FrameFormat;
import dev.hindsight.codec.FrameWriter;
import dev.hindsight.engine.AppendResult;
import dev.hindsight.engine.Durability;
import dev.hindsight.engine.ExpectedVersion;
import dev.hindsight.engine.HindsightException;
import dev.hindsight.engine.StoreClosedException;
import dev.hindsight.engine.StoreFullException;
import dev.hindsight.engine.WrongExpectedVersionException;
import dev.hindsight.engine.internal.index.LiveIndex;
import dev.hindsight.engine.internal.journal.Journal;
import dev.hindsight.engine.internal.journal.JournalWriter;
import org.agrona.concurrent.ManyToOneConcurrentArrayQueue;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.zip.CRC32C;

/**
 * The single writer: one thread that owns the journal's appender and the entity index. Producers on
 * any thread call {@link #append}, which queues their {@link AppendRequest} and waits for the
 * answer. Per request the sequencer checks the expected version, stamps global positions, entity
 * versions and a timestamp that never decreases, seals each frame's CRC and appends the frames as
 * one excerpt. With {@link Durability#OS_CRASH} it drains everything queued, appends it, syncs once
 * and only then acknowledges the group (group commit).
 *
 * <p>Thread safety: {@link #append} is thread-safe; everything else in the run loop is confined to
 * the sequencer thread (asserted by the journal writer and the entity index).
 */
public final class Sequencer implements Runnable {
    /** Requests queued at most; producers beyond it wait (back-pressure). */
    public static final int QUEUE_CAPACITY = 1024;
    private static final long DISK_CHECK_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final long CLOCK_RESAMPLE_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);
    // Back-off of a waiting producer and of the idle sequencer: spin (the answer usually comes
    // within a microsecond), then yield, then park (a parked sequencer is woken by the next producer).
    private static final int PRODUCER_SPINS = Integer.getInteger("hindsight.producerSpins", 50_000);
    private static final int PRODUCER_YIELDS = Integer.getInteger("hindsight.producerYields", 200);
    private static final int SEQUENCER_SPINS = Integer.getInteger("hindsight.sequencerSpins", 50_000);
    private static final int SEQUENCER_YIELDS = Integer.getInteger("hindsight.sequencerYields", 200);

    private final String storeName;
    private final Journal journal;
    private final LiveIndex index;
    private final Durability durability;
    private final long minFreeDiskBytes;
    private final ManyToOneConcurrentArrayQueue<AppendRequest> queue = new ManyToOneConcurrentArrayQueue<>(QUEUE_CAPACITY);
    private final Consumer<AppendRequest> processor = this::process;
    private final AppendRequest[] group = new AppendRequest[QUEUE_CAPACITY];
    private final CRC32C crc = new CRC32C();
    private final SequencerClock clock = new SequencerClock();
    private final CountDownLatch started = new CountDownLatch(1);
    /** Each frame's offset in the excerpt being appended, for the index; grows to the largest append. */
    private int[] frameOffsets = new int[64];
    /** A sync takes milliseconds: producers waiting for one spin briefly and park, leaving the cores to the sequencer. */
    private final int producerSpins;

    private JournalWriter writer;
    private FileStore fileStore;
    private int groupSize;
    private long nextPosition;
    private long lastTimestamp;
    private long lastExcerptIndex;
    private long nextDiskCheckNanos;
    private long nextClockSampleNanos;
    private boolean diskLow;
    private long lastFreeBytes;

    private volatile long publishedPosition;
    /** OS_CRASH: the position synced to the device (written once per group); else unused. */
    private volatile long syncedPosition;
    private volatile boolean closing;
    private volatile boolean terminated;
    private volatile boolean sleeping;
    private volatile Thread thread;
    private volatile Throwable fatal;

    /**
     * @param storeName        the store's directory, for messages
     * @param journal          the journal to write
     * @param index            the entity index, loaded with every entity's head version
     * @param durability       when to acknowledge
     * @param minFreeDiskBytes appends fail below this much free space
     * @param nextPosition     the next global position (events already in the journal)
     * @param lastTimestamp    the last timestamp in the journal
     * @param lastExcerptIndex the Chronicle index of the journal's last excerpt, -1 if none
     */
    public Sequencer(String storeName, Journal journal, LiveIndex index, Durability durability, long minFreeDiskBytes,
                     long nextPosition, long lastTimestamp, long lastExcerptIndex) {
        this.storeName = storeName;
        this.journal = journal;
        this.index = index;
        this.durability = durability;
        this.minFreeDiskBytes = minFreeDiskBytes;
        this.nextPosition = nextPosition;
        this.publishedPosition = nextPosition;
        this.syncedPosition = nextPosition;
        this.lastTimestamp = lastTimestamp;
        this.lastExcerptIndex = lastExcerptIndex;
        this.producerSpins = durability == Durability.OS_CRASH ? Math.min(PRODUCER_SPINS, 256) : PRODUCER_SPINS;
    }

    /** Starts the sequencer thread and waits until it owns the journal writer. */
    public void start() {
        Thread t = new Thread(this, "hindsight-sequencer");
        t.setDaemon(true);
        thread = t;
        t.start();
        try {
            if (!started.await(30, TimeUnit.SECONDS)) {
                throw new HindsightException("the sequencer of " + storeName + " did not start within 30 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HindsightException("interrupted while starting the sequencer of " + storeName, e);
        }
        Throwable t2 = fatal;
        if (t2 != null) {
            throw new HindsightException("the sequencer of " + storeName + " failed to start: " + t2.getMessage(), t2);
        }
    }

    /**
     * Appends the frames in {@code request} (filled by the calling thread) and waits for the answer.
     *
     * @param request         the calling thread's request, its frames written
     * @param resourceType    the entity's resource type
     * @param entityId        the entity's id
     * @param expectedVersion expected head version or {@link ExpectedVersion#ANY}
     * @return what was assigned
     * @throws WrongExpectedVersionException if the entity is at another version
     * @throws StoreClosedException          if the store closed first
     */
    public AppendResult append(AppendRequest request, String resourceType, String entityId, long expectedVersion) {
        if (closing) {
            throw closed();
        }
        // the lookup is done here, on the producer's thread, to keep it off the sequencer's
        request.prepare(resourceType, entityId, expectedVersion, index.entity(resourceType, entityId));
        while (!queue.offer(request)) {
            if (terminated && request.abandon()) {
                request.reset();
                throw closed();
            }
            Thread.yield();
        }
        if (sleeping) {
            LockSupport.unpark(thread);
        }
        int state = await(request);
        request.reset();
        switch (state) {
            case AppendRequest.DONE:
                return new AppendResult(request.firstPosition, request.firstVersion,
                        request.frameCount, request.timestampNanos);
            case AppendRequest.CONFLICT:
                throw new WrongExpectedVersionException(resourceType, entityId, expectedVersion, request.actualVersion);
            case AppendRequest.FAILED:
                throw asRuntime(request.failure);
            default:
                throw closed();
        }
    }

    private int await(AppendRequest request) {
        int idle = 0;
        while (true) {
            int state = request.state();
            if (state >= AppendRequest.DONE) {
                return state;
            }
            if ((idle & 1023) == 1023 && terminated && request.abandon()) {
                return AppendRequest.ABANDONED;
            }
            if (idle < producerSpins) {
                Thread.onSpinWait();
            } else if (idle < producerSpins + PRODUCER_YIELDS) {
                Thread.yield();
            } else {
                request.waitingThread(Thread.currentThread());
                if (request.state() < AppendRequest.DONE) {
                    LockSupport.parkNanos(100_000);
                }
            }
            idle++;
        }
    }

    @Override
    public void run() {
        try {
            writer = journal.createWriter();
            writer.bindToCurrentThread();
            index.bindToCurrentThread();
            fileStore = Files.getFileStore(journal.directory());
            checkDisk(System.nanoTime());
        } catch (Throwable t) {
            fatal = t;
            terminated = true;
            started.countDown();
            return;
        }
        started.countDown();
        int idle = 0;
        try {
            while (true) {
                int drained = queue.drain(processor, QUEUE_CAPACITY);
                if (groupSize > 0) {
                    commitGroup();
                }
                if (drained > 0) {
                    idle = 0;
                    continue;
                }
                if (closing && queue.isEmpty()) {
                    break;
                }
                idle = idle(idle);
            }
        } catch (Throwable t) {
            fatal = t;
        } finally {
            terminated = true;
            // fail whatever slipped in after the last drain; producers also abandon their own
            AppendRequest r;
            while ((r = queue.poll()) != null) {
                if (r.claim()) {
                    r.failure = closed();
                    r.finish(AppendRequest.FAILED);
                }
            }
        }
    }

    private int idle(int idle) {
        if (idle < SEQUENCER_SPINS) {
            Thread.onSpinWait();
        } else if (idle < SEQUENCER_SPINS + SEQUENCER_YIELDS) {
            Thread.yield();
        } else {
            long now = System.nanoTime();
            if (now >= nextClockSampleNanos) {
                clock.sample();
                nextClockSampleNanos = now + CLOCK_RESAMPLE_INTERVAL_NANOS;
            }
            sleeping = true;
            if (queue.isEmpty() && !closing) {
                LockSupport.parkNanos(1_000_000);
            }
            sleeping = false;
        }
        return idle + 1;
    }

    private void process(AppendRequest request) {
        if (!request.claim()) {
            return;
        }
        try {
            processClaimed(request);
        } catch (Throwable t) {
            // a bug or a failing index: the store stops accepting appends, and no producer hangs
            fatal = t;
            if (request.state() == AppendRequest.CLAIMED) {
                request.failure = new HindsightException("append to " + storeName + " failed: " + t, t);
                request.finish(AppendRequest.FAILED);
            }
        }
    }

    private void processClaimed(AppendRequest request) {
        Throwable f = fatal;
        if (f != null) {
            request.failure = new StoreClosedException("store " + storeName + " failed earlier and accepts no appends: " + f);
            request.finish(AppendRequest.FAILED);
            return;
        }
        LiveIndex.Entity entity = request.entity;
        if (entity == null) {
            entity = index.entity(request.resourceType, request.entityId); // created since the producer looked
        }
        long head = entity == null ? 0 : entity.head();
        long expected = request.expectedVersion;
        if (expected != ExpectedVersion.ANY && expected != head) {
            request.actualVersion = head;
            request.finish(AppendRequest.CONFLICT);
            return;
        }
        long now = System.nanoTime();
        if (now >= nextDiskCheckNanos) {
            checkDisk(now);
        }
        if (diskLow) {
            request.failure = new StoreFullException("only " + lastFreeBytes + " bytes are free for the journal of "
                    + storeName + "; appends need at least " + minFreeDiskBytes + " (minFreeDiskBytes)");
            request.finish(AppendRequest.FAILED);
            return;
        }
        int count = request.frameCount;
        long timestamp = clock.epochNanos();
        if (timestamp < lastTimestamp) {
            timestamp = lastTimestamp; // the wall clock stepped back: time in the journal never does
        }
        byte[] buf = request.buffer;
        if (count > frameOffsets.length) {
            frameOffsets = new int[Math.max(count, frameOffsets.length * 2)];
        }
        int[] offsets = frameOffsets;
        // frames lie back to back: walk them by their length fields (no read of the writer's offsets)
        for (int i = 0, offset = 0; i < count; i++) {
            FrameWriter.seal(buf, offset, nextPosition + i, timestamp, head + 1 + i, crc);
            offsets[i] = offset;
            offset += FrameFormat.peekFrameLength(buf, offset);
        }
        long excerpt;
        try {
            excerpt = writer.append(buf, request.length);
        } catch (Throwable t) {
            fatal = t;
            request.failure = new HindsightException("append to the journal of " + storeName + " failed: " + t, t);
            request.finish(AppendRequest.FAILED);
            return;
        }
        // each version's location: its excerpt, and its own frame's byte offset in the cycle file
        index.recordAppend(entity, request.resourceType, request.entityId, head + 1, count, excerpt, writer.lastAddress(),
                offsets, timestamp);
        lastExcerptIndex = excerpt;
        request.firstPosition = nextPosition;
        request.firstVersion = head + 1;
        request.timestampNanos = timestamp;
        nextPosition += count;
        lastTimestamp = timestamp;
        publishedPosition = nextPosition;
        if (durability == Durability.OS_CRASH) {
            group[groupSize++] = request;
        } else {
            request.finish(AppendRequest.DONE);
        }
    }

    private void commitGroup() {
        try {
            writer.sync();
            syncedPosition = nextPosition;
            for (int i = 0; i < groupSize; i++) {
                group[i].finish(AppendRequest.DONE);
                group[i] = null;
            }
        } catch (Throwable t) {
            fatal = t;
            for (int i = 0; i < groupSize; i++) {
                group[i].failure = new HindsightException("sync of the journal of " + storeName + " failed: " + t, t);
                group[i].finish(AppendRequest.FAILED);
                group[i] = null;
            }
        }
        groupSize = 0;
    }

    private void checkDisk(long now) {
        nextDiskCheckNanos = now + DISK_CHECK_INTERVAL_NANOS;
        try {
            lastFreeBytes = fileStore.getUsableSpace();
            diskLow = lastFreeBytes < minFreeDiskBytes;
        } catch (IOException e) {
            diskLow = false; // cannot tell; Chronicle reports a real failure itself
        }
    }

    /** @return the next global position: every event before it is in the journal */
    public long publishedPosition() {
        return publishedPosition;
    }

    /**
     * @return the next position not yet acknowledged: every event before it is in the journal and,
     *     with {@link Durability#OS_CRASH}, synced. Subscribers deliver no further (one volatile read;
     *     the sequencer does nothing more for them).
     */
    public long acknowledgedPosition() {
        return durability == Durability.OS_CRASH ? syncedPosition : publishedPosition;
    }

    /** @return the Chronicle index of the last excerpt appended; read after {@link #close()} */
    public long lastExcerptIndex() {
        return lastExcerptIndex;
    }

    /** @return the timestamp of the last append; read after {@link #close()} */
    public long lastTimestamp() {
        return lastTimestamp;
    }

    /** @return the failure that stopped the sequencer, or null */
    public Throwable failure() {
        return fatal;
    }

    /** Stops accepting appends, appends and acknowledges everything already queued, and stops the thread. */
    public void close() {
        closing = true;
        Thread t = thread;
        if (t == null) {
            return;
        }
        LockSupport.unpark(t);
        boolean interrupted = false;
        while (t.isAlive()) {
            try {
                t.join(1000);
            } catch (InterruptedException e) {
                interrupted = true;
            }
            LockSupport.unpark(t);
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private StoreClosedException closed() {
        Throwable f = fatal;
        return new StoreClosedException("store " + storeName + " is closed" + (f == null ? "" : " after a failure: " + f));
    }

    private static RuntimeException asRuntime(Throwable t) {
        if (t instanceof RuntimeException) {
            return (RuntimeException) t;
        }
        if (t instanceof Error) {
            throw (Error) t;
        }
        return new HindsightException(String.valueOf(t), t);
    }
}
