package dev.hindsight.engine;

import dev.hindsight.codec.CodecLimits;
import dev.hindsight.engine.internal.DefaultEventStore;
import dev.hindsight.engine.internal.StoreConfig;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Configures and opens an {@link EventStore}. Every setting has a validated default; invalid
 * values are rejected when set, with the value and the allowed range in the message.
 * Not thread-safe: configure on one thread, then {@link #open()}.
 */
public final class EventStoreBuilder {
    /** The most events one {@link EventStore#appendAll} may carry. */
    public static final int MAX_BATCH_EVENTS = 1024;
    /** The default largest encoded event (frame), 1 MiB. */
    public static final int DEFAULT_MAX_EVENT_BYTES = 1 << 20;
    /** The smallest allowed value of {@link #maxEventBytes(int)}. */
    public static final int MIN_MAX_EVENT_BYTES = 1024;
    /** The largest allowed value of {@link #maxEventBytes(int)}, 64 MiB. */
    public static final int MAX_MAX_EVENT_BYTES = 64 << 20;

    private final Path directory;
    private Durability durability = Durability.PROCESS_CRASH;
    private int maxEventBytes = DEFAULT_MAX_EVENT_BYTES;
    private JournalRollCycle rollCycle = JournalRollCycle.DAILY;
    private long expectedEntities = 100_000;
    private long minFreeDiskBytes = 256L << 20;
    private final List<StoreConfig.EventRegistration> registrations = new ArrayList<>();
    private final List<ResourceType<?>> resources = new ArrayList<>();
    private int actionRetries = 16;
    private int resourceCache = 10_000;
    private Path subscriptionDirectory;

    EventStoreBuilder(Path directory) {
        this.directory = Objects.requireNonNull(directory, "directory");
    }

    /**
     * @param durability when appends are acknowledged; default {@link Durability#PROCESS_CRASH}
     * @return this builder
     */
    public EventStoreBuilder durability(Durability durability) {
        this.durability = Objects.requireNonNull(durability, "durability");
        return this;
    }

    /**
     * @param bytes the largest encoded event (header, ids, metadata and payload), from
     *              {@value #MIN_MAX_EVENT_BYTES} to {@value #MAX_MAX_EVENT_BYTES}; default 1 MiB.
     *              Readers use the same bound against hostile input.
     * @return this builder
     */
    public EventStoreBuilder maxEventBytes(int bytes) {
        if (bytes < MIN_MAX_EVENT_BYTES || bytes > MAX_MAX_EVENT_BYTES) {
            throw new IllegalArgumentException("maxEventBytes must be between " + MIN_MAX_EVENT_BYTES + " and "
                    + MAX_MAX_EVENT_BYTES + ", not " + bytes);
        }
        this.maxEventBytes = bytes;
        return this;
    }

    /**
     * @param rollCycle how often the journal starts a new file; default {@link JournalRollCycle#DAILY}
     * @return this builder
     */
    public EventStoreBuilder rollCycle(JournalRollCycle rollCycle) {
        this.rollCycle = Objects.requireNonNull(rollCycle, "rollCycle");
        return this;
    }

    /**
     * @param entities how many entities the persisted index is sized for; it takes up to ten times
     *                 as many (more slowly), and a rebuild sizes it for at least four times the
     *                 entities it last held; from 1,000 to 1,000,000,000; default 100,000 (about 35 MB)
     * @return this builder
     */
    public EventStoreBuilder expectedEntities(long entities) {
        if (entities < 1_000 || entities > 1_000_000_000L) {
            throw new IllegalArgumentException("expectedEntities must be between 1000 and 1000000000, not " + entities);
        }
        this.expectedEntities = entities;
        return this;
    }

    /**
     * @param bytes appends fail with {@link StoreFullException} when the journal's file system has
     *              less free space than this (a full disk under a memory-mapped file kills the JVM);
     *              at least 16 MiB; default 256 MiB
     * @return this builder
     */
    public EventStoreBuilder minFreeDiskBytes(long bytes) {
        if (bytes < (16L << 20)) {
            throw new IllegalArgumentException("minFreeDiskBytes must be at least 16 MiB (16777216), not " + bytes);
        }
        this.minFreeDiskBytes = bytes;
        return this;
    }

    /**
     * Registers an event record under a stable id, named after its simple class name, schema version 1.
     *
     * @param eventClass  the event record
     * @param eventTypeId its id, stable forever: 1 to 1,000,000
     * @return this builder
     */
    public EventStoreBuilder register(Class<? extends Record> eventClass, int eventTypeId) {
        return register(eventClass, eventTypeId, Objects.requireNonNull(eventClass, "eventClass").getSimpleName(), 1);
    }

    /**
     * Registers an event record.
     *
     * @param eventClass    the event record
     * @param eventTypeId   its id, stable forever: 1 to 1,000,000
     * @param name          its name in the schema catalog (what tools show)
     * @param schemaVersion 1 to 65535; a changed record needs a new schema version
     * @return this builder
     */
    public EventStoreBuilder register(Class<? extends Record> eventClass, int eventTypeId, String name, int schemaVersion) {
        Objects.requireNonNull(eventClass, "eventClass");
        Objects.requireNonNull(name, "name");
        if (eventTypeId < 1 || eventTypeId > 1_000_000) {
            throw new IllegalArgumentException("event type id of " + eventClass.getName() + " must be 1 to 1000000, not " + eventTypeId);
        }
        if (schemaVersion < 1 || schemaVersion > 65535) {
            throw new IllegalArgumentException("schema version of " + eventClass.getName() + " must be 1 to 65535, not " + schemaVersion);
        }
        registrations.add(new StoreConfig.EventRegistration(eventClass, eventTypeId, name, schemaVersion));
        return this;
    }

    /**
     * Registers a resource type: its standard and custom events are recorded in the schema catalog and
     * {@link EventStore#resource(ResourceType)} returns its entities.
     *
     * @param type the resource type
     * @return this builder
     * @throws IllegalArgumentException if a resource type of that name is already registered
     */
    public EventStoreBuilder resource(ResourceType<?> type) {
        Objects.requireNonNull(type, "type");
        for (ResourceType<?> r : resources) {
            if (r.name().equals(type.name())) {
                throw new IllegalArgumentException("resource type '" + type.name() + "' is already registered");
            }
        }
        resources.add(type);
        return this;
    }

    /**
     * How many times a resource action is re-run against the fresh state after a version conflict before the
     * conflict is thrown.
     *
     * @param retries 0 to 10,000; default 16
     * @return this builder
     */
    public EventStoreBuilder actionRetries(int retries) {
        if (retries < 0 || retries > 10_000) {
            throw new IllegalArgumentException("action retries must be 0 to 10000, not " + retries);
        }
        this.actionRetries = retries;
        return this;
    }

    /**
     * How many entity states each resource type keeps on the heap, so that an action or a read does not replay
     * the entity's history. Derived data: a state not cached is rebuilt from the journal.
     *
     * @param entities 0 (no cache) to 10,000,000; default 10,000
     * @return this builder
     */
    public EventStoreBuilder resourceCacheEntities(int entities) {
        if (entities < 0 || entities > 10_000_000) {
            throw new IllegalArgumentException("resource cache entities must be 0 to 10000000, not " + entities);
        }
        this.resourceCache = entities;
        return this;
    }

    /**
     * Where durable subscriptions keep their checkpoints and parked events. A writing store defaults
     * to its {@code subscriptions/} directory. A read-only store has no default (it writes no byte
     * into the store's directory): set a directory this process owns to run durable subscriptions
     * in it; its subscriptions are then independent of the writer's (their own positions and parked
     * events). The directory is locked by the process running durable subscriptions in it.
     *
     * @param directory the directory (created when the first durable subscription starts)
     * @return this builder
     */
    public EventStoreBuilder subscriptionDirectory(Path directory) {
        this.subscriptionDirectory = Objects.requireNonNull(directory, "directory");
        return this;
    }

    /**
     * Opens the store for writing: creates the directory if missing, takes the single-writer lock,
     * recovers from the journal (cutting a torn tail, repairing the index) and starts the
     * sequencer and indexer threads.
     *
     * @return the open store
     * @throws MissingJvmFlagsException if the JVM lacks the flags Chronicle and Agrona need
     * @throws StoreLockedException     if another process or store writes to the directory
     */
    public EventStore open() {
        return DefaultEventStore.open(config(false));
    }

    /**
     * Opens an existing store read-only: no lock, no byte of the store changed. Sees events that a
     * writer (in another process) appends after it opened. Appends throw {@link UnsupportedOperationException}.
     *
     * @return the open, read-only store
     */
    public EventStore openReadOnly() {
        return DefaultEventStore.open(config(true));
    }

    private StoreConfig config(boolean readOnly) {
        CodecLimits limits = new CodecLimits(maxEventBytes, CodecLimits.defaults().maxDepth(), CodecLimits.defaults().maxCollectionSize());
        return new StoreConfig(directory, readOnly, durability, limits, rollCycle, expectedEntities, minFreeDiskBytes,
                List.copyOf(registrations), List.copyOf(resources), actionRetries, resourceCache,
                subscriptionDirectory);
    }
}
