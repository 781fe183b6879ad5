package dev.hindsight.codec.internal;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/** Encodes an enum constant as its name (pre-encoded UTF-8, so no allocation). Immutable and thread-safe. */
final class EnumCodec extends ValueCodec {
    private final Class<?> enumClass;
    private final byte[][] names;
    private final Map<String, Object> byName = new HashMap<>();

    EnumCodec(Class<?> enumClass) {
        this.enumClass = enumClass;
        Object[] constants = enumClass.getEnumConstants();
        names = new byte[constants.length][];
        for (Object c : constants) {
            Enum<?> e = (Enum<?>) c;
            names[e.ordinal()] = e.name().getBytes(StandardCharsets.UTF_8);
            byName.put(e.name(), e);
        }
    }

    @Override
    public void write(FrameOutput out, Object value) {
        Writes.utf8(out, names[((Enum<?>) value).ordinal()]);
    }

    @Override
    public Object read(PayloadInput in) {
        int at = in.offset();
        String name = Reads.string(in);
        Object constant = byName.get(name);
        if (constant == null) {
            throw new Corruption("'" + name + "' is not a constant of enum " + enumClass.getSimpleName(), at);
        }
        return constant;
    }
}
