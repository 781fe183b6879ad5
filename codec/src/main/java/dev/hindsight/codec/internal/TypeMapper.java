package dev.hindsight.codec.internal;

import dev.hindsight.codec.FieldKind;
import dev.hindsight.codec.FieldSchema;
import dev.hindsight.codec.FieldType;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Derives the schema of a record class by reflection over its components (and nested records) and builds
 * the matching codecs. Not thread-safe: used under the registry's lock.
 */
public final class TypeMapper {
    private static final Map<Class<?>, FieldKind> SCALARS = Map.ofEntries(
            Map.entry(boolean.class, FieldKind.BOOLEAN), Map.entry(Boolean.class, FieldKind.BOOLEAN),
            Map.entry(byte.class, FieldKind.BYTE), Map.entry(Byte.class, FieldKind.BYTE),
            Map.entry(short.class, FieldKind.SHORT), Map.entry(Short.class, FieldKind.SHORT),
            Map.entry(int.class, FieldKind.INT), Map.entry(Integer.class, FieldKind.INT),
            Map.entry(long.class, FieldKind.LONG), Map.entry(Long.class, FieldKind.LONG),
            Map.entry(float.class, FieldKind.FLOAT), Map.entry(Float.class, FieldKind.FLOAT),
            Map.entry(double.class, FieldKind.DOUBLE), Map.entry(Double.class, FieldKind.DOUBLE),
            Map.entry(char.class, FieldKind.CHAR), Map.entry(Character.class, FieldKind.CHAR),
            Map.entry(String.class, FieldKind.STRING), Map.entry(Instant.class, FieldKind.INSTANT),
            Map.entry(UUID.class, FieldKind.UUID), Map.entry(BigDecimal.class, FieldKind.BIG_DECIMAL),
            Map.entry(byte[].class, FieldKind.BYTES));

    /** A derived record: its fields and its codec. */
    public record Mapped(List<FieldSchema> fields, RecordCodec codec) {
    }

    private final Map<Class<?>, Mapped> cache;
    private final Set<Class<?>> inProgress = new LinkedHashSet<>();
    private final List<Class<?>> discovered = new ArrayList<>();

    /** @param cache record classes already mapped (shared across registrations; updated by this mapper) */
    public TypeMapper(Map<Class<?>, Mapped> cache) {
        this.cache = cache;
    }

    /**
     * @param recordClass a class this mapper has mapped
     * @return its mapping
     */
    public Mapped mapRecordFromCache(Class<?> recordClass) {
        return cache.get(recordClass);
    }

    /** @return the record classes newly mapped by this mapper, in depth-first pre-order (the root first) */
    public List<Class<?>> discovered() {
        return discovered;
    }

    /**
     * @param recordClass a record class
     * @return its fields and codec
     * @throws IllegalArgumentException naming the class, component and type if a component is unsupported
     *                                  or the record contains itself
     */
    public Mapped mapRecord(Class<?> recordClass) {
        Mapped done = cache.get(recordClass);
        if (done != null) {
            return done;
        }
        if (!recordClass.isRecord()) {
            throw new IllegalArgumentException(recordClass.getName() + " is not a record");
        }
        if (!inProgress.add(recordClass)) {
            throw new IllegalArgumentException("record " + recordClass.getName()
                    + " contains itself (through " + inProgress + "); recursive records are not supported");
        }
        discovered.add(recordClass);
        RecordComponent[] rcs = recordClass.getRecordComponents();
        List<FieldSchema> fields = new ArrayList<>(rcs.length);
        List<ValueCodec> codecs = new ArrayList<>(rcs.length);
        for (RecordComponent rc : rcs) {
            Object[] mapped = map(rc.getGenericType(), !rc.getType().isPrimitive(), recordClass, rc);
            fields.add(new FieldSchema(rc.getName(), (FieldType) mapped[0]));
            codecs.add((ValueCodec) mapped[1]);
        }
        inProgress.remove(recordClass);
        Mapped result = new Mapped(List.copyOf(fields), new RecordCodec(recordClass, codecs));
        cache.put(recordClass, result);
        return result;
    }

    /** @return {FieldType, ValueCodec} */
    private Object[] map(Type type, boolean nullable, Class<?> owner, RecordComponent rc) {
        if (type instanceof Class<?> c) {
            FieldKind kind = SCALARS.get(c);
            if (kind != null) {
                return new Object[] {FieldType.of(kind, nullable), Scalars.forKind(kind)};
            }
            if (c.isEnum()) {
                List<String> names = new ArrayList<>();
                for (Object constant : c.getEnumConstants()) {
                    names.add(((Enum<?>) constant).name());
                }
                return new Object[] {FieldType.enumType(c.getSimpleName(), names, nullable), new EnumCodec(c)};
            }
            if (c.isRecord()) {
                Mapped m = mapRecord(c);
                return new Object[] {FieldType.recordType(c.getSimpleName(), m.fields(), nullable), m.codec()};
            }
        } else if (type instanceof ParameterizedType p && p.getRawType() instanceof Class<?> raw) {
            Type[] args = p.getActualTypeArguments();
            if (raw == List.class) {
                Object[] e = map(args[0], false, owner, rc);
                return new Object[] {FieldType.listOf((FieldType) e[0], nullable), new ListCodec((ValueCodec) e[1])};
            }
            if (raw == Map.class && args[0] == String.class) {
                Object[] v = map(args[1], false, owner, rc);
                return new Object[] {FieldType.mapOf((FieldType) v[0], nullable), new MapCodec((ValueCodec) v[1])};
            }
        }
        throw new IllegalArgumentException("record " + owner.getName() + " component '" + rc.getName()
                + "' has unsupported type " + rc.getGenericType().getTypeName()
                + (type == rc.getGenericType() ? "" : " (at " + type.getTypeName() + ")")
                + "; supported: primitives and their boxes, String, Instant, UUID, BigDecimal, enums, byte[],"
                + " records, List<T> and Map<String,T> of those");
    }
}
