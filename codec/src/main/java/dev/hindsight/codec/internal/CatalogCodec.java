package dev.hindsight.codec.internal;

import dev.hindsight.codec.EventSchema;
import dev.hindsight.codec.FieldKind;
import dev.hindsight.codec.FieldSchema;
import dev.hindsight.codec.FieldType;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * The binary layout of the schema catalog file (documented on {@link dev.hindsight.codec.SchemaCatalogFile}).
 * Stateless and thread-safe.
 */
public final class CatalogCodec {
    /** The magic bytes at the start of the file. */
    public static final byte[] MAGIC = "HSCATLG\0".getBytes(StandardCharsets.US_ASCII);
    /** The catalog file format version. */
    public static final int FORMAT_VERSION = 1;
    /** The deepest nesting of types read. */
    public static final int MAX_NESTING_DEPTH = 64;
    private static final int HEADER = 14;

    private CatalogCodec() {
    }

    /**
     * @param schemas the schemas
     * @return the file contents
     */
    public static byte[] encode(List<EventSchema> schemas) {
        Out out = new Out();
        out.bytes.writeBytes(MAGIC);
        out.u16(FORMAT_VERSION);
        out.i32(schemas.size());
        for (EventSchema s : schemas) {
            out.i32(s.eventTypeId());
            out.u16(s.schemaVersion());
            out.i64(s.fingerprint());
            out.str(s.name());
            out.str(s.javaClassName());
            fields(out, s.fields());
        }
        byte[] body = out.bytes.toByteArray();
        CRC32C crc = new CRC32C();
        crc.update(body, 0, body.length);
        byte[] all = java.util.Arrays.copyOf(body, body.length + 4);
        LittleEndian.putInt(all, body.length, (int) crc.getValue());
        return all;
    }

    private static void fields(Out out, List<FieldSchema> fields) {
        out.u16(fields.size());
        for (FieldSchema f : fields) {
            out.str(f.name());
            type(out, f.type());
        }
    }

    private static void type(Out out, FieldType t) {
        out.bytes.write(t.kind().code());
        out.bytes.write(t.nullable() ? 1 : 0);
        switch (t.kind()) {
            case ENUM -> {
                out.str(t.name());
                out.u16(t.enumConstants().size());
                t.enumConstants().forEach(out::str);
            }
            case RECORD -> {
                out.str(t.name());
                fields(out, t.recordFields());
            }
            case LIST, MAP, CHANGES -> type(out, t.element());
            default -> {
            }
        }
    }

    /**
     * @param bytes the file contents
     * @return the schemas
     * @throws Corruption with the byte position of the problem
     */
    public static List<EventSchema> decode(byte[] bytes) {
        if (bytes.length < HEADER + 4) {
            throw new Corruption("catalog file is " + bytes.length + " bytes; too short for a header and CRC", 0);
        }
        for (int i = 0; i < MAGIC.length; i++) {
            if (bytes[i] != MAGIC[i]) {
                throw new Corruption("not a schema catalog file (bad magic bytes)", i);
            }
        }
        int version = LittleEndian.getU16(bytes, 8);
        if (version != FORMAT_VERSION) {
            throw new Corruption("unsupported catalog format version " + version, 8);
        }
        int end = bytes.length - 4;
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, end);
        if ((int) crc.getValue() != LittleEndian.getInt(bytes, end)) {
            throw new Corruption("CRC32C mismatch over the catalog file", end);
        }
        In in = new In(bytes, HEADER, end);
        int count = LittleEndian.getInt(bytes, 10);
        if (count < 0 || count > (end - HEADER) / 16) {
            throw new Corruption("entry count " + count + " does not fit the " + (end - HEADER) + " bytes of entries",
                    10);
        }
        List<EventSchema> schemas = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int at = in.pos;
            int id = in.i32();
            int version2 = in.u16();
            long fingerprint = in.i64();
            String name = in.str("event name");
            String className = in.str("java class name");
            List<FieldSchema> fields = fields(in, 0);
            EventSchema s;
            try {
                s = new EventSchema(id, name, version2, className, fields);
            } catch (IllegalArgumentException e) {
                throw new Corruption("invalid entry: " + e.getMessage(), at);
            }
            if (s.fingerprint() != fingerprint) {
                throw new Corruption("entry for event type " + id + " version " + version2
                        + " does not match its recorded fingerprint", at);
            }
            schemas.add(s);
        }
        if (in.pos != end) {
            throw new Corruption((end - in.pos) + " trailing bytes after the last entry", in.pos);
        }
        return schemas;
    }

    private static List<FieldSchema> fields(In in, int depth) {
        int at = in.pos;
        int n = in.u16();
        if (n > in.remaining() / 3) { // each field needs at least a 1-byte name, kind and nullable flag
            throw new Corruption("field count " + n + " does not fit the " + in.remaining() + " bytes left", at);
        }
        List<FieldSchema> fields = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int fat = in.pos;
            String name = in.str("field name");
            FieldType type = type(in, depth + 1);
            try {
                fields.add(new FieldSchema(name, type));
            } catch (IllegalArgumentException e) {
                throw new Corruption("invalid field: " + e.getMessage(), fat);
            }
        }
        return fields;
    }

    private static FieldType type(In in, int depth) {
        int at = in.pos;
        if (depth > MAX_NESTING_DEPTH) {
            throw new Corruption("types nest deeper than " + MAX_NESTING_DEPTH, at);
        }
        FieldKind kind = FieldKind.fromCode(in.u8());
        if (kind == null) {
            throw new Corruption("unknown field kind code " + (in.bytes[at] & 0xFF), at);
        }
        int nullable = in.u8();
        if (nullable > 1) {
            throw new Corruption("nullable flag is " + nullable + "; only 0 and 1 are valid", at + 1);
        }
        boolean isNull = nullable == 1;
        try {
            return switch (kind) {
                case ENUM -> {
                    String name = in.str("enum name");
                    int cat = in.pos;
                    int n = in.u16();
                    if (n > in.remaining() / 2) {
                        throw new Corruption("enum constant count " + n + " does not fit the bytes left", cat);
                    }
                    List<String> constants = new ArrayList<>(n);
                    for (int i = 0; i < n; i++) {
                        constants.add(in.str("enum constant"));
                    }
                    yield FieldType.enumType(name, constants, isNull);
                }
                case RECORD -> {
                    String name = in.str("record name");
                    yield FieldType.recordType(name, fields(in, depth), isNull);
                }
                case LIST -> FieldType.listOf(type(in, depth + 1), isNull);
                case MAP -> FieldType.mapOf(type(in, depth + 1), isNull);
                case CHANGES -> {
                    if (isNull) {
                        throw new IllegalArgumentException("a CHANGES type is never nullable");
                    }
                    yield FieldType.changesOf(type(in, depth + 1));
                }
                default -> FieldType.of(kind, isNull);
            };
        } catch (IllegalArgumentException e) {
            throw new Corruption("invalid type: " + e.getMessage(), at);
        }
    }

    private static final class Out {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final byte[] scratch = new byte[8];

        void u16(int v) {
            if (v > 0xFFFF) {
                throw new IllegalArgumentException("value " + v + " does not fit in 16 bits");
            }
            LittleEndian.putU16(scratch, 0, v);
            bytes.write(scratch, 0, 2);
        }

        void i32(int v) {
            LittleEndian.putInt(scratch, 0, v);
            bytes.write(scratch, 0, 4);
        }

        void i64(long v) {
            LittleEndian.putLong(scratch, 0, v);
            bytes.write(scratch, 0, 8);
        }

        void str(String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            u16(b.length);
            bytes.writeBytes(b);
        }
    }

    private static final class In {
        final byte[] bytes;
        int pos;
        final int end;

        In(byte[] bytes, int pos, int end) {
            this.bytes = bytes;
            this.pos = pos;
            this.end = end;
        }

        int remaining() {
            return end - pos;
        }

        private void need(int n) {
            if (end - pos < n) {
                throw new Corruption("catalog ends inside an entry (" + n + " bytes needed, " + (end - pos)
                        + " left)", pos);
            }
        }

        int u8() {
            need(1);
            return bytes[pos++] & 0xFF;
        }

        int u16() {
            need(2);
            int v = LittleEndian.getU16(bytes, pos);
            pos += 2;
            return v;
        }

        int i32() {
            need(4);
            int v = LittleEndian.getInt(bytes, pos);
            pos += 4;
            return v;
        }

        long i64() {
            need(8);
            long v = LittleEndian.getLong(bytes, pos);
            pos += 8;
            return v;
        }

        String str(String what) {
            int at = pos;
            int n = u16();
            if (n > end - pos) {
                throw new Corruption(what + " length " + n + " exceeds the " + (end - pos) + " bytes left", at);
            }
            int bad = Utf8.invalidAt(bytes, pos, n);
            if (bad >= 0) {
                throw new Corruption(what + " is not valid UTF-8", pos + bad);
            }
            String s = Utf8.decodeValid(bytes, pos, n);
            pos += n;
            return s;
        }
    }
}
