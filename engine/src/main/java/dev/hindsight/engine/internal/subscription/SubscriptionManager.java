package dev.hindsight.engine.internal.subscription;

import dev.hindsight.codec.CorruptFrameException;
import dev.hindsight.engine.HindsightException;
import dev.hindsight.engine.ParkedEvent;
import dev.hindsight.engine.StoreClosedException;
import dev.hindsight.engine.Subscription;
import dev.hindsight.engine.SubscriptionBuilder;
import dev.hindsight.engine.SubscriptionStatus;
import dev.hindsight.engine.internal.DefaultEventStore;
import dev.hindsight.engine.internal.StoreMarker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A store's subscriptions: starts them (resolving where each starts: its checkpoint, its read model's
 * checkpoint, or its {@code from...} setting), allows one running subscription per name, owns the
 * subscription directory (locked against other processes while a durable subscription runs), lists
 * subscriptions for tools, and closes them all when the store closes.
 *
 * <pre>
 * SUBSCRIPTION DIRECTORY/        (a writing store's default: STORE/subscriptions/)
 *   subscriptions.lock           OS file lock of the process running durable subscriptions (pid)
 *   NAME.ckpt                    checkpoint (CheckpointFile)
 *   NAME.parked                  parked events (ParkedEventsFile), once one was parked
 * </pre>
 *
 * <p>Thread-safe.
 */
public final class SubscriptionManager implements AutoCloseable {
    static final String LOCK_FILE = "subscriptions.lock";
    static final String CHECKPOINT_SUFFIX = ".ckpt";
    static final String PARKED_SUFFIX = ".parked";

    private final SubscriptionHost host;
    private final ConcurrentHashMap<String, SubscriptionWorker> running = new ConcurrentHashMap<>();
    private DirectoryLock directoryLock;
    private long storeId = Long.MIN_VALUE;
    private volatile boolean closed;

    /** @param host what subscriptions need of the store */
    public SubscriptionManager(SubscriptionHost host) {
        this.host = host;
    }

    /**
     * @param name a valid subscription name
     * @return a builder for it
     */
    public SubscriptionBuilder builder(String name) {
        return new DefaultSubscriptionBuilder(this, host, SubscriptionNames.validate(name));
    }

    /** @return the store's id: its marker's creation time, epoch ms */
    synchronized long storeId() {
        if (storeId == Long.MIN_VALUE) {
            try {
                storeId = StoreMarker.read(host.markerFile()).createdMillis();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + host.markerFile() + ": " + e.getMessage(), e);
            }
        }
        return storeId;
    }

    /** @return the position a subscription may start or be reset at, at most: the deliverable end of the journal */
    long endPosition() {
        if (!host.readOnly()) {
            return host.deliverableEnd().getAsLong();
        }
        long count = host.eventCount().getAsLong();
        try (StartPositions p = new StartPositions(host.journal(), host.maxFrameBytes())) {
            return Math.max(count, p.journalEnd(host.journal()));
        } catch (CorruptFrameException e) {
            return count; // a torn tail a writer has not cut yet: the follower's view is the end
        }
    }

    /**
     * @param timestampNanos an instant, epoch ns
     * @param end            the journal's end
     * @return the first position at or after it
     */
    long positionAt(long timestampNanos, long end) {
        try (StartPositions p = new StartPositions(host.journal(), host.maxFrameBytes())) {
            return p.firstAtOrAfter(timestampNanos, end);
        }
    }

    private synchronized Path directoryForWriting(String name) {
        Path dir = host.writableDirectory();
        if (dir == null) {
            throw new IllegalStateException("subscription '" + name + "' is durable, but store " + host.storeName()
                    + " is open read-only and may not write into its directory: set EventStoreBuilder.subscriptionDirectory(dir)"
                    + " to a directory this process owns, or use .durable(false)");
        }
        if (directoryLock == null) {
            try {
                Files.createDirectories(dir);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create subscription directory " + dir + ": " + e.getMessage(), e);
            }
            directoryLock = DirectoryLock.acquire(dir.resolve(LOCK_FILE), "subscription directory");
        }
        return dir;
    }

    /** Starts a configured subscription. */
    Subscription start(SubscriptionConfig config) {
        String name = config.name();
        if (closed) {
            throw new StoreClosedException("store " + host.storeName() + " is closed");
        }
        SubscriptionWorker existing = running.putIfAbsent(name, placeholder(config));
        if (existing != null) {
            throw new IllegalStateException("subscription '" + name + "' already runs in store " + host.storeName()
                    + (existing.failure() != null ? " (it failed: " + existing.failure() + "; close it first)" : "")
                    + "; one consumer per name: close it first, or start this one under another name");
        }
        boolean bound = false;
        try {
            long id = storeId();
            long end = endPosition();
            long start = startPosition(config, end);
            Path checkpoint = null;
            Path parkedFile = null;
            List<ParkedEvent> parked = List.of();
            if (config.durable()) {
                Path dir = directoryForWriting(name);
                checkpoint = dir.resolve(name + CHECKPOINT_SUFFIX);
                parkedFile = dir.resolve(name + PARKED_SUFFIX);
                if (Files.exists(checkpoint)) {
                    CheckpointFile c = CheckpointFile.read(checkpoint);
                    check(c, name, id, end, checkpoint);
                    start = c.position();
                }
                if (Files.exists(parkedFile)) {
                    parked = ParkedEventsFile.read(parkedFile, name, id);
                }
            }
            if (config.model() != null) {
                start = config.model().bind(name, id, start, end, host.forceOnCheckpoint());
                bound = true;
                org.agrona.collections.LongHashSet set = new org.agrona.collections.LongHashSet();
                for (ParkedEvent p : parked) {
                    set.add(p.position());
                }
                config.model().prune(start, set::contains);
            }
            if (checkpoint != null) {
                new CheckpointFile(name, id, start, System.currentTimeMillis()).write(checkpoint);
            }
            SubscriptionWorker w = new SubscriptionWorker(this, host, config, id, start, checkpoint, parkedFile, parked);
            running.put(name, w);
            if (closed) {
                throw new StoreClosedException("store " + host.storeName() + " is closed");
            }
            w.start();
            return w;
        } catch (IOException e) {
            abort(config, bound, name);
            throw new UncheckedIOException("cannot start subscription '" + name + "': " + e.getMessage(), e);
        } catch (RuntimeException | Error e) {
            abort(config, bound, name);
            throw e;
        }
    }

    private void abort(SubscriptionConfig config, boolean bound, String name) {
        running.remove(name);
        if (bound) {
            config.model().release();
        }
    }

    private SubscriptionWorker placeholder(SubscriptionConfig config) {
        return new SubscriptionWorker(this, host, config, 0, 0, null, null, List.of());
    }

    private static void check(CheckpointFile c, String name, long storeId, long end, Path file) {
        if (!c.name().equals(name)) {
            throw new CorruptFrameException(file.toString(), CheckpointFile.HEADER, "checkpoint of subscription '" + c.name()
                    + "' in the file of '" + name + "'");
        }
        if (c.storeId() != storeId) {
            throw new IllegalArgumentException("checkpoint " + file + " belongs to the store created at " + c.storeId()
                    + " (epoch ms), not to store " + "created at " + storeId + "; delete it to start subscription '" + name
                    + "' afresh");
        }
        if (c.position() > end) {
            throw new IllegalArgumentException("checkpoint " + file + " is at position " + c.position() + " but the store has"
                    + " only " + end + " events: it belongs to another copy of the store; delete it to start subscription '"
                    + name + "' afresh");
        }
    }

    private long startPosition(SubscriptionConfig c, long end) {
        switch (c.startKind()) {
            case START:
                return 0;
            case NOW:
                return end;
            case POSITION:
                if (c.startPosition() > end) {
                    throw new IllegalArgumentException("subscription '" + c.name() + "' cannot start at position "
                            + c.startPosition() + ": the store has " + end + " events (positions 0 to " + end + ")");
                }
                return c.startPosition();
            case INSTANT:
                return positionAt(DefaultEventStore.toEpochNanos(c.startInstant()), end);
            default:
                throw new IllegalStateException(String.valueOf(c.startKind()));
        }
    }

    void unregister(SubscriptionWorker w) {
        running.remove(w.name(), w);
    }

    /**
     * @return every subscription running here or with a checkpoint in the subscription directory, by name
     */
    public List<SubscriptionStatus> statuses() {
        TreeMap<String, SubscriptionStatus> out = new TreeMap<>();
        long count = host.eventCount().getAsLong();
        Path dir = host.listingDirectory();
        if (dir != null && Files.isDirectory(dir)) {
            try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*" + CHECKPOINT_SUFFIX)) {
                for (Path f : files) {
                    String file = f.getFileName().toString();
                    String name = file.substring(0, file.length() - CHECKPOINT_SUFFIX.length());
                    out.put(name, fromFiles(dir, name, count));
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot list " + dir + ": " + e.getMessage(), e);
            }
        }
        for (SubscriptionWorker w : running.values()) {
            if (w.started() && (w.isRunning() || w.failure() != null)) {
                out.put(w.name(), new SubscriptionStatus(w.name(), w.isRunning(), w.position(), w.lag(), w.parkedEvents(),
                        w.failure() == null ? "" : "failed: " + w.failure()));
            }
        }
        return List.copyOf(out.values());
    }

    private SubscriptionStatus fromFiles(Path dir, String name, long count) {
        try {
            CheckpointFile c = CheckpointFile.read(dir.resolve(name + CHECKPOINT_SUFFIX));
            Path pf = dir.resolve(name + PARKED_SUFFIX);
            List<ParkedEvent> parked = Files.exists(pf) ? ParkedEventsFile.read(pf, name, c.storeId()) : List.of();
            return new SubscriptionStatus(name, false, c.position(), Math.max(0, count - c.position()), parked, "");
        } catch (IOException | RuntimeException e) {
            return new SubscriptionStatus(name, false, -1, -1, List.of(), "unreadable: " + e.getMessage());
        }
    }

    /** Closes every subscription (each writes its checkpoint) and releases the subscription directory. */
    @Override
    public void close() {
        closed = true;
        List<SubscriptionWorker> all = new ArrayList<>(running.values());
        all.sort(Comparator.comparing(SubscriptionWorker::name));
        RuntimeException first = null;
        for (SubscriptionWorker w : all) {
            try {
                w.close();
            } catch (RuntimeException e) {
                if (first == null) {
                    first = e;
                }
            }
        }
        synchronized (this) {
            if (directoryLock != null) {
                directoryLock.close();
                directoryLock = null;
            }
        }
        if (first != null) {
            throw new HindsightException("closing the subscriptions of " + host.storeName() + " failed: " + first, first);
        }
    }
}
