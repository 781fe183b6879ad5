package dev.hindsight.engine.internal;

import dev.hindsight.codec.CorruptFrameException;
import dev.hindsight.codec.EventCodec;
import dev.hindsight.codec.EventMetadata;
import dev.hindsight.codec.EventSchema;
import dev.hindsight.codec.FrameFormat;
import dev.hindsight.codec.FrameReader;
import dev.hindsight.codec.FrameWriter;
import dev.hindsight.codec.Registration;
import dev.hindsight.codec.SchemaCatalog;
import dev.hindsight.codec.SchemaCatalogFile;
import dev.hindsight.codec.UnknownEventTypeException;
import dev.hindsight.engine.AppendResult;
import dev.hindsight.engine.EventStore;
import dev.hindsight.engine.EventStoreBuilder;
import dev.hindsight.engine.ExpectedVersion;
import dev.hindsight.engine.HindsightException;
import dev.hindsight.engine.RecordedEvent;
import dev.hindsight.engine.RecoveryReport;
import dev.hindsight.engine.Resource;
import dev.hindsight.engine.ResourceType;
import dev.hindsight.engine.internal.resource.BoundResource;
import dev.hindsight.engine.internal.resource.DefaultResource;
import dev.hindsight.engine.internal.resource.ResourceBinder;
import dev.hindsight.engine.internal.resource.SnapshotAgent;
import dev.hindsight.engine.internal.snapshot.SnapshotStore;
import dev.hindsight.engine.SnapshotPolicy;
import dev.hindsight.engine.StoreClosedException;
import dev.hindsight.engine.SubscriptionBuilder;
import dev.hindsight.engine.SubscriptionStatus;
import dev.hindsight.engine.internal.index.IndexFollower;
import dev.hindsight.engine.internal.index.IndexState;
import dev.hindsight.engine.internal.index.Indexer;
import dev.hindsight.engine.internal.index.LiveIndex;
import dev.hindsight.engine.internal.index.Locations;
import dev.hindsight.engine.internal.index.PersistedBlocks;
import dev.hindsight.engine.internal.journal.FrameFetcher;
import dev.hindsight.engine.internal.journal.FrameFiles;
import dev.hindsight.engine.internal.journal.Journal;
import dev.hindsight.engine.internal.journal.JournalCuts;
import dev.hindsight.engine.internal.journal.JournalReader;
import dev.hindsight.engine.internal.sequencer.AppendRequest;
import dev.hindsight.engine.internal.sequencer.Sequencer;
import dev.hindsight.engine.internal.subscription.SubscriptionHost;
import dev.hindsight.engine.internal.subscription.SubscriptionManager;
import dev.hindsight.engine.internal.subscription.SubscriptionNames;
import org.agrona.concurrent.ManyToManyConcurrentArrayQueue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The {@link EventStore}: wires the journal, the sequencer, the hot and persisted entity indexes,
 * and recovery. Thread-safe: appends go through the {@link Sequencer}, each producer thread with its
 * own reused request ({@link ThreadLocal}); a read borrows a read context (frame fetcher, location
 * buffer, frame flyweight, and for {@code readAll} a journal reader) from a small pool and returns it.
 * Per-entity reads take each version's frame address from the index and copy the frame out of a
 * read-only mapping of its cycle file ({@link FrameFiles}); {@code readAll} reads the journal in
 * order with a Chronicle tailer.
 */
public final class DefaultEventStore implements EventStore {
    private static final System.Logger LOG = System.getLogger("dev.hindsight");
    /** The largest append (all frames of one {@code appendAll}) unless maxEventBytes is larger. */
    static final int MIN_MAX_BATCH_BYTES = 16 << 20;

    private final StoreConfig config;
    private final StoreLayout layout;
    private final String name;
    private final StoreLock lock;
    private final SchemaCatalog catalog;
    private final EventCodec codec;
    private final Map<String, DefaultResource<?>> resources;
    private final SubscriptionManager subscriptions;
    private final SnapshotStore snapshotStore;
    private final SnapshotAgent snapshotAgent;
    private final Journal journal;
    private final FrameFiles frames;
    private final LiveIndex index;
    private final PersistedBlocks persisted;
    private final IndexFollower follower;
    private final Indexer indexer;
    private final Sequencer sequencer;
    private final RecoveryReport recovery;
    private final int maxBatchBytes;
    private final AtomicBoolean closed = new AtomicBoolean();
    /** Reads in progress: close() waits for them before it releases the journal and index. */
    private final AtomicInteger activeReads = new AtomicInteger();
    /** Set when a read found the persisted index inconsistent: close() leaves it dirty, so the next open rebuilds it. */
    private volatile boolean indexDamaged;
    private final ThreadLocal<AppendRequest> requests;
    /** Idle journal readers: borrowed for one read, so short-lived threads never leak tailers. */
    private final ManyToManyConcurrentArrayQueue<ReadContext> idleReaders = new ManyToManyConcurrentArrayQueue<>(64);

    /** One reading thread's frame fetcher, locations, frame flyweight and (created on first use) journal reader. */
    private static final class ReadContext {
        final FrameFetcher fetcher;
        final Locations locations = new Locations();
        final FrameReader frame;
        private final Journal journal;
        private JournalReader reader;

        ReadContext(Journal journal, FrameFetcher fetcher, FrameReader frame) {
            this.journal = journal;
            this.fetcher = fetcher;
            this.frame = frame;
        }

        /** @return the journal reader, created on first use (a Chronicle tailer costs tens of microseconds) */
        JournalReader reader() {
            JournalReader r = reader;
            if (r == null) {
                r = journal.createReader();
                reader = r;
            }
            return r;
        }

        void close() {
            if (reader != null) {
                reader.close();
            }
        }
    }

    private DefaultEventStore(StoreConfig config, StoreLayout layout, StoreLock lock, SchemaCatalog catalog, EventCodec codec,
                              Map<String, BoundResource<?>> resources, SnapshotStore snapshotStore,
                              SnapshotAgent snapshotAgent,
                              Journal journal, LiveIndex index, PersistedBlocks persisted, IndexFollower follower,
                              Indexer indexer, Sequencer sequencer, RecoveryReport recovery, int maxBatchBytes) {
        this.config = config;
        this.layout = layout;
        this.name = layout.root().toString();
        this.lock = lock;
        this.catalog = catalog;
        this.codec = codec;
        this.snapshotStore = snapshotStore;
        this.snapshotAgent = snapshotAgent;
        Map<String, DefaultResource<?>> views = new HashMap<>();
        for (Map.Entry<String, BoundResource<?>> e : resources.entrySet()) {
            views.put(e.getKey(), view(e.getValue(), config.actionRetries()));
        }
        this.resources = Map.copyOf(views);
        this.journal = journal;
        this.frames = journal.openFrameFiles(config.limits().maxFrameBytes());
        this.index = index;
        this.persisted = persisted;
        this.follower = follower;
        this.indexer = indexer;
        this.sequencer = sequencer;
        this.recovery = recovery;
        this.maxBatchBytes = maxBatchBytes;
        int maxFrame = config.limits().maxFrameBytes();
        this.requests = ThreadLocal.withInitial(() -> new AppendRequest(new FrameWriter(codec, maxFrame)));
        this.subscriptions = new SubscriptionManager(subscriptionHost());
    }

    /**
     * Opens a store as configured.
     *
     * @param config the validated configuration
     * @return the open store
     */
    public static EventStore open(StoreConfig config) {
        JvmFlagsCheck.verify();
        // Chronicle tracks thread-locals of non-Chronicle threads only when assertions are on, and
        // that tracking races when several threads create tailers (ConcurrentModificationException
        // in CleaningThreadLocal): turn it off unless the application chose otherwise.
        if (System.getProperty("disable.ctl.orphan.tracking") == null) {
            System.setProperty("disable.ctl.orphan.tracking", "true");
        }
        StoreLayout layout = new StoreLayout(config.directory().toAbsolutePath().normalize());
        return config.readOnly() ? openReadOnly(config, layout) : openWriter(config, layout);
    }

    private static int maxBatchBytes(StoreConfig config) {
        return Math.max(MIN_MAX_BATCH_BYTES, config.limits().maxFrameBytes());
    }

    private static EventStore openWriter(StoreConfig config, StoreLayout layout) {
        long started = System.nanoTime();
        Path dir = layout.root();
        try {
            if (Files.exists(dir) && !Files.isDirectory(dir)) {
                throw new HindsightException(dir + " is a file, not a store directory");
            }
            Files.createDirectories(dir);
            boolean exists = Files.exists(layout.marker());
            if (!exists && !isEmpty(dir)) {
                throw new HindsightException("directory " + dir + " is not empty and is not a Hindsight store"
                        + " (it has no hindsight.store); open a new or empty directory");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create store directory " + dir + ": " + e.getMessage(), e);
        }
        StoreLock lock = StoreLock.acquire(layout.lockFile());
        List<AutoCloseable> opened = new ArrayList<>();
        Path[] rebuildDir = new Path[1];
        try {
            StoreMarker marker;
            if (Files.exists(layout.marker())) {
                marker = StoreMarker.read(layout.marker());
            } else {
                marker = new StoreMarker(StoreMarker.FORMAT_VERSION, config.rollCycle(), System.currentTimeMillis());
                marker.write(layout.marker());
            }
            SchemaCatalog catalog = SchemaCatalogFile.read(layout.catalog());
            int catalogSize = catalog.all().size();
            EventCodec codec = registerEvents(catalog, config);
            Map<String, BoundResource<?>> resources = bindResources(codec, config);
            Files.createDirectories(layout.journal());
            JournalCuts cuts = JournalCuts.read(layout.journalCuts());
            int maxBatch = maxBatchBytes(config);
            int maxFrame = config.limits().maxFrameBytes();

            // recover from a read-only view of the journal: a failed recovery changes no file
            // (only a torn tail's cut is recorded, and only when recovery goes on to succeed)
            boolean existing = Files.exists(layout.journal().resolve("metadata.cq4t"));
            Journal scan = existing ? Journal.open(layout.journal(), marker.rollCycle(), true, config.durability(), cuts, maxBatch) : null;
            if (scan != null) {
                opened.add(scan);
            }
            IndexPlan plan = IndexPlan.decide(layout, scan, maxFrame);
            LiveIndex index = plan.openTrusted(layout, config.expectedEntities());
            if (index == null) {
                index = plan.openForRebuild(layout, config.expectedEntities());
                rebuildDir[0] = layout.indexRebuild();
            }
            opened.add(index.persisted());
            List<String> cut = new ArrayList<>();
            long replayed = 0;
            IndexState recovered = plan.start;
            if (scan != null) {
                IndexFollower follower = new IndexFollower(scan.createReader(), maxFrame, index, plan.start);
                replayed = catchUp(follower, scan, layout, true, cut);
                recovered = follower.checkpoint();
                opened.remove(scan);
                scan.close();
            }
            if (plan.rebuilt) {
                opened.remove(index.persisted());
                index.usePersisted(plan.adoptRebuilt(layout, index.persisted(), config.expectedEntities()));
                rebuildDir[0] = null;
                opened.add(index.persisted());
            }
            Journal journal = Journal.open(layout.journal(), marker.rollCycle(), false, config.durability(), cuts, maxBatch);
            opened.add(journal);
            PersistedBlocks persisted = index.persisted();
            // from here on a crash leaves the index dirty: the next open rebuilds it
            recovered.dirtyWith(plan.knownEntities).write(layout.indexState());
            if (catalog.all().size() != catalogSize) {
                SchemaCatalogFile.write(layout.catalog(), catalog);
            }

            SnapshotStore snapshots = openSnapshots(layout, marker, resources, recovered.nextPosition(), config, false);
            SnapshotAgent agent = null;
            if (snapshots != null) {
                opened.add(snapshots);
                agent = new SnapshotAgent(snapshots, codec, config.limits().maxFrameBytes(), layout.root().toString());
                opened.remove(snapshots);
                opened.add(agent);
            }
            Sequencer sequencer = new Sequencer(layout.root().toString(), journal, index, config.durability(),
                    config.minFreeDiskBytes(), recovered.nextPosition(), recovered.lastTimestampNanos(),
                    recovered.lastExcerptIndex());
            sequencer.start();
            RecoveryReport report = new RecoveryReport(plan.clean, plan.rebuilt, plan.reason, replayed, List.copyOf(cut),
                    Duration.ofNanos(System.nanoTime() - started));
            log(layout, report);
            return new DefaultEventStore(config, layout, lock, catalog, codec, resources, snapshots, agent, journal, index,
                    persisted, null, null, sequencer, report, maxBatch);
        } catch (Throwable t) {
            closeAll(opened, t);
            deleteRebuild(rebuildDir[0], t);
            lock.close();
            throw rethrow(t, layout);
        }
    }

    private static EventStore openReadOnly(StoreConfig config, StoreLayout layout) {
        long started = System.nanoTime();
        if (!Files.isRegularFile(layout.marker())) {
            throw new HindsightException("no Hindsight store at " + layout.root() + " (no hindsight.store file)");
        }
        if (!Files.isDirectory(layout.journal())) {
            throw new HindsightException("store " + layout.root() + " has no journal directory");
        }
        List<AutoCloseable> opened = new ArrayList<>();
        try {
            StoreMarker marker = StoreMarker.read(layout.marker());
            SchemaCatalog catalog = SchemaCatalogFile.read(layout.catalog());
            EventCodec codec = registerEvents(catalog, config);
            Map<String, BoundResource<?>> resources = bindResources(codec, config);
            JournalCuts cuts = JournalCuts.read(layout.journalCuts());
            int maxBatch = maxBatchBytes(config);
            Journal journal = Journal.open(layout.journal(), marker.rollCycle(), true, config.durability(), cuts, maxBatch);
            opened.add(journal);
            LiveIndex index = new LiveIndex(null);
            IndexFollower follower = new IndexFollower(journal.createReader(), config.limits().maxFrameBytes(), index, IndexState.EMPTY);
            List<String> cut = new ArrayList<>();
            long replayed = catchUp(follower, journal, layout, false, cut);
            SnapshotStore snapshots = openSnapshots(layout, marker, resources, Long.MAX_VALUE, config, true);
            if (snapshots != null) {
                opened.add(snapshots);
            }
            Indexer indexer = new Indexer(follower, follower::indexedPosition, layout.root().toString());
            indexer.start();
            RecoveryReport report = new RecoveryReport(true, false, "read-only: index built on-heap from the journal",
                    replayed, List.copyOf(cut), Duration.ofNanos(System.nanoTime() - started));
            return new DefaultEventStore(config, layout, null, catalog, codec, resources, snapshots, null, journal, index,
                    null, follower, indexer, null, report, maxBatch);
        } catch (Throwable t) {
            closeAll(opened, t);
            throw rethrow(t, layout);
        }
    }

    private static EventCodec registerEvents(SchemaCatalog catalog, StoreConfig config) {
        EventCodec codec = new EventCodec(catalog, config.limits());
        for (StoreConfig.EventRegistration r : config.registrations()) {
            codec.register(r.eventClass(), r.eventTypeId(), r.name(), r.schemaVersion());
        }
        return codec;
    }

    /**
     * Opens the snapshot store if a resource type uses snapshots. Snapshots are derived data: if they cannot be
     * opened (locked, unreadable), the store runs without them and says so in the log.
     */
    private static SnapshotStore openSnapshots(StoreLayout layout, StoreMarker marker, Map<String, BoundResource<?>> resources,
                                               long journalEnd, StoreConfig config, boolean readOnly) {
        boolean any = false;
        SnapshotStore.Builder b = SnapshotStore.builder(layout.snapshots()).storeId(marker.createdMillis())
                .maxStateBytes(config.limits().maxFrameBytes())
                .segmentBytes((int) Math.min(1L << 30, Math.max(SnapshotStore.DEFAULT_SEGMENT_BYTES,
                        4L * config.limits().maxFrameBytes() + (1 << 20))));
        if (journalEnd != Long.MAX_VALUE) {
            b.journalEnd(journalEnd);
        }
        for (BoundResource<?> r : resources.values()) {
            SnapshotPolicy p = r.type().snapshots();
            if (p.enabled()) {
                any = true;
                b.interval(r.type().name(), p.interval() > 0 ? p.interval() : SnapshotStore.DEFAULT_INTERVAL);
            }
        }
        if (!any || (readOnly && !Files.isDirectory(layout.snapshots()))) {
            return null;
        }
        try {
            return readOnly ? b.openReadOnly() : b.open();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "store {0}: snapshots are unavailable ({1}); reads replay the journal",
                    layout.root(), e.toString());
            return null;
        }
    }

    private static Map<String, BoundResource<?>> bindResources(EventCodec codec, StoreConfig config) {
        return ResourceBinder.bind(codec, config.resources(), config.resourceCache());
    }

    /**
     * Runs the follower to the journal's end. A frame failing validation in the journal's last
     * excerpt is a torn tail (never acknowledged: the append did not complete): a writing store cuts
     * it and goes on; anywhere else the journal is damaged and opening fails.
     */
    private static long catchUp(IndexFollower follower, Journal journal, StoreLayout layout, boolean mayCut, List<String> cut)
            throws IOException {
        long from = follower.indexedPosition();
        while (true) {
            try {
                if (follower.poll() == 0) {
                    return follower.indexedPosition() - from;
                }
            } catch (CorruptFrameException e) {
                long bad = follower.reader().excerptIndex();
                boolean tail = bad == journal.lastExcerptIndex();
                if (!tail) {
                    throw new HindsightException("the journal of " + layout.root() + " is damaged before its end: " + e.getMessage()
                            + "; acknowledged events may be affected. Inspect it with `hindsight verify " + layout.root() + "`", e);
                }
                if (!mayCut) {
                    cut.add(describeCut(bad, e) + " (not cut: store opened read-only)");
                    return follower.indexedPosition() - from;
                }
                journal.cuts().add(layout.journalCuts(), bad);
                cut.add(describeCut(bad, e));
            }
        }
    }

    private static String describeCut(long excerpt, CorruptFrameException e) {
        return "excerpt 0x" + Long.toHexString(excerpt) + " in " + e.source() + " at byte " + e.position() + ": " + e.reason();
    }

    private static void log(StoreLayout layout, RecoveryReport r) {
        if (!r.cutExcerpts().isEmpty()) {
            LOG.log(System.Logger.Level.WARNING, "store {0}: cut torn tail of the journal: {1}", layout.root(), r.cutExcerpts());
        }
        if (!r.reason().isEmpty()) {
            LOG.log(System.Logger.Level.INFO, "store {0}: {1}; index {2} from {3} events in {4} ms", layout.root(), r.reason(),
                    r.indexRebuilt() ? "rebuilt" : "caught up", r.eventsReplayed(), r.duration().toMillis());
        }
    }

    private static boolean isEmpty(Path dir) throws IOException {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.findAny().isEmpty();
        }
    }

    private static void deleteRebuild(Path dir, Throwable primary) {
        if (dir == null) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            primary.addSuppressed(e);
        }
    }

    private static void closeAll(List<AutoCloseable> opened, Throwable primary) {
        for (int i = opened.size() - 1; i >= 0; i--) {
            try {
                opened.get(i).close();
            } catch (Exception e) {
                primary.addSuppressed(e);
            }
        }
    }

    private static RuntimeException rethrow(Throwable t, StoreLayout layout) {
        if (t instanceof RuntimeException) {
            return (RuntimeException) t;
        }
        if (t instanceof Error) {
            throw (Error) t;
        }
        if (t instanceof IOException) {
            return new UncheckedIOException("cannot open store " + layout.root() + ": " + t.getMessage(), (IOException) t);
        }
        return new HindsightException("cannot open store " + layout.root() + ": " + t, t);
    }

    // ------------------------------------------------------------------ appends

    @Override
    public AppendResult append(String resourceType, String entityId, long expectedVersion, Object event, EventMetadata metadata) {
        AppendRequest request = prepare(resourceType, entityId, expectedVersion, metadata);
        if (event == null) {
            throw new NullPointerException("event is null (appending to " + resourceType + "/" + entityId + ")");
        }
        FrameWriter frames = request.frames();
        frames.reset();
        frames.addFrame(resourceType, entityId, event, metadata);
        return sequencer.append(request, resourceType, entityId, expectedVersion);
    }

    @Override
    public AppendResult appendAll(String resourceType, String entityId, long expectedVersion, List<?> events, EventMetadata metadata) {
        return appendRegistered(resourceType, entityId, expectedVersion, events, null, metadata);
    }

    /**
     * Appends events atomically, each encoded through the given registration (for a resource type's standard
     * events, which are not found by class) or, where {@code registrations} is null, its class's registration.
     *
     * @param resourceType    the entity's resource type
     * @param entityId        the entity's id
     * @param expectedVersion the expected head version
     * @param events          1 to {@value EventStoreBuilder#MAX_BATCH_EVENTS} events
     * @param registrations   one per event, or null
     * @param metadata        recorded with every event
     * @return what the sequencer assigned
     */
    public AppendResult appendRegistered(String resourceType, String entityId, long expectedVersion, List<?> events,
                                         List<Registration> registrations, EventMetadata metadata) {
        AppendRequest request = prepare(resourceType, entityId, expectedVersion, metadata);
        if (events == null) {
            throw new NullPointerException("events is null (appending to " + resourceType + "/" + entityId + ")");
        }
        int n = events.size();
        if (n == 0 || n > EventStoreBuilder.MAX_BATCH_EVENTS) {
            throw new IllegalArgumentException("appendAll takes 1 to " + EventStoreBuilder.MAX_BATCH_EVENTS + " events, not " + n
                    + " (appending to " + resourceType + "/" + entityId + ")");
        }
        FrameWriter frames = request.frames();
        frames.reset();
        for (int i = 0; i < n; i++) {
            Object event = events.get(i);
            if (event == null) {
                throw new NullPointerException("event " + i + " of " + n + " is null (appending to " + resourceType + "/" + entityId + ")");
            }
            if (registrations == null) {
                frames.addFrame(resourceType, entityId, event, metadata);
            } else {
                frames.addFrame(resourceType, entityId, registrations.get(i), event, metadata);
            }
            if (frames.length() > maxBatchBytes) {
                throw new IllegalArgumentException("the " + n + " events for " + resourceType + "/" + entityId
                        + " encode to more than " + maxBatchBytes + " bytes, the limit for one atomic append");
            }
        }
        return sequencer.append(request, resourceType, entityId, expectedVersion);
    }

    private AppendRequest prepare(String resourceType, String entityId, long expectedVersion, EventMetadata metadata) {
        if (sequencer == null) {
            throw new UnsupportedOperationException("store " + name + " is open read-only; open it with EventStore.builder(dir).open() to append");
        }
        validateEntity(resourceType, entityId);
        if (expectedVersion < ExpectedVersion.ANY) {
            throw new IllegalArgumentException("expected version must be ExpectedVersion.ANY (-1), NO_STREAM (0) or a version, not "
                    + expectedVersion + " (appending to " + resourceType + "/" + entityId + ")");
        }
        Objects.requireNonNull(metadata, "metadata is null; use EventMetadata.NONE");
        return requests.get();
    }

    // ------------------------------------------------------------------ reads

    @Override
    public long headVersion(String resourceType, String entityId) {
        validateEntity(resourceType, entityId);
        return index.headVersion(resourceType, entityId);
    }

    /** Starts a read: fails if the store is closed, else holds close() off until {@link #endRead()}. */
    public void beginRead() {
        activeReads.incrementAndGet();
        if (closed.get()) {
            activeReads.decrementAndGet();
            throw new StoreClosedException("store " + name + " is closed");
        }
    }

    /** Ends a read started by {@link #beginRead()}. */
    public void endRead() {
        activeReads.decrementAndGet();
    }

    @Override
    public RecordedEvent readVersion(String resourceType, String entityId, long version) {
        validateEntity(resourceType, entityId);
        long head = index.headVersion(resourceType, entityId);
        if (version < 1 || version > head) {
            throw new IllegalArgumentException(resourceType + "/" + entityId + " has no version " + version
                    + "; it is at version " + head);
        }
        List<RecordedEvent> out = new ArrayList<>(1);
        beginRead();
        try {
            readVersions(resourceType, entityId, version, version, out);
        } finally {
            endRead();
        }
        return out.get(0);
    }

    @Override
    public List<RecordedEvent> readEntity(String resourceType, String entityId, long fromVersion) {
        validateEntity(resourceType, entityId);
        if (fromVersion < 1) {
            throw new IllegalArgumentException("versions start at 1; cannot read " + resourceType + "/" + entityId
                    + " from version " + fromVersion);
        }
        long head = index.headVersion(resourceType, entityId);
        List<RecordedEvent> out = new ArrayList<>((int) Math.min(1024, Math.max(0, head - fromVersion + 1)));
        if (fromVersion <= head) {
            beginRead();
            try {
                readVersions(resourceType, entityId, fromVersion, head, out);
            } finally {
                endRead();
            }
        }
        return out;
    }

    @Override
    public List<RecordedEvent> readEntity(String resourceType, String entityId, long fromVersion, long toVersion) {
        validateEntity(resourceType, entityId);
        long head = index.headVersion(resourceType, entityId);
        if (fromVersion < 1 || toVersion < fromVersion || toVersion > head) {
            throw new IllegalArgumentException("cannot read versions " + fromVersion + ".." + toVersion + " of "
                    + resourceType + "/" + entityId + ": it is at version " + head);
        }
        List<RecordedEvent> out = new ArrayList<>((int) Math.min(1024, toVersion - fromVersion + 1));
        beginRead();
        try {
            readVersions(resourceType, entityId, fromVersion, toVersion, out);
        } finally {
            endRead();
        }
        return out;
    }

    @Override
    public long versionAt(String resourceType, String entityId, java.time.Instant instant) {
        Objects.requireNonNull(instant, "instant");
        return versionAt(resourceType, entityId, toEpochNanos(instant), 0);
    }

    /**
     * {@link #versionAt(String, String, java.time.Instant)} with a version known to be at or before the instant.
     *
     * @param resourceType   the entity's resource type
     * @param entityId       the entity's id
     * @param timestampNanos the instant, epoch nanoseconds
     * @param atLeast        a version at or before the instant (e.g. a snapshot's), or 0
     * @return the version, 0 if none
     */
    public long versionAt(String resourceType, String entityId, long timestampNanos, long atLeast) {
        validateEntity(resourceType, entityId);
        beginRead();
        try {
            ReadContext ctx = borrowReader();
            try {
                return index.versionAt(resourceType, entityId, timestampNanos, atLeast, ctx.locations);
            } catch (IllegalStateException e) {
                throw indexDamaged(e.getMessage(), e);
            } finally {
                release(ctx);
            }
        } finally {
            endRead();
        }
    }

    /** @return the instant in epoch nanoseconds, saturated to the long range */
    public static long toEpochNanos(java.time.Instant instant) {
        long seconds = instant.getEpochSecond();
        if (seconds >= Long.MAX_VALUE / 1_000_000_000L) {
            return Long.MAX_VALUE;
        }
        if (seconds <= Long.MIN_VALUE / 1_000_000_000L) {
            return Long.MIN_VALUE;
        }
        return seconds * 1_000_000_000L + instant.getNano();
    }

    /**
     * @param resourceType a resource type
     * @return the ids of its entities (weakly consistent)
     */
    public Iterable<String> entityIds(String resourceType) {
        ensureOpen();
        return index.entityIds(resourceType);
    }

    private ReadContext borrowReader() {
        ReadContext ctx = idleReaders.poll();
        return ctx != null ? ctx : new ReadContext(journal, frames.newFetcher(), new FrameReader(config.limits().maxFrameBytes()));
    }

    private void release(ReadContext ctx) {
        if (closed.get() || !idleReaders.offer(ctx)) {
            ctx.close();
        }
    }

    /** Reads versions [from, to] of an entity: one frame copied out of the mapped journal per version. */
    private void readVersions(String resourceType, String entityId, long from, long to, List<RecordedEvent> out) {
        ReadContext ctx = borrowReader();
        try {
            readVersions(ctx, resourceType, entityId, from, to, out);
        } finally {
            release(ctx);
        }
    }

    private void readVersions(ReadContext ctx, String resourceType, String entityId, long from, long to, List<RecordedEvent> out) {
        Locations at = ctx.locations;
        FrameFetcher fetcher = ctx.fetcher;
        try {
            for (long first = from; first <= to; first += Locations.MAX_RUN) {
                long last = Math.min(to, first + Locations.MAX_RUN - 1);
                boolean located;
                try {
                    located = index.locate(resourceType, entityId, first, last, at);
                } catch (IllegalStateException e) {
                    throw indexDamaged(e.getMessage(), e);
                }
                if (!located) {
                    throw new HindsightException(resourceType + "/" + entityId + " is not indexed up to version " + to + " in " + name);
                }
                for (int i = 0, n = at.count(); i < n; i++) {
                    long version = first + i;
                    long address = at.address(i);
                    int length = fetcher.fetch(at.excerpt(i), address);
                    FrameReader f = ctx.frame.wrap(fetcher.buffer(), 0, length, fetcher.fileName(), address);
                    if (f.entityVersion() != version || !f.entityIdEquals(entityId) || !f.resourceTypeEquals(resourceType)) {
                        throw indexDamaged("the index of " + name + " says " + resourceType + "/" + entityId
                                + " version " + version + " is the frame at byte " + address + " of " + fetcher.fileName()
                                + " (excerpt 0x" + Long.toHexString(at.excerpt(i)) + "), but that frame is " + f.resourceType()
                                + "/" + f.entityId() + " version " + f.entityVersion(), null);
                    }
                    out.add(toRecorded(f, fetcher.fileName(), address, resourceType, entityId));
                }
            }
        } catch (InternalError e) {
            // a mapped read faulted (the file shrank under the mapping); the JVM reports it at the
            // thread's next safepoint check, so it is caught around the whole loop
            throw fetcher.fault(e);
        }
    }

    /**
     * A read found the entity index inconsistent with itself or the journal: the store goes on (other
     * entities read), and a writing store's close leaves the index dirty so the next open rebuilds it.
     */
    private HindsightException indexDamaged(String what, Throwable cause) {
        indexDamaged = true;
        return new HindsightException(what + (sequencer != null ? "; the index will be rebuilt from the journal when the store"
                + " is next opened" : "; the read-only index is built from the journal: reopen the store"), cause);
    }

    @Override
    public int readAll(long fromPosition, int maxEvents, Consumer<RecordedEvent> consumer) {
        ensureOpen();
        if (fromPosition < 0) {
            throw new IllegalArgumentException("positions start at 0; cannot read from position " + fromPosition);
        }
        if (maxEvents < 1) {
            throw new IllegalArgumentException("maxEvents must be 1 or more, not " + maxEvents);
        }
        Objects.requireNonNull(consumer, "consumer");
        long end = eventCount();
        if (fromPosition >= end) {
            return 0;
        }
        beginRead();
        try {
            ReadContext ctx = borrowReader();
            try {
                return readAll(ctx.reader(), ctx.frame, fromPosition, end, maxEvents, consumer);
            } finally {
                release(ctx);
            }
        } finally {
            endRead();
        }
    }

    private int readAll(JournalReader reader, FrameReader frame, long fromPosition, long end, int maxEvents,
                        Consumer<RecordedEvent> consumer) {
        if (!reader.seekPosition(fromPosition)) {
            return 0;
        }
        int delivered = 0;
        while (delivered < maxEvents && reader.next()) {
            byte[] buf = reader.buffer();
            int length = reader.length();
            for (int offset = 0; offset < length && delivered < maxEvents; offset += frame.frameLength()) {
                FrameReader f = frame.wrap(buf, offset, length - offset, reader.fileName(), reader.filePosition() + offset);
                long p = f.globalPosition();
                if (p >= end) {
                    return delivered;
                }
                if (p >= fromPosition) {
                    consumer.accept(toRecorded(f, reader.fileName(), reader.filePosition() + offset, null, null));
                    delivered++;
                }
            }
        }
        return delivered;
    }

    @Override
    public List<RecordedEvent> readAll(long fromPosition, int maxEvents) {
        List<RecordedEvent> out = new ArrayList<>(Math.min(maxEvents, 1024));
        readAll(fromPosition, maxEvents, out::add);
        return out;
    }

    /**
     * @param f            the validated frame
     * @param file         its file, for errors
     * @param at           its byte position in the file, for errors
     * @param resourceType the frame's resource type if the caller has it (checked equal), else null
     * @param entityId     the frame's entity id if the caller has it (checked equal), else null
     */
    private RecordedEvent toRecorded(FrameReader f, String file, long at, String resourceType, String entityId) {
        int typeId = f.eventTypeId();
        int schemaVersion = f.schemaVersion();
        EventSchema schema = catalog.require(typeId, schemaVersion, file, at);
        Object event;
        try {
            event = codec.decode(typeId, schemaVersion, f.buffer(), f.payloadOffset(), f.payloadLength(), file, at);
        } catch (UnknownEventTypeException e) {
            event = codec.decodeGeneric(schema, f.buffer(), f.payloadOffset(), f.payloadLength(), file, at);
        }
        return new RecordedEvent(f.globalPosition(), f.timestampNanos(), resourceType != null ? resourceType : f.resourceType(),
                entityId != null ? entityId : f.entityId(), f.entityVersion(), typeId, schema.name(), schemaVersion,
                f.metadata(), event);
    }

    private <S extends Record> DefaultResource<S> view(BoundResource<S> bound, int retries) {
        return new DefaultResource<>(this, bound, retries, snapshotStore, snapshotAgent);
    }

    @Override
    @SuppressWarnings("unchecked")
    public <S extends Record> Resource<S> resource(ResourceType<S> type) {
        Objects.requireNonNull(type, "type");
        ensureOpen();
        DefaultResource<?> r = resources.get(type.name());
        if (r == null) {
            throw new IllegalArgumentException("resource type '" + type.name() + "' is not registered with store " + name
                    + "; register it with EventStore.builder(dir).resource(...)");
        }
        if (r.type() != type && (r.type().stateClass() != type.stateClass() || !r.type().events().stream()
                .map(ResourceType.EventDefinition::eventClass).toList()
                .equals(type.events().stream().map(ResourceType.EventDefinition::eventClass).toList()))) {
            throw new IllegalArgumentException("resource type '" + type.name() + "' was registered with store " + name
                    + " with another definition (" + r.type() + ")");
        }
        return (Resource<S>) r;
    }

    /** @return the store's codec */
    public EventCodec codec() {
        return codec;
    }

    /** @return the snapshot thread, or null (read-only store, or snapshots could not be opened) */
    public SnapshotAgent snapshotAgent() {
        return snapshotAgent;
    }

    /**
     * Checks that the store is open and the resource type and entity id are valid.
     *
     * @param resourceType a resource type
     * @param entityId     an entity id
     * @throws IllegalArgumentException if either is invalid
     * @throws StoreClosedException     if the store is closed
     */
    public void validateEntity(String resourceType, String entityId) {
        ensureOpen();
        FrameFormat.validateResourceType(resourceType);
        FrameFormat.validateEntityId(entityId);
    }

    private void ensureOpen() {
        if (closed.get()) {
            throw new StoreClosedException("store " + name + " is closed");
        }
    }

    // ------------------------------------------------------------------ the rest

    @Override
    public long eventCount() {
        return sequencer != null ? sequencer.publishedPosition() : follower.indexedPosition();
    }

    @Override
    public SchemaCatalog catalog() {
        return catalog;
    }

    @Override
    public Path directory() {
        return layout.root();
    }

    @Override
    public boolean isReadOnly() {
        return sequencer == null;
    }

    @Override
    public RecoveryReport recoveryReport() {
        return recovery;
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            closeSubscriptions();
            if (sequencer != null) {
                sequencer.close();
                closeIndex();
            } else {
                indexer.stop();
                if (indexer.failure() != null) {
                    LOG.log(System.Logger.Level.WARNING, "store {0}: the read-only index stopped following the journal: {1}",
                            indexer.storeName(), indexer.failure().toString());
                }
            }
            if (awaitReads()) {
                frames.close();
            }
            // else reads are still running: the mappings stay until the GC finds them unreachable
        } finally {
            try {
                if (snapshotAgent != null) {
                    snapshotAgent.close(); // stores what is queued, then closes the snapshot store
                } else if (snapshotStore != null) {
                    snapshotStore.close();
                }
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "store {0}: closing snapshots failed: {1}", name, e.toString());
            }
            if (persisted != null) {
                persisted.close();
            }
            journal.close();
            if (lock != null) {
                lock.close();
            }
        }
    }

    // ------------------------------------------------------------------ subscriptions

    private SubscriptionHost subscriptionHost() {
        boolean readOnly = sequencer == null;
        Path own = config.subscriptionDirectory() == null ? null : config.subscriptionDirectory().toAbsolutePath().normalize();
        Path writable = own != null ? own : readOnly ? null : layout.subscriptions();
        java.util.Set<String> registered = new java.util.HashSet<>(resources.keySet());
        return new SubscriptionHost(name, layout.marker(), journal, codec, config.limits().maxFrameBytes(), readOnly,
                config.durability() == dev.hindsight.engine.Durability.OS_CRASH,
                readOnly ? () -> Long.MAX_VALUE : sequencer::acknowledgedPosition, this::eventCount,
                () -> {
                    java.util.Set<String> all = new java.util.HashSet<>(registered);
                    all.addAll(index.resourceTypes());
                    return all;
                },
                this::refreshCatalog, writable, writable != null ? writable : layout.subscriptions());
    }

    /** A read-only store re-reads the catalog when a frame has a type it does not know (a writer registered it since). */
    private boolean refreshCatalog() {
        if (sequencer != null) {
            return false;
        }
        try {
            boolean learnt = false;
            for (EventSchema s : SchemaCatalogFile.read(layout.catalog()).all()) {
                learnt |= catalog.add(s);
            }
            return learnt;
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "store {0}: cannot re-read the schema catalog: {1}", name, e.toString());
            return false;
        }
    }

    @Override
    public SubscriptionBuilder subscription(String subscriptionName) {
        ensureOpen();
        return subscriptions.builder(SubscriptionNames.validate(subscriptionName));
    }

    @Override
    public List<SubscriptionStatus> subscriptions() {
        ensureOpen();
        return subscriptions.statuses();
    }

    private void closeSubscriptions() {
        try {
            subscriptions.close();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "store {0}: {1}", name, e.toString());
        }
    }

    /**
     * Waits (up to 10 s) for reads that began before close() to finish with the journal and index.
     *
     * @return true if none is left
     */
    private boolean awaitReads() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (activeReads.get() > 0) {
            if (System.nanoTime() > deadline) {
                LOG.log(System.Logger.Level.WARNING, "store {0}: closing with {1} reads still running (a readAll consumer"
                        + " that does not return?); they will fail", name, activeReads.get());
                return false;
            }
            Thread.yield();
        }
        return true;
    }

    /**
     * After the sequencer stopped: persists heads and partial blocks, forces the maps, and records a
     * clean checkpoint at the journal's end, so the next open trusts the index. If anything fails
     * the state stays dirty and the next open rebuilds the index from the journal.
     */
    private void closeIndex() {
        if (sequencer.failure() != null) {
            LOG.log(System.Logger.Level.WARNING, "store {0}: the sequencer failed ({1}); the index will be rebuilt"
                    + " on the next open", name, sequencer.failure().toString());
            return;
        }
        try {
            index.bindToCurrentThread(); // the sequencer thread has ended: this thread writes now
            IndexState state = new IndexState(true, sequencer.publishedPosition(), sequencer.lastExcerptIndex(),
                    sequencer.lastTimestamp(), index.entityCount());
            if (indexDamaged) {
                LOG.log(System.Logger.Level.WARNING, "store {0}: a read found the entity index damaged; it will be rebuilt"
                        + " on the next open", name);
                state.dirtyWith(index.entityCount()).write(layout.indexState());
            } else if (index.persistAll()) {
                persisted.force();
                state.write(layout.indexState());
            } else {
                state.dirtyWith(index.entityCount()).write(layout.indexState());
            }
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "store {0}: could not record a clean index checkpoint ({1});"
                    + " the index will be rebuilt on the next open", name, e.toString());
        }
    }

    @Override
    public String toString() {
        return "EventStore[" + name + (sequencer == null ? ", read-only" : "") + ", " + eventCount() + " events]";
    }
}
