package dev.hindsight.codec;

import com.esotericsoftware.kryo.KryoException;
import dev.hindsight.codec.internal.CodecKryo;
import dev.hindsight.codec.internal.Corruption;
import dev.hindsight.codec.internal.FrameOutput;
import dev.hindsight.codec.internal.FrameOverflow;
import dev.hindsight.codec.internal.GenericDecoder;
import dev.hindsight.codec.internal.PayloadInput;
import dev.hindsight.codec.internal.RecordCodec;
import dev.hindsight.codec.internal.StandardEventCodecs;
import dev.hindsight.codec.internal.ValueCodec;
import dev.hindsight.codec.internal.Registry;
import dev.hindsight.codec.internal.TypeMapper;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Encodes event records to payload bytes and decodes them back, either into the registered Java record or,
 * with only the {@link SchemaCatalog}, into a {@link GenericEvent}.
 *
 * <p>Payload encoding (one serializer per record class, built on Kryo's Serializer/Output/Input): fields in
 * record-component declaration order. Reference-typed components are preceded by a presence byte
 * (0 = null, 1 = present); primitives, list elements and map values have none and must not be null.
 * BOOLEAN 1 byte (0/1); BYTE 1; SHORT 2; CHAR 2; INT zigzag varint; LONG zigzag varlong (Kryo's format);
 * FLOAT 4; DOUBLE 8; STRING varint byte length + UTF-8; INSTANT zigzag varlong epoch second + varint nanos;
 * UUID two fixed 8-byte longs (most, least significant); BIG_DECIMAL zigzag varint scale + varint length +
 * unscaled two's-complement bytes; ENUM the constant name as a STRING; BYTES varint length + bytes; LIST
 * varint count + elements; MAP varint count + (STRING key, value) pairs; RECORD the nested fields. Fixed-width
 * values are little-endian. See {@code docs/format.md}.
 *
 * <p>Kryo ids: see {@link Registry} (the event class and its nested records get {@code eventTypeId * 2048 +
 * slot}); they are process-local and never written into payloads.
 *
 * <p>Thread-safe. Each thread that encodes or decodes gets its own Kryo, input and output (kept in a
 * {@link ThreadLocal}); they pick up classes registered later lazily. {@link #register} is synchronized.
 */
public final class EventCodec {
    private final SchemaCatalog catalog;
    private final CodecLimits limits;
    private final Registry registry = new Registry();
    private final Map<Class<?>, Registration> byClass = new ConcurrentHashMap<>();
    private final Map<Long, Registration> byKey = new ConcurrentHashMap<>();
    private final ThreadLocal<ThreadState> threads;

    /**
     * @param catalog the catalog registrations are recorded in and generic decoding reads from
     * @param limits  the encode and decode bounds
     */
    public EventCodec(SchemaCatalog catalog, CodecLimits limits) {
        this.catalog = Objects.requireNonNull(catalog, "catalog");
        this.limits = Objects.requireNonNull(limits, "limits");
        this.threads = ThreadLocal.withInitial(() -> new ThreadState(limits));
    }

    /** @return the catalog */
    public SchemaCatalog catalog() {
        return catalog;
    }

    /** @return the limits */
    public CodecLimits limits() {
        return limits;
    }

    /**
     * Registers a record class as one version of one event type: derives its schema, records it in the
     * catalog and registers it (and its nested records) with Kryo. Registering the same class again with the
     * same id, name and version is a no-op.
     *
     * @param eventClass    the record class
     * @param eventTypeId   1..1,000,000
     * @param name          the event name, e.g. {@code OrderPlaced}
     * @param schemaVersion 1..65535
     * @return the derived schema
     * @throws IllegalArgumentException if an argument is out of range or a component type is unsupported
     * @throws SchemaConflictException  if the catalog records a different schema for the id and version, or
     *                                  the id under another name, or the name under another id
     */
    public synchronized EventSchema register(Class<? extends Record> eventClass, int eventTypeId, String name,
                                             int schemaVersion) {
        Objects.requireNonNull(eventClass, "eventClass");
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("event name for " + eventClass.getName() + " is blank");
        }
        if (eventTypeId < 1 || eventTypeId > EventSchema.MAX_EVENT_TYPE_ID) {
            throw new IllegalArgumentException("event type id " + eventTypeId + " for " + eventClass.getName()
                    + " is outside 1.." + EventSchema.MAX_EVENT_TYPE_ID);
        }
        if (schemaVersion < 1 || schemaVersion > 0xFFFF) {
            throw new IllegalArgumentException("schema version " + schemaVersion + " for " + eventClass.getName()
                    + " is outside 1..65535");
        }
        if (!eventClass.isRecord()) {
            throw new IllegalArgumentException(eventClass.getName() + " is not a record");
        }
        Registration existing = byClass.get(eventClass);
        if (existing != null) {
            if (existing.eventTypeId() == eventTypeId && existing.schemaVersion() == schemaVersion
                    && existing.name().equals(name)) {
                return existing.schema();
            }
            throw new IllegalArgumentException("event class " + eventClass.getName() + " is already registered as "
                    + "event type " + existing.eventTypeId() + " '" + existing.name() + "' schema version "
                    + existing.schemaVersion());
        }
        Registration taken = byKey.get(key(eventTypeId, schemaVersion));
        if (taken != null) {
            throw new IllegalArgumentException("event type " + eventTypeId + " schema version " + schemaVersion
                    + " is already registered to " + taken.eventClass().getName());
        }
        TypeMapper mapper = registry.derive(eventClass);
        EventSchema schema = new EventSchema(eventTypeId, name, schemaVersion, eventClass.getName(),
                mapper.mapRecordFromCache(eventClass).fields());
        for (FieldSchema f : schema.fields()) {
            if (f.type().depth() > limits.maxDepth()) {
                throw new IllegalArgumentException("event class " + eventClass.getName() + " component '" + f.name()
                        + "' nests " + f.type().depth() + " levels deep; maxDepth is " + limits.maxDepth());
            }
        }
        catalog.add(schema);
        registry.commit(eventTypeId, mapper);
        Registration r = new Registration(eventClass, schema);
        byKey.put(key(eventTypeId, schemaVersion), r);
        byClass.put(eventClass, r);
        return schema;
    }

    /**
     * Registers the standard events of a resource type, bound to its state record: {@link Created} (the state's
     * components) as {@code <resourceType>.Created}, {@link Updated} (a {@link FieldKind#CHANGES} of the state)
     * as {@code <resourceType>.Updated} and {@link Deleted} (no fields) as {@code <resourceType>.Deleted}, all at
     * {@code schemaVersion}. The state record (and its nested records) is registered with Kryo under
     * {@code createdTypeId}. These registrations are not found by class (the three classes are shared by every
     * resource type): encode them with {@link FrameWriter#addFrame(String, String, Registration, Object,
     * EventMetadata)}. Registering the same again is a no-op.
     *
     * @param resourceType  the resource type, e.g. {@code order}
     * @param stateClass    the state record
     * @param createdTypeId the event type id of Created
     * @param updatedTypeId the event type id of Updated
     * @param deletedTypeId the event type id of Deleted
     * @param schemaVersion 1..65535
     * @return the three registrations
     * @throws IllegalArgumentException if an id or version is out of range or taken, or the state record has an
     *                                  unsupported component
     * @throws SchemaConflictException  if the catalog records other schemas for these ids and version
     */
    public synchronized StandardEventTypes registerStandardEvents(String resourceType,
                                                                  Class<? extends Record> stateClass,
                                                                  int createdTypeId, int updatedTypeId,
                                                                  int deletedTypeId, int schemaVersion) {
        FrameFormat.validateResourceType(resourceType);
        Objects.requireNonNull(stateClass, "stateClass");
        if (!stateClass.isRecord()) {
            throw new IllegalArgumentException(stateClass.getName() + " is not a record");
        }
        int[] ids = {createdTypeId, updatedTypeId, deletedTypeId};
        for (int id : ids) {
            if (id < 1 || id > EventSchema.MAX_EVENT_TYPE_ID) {
                throw new IllegalArgumentException("event type id " + id + " for " + resourceType
                        + " is outside 1.." + EventSchema.MAX_EVENT_TYPE_ID);
            }
        }
        if (schemaVersion < 1 || schemaVersion > 0xFFFF) {
            throw new IllegalArgumentException("schema version " + schemaVersion + " for " + resourceType
                    + " is outside 1..65535");
        }
        Registration existing = byKey.get(key(createdTypeId, schemaVersion));
        if (existing != null && existing.isStandard() && existing.name().equals(resourceType + ".Created")) {
            RecordCodec state = registry.codecOf(stateClass);
            if (state != null && existing.schema().javaClassName().equals(stateClass.getName())) {
                return new StandardEventTypes(resourceType, stateClass, existing,
                        byKey.get(key(updatedTypeId, schemaVersion)), byKey.get(key(deletedTypeId, schemaVersion)));
            }
        }
        for (int id : ids) {
            Registration taken = byKey.get(key(id, schemaVersion));
            if (taken != null) {
                throw new IllegalArgumentException("event type " + id + " schema version " + schemaVersion
                        + " is already registered as '" + taken.name() + "'");
            }
        }
        TypeMapper mapper = registry.derive(stateClass);
        List<FieldSchema> stateFields = mapper.mapRecordFromCache(stateClass).fields();
        RecordCodec state = mapper.mapRecordFromCache(stateClass).codec();
        FieldType stateType = FieldType.recordType(stateClass.getSimpleName(), stateFields, false);
        if (stateType.depth() > limits.maxDepth()) {
            throw new IllegalArgumentException("state record " + stateClass.getName() + " nests "
                    + stateType.depth() + " levels deep; maxDepth is " + limits.maxDepth());
        }
        EventSchema created = new EventSchema(createdTypeId, resourceType + ".Created", schemaVersion,
                stateClass.getName(), stateFields);
        EventSchema updated = new EventSchema(updatedTypeId, resourceType + ".Updated", schemaVersion,
                Updated.class.getName(), List.of(new FieldSchema("changes", FieldType.changesOf(stateType))));
        EventSchema deleted = new EventSchema(deletedTypeId, resourceType + ".Deleted", schemaVersion,
                Deleted.class.getName(), List.of());
        // all three checked against the catalog before any is added, so a conflict adds nothing
        catalog.check(created);
        catalog.check(updated);
        catalog.check(deleted);
        catalog.add(created);
        catalog.add(updated);
        catalog.add(deleted);
        registry.commit(createdTypeId, mapper);
        @SuppressWarnings({"unchecked", "rawtypes"})
        Class<? extends Record> createdClass = (Class) Created.class;
        Registration c = new Registration(createdClass, created, StandardEventCodecs.created(state));
        Registration u = new Registration(Updated.class, updated, StandardEventCodecs.updated(state));
        Registration d = new Registration(Deleted.class, deleted, StandardEventCodecs.deleted());
        byKey.put(key(createdTypeId, schemaVersion), c);
        byKey.put(key(updatedTypeId, schemaVersion), u);
        byKey.put(key(deletedTypeId, schemaVersion), d);
        return new StandardEventTypes(resourceType, stateClass, c, u, d);
    }

    /**
     * Encodes a state record on its own (for snapshots), as a Created payload of its resource type.
     *
     * @param state     a state record registered through {@link #registerStandardEvents}
     * @param buf       the destination
     * @param offset    where to start
     * @param maxLength the most bytes to write
     * @return the number of bytes written
     * @throws EventTooLargeException   if the state needs more than {@code maxLength} bytes
     * @throws IllegalArgumentException if the state's class is not registered
     */
    public int encodeState(Record state, byte[] buf, int offset, int maxLength) {
        RecordCodec codec = stateCodec(state.getClass());
        Objects.checkFromIndexSize(offset, maxLength, buf.length);
        ThreadState t = threads.get();
        t.output.begin(buf, offset, offset + maxLength);
        try {
            codec.write(t.output, state);
            int end = t.output.position();
            if (end - offset > maxLength) {
                throw FrameOverflow.INSTANCE;
            }
            return end - offset;
        } catch (FrameOverflow e) {
            throw new EventTooLargeException("state " + state.getClass().getSimpleName() + " needs more than "
                    + maxLength + " bytes", maxLength + 1L, maxLength);
        } finally {
            t.output.setBuffer(ThreadState.EMPTY, -1);
        }
    }

    /**
     * Decodes a state record written by {@link #encodeState}.
     *
     * @param stateClass the state record
     * @param buf        the bytes
     * @param offset     the start
     * @param length     the length
     * @param source     where the bytes came from, for exceptions
     * @param position   where in the source, for exceptions
     * @param <S>        the state type
     * @return the state
     * @throws CorruptFrameException if the bytes are not a valid encoding
     */
    public <S extends Record> S decodeState(Class<S> stateClass, byte[] buf, int offset, int length, String source,
                                            long position) {
        RecordCodec codec = stateCodec(stateClass);
        Objects.checkFromIndexSize(offset, length, buf.length);
        PayloadInput in = threads.get().input;
        in.begin(buf, offset, length);
        try {
            Object state = codec.read(in);
            checkConsumed(in);
            return stateClass.cast(state);
        } catch (Corruption c) {
            throw new CorruptFrameException(source, position, "state " + stateClass.getSimpleName() + ": "
                    + c.getMessage() + " at byte " + c.offset(), null);
        } catch (KryoException | IllegalArgumentException | IllegalStateException | ArithmeticException
                 | IndexOutOfBoundsException | java.time.DateTimeException e) {
            throw new CorruptFrameException(source, position, "state " + stateClass.getSimpleName()
                    + ": unexpected failure at byte " + in.offset() + ": " + e, e);
        } finally {
            in.setBuffer(ThreadState.EMPTY);
        }
    }

    private RecordCodec stateCodec(Class<?> stateClass) {
        RecordCodec codec = registry.codecOf(stateClass);
        if (codec == null) {
            throw new IllegalArgumentException("state record " + stateClass.getName() + " is not registered with "
                    + "this EventCodec");
        }
        return codec;
    }

    /** Writes a payload through the registration's bound codec, or through Kryo for a registered class. */
    void writePayload(CodecKryo kryo, FrameOutput out, Registration reg, Object event) {
        ValueCodec bound = reg.bound();
        if (bound != null) {
            bound.write(out, event);
        } else {
            kryo.writeObject(out, event);
        }
    }

    /**
     * @param eventClass a class
     * @return its registration, or null if it is not registered
     */
    public Registration lookup(Class<?> eventClass) {
        return byClass.get(eventClass);
    }

    /**
     * @param eventTypeId   an event type id
     * @param schemaVersion a schema version
     * @return the registration of the class for them, or null
     */
    public Registration lookup(int eventTypeId, int schemaVersion) {
        return byKey.get(key(eventTypeId, schemaVersion));
    }

    /**
     * @param type a registered record class (event or nested)
     * @return its Kryo id, or -1 (see {@link Registry} for the scheme)
     */
    public int kryoId(Class<?> type) {
        return registry.kryoIdOf(type);
    }

    /**
     * Encodes an event's payload into {@code buf} (without a frame).
     *
     * @param event     a registered event
     * @param buf       the destination
     * @param offset    where to start
     * @param maxLength the most bytes to write; {@code offset + maxLength} must not exceed {@code buf.length}
     * @return the number of bytes written
     * @throws EventTooLargeException   if the payload needs more than {@code maxLength} bytes
     * @throws IllegalArgumentException if the class is not registered or a value cannot be encoded
     */
    public int encodePayload(Object event, byte[] buf, int offset, int maxLength) {
        Registration reg = require(event);
        Objects.checkFromIndexSize(offset, maxLength, buf.length);
        ThreadState t = threads.get();
        registry.sync(t.kryo);
        t.output.begin(buf, offset, offset + maxLength);
        int end;
        try {
            t.kryo.writeObject(t.output, event);
            end = t.output.position();
            if (end - offset > maxLength) {
                throw FrameOverflow.INSTANCE;
            }
        } catch (FrameOverflow e) {
            long size = measurePayload(t.kryo, event);
            throw new EventTooLargeException("event " + reg.name() + " payload encodes to " + size
                    + " bytes; the limit is " + maxLength, size, maxLength);
        } finally {
            t.output.setBuffer(ThreadState.EMPTY, -1);
        }
        return end - offset;
    }

    Registration require(Object event) {
        Objects.requireNonNull(event, "event");
        Registration reg = byClass.get(event.getClass());
        if (reg == null) {
            throw new IllegalArgumentException("event class " + event.getClass().getName() + " is not registered "
                    + "with this EventCodec; call register(" + event.getClass().getSimpleName()
                    + ".class, eventTypeId, name, schemaVersion) at startup");
        }
        return reg;
    }

    CodecKryo newKryo() {
        CodecKryo kryo = new CodecKryo();
        registry.sync(kryo);
        return kryo;
    }

    void sync(CodecKryo kryo) {
        registry.sync(kryo);
    }

    /** Encodes into a counting stream to find the size of an event too large for its frame. */
    long measurePayload(CodecKryo kryo, Object event) {
        return measurePayload(kryo, require(event), event);
    }

    long measurePayload(CodecKryo kryo, Registration reg, Object event) {
        long[] count = {0};
        OutputStream counter = new OutputStream() {
            @Override
            public void write(int b) {
                count[0]++;
            }

            @Override
            public void write(byte[] b, int off, int len) {
                count[0] += len;
            }
        };
        FrameOutput out = new FrameOutput(counter, limits.maxCollectionSize());
        out.beginStreaming();
        writePayload(kryo, out, reg, event);
        out.flush();
        return count[0];
    }

    /**
     * Decodes a payload into the Java record registered for its event type and schema version.
     *
     * @param eventTypeId   from the frame
     * @param schemaVersion from the frame
     * @param buf           the bytes
     * @param offset        the payload start
     * @param length        the payload length
     * @param source        where the bytes came from, for exceptions
     * @param position      the frame's position in the source, for exceptions
     * @return the event record
     * @throws UnknownEventTypeException if the catalog knows the type but no class is registered for it
     * @throws CorruptFrameException     if the type is unknown or the payload is not a valid encoding
     */
    public Object decode(int eventTypeId, int schemaVersion, byte[] buf, int offset, int length, String source,
                         long position) {
        Registration reg = byKey.get(key(eventTypeId, schemaVersion));
        if (reg == null) {
            EventSchema schema = catalog.require(eventTypeId, schemaVersion, source, position);
            throw new UnknownEventTypeException(eventTypeId, schemaVersion, schema.name());
        }
        Objects.checkFromIndexSize(offset, length, buf.length);
        ThreadState t = threads.get();
        registry.sync(t.kryo);
        PayloadInput in = t.input;
        in.begin(buf, offset, length);
        try {
            Object event = reg.bound() != null ? reg.bound().read(in) : t.kryo.readObject(in, reg.eventClass());
            checkConsumed(in);
            return event;
        } catch (Corruption c) {
            throw corrupt(reg.schema(), source, position, c.getMessage() + " at payload byte " + c.offset(), null);
        } catch (KryoException | IllegalArgumentException | IllegalStateException | ArithmeticException
                 | IndexOutOfBoundsException | java.time.DateTimeException e) {
            throw corrupt(reg.schema(), source, position, "unexpected failure at payload byte " + in.offset()
                    + ": " + e, e);
        } finally {
            in.setBuffer(ThreadState.EMPTY);
        }
    }

    /**
     * Decodes a payload using only a catalog schema, without application classes.
     *
     * @param schema   the schema for the frame's event type and schema version
     * @param buf      the bytes
     * @param offset   the payload start
     * @param length   the payload length
     * @param source   where the bytes came from, for exceptions
     * @param position the frame's position in the source, for exceptions
     * @return the decoded fields
     * @throws CorruptFrameException if the payload is not a valid encoding of {@code schema}
     */
    public GenericEvent decodeGeneric(EventSchema schema, byte[] buf, int offset, int length, String source,
                                      long position) {
        Objects.requireNonNull(schema, "schema");
        Objects.checkFromIndexSize(offset, length, buf.length);
        PayloadInput in = threads.get().input;
        in.begin(buf, offset, length);
        try {
            Map<String, Object> fields = GenericDecoder.readFields(schema.fields(), in);
            checkConsumed(in);
            return new GenericEvent(schema, fields);
        } catch (Corruption c) {
            throw corrupt(schema, source, position, c.getMessage() + " at payload byte " + c.offset(), null);
        } catch (KryoException | IllegalArgumentException | IllegalStateException | ArithmeticException
                 | IndexOutOfBoundsException | java.time.DateTimeException e) {
            throw corrupt(schema, source, position, "unexpected failure at payload byte " + in.offset()
                    + ": " + e, e);
        } finally {
            in.setBuffer(ThreadState.EMPTY);
        }
    }

    private static void checkConsumed(PayloadInput in) {
        if (in.remaining() != 0) {
            throw new Corruption("payload has " + in.remaining() + " trailing bytes after the last field",
                    in.offset());
        }
    }

    private static CorruptFrameException corrupt(EventSchema s, String source, long position, String reason,
                                                 Throwable cause) {
        return new CorruptFrameException(source, position, "payload of event type " + s.eventTypeId() + " '"
                + s.name() + "' schema version " + s.schemaVersion() + ": " + reason, cause);
    }

    private static long key(int eventTypeId, int schemaVersion) {
        return SchemaCatalog.key(eventTypeId, schemaVersion);
    }

    @Override
    public String toString() {
        return "EventCodec" + List.copyOf(byClass.values());
    }

    /** One thread's Kryo, input and output. */
    private static final class ThreadState {
        static final byte[] EMPTY = new byte[0];

        final CodecKryo kryo = new CodecKryo();
        final PayloadInput input;
        final FrameOutput output;

        ThreadState(CodecLimits limits) {
            input = new PayloadInput(limits.maxDepth(), limits.maxCollectionSize());
            output = new FrameOutput(limits.maxCollectionSize());
        }
    }
}
