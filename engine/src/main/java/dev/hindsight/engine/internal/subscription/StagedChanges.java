package dev.hindsight.engine.internal.subscription;

import dev.hindsight.engine.ReadModel;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * One event's staged changes to a read model: nothing reaches the map until the projection returns,
 * so a projection that throws leaves no trace. Reads see the staged values first. Not thread-safe:
 * the subscription's thread only.
 *
 * @param <V> the value type
 */
public final class StagedChanges<V> implements ReadModel.Changes<V> {
    /** Marks a removed key. */
    static final Object REMOVED = new Object();
    private final ChronicleReadModel<V> model;
    private final LinkedHashMap<String, Object> staged = new LinkedHashMap<>();

    /** @param model the model the changes are for */
    public StagedChanges(ChronicleReadModel<V> model) {
        this.model = model;
    }

    /** Forgets the staged changes (before each event). */
    public void clear() {
        staged.clear();
    }

    Set<Map.Entry<String, Object>> entries() {
        return staged.entrySet();
    }

    /** @return true if nothing is staged */
    public boolean isEmpty() {
        return staged.isEmpty();
    }

    @Override
    @SuppressWarnings("unchecked")
    public V get(String key) {
        checkKey(key);
        Object v = staged.get(key);
        if (v != null) {
            return v == REMOVED ? null : (V) v;
        }
        return model.committed(key);
    }

    @Override
    public void put(String key, V value) {
        checkKey(key);
        Objects.requireNonNull(value, () -> "value for key '" + key + "' is null; use remove(key)");
        staged.put(key, value);
    }

    @Override
    public void remove(String key) {
        checkKey(key);
        staged.put(key, REMOVED);
    }

    private static void checkKey(String key) {
        Objects.requireNonNull(key, "key");
        if (key.isEmpty() || (key.length() * 3 > ChronicleReadModel.MAX_KEY_BYTES
                && key.getBytes(StandardCharsets.UTF_8).length > ChronicleReadModel.MAX_KEY_BYTES)) {
            throw new IllegalArgumentException("a read model key is 1 to " + ChronicleReadModel.MAX_KEY_BYTES
                    + " UTF-8 bytes, not " + key.getBytes(StandardCharsets.UTF_8).length);
        }
    }
}
