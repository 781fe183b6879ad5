package dev.hindsight.codec.internal;

import dev.hindsight.codec.EventSchema;
import dev.hindsight.codec.FieldSchema;
import dev.hindsight.codec.FieldType;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Computes {@link EventSchema#fingerprint()}. Stateless and thread-safe. */
public final class Fingerprint {
    private static final long FNV_OFFSET = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;

    private Fingerprint() {
    }

    /**
     * @param schema the schema
     * @return its stable 64-bit fingerprint
     */
    public static long of(EventSchema schema) {
        long h = FNV_OFFSET;
        h = str(h, schema.name());
        h = num(h, schema.schemaVersion());
        h = fields(h, schema.fields());
        return mix(h);
    }

    private static long fields(long h, List<FieldSchema> fields) {
        h = num(h, fields.size());
        for (FieldSchema f : fields) {
            h = str(h, f.name());
            h = type(h, f.type());
        }
        return h;
    }

    private static long type(long h, FieldType t) {
        h = num(h, t.kind().code());
        h = num(h, t.nullable() ? 1 : 0);
        h = t.name() == null ? num(h, -1) : str(h, t.name());
        h = num(h, t.enumConstants().size());
        for (String c : t.enumConstants()) {
            h = str(h, c);
        }
        h = fields(h, t.recordFields());
        if (t.element() != null) {
            h = num(h, 1);
            h = type(h, t.element());
        } else {
            h = num(h, 0);
        }
        return h;
    }

    private static long str(long h, String s) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        h = num(h, bytes.length);
        for (byte b : bytes) {
            h = (h ^ (b & 0xFF)) * FNV_PRIME;
        }
        return h;
    }

    private static long num(long h, int v) {
        for (int i = 0; i < 4; i++) {
            h = (h ^ ((v >>> (8 * i)) & 0xFF)) * FNV_PRIME;
        }
        return h;
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
