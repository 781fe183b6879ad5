package dev.hindsight.engine.internal.subscription;

import dev.hindsight.codec.CorruptFrameException;
import dev.hindsight.codec.FrameReader;
import dev.hindsight.engine.HindsightException;
import dev.hindsight.engine.ParkedEvent;
import dev.hindsight.engine.Subscription;
import dev.hindsight.engine.internal.journal.JournalReader;
import org.agrona.collections.LongHashSet;
import org.agrona.concurrent.BackoffIdleStrategy;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongPredicate;

/**
 * One running subscription: its thread reads the journal sequentially from the subscription's
 * position with its own tailer, delivers every matching event to the handler, and, at the journal's
 * end, waits with a backoff idle strategy (spin, yield, then park from 1 µs doubling to a bounded
 * maximum) for more. Catch-up and live delivery are the same loop, so there is no switch to get wrong:
 * frames are checked to carry exactly the next position (no gap, no duplicate).
 *
 * <p>In a writing store delivery stops at the sequencer's acknowledged position (read with one
 * volatile load; the sequencer does nothing for subscribers); a read-only store delivers what the
 * journal holds.
 *
 * <p>Thread safety: the public methods are thread-safe; everything else runs on the subscription's
 * thread. Requests from other threads (retry, reset) are queued and carried out between two batches.
 */
final class SubscriptionWorker implements Subscription, Runnable {
    private static final System.Logger LOG = System.getLogger("dev.hindsight");
    private static final VarHandle POSITION;
    /** Frames processed between two looks at the request queue and the clock. */
    static final int BATCH_FRAMES = 4096;
    static final long SPINS = Long.getLong("hindsight.subscriberSpins", 10_000);
    static final long YIELDS = Long.getLong("hindsight.subscriberYields", 100);
    static final long MAX_PARK_NANOS = TimeUnit.MICROSECONDS.toNanos(Long.getLong("hindsight.subscriberMaxParkMicros", 1_000));
    private static final long CLOSE_WAIT_NANOS = TimeUnit.SECONDS.toNanos(10);
    private static final int MAX_ERROR_CHARS = 2_000;

    static {
        try {
            POSITION = MethodHandles.lookup().findVarHandle(SubscriptionWorker.class, "position", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Thrown on the subscription's thread to stop delivering because the subscription closes. */
    private static final class Stop extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Stop() {
            super("closing", null, false, false);
        }
    }

    private static final Stop STOP = new Stop();

    /** A request carried out on the subscription's thread. */
    private record Request(boolean retry, long position, CompletableFuture<Object> done) {
    }

    private final SubscriptionManager manager;
    private final SubscriptionHost host;
    private final SubscriptionConfig config;
    private final String name;
    private final long storeId;
    private final Path checkpointFile;
    private final Path parkedFile;
    private final ChronicleReadModel<Object> model;
    private final StagedChanges<Object> staged;
    private final TreeMap<Long, ParkedEvent> parked = new TreeMap<>();
    private final LongHashSet parkedSet = new LongHashSet();
    private final LongPredicate isParked = parkedSet::contains;
    private final ConcurrentLinkedQueue<Request> requests = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean closeCalled = new AtomicBoolean();

    @SuppressWarnings("unused") // through POSITION
    private volatile long position;
    private volatile long checkpointed;
    private volatile boolean closing;
    private volatile boolean running = true;
    private volatile Throwable failure;
    private volatile List<ParkedEvent> parkedView;
    private volatile Thread thread;

    // the subscription's thread only
    private JournalReader reader;
    private JournalReader retryReader;
    private FrameReader frame;
    private FrameEventView view;
    private long next;
    private boolean dirty;
    private boolean checkpointFailed;
    private long lastCheckpointNanos;

    SubscriptionWorker(SubscriptionManager manager, SubscriptionHost host, SubscriptionConfig config, long storeId,
                       long start, Path checkpointFile, Path parkedFile, List<ParkedEvent> parkedEvents) {
        this.manager = manager;
        this.host = host;
        this.config = config;
        this.name = config.name();
        this.storeId = storeId;
        this.checkpointFile = checkpointFile;
        this.parkedFile = parkedFile;
        this.model = config.model();
        this.staged = model == null ? null : new StagedChanges<>(model);
        for (ParkedEvent p : parkedEvents) {
            parked.put(p.position(), p);
            parkedSet.add(p.position());
        }
        this.parkedView = List.copyOf(parked.values());
        this.next = start;
        this.position = start;
        this.checkpointed = start;
    }

    void start() {
        Thread t = new Thread(this, "hindsight-sub-" + name);
        t.setDaemon(true);
        thread = t;
        t.start();
    }

    // ------------------------------------------------------------------ the subscription's thread

    @Override
    public void run() {
        try {
            reader = host.journal().createReader();
            frame = new FrameReader(host.maxFrameBytes());
            view = new FrameEventView(host.codec(), host.refreshCatalog());
            seek(next);
            BackoffIdleStrategy idle = new BackoffIdleStrategy(SPINS, YIELDS, 1_000, MAX_PARK_NANOS);
            lastCheckpointNanos = System.nanoTime();
            while (!closing) {
                if (!requests.isEmpty()) {
                    runRequests();
                }
                int n = poll();
                if (n > 0) {
                    idle.reset();
                    if (System.nanoTime() - lastCheckpointNanos >= config.checkpointIntervalNanos()) {
                        checkpoint();
                    }
                } else {
                    if (dirty) {
                        checkpoint(); // caught up: a good moment
                    }
                    idle.idle();
                }
            }
        } catch (Stop s) {
            // closing while a handler was being retried: that event is delivered again next time
        } catch (Throwable t) {
            failure = t;
            LOG.log(System.Logger.Level.ERROR, "subscription ''{0}'' of {1} stopped at position {2}: {3}", name,
                    host.storeName(), next, t.toString());
        } finally {
            finish();
        }
    }

    private void finish() {
        if (!checkpointFailed && reader != null) {
            try {
                checkpoint();
            } catch (RuntimeException e) {
                if (failure == null) {
                    failure = e;
                }
                LOG.log(System.Logger.Level.WARNING, "subscription ''{0}'': final checkpoint failed: {1}", name, e.toString());
            }
        }
        running = false;
        Throwable why = failure;
        Request r;
        while ((r = requests.poll()) != null) {
            r.done().completeExceptionally(stopped(why));
        }
        if (reader != null) {
            reader.close();
        }
        if (retryReader != null) {
            retryReader.close();
        }
        if (model != null) {
            model.release();
        }
        if (closeCalled.get()) {
            manager.unregister(this);
        }
    }

    private IllegalStateException stopped(Throwable why) {
        return new IllegalStateException("subscription '" + name + "' has stopped"
                + (why == null ? "" : " after a failure: " + why), why);
    }

    private void seek(long position) {
        if (!reader.seekPosition(position)) {
            reader.toStart();
        }
    }

    /** Delivers up to {@link #BATCH_FRAMES} frames. @return how many frames were read past */
    private int poll() {
        long limit = host.deliverableEnd().getAsLong();
        if (next >= limit) {
            return 0;
        }
        int frames = 0;
        while (frames < BATCH_FRAMES && next < limit && reader.next()) {
            byte[] buf = reader.buffer();
            int len = reader.length();
            String src = reader.fileName();
            long at = reader.filePosition();
            int off = 0;
            while (off < len) {
                FrameReader f = frame.wrap(buf, off, len - off, src, at);
                long p = f.globalPosition();
                int frameLength = f.frameLength();
                if (p >= next) {
                    if (p != next) {
                        throw new CorruptFrameException(src, at, "frame has global position " + p + " where " + next
                                + " was expected: the journal has a gap");
                    }
                    if (config.filter().matches(f) && (parkedSet.isEmpty() || !parkedSet.contains(p))) {
                        view.wrap(f, src, at);
                        deliver(p);
                    }
                    next = p + 1;
                    POSITION.setRelease(this, next);
                    dirty = true;
                    frames++;
                    if (closing) {
                        return frames; // the rest of this excerpt is delivered after the restart
                    }
                }
                off += frameLength;
            }
        }
        return frames;
    }

    /** Calls the handler for the event in the view, retrying with backoff, then parking it. */
    private void deliver(long p) {
        int attempts = 0;
        while (true) {
            try {
                invoke();
            } catch (Stop s) {
                throw s;
            } catch (Exception e) {
                CorruptFrameException damaged = view.decodeFailure();
                if (damaged != null) {
                    throw damaged; // the journal, not the handler
                }
                if (closing) {
                    throw STOP; // not parked: delivered again after the restart
                }
                attempts++;
                if (attempts > config.retries()) {
                    park(p, attempts, e);
                    return;
                }
                backoff(attempts);
                continue;
            }
            if (model != null) {
                model.commit(staged, p, true, isParked);
            }
            return;
        }
    }

    private void invoke() throws Exception {
        if (model != null) {
            staged.clear();
            config.projection().apply(view, staged);
        } else if (config.viewHandler() != null) {
            config.viewHandler().handle(view);
        } else {
            config.handler().handle(view.toRecorded());
        }
    }

    private void backoff(int attempt) {
        long wait = config.backoffFirstNanos() << Math.min(attempt - 1, 30);
        if (wait < 0 || wait > config.backoffMaxNanos()) {
            wait = config.backoffMaxNanos();
        }
        long deadline = System.nanoTime() + wait;
        long left;
        while (!closing && (left = deadline - System.nanoTime()) > 0) {
            LockSupport.parkNanos(left);
        }
        if (closing) {
            throw STOP;
        }
    }

    private void park(long p, int attempts, Exception e) {
        if (parked.size() >= ParkedEventsFile.MAX_EVENTS) {
            throw new HindsightException("subscription '" + name + "' already has " + parked.size() + " parked events (the"
                    + " most kept); it stops at position " + p + ": fix the handler, then retry or reset it. Last error: " + describe(e), e);
        }
        Instant now = Instant.now();
        ParkedEvent pe = new ParkedEvent(name, p, attempts, describe(e), now, now);
        parked.put(p, pe);
        parkedSet.add(p);
        saveParked();
        LOG.log(System.Logger.Level.WARNING, "subscription ''{0}'' parked the event at position {1} after {2} attempts: {3}",
                name, p, attempts, pe.lastError());
    }

    private static String describe(Throwable e) {
        String s = e.getClass().getName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        return s.length() <= MAX_ERROR_CHARS ? s : s.substring(0, MAX_ERROR_CHARS);
    }

    private void saveParked() {
        parkedView = List.copyOf(parked.values());
        if (parkedFile != null) {
            try {
                ParkedEventsFile.write(parkedFile, storeId, parked.values());
            } catch (IOException e) {
                throw new HindsightException("subscription '" + name + "' cannot write " + parkedFile + ": " + e.getMessage(), e);
            }
        }
    }

    private void checkpoint() {
        try {
            if (model != null) {
                model.checkpoint(next);
            }
            if (checkpointFile != null) {
                new CheckpointFile(name, storeId, next, System.currentTimeMillis()).write(checkpointFile);
            }
        } catch (IOException | RuntimeException e) {
            checkpointFailed = true;
            throw new HindsightException("subscription '" + name + "' cannot write its checkpoint at position " + next
                    + " (" + (checkpointFile != null ? checkpointFile : model.directory()) + "): " + e.getMessage(), e);
        }
        checkpointed = next;
        dirty = false;
        lastCheckpointNanos = System.nanoTime();
    }

    private void runRequests() {
        Request r;
        while ((r = requests.poll()) != null) {
            try {
                if (r.retry()) {
                    r.done().complete(retryParkedNow());
                } else {
                    resetNow(r.position());
                    r.done().complete(null);
                }
            } catch (Stop s) {
                r.done().completeExceptionally(stopped(null));
                throw s;
            } catch (RuntimeException | Error e) {
                r.done().completeExceptionally(e);
                throw e;
            } catch (IOException e) {
                r.done().completeExceptionally(e);
                throw new HindsightException("subscription '" + name + "': " + e.getMessage(), e);
            }
        }
    }

    /** Retries every parked event once. @return how many were handled */
    private int retryParkedNow() {
        if (parked.isEmpty()) {
            return 0;
        }
        // the checkpoint passes every parked event before any is retried, so none can be replayed in order later
        checkpoint();
        if (retryReader == null) {
            retryReader = host.journal().createReader();
        }
        int handled = 0;
        for (Long p : new ArrayList<>(parked.keySet())) {
            if (closing) {
                throw STOP;
            }
            locate(p);
            try {
                invoke();
            } catch (Stop s) {
                throw s;
            } catch (Exception e) {
                CorruptFrameException damaged = view.decodeFailure();
                if (damaged != null) {
                    throw damaged;
                }
                ParkedEvent old = parked.get(p);
                parked.put(p, new ParkedEvent(name, p, old.attempts() + 1, describe(e), old.firstParked(), Instant.now()));
                saveParked();
                continue;
            }
            if (model != null) {
                model.commit(staged, p, false, isParked);
            }
            parked.remove(p);
            parkedSet.remove(p);
            saveParked();
            handled++;
        }
        return handled;
    }

    /** Wraps the view around the frame at position {@code p}, read with the retry reader. */
    private void locate(long p) {
        if (retryReader.seekPosition(p)) {
            while (retryReader.next()) {
                byte[] buf = retryReader.buffer();
                int len = retryReader.length();
                for (int off = 0; off < len; off += frame.frameLength()) {
                    FrameReader f = frame.wrap(buf, off, len - off, retryReader.fileName(), retryReader.filePosition());
                    if (f.globalPosition() == p) {
                        view.wrap(f, retryReader.fileName(), retryReader.filePosition());
                        return;
                    }
                    if (f.globalPosition() > p) {
                        break;
                    }
                }
                break;
            }
        }
        throw new HindsightException("subscription '" + name + "' has parked the event at position " + p
                + " but the journal of " + host.storeName() + " has no such event");
    }

    private void resetNow(long position) throws IOException {
        if (model != null) {
            model.resetForRebuild();
        }
        parked.clear();
        parkedSet.clear();
        saveParked();
        next = position;
        POSITION.setRelease(this, position);
        seek(position);
        dirty = true;
        checkpoint();
    }

    // ------------------------------------------------------------------ any thread

    /** @return false for a name reserved while the subscription starts */
    boolean started() {
        return thread != null;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public long position() {
        return (long) POSITION.getAcquire(this);
    }

    @Override
    public long checkpointedPosition() {
        return checkpointed;
    }

    @Override
    public long lag() {
        return Math.max(0, host.eventCount().getAsLong() - position());
    }

    @Override
    public boolean isRunning() {
        return running && !closing;
    }

    @Override
    public Throwable failure() {
        return failure;
    }

    @Override
    public List<ParkedEvent> parkedEvents() {
        return parkedView;
    }

    @Override
    public CompletableFuture<Integer> retryParked() {
        return submit(new Request(true, 0, new CompletableFuture<>())).thenApply(o -> (Integer) o);
    }

    @Override
    public CompletableFuture<Void> resetTo(long position) {
        long end = manager.endPosition();
        if (position < 0 || position > end) {
            throw new IllegalArgumentException("cannot reset subscription '" + name + "' to position " + position
                    + ": positions are 0 to the store's event count " + end);
        }
        if (model != null && position != 0) {
            throw new IllegalArgumentException("subscription '" + name + "' keeps read model " + model.directory()
                    + ": it can only be reset to position 0 (a rebuild), not to " + position);
        }
        return submit(new Request(false, position, new CompletableFuture<>())).thenApply(o -> null);
    }

    private CompletableFuture<Object> submit(Request r) {
        if (!isRunning()) {
            r.done().completeExceptionally(stopped(failure));
            return r.done();
        }
        requests.add(r);
        Thread t = thread;
        if (t != null) {
            LockSupport.unpark(t);
        }
        if (!running) {
            // the thread ended between the check and the add: whatever it did not take fails now
            if (requests.remove(r)) {
                r.done().completeExceptionally(stopped(failure));
            }
        }
        return r.done();
    }

    @Override
    public boolean awaitPosition(long target, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        int idle = 0;
        while (true) {
            if (position() >= target) {
                return true;
            }
            if (!running) {
                return position() >= target;
            }
            if (Thread.interrupted()) {
                throw new InterruptedException("interrupted while waiting for subscription '" + name + "' to reach " + target);
            }
            if (System.nanoTime() >= deadline) {
                return false;
            }
            if (idle++ < 100) {
                Thread.onSpinWait();
            } else {
                LockSupport.parkNanos(50_000);
            }
        }
    }

    @Override
    public void close() {
        closeCalled.set(true);
        closing = true;
        Thread t = thread;
        if (t == null || t == Thread.currentThread()) {
            if (t == null) {
                manager.unregister(this);
            }
            return; // closed from its own handler: the thread stops when the handler returns
        }
        boolean interrupted = false;
        boolean interruptSent = false;
        long deadline = System.nanoTime() + CLOSE_WAIT_NANOS;
        while (t.isAlive()) {
            LockSupport.unpark(t);
            try {
                t.join(100);
            } catch (InterruptedException e) {
                interrupted = true;
            }
            if (System.nanoTime() > deadline && t.isAlive()) {
                if (!interruptSent) {
                    LOG.log(System.Logger.Level.WARNING, "subscription ''{0}'': the handler has not returned for {1} s;"
                            + " interrupting it", name, TimeUnit.NANOSECONDS.toSeconds(CLOSE_WAIT_NANOS));
                    t.interrupt();
                    interruptSent = true;
                    deadline = System.nanoTime() + CLOSE_WAIT_NANOS / 2;
                } else {
                    LOG.log(System.Logger.Level.WARNING, "subscription ''{0}'': the handler ignores interrupts; leaving"
                            + " its thread behind (it stops when the handler returns)", name);
                    break;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        manager.unregister(this);
    }

    @Override
    public String toString() {
        return "Subscription[" + name + " at " + position() + (running ? "" : ", stopped") + ", " + config.filter()
                + (parkedView.isEmpty() ? "" : ", " + parkedView.size() + " parked") + "]";
    }
}
