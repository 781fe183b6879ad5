package dev.hindsight.codec.internal;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The record classes known to one codec, with their Kryo ids and serializers. Registration is synchronized
 * and copy-on-write; per-thread {@link CodecKryo}s catch up lazily through {@link #sync(CodecKryo)}, which
 * reads one volatile array and takes no lock. Thread-safe.
 *
 * <p>Kryo id scheme: the classes registered for event type {@code t} get ids {@code t * 2048 + slot}, where
 * {@code slot} counts, in registration order, every class first registered for that event type: the event
 * class itself and then each nested record class not already registered (depth-first, in component
 * order). A nested record shared by several event types keeps the id of the first one. Ids are at least
 * 2048 (so never collide with Kryo's built-in registrations) and at most 1,000,000 * 2048 + 2047, below
 * {@code Integer.MAX_VALUE}. They are process-local: payloads are written with {@code Kryo.writeObject},
 * which writes no class id, so they never reach the disk.
 */
public final class Registry {
    /** Kryo id slots per event type. */
    public static final int SLOTS_PER_EVENT_TYPE = 2048;

    private record Entry(Class<?> type, int kryoId, RecordSerializer serializer) {
    }

    private volatile Entry[] entries = new Entry[0];
    private final Map<Class<?>, TypeMapper.Mapped> mapped = new HashMap<>();
    private final Map<Integer, Integer> slotsUsed = new HashMap<>();

    /**
     * Derives a record class (and nested records) without registering anything.
     *
     * @param eventClass the record class
     * @return the mapper holding the derived classes, to pass to {@link #commit}
     */
    public synchronized TypeMapper derive(Class<?> eventClass) {
        TypeMapper mapper = new TypeMapper(new HashMap<>(mapped));
        mapper.mapRecord(eventClass);
        return mapper;
    }

    /**
     * @param eventClass a record class
     * @return its codec, or null if it was never derived and committed
     */
    public synchronized RecordCodec codecOf(Class<?> eventClass) {
        TypeMapper.Mapped m = mapped.get(eventClass);
        return m == null ? null : m.codec();
    }

    /**
     * Registers the classes a mapper discovered, assigning Kryo ids under the given event type.
     *
     * @param eventTypeId the event type the classes were registered for
     * @param mapper      the mapper from {@link #derive}
     */
    public synchronized void commit(int eventTypeId, TypeMapper mapper) {
        List<Class<?>> found = mapper.discovered();
        int used = slotsUsed.getOrDefault(eventTypeId, 0);
        if (used + found.size() > SLOTS_PER_EVENT_TYPE) {
            throw new IllegalArgumentException("event type " + eventTypeId + " would need more than "
                    + SLOTS_PER_EVENT_TYPE + " record classes");
        }
        Entry[] next = Arrays.copyOf(entries, entries.length + found.size());
        int i = entries.length;
        for (Class<?> c : found) {
            TypeMapper.Mapped m = mapper.mapRecordFromCache(c);
            mapped.put(c, m);
            next[i++] = new Entry(c, eventTypeId * SLOTS_PER_EVENT_TYPE + used++, new RecordSerializer(m.codec()));
        }
        slotsUsed.put(eventTypeId, used);
        entries = next;
    }

    /**
     * Registers with {@code kryo} every class registered since its last sync. Lock-free.
     *
     * @param kryo a per-thread Kryo
     */
    public void sync(CodecKryo kryo) {
        Entry[] e = entries;
        if (kryo.synced == e.length) {
            return;
        }
        for (int i = kryo.synced; i < e.length; i++) {
            kryo.register(e[i].type(), e[i].serializer(), e[i].kryoId());
        }
        kryo.synced = e.length;
    }

    /**
     * @param type a class
     * @return its Kryo id, or -1 if not registered
     */
    public int kryoIdOf(Class<?> type) {
        for (Entry e : entries) {
            if (e.type() == type) {
                return e.kryoId();
            }
        }
        return -1;
    }
}
