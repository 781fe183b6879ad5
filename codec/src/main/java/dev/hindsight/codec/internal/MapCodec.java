package dev.hindsight.codec.internal;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Encodes a {@code Map<String, V>} of non-null keys and values: varint count, then (key, value) pairs in
 * the map's iteration order. Decodes into an insertion-ordered map. Immutable and thread-safe.
 */
final class MapCodec extends ValueCodec {
    private final ValueCodec value;

    MapCodec(ValueCodec value) {
        this.value = value;
    }

    @Override
    public void write(FrameOutput out, Object v) {
        Map<?, ?> map = (Map<?, ?>) v;
        Writes.count(out, map.size(), 1, "map");
        for (Map.Entry<?, ?> e : map.entrySet()) {
            if (e.getKey() == null || e.getValue() == null) {
                throw new IllegalArgumentException("map contains a null key or value; they must not be null");
            }
            Writes.string(out, (String) e.getKey());
            value.write(out, e.getValue());
        }
    }

    @Override
    public Object read(PayloadInput in) {
        in.enter();
        int n = Reads.count(in, 1 + value.minWidth(), "map");
        Map<String, Object> map = new LinkedHashMap<>(Math.max(4, (int) (n / 0.75f) + 1));
        for (int i = 0; i < n; i++) {
            int at = in.offset();
            String key = Reads.string(in);
            if (map.put(key, value.read(in)) != null) {
                throw new Corruption("map key '" + key + "' appears twice", at);
            }
        }
        in.leave();
        return Collections.unmodifiableMap(map);
    }
}
