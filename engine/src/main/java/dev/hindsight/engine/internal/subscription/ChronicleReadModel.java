package dev.hindsight.engine.internal.subscription;

import dev.hindsight.engine.HindsightException;
import dev.hindsight.engine.ReadModel;
import net.openhft.chronicle.map.ChronicleMap;
import net.openhft.chronicle.map.ChronicleMapBuilder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;
import java.util.function.LongPredicate;

/**
 * The {@link ReadModel}: a Chronicle Map of {@link ReadModelEntry} values plus a
 * {@link ReadModelState} file, in a directory locked by {@link DirectoryLock}.
 *
 * <pre>
 * DIR/
 *   readmodel.cm      Chronicle Map: key (String, UTF-8) -> ReadModelEntry (applied position, late
 *                     positions, value, CRC32C)
 *   readmodel.state   ReadModelState: bound subscription, store id, origin, checkpoint, clean flag
 *   readmodel.lock    OS file lock held while open (holds the pid)
 * </pre>
 *
 * <p>Thread-safe: reads from any thread; {@link #bind}, {@link #commit}, {@link #checkpoint},
 * {@link #prune} and {@link #resetForRebuild} only from the one subscription thread that bound it.
 *
 * @param <V> the value type
 */
public final class ChronicleReadModel<V> implements ReadModel<V> {
    private static final System.Logger LOG = System.getLogger("dev.hindsight");
    static final String MAP_FILE = "readmodel.cm";
    static final String STATE_FILE = "readmodel.state";
    static final String LOCK_FILE = "readmodel.lock";
    static final int MAX_KEY_BYTES = 512;

    private final Path directory;
    private final Path mapFile;
    private final Path stateFile;
    private final Codec<V> codec;
    private final long expectedKeys;
    private final DirectoryLock lock;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicBoolean inUse = new AtomicBoolean();
    private final ReadModelEntry writerEntry = new ReadModelEntry();
    private final String openReport;
    private ChronicleMap<String, byte[]> map;
    private volatile ReadModelState state;
    private boolean forceOnCheckpoint;

    private ChronicleReadModel(Path directory, Codec<V> codec, long expectedKeys, DirectoryLock lock) throws IOException {
        this.directory = directory;
        this.mapFile = directory.resolve(MAP_FILE);
        this.stateFile = directory.resolve(STATE_FILE);
        this.codec = codec;
        this.expectedKeys = expectedKeys;
        this.lock = lock;
        this.openReport = load();
    }

    /**
     * @param directory    the model's directory (created if missing)
     * @param codec        the value codec
     * @param expectedKeys sizing, 1,000 to 1,000,000,000
     * @param <V>          the value type
     * @return the open model
     */
    public static <V> ChronicleReadModel<V> open(Path directory, Codec<V> codec, long expectedKeys) {
        Objects.requireNonNull(directory, "directory");
        Objects.requireNonNull(codec, "codec");
        if (expectedKeys < 1_000 || expectedKeys > 1_000_000_000L) {
            throw new IllegalArgumentException("expectedKeys must be between 1000 and 1000000000, not " + expectedKeys);
        }
        Path dir = directory.toAbsolutePath().normalize();
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create read model directory " + dir + ": " + e.getMessage(), e);
        }
        DirectoryLock lock = DirectoryLock.acquire(dir.resolve(LOCK_FILE), "read model");
        try {
            return new ChronicleReadModel<>(dir, codec, expectedKeys, lock);
        } catch (IOException | RuntimeException e) {
            lock.close();
            if (e instanceof IOException) {
                throw new UncheckedIOException("cannot open read model " + dir + ": " + e.getMessage(), (IOException) e);
            }
            throw (RuntimeException) e;
        }
    }

    private ChronicleMapBuilder<String, byte[]> builder() {
        return ChronicleMapBuilder.of(String.class, byte[].class)
                .name("hindsight-readmodel")
                .entries(expectedKeys)
                .averageKeySize(24)
                .averageValueSize(ReadModelEntry.FIXED + ReadModelEntry.CRC + Math.max(1, codec.averageBytes()))
                .maxBloatFactor(10);
    }

    /** Opens or recovers the map and checks every entry; clears it for a rebuild if anything is wrong. */
    private String load() throws IOException {
        ReadModelState st = Files.exists(stateFile) ? ReadModelState.read(stateFile) : null;
        boolean mapExists = Files.exists(mapFile);
        String report;
        if (st == null) {
            if (mapExists) {
                Files.delete(mapFile);
            }
            st = ReadModelState.NEW;
            report = mapExists ? "cleared: " + stateFile + " was missing, so nothing of the map could be trusted" : "new";
            map = builder().createPersistedTo(mapFile.toFile());
        } else if (mapExists && !st.clean()) {
            List<String> corruptions = new ArrayList<>();
            try {
                map = builder().recoverPersistedTo(mapFile.toFile(), false,
                        c -> corruptions.add(String.valueOf(c.message())));
            } catch (IOException | RuntimeException e) {
                corruptions.add("recovery failed: " + e);
            }
            if (corruptions.isEmpty()) {
                report = "recovered after a crash";
            } else {
                recreateMap();
                st = rebuildFrom(st);
                report = "cleared after a crash: Chronicle Map recovery reported " + corruptions.size()
                        + " problem(s), first: " + corruptions.get(0) + "; rebuilding from position " + st.origin();
            }
        } else {
            if (!mapExists && st.bound()) {
                st = rebuildFrom(st);
                report = "cleared: " + mapFile + " was missing; rebuilding from position " + st.origin();
            } else {
                report = mapExists ? "clean" : "new";
            }
            try {
                map = builder().createPersistedTo(mapFile.toFile());
            } catch (IOException | RuntimeException e) {
                recreateMap();
                st = rebuildFrom(st);
                report = "cleared: " + mapFile + " could not be opened (" + e + "); rebuilding from position " + st.origin();
            }
        }
        String bad = verify();
        if (bad != null) {
            map.clear();
            st = rebuildFrom(st);
            report = "cleared: " + bad + "; rebuilding from position " + st.origin();
        }
        st = st.withClean(false); // a crash from here on leaves it dirty
        st.write(stateFile);
        state = st;
        if (!report.equals("new") && !report.equals("clean")) {
            LOG.log(System.Logger.Level.WARNING, "read model {0}: {1}", directory, report);
        }
        return report;
    }

    private void recreateMap() throws IOException {
        if (map != null) {
            map.close();
            map = null;
        }
        Files.deleteIfExists(mapFile);
        map = builder().createPersistedTo(mapFile.toFile());
    }

    private static ReadModelState rebuildFrom(ReadModelState st) {
        return st.bound() ? new ReadModelState(false, st.subscription(), st.storeId(), st.origin(), st.origin()) : ReadModelState.NEW;
    }

    /** @return null if every entry is valid, else the first problem */
    private String verify() {
        ReadModelEntry e = new ReadModelEntry();
        for (Map.Entry<String, byte[]> entry : map.entrySet()) {
            String problem = e.parse(entry.getValue());
            if (problem == null && !e.tombstone) {
                problem = decodeProblem(e);
            }
            if (problem != null) {
                return "entry '" + entry.getKey() + "' of " + mapFile + ": " + problem;
            }
        }
        return null;
    }

    private String decodeProblem(ReadModelEntry e) {
        try {
            codec.decode(e.bytes, e.payloadOffset, e.payloadLength);
            return null;
        } catch (RuntimeException ex) {
            return "its value does not decode with " + codec + ": " + ex;
        }
    }

    // ------------------------------------------------------------------ reads (any thread)

    @Override
    public V get(String key) {
        Objects.requireNonNull(key, "key");
        ensureOpen();
        byte[] bytes = map.get(key);
        if (bytes == null) {
            return null;
        }
        ReadModelEntry e = new ReadModelEntry();
        return valueOf(key, bytes, e);
    }

    private V valueOf(String key, byte[] bytes, ReadModelEntry e) {
        String problem = e.parse(bytes);
        if (problem != null) {
            throw damaged(key, problem);
        }
        if (e.tombstone) {
            return null;
        }
        try {
            return codec.decode(e.bytes, e.payloadOffset, e.payloadLength);
        } catch (RuntimeException ex) {
            throw damaged(key, "its value does not decode with " + codec + ": " + ex);
        }
    }

    private HindsightException damaged(String key, String problem) {
        return new HindsightException("read model " + directory + ": entry '" + key + "' of " + mapFile + " is damaged ("
                + problem + "); close and reopen the model to rebuild it from the journal");
    }

    @Override
    public void forEach(BiConsumer<String, V> action) {
        Objects.requireNonNull(action, "action");
        ensureOpen();
        ReadModelEntry e = new ReadModelEntry();
        for (Map.Entry<String, byte[]> entry : map.entrySet()) {
            V v = valueOf(entry.getKey(), entry.getValue(), e);
            if (v != null) {
                action.accept(entry.getKey(), v);
            }
        }
    }

    @Override
    public Map<String, V> snapshot() {
        Map<String, V> out = new HashMap<>();
        forEach(out::put);
        return out;
    }

    @Override
    public Path directory() {
        return directory;
    }

    @Override
    public String openReport() {
        return openReport;
    }

    /** @return the model's state as last written */
    public ReadModelState state() {
        return state;
    }

    private void ensureOpen() {
        if (closed.get()) {
            throw new IllegalStateException("read model " + directory + " is closed");
        }
    }

    // ------------------------------------------------------------------ the subscription's side

    /**
     * Binds the model to a starting subscription.
     *
     * @param subscription      the subscription's name
     * @param storeId           the store's id
     * @param startPosition     where the subscription would start without the model's checkpoint
     * @param end               the store's event count
     * @param forceOnCheckpoint force the map to disk before each checkpoint (OS_CRASH stores)
     * @return the position to resume from
     */
    public long bind(String subscription, long storeId, long startPosition, long end, boolean forceOnCheckpoint) {
        ensureOpen();
        if (!inUse.compareAndSet(false, true)) {
            throw new IllegalStateException("read model " + directory + " is already used by a running subscription");
        }
        try {
            ReadModelState st = state;
            if (st.bound() && !st.subscription().equals(subscription)) {
                throw new IllegalArgumentException("read model " + directory + " belongs to subscription '" + st.subscription()
                        + "', not '" + subscription + "'; use another directory, or delete this one to rebuild it");
            }
            if (st.bound() && st.storeId() != storeId) {
                throw new IllegalArgumentException("read model " + directory + " was built from the store created at "
                        + st.storeId() + " (epoch ms), not from this one created at " + storeId + "; delete it to rebuild it");
            }
            long resume = st.bound() && st.checkpoint() >= 0 ? st.checkpoint() : startPosition;
            long origin = st.bound() ? st.origin() : startPosition;
            if (resume > end) {
                throw new IllegalArgumentException("read model " + directory + " has applied events up to position " + resume
                        + " but the store has only " + end + " events; it belongs to another copy of the store: delete it to rebuild it");
            }
            ReadModelState bound = new ReadModelState(false, subscription, storeId, origin, resume);
            bound.write(stateFile);
            state = bound;
            this.forceOnCheckpoint = forceOnCheckpoint;
            return resume;
        } catch (IOException e) {
            inUse.set(false);
            throw new UncheckedIOException("cannot write " + stateFile + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            inUse.set(false);
            throw e;
        }
    }

    /** Lets another subscription bind the model (after this one stopped). */
    public void release() {
        inUse.set(false);
    }

    /**
     * Drops what the model no longer needs: tombstones below the checkpoint and late marks of events
     * no longer parked. Writer thread, right after {@link #bind}.
     *
     * @param checkpoint the position the subscription resumes from
     * @param parked     which positions are parked
     * @return how many entries were rewritten or removed
     */
    public int prune(long checkpoint, LongPredicate parked) {
        ReadModelEntry e = writerEntry;
        List<String> remove = new ArrayList<>();
        Map<String, byte[]> rewrite = new HashMap<>();
        for (Map.Entry<String, byte[]> entry : map.entrySet()) {
            if (e.parse(entry.getValue()) != null) {
                continue; // verified at open; a damaged entry is reported by the next read
            }
            boolean lateStale = false;
            boolean lateLive = false;
            for (int i = 0; i < e.lateCount; i++) {
                if (parked.test(e.late[i])) {
                    lateLive = true;
                } else {
                    lateStale = true;
                }
            }
            if (e.tombstone && e.applied < checkpoint && !lateLive) {
                remove.add(entry.getKey());
            } else if (lateStale) {
                byte[] payload = java.util.Arrays.copyOfRange(e.bytes, e.payloadOffset, e.payloadOffset + e.payloadLength);
                rewrite.put(entry.getKey(), ReadModelEntry.encode(e.applied, e.tombstone, e.late, e.lateCount, parked, -1, payload));
            }
        }
        for (String k : remove) {
            map.remove(k);
        }
        map.putAll(rewrite);
        return remove.size() + rewrite.size();
    }

    /**
     * Commits one event's staged changes, key by key, each with the event's position. Writer thread.
     *
     * @param changes  the staged changes
     * @param position the event's position
     * @param inOrder  true in the stream's order (skip keys that applied this position or a later one);
     *                 false for a retried parked event (skip keys that carry its late mark)
     * @param parked   which positions are parked (late marks of others are dropped)
     */
    public void commit(StagedChanges<V> changes, long position, boolean inOrder, LongPredicate parked) {
        ReadModelEntry e = writerEntry;
        for (Map.Entry<String, Object> c : changes.entries()) {
            String key = c.getKey();
            byte[] cur = map.get(key);
            long applied = -1;
            long[] late = null;
            int lateCount = 0;
            if (cur != null) {
                String problem = e.parse(cur);
                if (problem != null) {
                    throw damaged(key, problem);
                }
                if (inOrder ? e.applied >= position : e.hasLate(position)) {
                    continue; // this key has the event already
                }
                applied = e.applied;
                late = e.late;
                lateCount = e.lateCount;
            }
            Object v = c.getValue();
            boolean tombstone = v == StagedChanges.REMOVED;
            @SuppressWarnings("unchecked")
            byte[] payload = tombstone ? null : codec.encode((V) v);
            byte[] bytes = ReadModelEntry.encode(inOrder ? position : applied, tombstone, late, lateCount, parked,
                    inOrder ? -1 : position, payload);
            try {
                map.put(key, bytes);
            } catch (IllegalStateException ex) {
                throw new HindsightException("read model " + directory + " is full (" + map.longSize() + " keys, sized for "
                        + expectedKeys + "); open it with a larger expectedKeys in a new directory to rebuild it: " + ex.getMessage(), ex);
            }
        }
    }

    /**
     * Records that every event before {@code next} is applied (but parked ones). Writer thread.
     *
     * @param next the subscription's position
     * @throws IOException if the state cannot be written
     */
    public void checkpoint(long next) throws IOException {
        if (forceOnCheckpoint) {
            force();
        }
        ReadModelState st = state.withCheckpoint(next).withClean(false);
        st.write(stateFile);
        state = st;
    }

    /**
     * Starts a rebuild from position 0: the checkpoint first (a crash during the clear then resumes
     * from 0 with entries that are each consistent), then the map is cleared. Writer thread.
     *
     * @throws IOException if the state cannot be written
     */
    public void resetForRebuild() throws IOException {
        ReadModelState cur = state;
        ReadModelState st = new ReadModelState(false, cur.subscription(), cur.storeId(), 0, 0);
        st.write(stateFile);
        state = st;
        map.clear();
    }

    private void force() {
        try (FileChannel ch = FileChannel.open(mapFile, StandardOpenOption.WRITE)) {
            ch.force(true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot force " + mapFile + ": " + e.getMessage(), e);
        }
    }

    /** @return the value's codec */
    Codec<V> codec() {
        return codec;
    }

    /**
     * @param key a key
     * @return the committed value, or null (writer thread, for staged reads)
     */
    V committed(String key) {
        byte[] bytes = map.get(key);
        return bytes == null ? null : valueOf(key, bytes, writerEntry);
    }

    /**
     * @param key a key
     * @return the position of the last event applied in order to it, -1 if it has no entry (tests, tools)
     */
    public long appliedPosition(String key) {
        byte[] bytes = map.get(key);
        if (bytes == null) {
            return -1;
        }
        ReadModelEntry e = new ReadModelEntry();
        String problem = e.parse(bytes);
        if (problem != null) {
            throw damaged(key, problem);
        }
        return e.applied;
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            if (inUse.get()) {
                LOG.log(System.Logger.Level.WARNING, "read model {0} closed while a subscription still uses it;"
                        + " close the subscription first", directory);
            } else {
                force();
                ReadModelState st = state.withClean(true);
                st.write(stateFile);
                state = st;
            }
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "read model {0}: could not record a clean close ({1}); it will be"
                    + " recovered and checked when next opened", directory, e.toString());
        } finally {
            map.close();
            lock.close();
        }
    }

    @Override
    public String toString() {
        return "ReadModel[" + directory + ", " + state + "]";
    }
}
