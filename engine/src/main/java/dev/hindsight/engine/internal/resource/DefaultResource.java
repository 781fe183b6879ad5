package dev.hindsight.engine.internal.resource;

import dev.hindsight.codec.AttributeChange;
import dev.hindsight.codec.CorruptFrameException;
import dev.hindsight.codec.Created;
import dev.hindsight.codec.Deleted;
import dev.hindsight.codec.EventMetadata;
import dev.hindsight.codec.Registration;
import dev.hindsight.codec.Updated;
import dev.hindsight.engine.ActionResult;
import dev.hindsight.engine.AfterAction;
import dev.hindsight.engine.AfterActionException;
import dev.hindsight.engine.AppendResult;
import dev.hindsight.engine.RecordedEvent;
import dev.hindsight.engine.Resource;
import dev.hindsight.engine.ResourceAction;
import dev.hindsight.engine.ResourceChanges;
import dev.hindsight.engine.ResourceExistsException;
import dev.hindsight.engine.ResourceNotFoundException;
import dev.hindsight.engine.ResourceState;
import dev.hindsight.engine.ResourceType;
import dev.hindsight.engine.WrongExpectedVersionException;
import dev.hindsight.engine.internal.DefaultEventStore;
import dev.hindsight.engine.internal.snapshot.SnapshotStore;
import dev.hindsight.engine.internal.snapshot.SnapshotView;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * One view of a resource type in one store: the metadata its actions record, and the optimistic action loop
 * (read the fold, decide, append with the read version as the expected version, re-decide on a conflict).
 * Immutable and thread-safe.
 *
 * @param <S> the state record
 */
public final class DefaultResource<S extends Record> implements Resource<S> {
    private final DefaultEventStore store;
    private final BoundResource<S> bound;
    private final EventMetadata metadata;
    private final int retries;
    private final SnapshotStore snapshots;
    private final SnapshotAgent agent;
    private static final ThreadLocal<SnapshotView> VIEWS = ThreadLocal.withInitial(SnapshotView::new);
    private static final System.Logger LOG = System.getLogger("dev.hindsight");

    /**
     * @param store     the store
     * @param bound     the bound resource type
     * @param retries   how many times an action is re-run after a version conflict
     * @param snapshots where snapshots are looked up, or null for none
     * @param agent     the snapshot thread, or null if this store writes no snapshots
     */
    public DefaultResource(DefaultEventStore store, BoundResource<S> bound, int retries, SnapshotStore snapshots,
                           SnapshotAgent agent) {
        this(store, bound, EventMetadata.NONE, retries, snapshots, agent);
    }

    private DefaultResource(DefaultEventStore store, BoundResource<S> bound, EventMetadata metadata, int retries,
                            SnapshotStore snapshots, SnapshotAgent agent) {
        this.store = store;
        this.bound = bound;
        this.metadata = metadata;
        this.retries = retries;
        this.snapshots = bound.type().snapshots().enabled() ? snapshots : null;
        this.agent = bound.type().snapshots().enabled() ? agent : null;
    }

    @Override
    public ResourceType<S> type() {
        return bound.type();
    }

    // ------------------------------------------------------------------ actions

    /** What an action decided: the events to record and their registrations, or nothing. */
    private record Decision(List<Object> events, List<Registration> registrations) {
        static final Decision NOTHING = new Decision(List.of(), List.of());
    }

    /** Decides an action against a fold; throws to refuse it. */
    @FunctionalInterface
    private interface Decider<S extends Record> {
        Decision decide(Folded<S> current);
    }

    @Override
    public ActionResult<S> create(String id, S state) {
        Objects.requireNonNull(state, "state");
        requireStateClass(state, "create");
        return perform(id, f -> {
            if (f.exists()) {
                throw new ResourceExistsException(where(id) + " already exists (version " + f.version
                        + (f.deleted ? ", destroyed" : "") + "); create needs a new id");
            }
            return new Decision(List.of(new Created<>(state)), List.of(bound.standard().created()));
        });
    }

    @Override
    public ActionResult<S> update(String id, Map<String, ?> changes) {
        Objects.requireNonNull(changes, "changes");
        StateShape<S> shape = bound.shape();
        if (changes.isEmpty()) {
            throw new IllegalArgumentException("update of " + where(id) + " names no attributes");
        }
        for (Map.Entry<String, ?> c : changes.entrySet()) {
            int i = shape.index(c.getKey());
            if (i < 0) {
                throw new IllegalArgumentException(type().name() + " has no attribute '" + c.getKey()
                        + "'; its attributes are " + shape.describe());
            }
            shape.check(type().name(), i, c.getValue());
        }
        return perform(id, f -> {
            requireLive(f, "update");
            Object[] values = shape.values(f.state);
            for (Map.Entry<String, ?> c : changes.entrySet()) {
                values[shape.index(c.getKey())] = c.getValue();
            }
            return changesTo(f, shape.construct(values));
        });
    }

    @Override
    public ActionResult<S> update(String id, UnaryOperator<S> change) {
        Objects.requireNonNull(change, "change");
        return perform(id, f -> {
            requireLive(f, "update");
            S next = change.apply(f.state);
            if (next == null) {
                throw new IllegalArgumentException("the update function for " + where(id) + " returned null");
            }
            requireStateClass(next, "update");
            return changesTo(f, next);
        });
    }

    private Decision changesTo(Folded<S> f, S next) {
        StateShape<S> shape = bound.shape();
        List<AttributeChange> changed = new ArrayList<>();
        for (int i = 0; i < shape.size(); i++) {
            Object before = shape.get(f.state, i);
            Object after = shape.get(next, i);
            if (!StateShape.same(before, after)) {
                changed.add(new AttributeChange(shape.name(i), before, after));
            }
        }
        if (changed.isEmpty()) {
            return Decision.NOTHING;
        }
        return new Decision(List.of(new Updated(changed)), List.of(bound.standard().updated()));
    }

    @Override
    public ActionResult<S> destroy(String id) {
        return perform(id, f -> {
            requireLive(f, "destroy");
            return new Decision(List.of(new Deleted()), List.of(bound.standard().deleted()));
        });
    }

    @Override
    public ActionResult<S> act(String id, ResourceAction<S> action) {
        Objects.requireNonNull(action, "action");
        return perform(id, f -> {
            requireLive(f, "act on");
            List<?> events = action.decide(f.state);
            if (events == null || events.isEmpty()) {
                return Decision.NOTHING;
            }
            List<Object> copy = new ArrayList<>(events.size());
            List<Registration> regs = new ArrayList<>(events.size());
            for (Object e : events) {
                if (e == null) {
                    throw new IllegalArgumentException("the action on " + where(id) + " returned a null event");
                }
                Registration reg = bound.customRegistration(e.getClass());
                if (reg == null) {
                    throw new IllegalArgumentException("the action on " + where(id) + " returned a "
                            + e.getClass().getName() + ", which is not a custom event of resource type '"
                            + type().name() + "' (define it with ResourceType.Builder.event; record standard events "
                            + "with create, update and destroy)");
                }
                copy.add(e);
                regs.add(reg);
            }
            return new Decision(copy, regs);
        });
    }

    /**
     * The optimistic action loop. The decision runs against the freshest fold; its events are applied to the fold
     * before anything is appended (so an applier that throws records nothing), then appended with the fold's
     * version as the expected version.
     */
    private ActionResult<S> perform(String id, Decider<S> decider) {
        String key = metadata.attributes().get(IDEMPOTENCY_KEY_ATTRIBUTE);
        for (int attempt = 0; ; attempt++) {
            Folded<S> f = current(id);
            if (key != null && !f.keysComplete) {
                f = replayAll(id); // restored from a snapshot: the keys used before it are only in the events
                bound.remember(f);
            }
            if (key != null) {
                Folded.KeyedAction prior = f.keys.get(key);
                if (prior != null) {
                    return duplicate(f, prior);
                }
            }
            Decision d = decider.decide(f);
            if (d.events().isEmpty()) {
                return new ActionResult<>(type().name(), id, List.of(), f.version, f.state, f.deleted, false);
            }
            List<Object> events = d.events();
            // apply before appending: a failing applier refuses the action with nothing recorded
            Folded<S> after = f;
            List<RecordedEvent> recorded = new ArrayList<>(events.size());
            for (int i = 0; i < events.size(); i++) {
                Registration reg = d.registrations().get(i);
                RecordedEvent provisional = new RecordedEvent(-1, f.lastChangedNanos, type().name(), id,
                        f.version + 1 + i, reg.eventTypeId(), reg.name(), reg.schemaVersion(), metadata, events.get(i));
                after = bound.apply(after, provisional);
                recorded.add(provisional);
            }
            AppendResult r;
            try {
                r = store.appendRegistered(type().name(), id, f.version, events, d.registrations(), metadata);
            } catch (WrongExpectedVersionException conflict) {
                if (attempt >= retries) {
                    throw conflict;
                }
                Thread.onSpinWait();
                continue;
            }
            List<RecordedEvent> done = new ArrayList<>(recorded.size());
            Folded<S> fold = f;
            int interval = agent == null ? 0 : bound.snapshotInterval();
            for (int i = 0; i < recorded.size(); i++) {
                RecordedEvent p = recorded.get(i);
                RecordedEvent e = new RecordedEvent(r.firstPosition() + i, r.timestampNanos(), p.resourceType(),
                        p.entityId(), r.firstVersion() + i, p.eventTypeId(), p.eventType(), p.schemaVersion(),
                        p.metadata(), p.event());
                fold = bound.apply(fold, e);
                done.add(e);
                if (interval > 0 && fold.version % interval == 0) {
                    agent.offer(bound, fold); // off the append path: the snapshot thread encodes and stores it
                }
            }
            bound.remember(fold);
            ActionResult<S> result = new ActionResult<>(type().name(), id, done, fold.version, fold.state,
                    fold.deleted, false);
            runHooks(result);
            return result;
        }
    }

    private ActionResult<S> duplicate(Folded<S> f, Folded.KeyedAction prior) {
        List<RecordedEvent> first = new ArrayList<>(prior.count());
        for (int i = 0; i < prior.count(); i++) {
            first.add(store.readVersion(type().name(), f.entityId, prior.firstVersion() + i));
        }
        return new ActionResult<>(type().name(), f.entityId, first, f.version, f.state, f.deleted, true);
    }

    private void runHooks(ActionResult<S> result) {
        RuntimeException failure = null;
        for (AfterAction<S> hook : type().afterActions()) {
            try {
                hook.afterAction(result);
            } catch (RuntimeException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw new AfterActionException(result, failure);
        }
    }

    private void requireLive(Folded<S> f, String action) {
        if (!f.exists()) {
            throw new ResourceNotFoundException("cannot " + action + " " + where(f.entityId) + ": it does not exist");
        }
        if (f.deleted) {
            throw new ResourceNotFoundException("cannot " + action + " " + where(f.entityId) + ": it was destroyed "
                    + "(version " + f.version + ")");
        }
    }

    private void requireStateClass(S state, String action) {
        if (state.getClass() != type().stateClass()) {
            throw new IllegalArgumentException(action + " of " + type().name() + " needs a "
                    + type().stateClass().getName() + ", not a " + state.getClass().getName());
        }
    }

    private String where(String id) {
        return type().name() + "/" + id;
    }

    // ------------------------------------------------------------------ reads

    /** The fold at the entity's head: the cached fold brought up to date with the events after it. */
    Folded<S> current(String id) {
        Folded<S> cached = bound.cached(id);
        long head = store.headVersion(type().name(), id);
        if (cached != null && cached.version == head) {
            return cached;
        }
        Folded<S> f = start(id, cached, head);
        if (head > f.version) {
            for (RecordedEvent e : store.readEntity(type().name(), id, f.version + 1)) {
                f = bound.apply(f, e);
            }
            bound.remember(f);
        }
        return f;
    }

    /**
     * Where a replay up to {@code version} starts: the newer of the cached fold (if not beyond the version) and the
     * newest snapshot at or before the version, else nothing.
     */
    private Folded<S> start(String id, Folded<S> cached, long version) {
        Folded<S> f = cached != null && cached.version <= version ? cached : null;
        if (snapshots != null && (f == null || version - f.version > 1)) {
            Folded<S> snap = fromSnapshot(id, version);
            if (snap != null && (f == null || snap.version > f.version)) {
                f = snap;
            }
        }
        return f != null ? f : Folded.empty(type().name(), id);
    }

    /** The newest snapshot at or before a version, restored; null if there is none or it cannot be decoded. */
    private Folded<S> fromSnapshot(String id, long version) {
        return restore(id, false, version);
    }

    /** The newest snapshot whose event is at or before an instant, restored; null if none or undecodable. */
    private Folded<S> fromSnapshotAt(String id, long nanos) {
        return restore(id, true, nanos);
    }

    private Folded<S> restore(String id, boolean byTime, long key) {
        SnapshotView view = VIEWS.get();
        store.beginRead();  // close() waits for this lookup before it unmaps the snapshot files
        try {
            long fp = bound.snapshotFingerprint();
            boolean found = byTime ? snapshots.floorByTimestamp(type().name(), id, key, fp, view)
                    : snapshots.floorByVersion(type().name(), id, key, fp, view);
            return found ? StateSnapshots.decode(store.codec(), type().stateClass(), type().name(), id, view) : null;
        } catch (CorruptFrameException e) {
            LOG.log(System.Logger.Level.WARNING, "ignoring a snapshot that does not decode (the journal is replayed "
                    + "instead): " + e.getMessage());
            return null;
        } finally {
            store.endRead();
        }
    }

    /** Replays every event of the entity, ignoring caches and snapshots. */
    private Folded<S> replayAll(String id) {
        Folded<S> f = Folded.empty(type().name(), id);
        if (store.headVersion(type().name(), id) > 0) {
            for (RecordedEvent e : store.readEntity(type().name(), id, 1)) {
                f = bound.apply(f, e);
            }
        }
        return f;
    }

    @Override
    public void snapshot(String id) {
        if (agent == null) {
            throw new UnsupportedOperationException("cannot snapshot " + where(id) + ": "
                    + (!type().snapshots().enabled() ? "snapshots are off for resource type '" + type().name() + "'"
                    : "store " + store.directory() + " is read-only"));
        }
        Folded<S> f = current(id);
        if (!f.exists()) {
            throw new ResourceNotFoundException("cannot snapshot " + where(id) + ": it does not exist");
        }
        if (!agent.snapshotNow(bound, f)) {
            throw new IllegalStateException("the snapshot of " + where(id) + " version " + f.version
                    + " was not taken: the store is closing or the snapshot thread is overloaded");
        }
    }

    @Override
    public Optional<S> get(String id) {
        Folded<S> f = current(id);
        return f.live() ? Optional.of(f.state) : Optional.empty();
    }

    @Override
    public Optional<ResourceState<S>> find(String id) {
        Folded<S> f = current(id);
        return f.exists() ? Optional.of(f.toState()) : Optional.empty();
    }

    @Override
    public List<RecordedEvent> history(String id) {
        store.validateEntity(type().name(), id);
        return store.readEntity(type().name(), id, 1);
    }

    @Override
    public Optional<ResourceState<S>> rebuild(String id) {
        Folded<S> f = replayAll(id);
        return f.exists() ? Optional.of(f.toState()) : Optional.empty();
    }

    // ------------------------------------------------------------------ time travel

    /**
     * The fold at exactly {@code version} (1..head): the cached fold if it is there, else a replay of the versions
     * needed (from the cached fold when it is older).
     */
    Folded<S> foldAt(String id, long version) {
        Folded<S> cached = bound.cached(id);
        if (cached != null && cached.version == version) {
            return cached;
        }
        Folded<S> f = start(id, cached, version);
        if (version > f.version) {
            for (RecordedEvent e : store.readEntity(type().name(), id, f.version + 1, version)) {
                f = bound.apply(f, e);
            }
        }
        return f;
    }

    @Override
    public Optional<ResourceState<S>> asOf(String id, Instant instant) {
        Objects.requireNonNull(instant, "instant is null (asOf " + where(id) + ")");
        long nanos = DefaultEventStore.toEpochNanos(instant);
        Folded<S> snap = snapshots == null ? null : fromSnapshotAt(id, nanos);
        if (snap == null) {
            long v = store.versionAt(type().name(), id, nanos, 0);
            return v == 0 ? Optional.empty() : Optional.of(foldAt(id, v).toState());
        }
        // the snapshot's version is at or before the instant: the version wanted is a few probes ahead of it
        long v = store.versionAt(type().name(), id, nanos, snap.version);
        Folded<S> f = snap;
        if (v > f.version) {
            for (RecordedEvent e : store.readEntity(type().name(), id, f.version + 1, v)) {
                f = bound.apply(f, e);
            }
        }
        return Optional.of(f.toState());
    }

    @Override
    public ResourceState<S> atVersion(String id, long version) {
        long head = store.headVersion(type().name(), id);
        if (version < 1 || version > head) {
            throw new IllegalArgumentException(where(id) + " has no version " + version + "; its versions are "
                    + (head == 0 ? "none (it does not exist)" : "1.." + head));
        }
        return foldAt(id, version).toState();
    }

    @Override
    public Optional<ResourceState<S>> asOfPosition(String id, long position) {
        long end = store.eventCount();
        if (position < 0 || position >= end) {
            throw new IllegalArgumentException("position " + position + " is not in the log of store "
                    + store.directory() + " (positions 0.." + (end - 1) + ")");
        }
        // versions' positions increase with the version: binary search, one event read per probe
        long lo = 1;
        long hi = store.headVersion(type().name(), id);
        long found = 0;
        while (lo <= hi) {
            long mid = (lo + hi) >>> 1;
            if (store.readVersion(type().name(), id, mid).position() <= position) {
                found = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return found == 0 ? Optional.empty() : Optional.of(foldAt(id, found).toState());
    }

    @Override
    public Stream<ResourceState<S>> allAsOf(Instant instant) {
        Objects.requireNonNull(instant, "instant is null (allAsOf " + type().name() + ")");
        Iterator<String> ids = store.entityIds(type().name()).iterator();
        Iterator<ResourceState<S>> states = new Iterator<>() {
            private ResourceState<S> next;

            @Override
            public boolean hasNext() {
                while (next == null && ids.hasNext()) {
                    next = asOf(ids.next(), instant).orElse(null);
                }
                return next != null;
            }

            @Override
            public ResourceState<S> next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                ResourceState<S> s = next;
                next = null;
                return s;
            }
        };
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(states, Spliterator.NONNULL), false);
    }

    @Override
    public ResourceChanges<S> changes(String id, Instant from, Instant to) {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        if (to.isBefore(from)) {
            throw new IllegalArgumentException("changes of " + where(id) + ": 'to' " + to + " is before 'from' " + from);
        }
        long toVersion = store.versionAt(type().name(), id, to);
        long fromVersion = Math.min(store.versionAt(type().name(), id, from), toVersion);
        return changes(id, fromVersion, toVersion);
    }

    @Override
    public ResourceChanges<S> changes(String id, long fromVersion, long toVersion) {
        long head = store.headVersion(type().name(), id);
        if (fromVersion < 0 || toVersion < fromVersion || toVersion > head) {
            throw new IllegalArgumentException("changes of " + where(id) + " between versions " + fromVersion + " and "
                    + toVersion + ": need 0 <= from <= to <= " + head);
        }
        Folded<S> before = fromVersion == 0 ? Folded.empty(type().name(), id) : foldAt(id, fromVersion);
        List<RecordedEvent> events = toVersion == fromVersion ? List.of()
                : store.readEntity(type().name(), id, fromVersion + 1, toVersion);
        Folded<S> after = before;
        for (RecordedEvent e : events) {
            after = bound.apply(after, e);
        }
        List<AttributeChange> diff = new ArrayList<>();
        StateShape<S> shape = bound.shape();
        if (after.exists()) {
            for (int i = 0; i < shape.size(); i++) {
                Object old = before.exists() ? shape.get(before.state, i) : null;
                Object now = shape.get(after.state, i);
                if (!before.exists() || !StateShape.same(old, now)) {
                    diff.add(new AttributeChange(shape.name(i), old, now));
                }
            }
        }
        return new ResourceChanges<>(type().name(), id,
                before.exists() ? Optional.of(before.toState()) : Optional.empty(),
                after.exists() ? Optional.of(after.toState()) : Optional.empty(), events, diff);
    }

    // ------------------------------------------------------------------ views

    @Override
    public Resource<S> as(String actor) {
        return withMetadata(metadata.toBuilder().actor(actor).build());
    }

    @Override
    public Resource<S> withCorrelation(String correlationId) {
        return withMetadata(metadata.toBuilder().correlationId(correlationId).build());
    }

    @Override
    public Resource<S> withCausation(String causationId) {
        return withMetadata(metadata.toBuilder().causationId(causationId).build());
    }

    @Override
    public Resource<S> withReason(String reason) {
        return withMetadata(metadata.toBuilder().reason(reason).build());
    }

    @Override
    public Resource<S> withIdempotencyKey(String key) {
        Objects.requireNonNull(key, "key");
        if (key.isEmpty()) {
            throw new IllegalArgumentException("idempotency key is empty");
        }
        return withMetadata(metadata.toBuilder().attribute(IDEMPOTENCY_KEY_ATTRIBUTE, key).build());
    }

    @Override
    public Resource<S> withMetadata(EventMetadata metadata) {
        return new DefaultResource<>(store, bound, Objects.requireNonNull(metadata, "metadata"), retries, snapshots, agent);
    }

    @Override
    public EventMetadata metadata() {
        return metadata;
    }

    @Override
    public String toString() {
        return "Resource{" + type().name() + ", " + metadata + "}";
    }
}
