package dev.hindsight.codec;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The standard Created/Updated/Deleted events of a resource type, bound to a state record of every field kind. */
class StandardEventProperties {
    private static final EventCodec CODEC = codec();

    static EventCodec codec() {
        EventCodec codec = new EventCodec(new SchemaCatalog(), CodecLimits.defaults());
        codec.registerStandardEvents("thing", TestEvents.AllKinds.class, 100_001, 100_002, 100_003, 1);
        return codec;
    }

    private static StandardEventTypes types() {
        return CODEC.registerStandardEvents("thing", TestEvents.AllKinds.class, 100_001, 100_002, 100_003, 1);
    }

    /** The changes from a to b, in component order, with boxed values. */
    static List<AttributeChange> diff(Record a, Record b) throws Exception {
        List<AttributeChange> changes = new ArrayList<>();
        for (RecordComponent rc : a.getClass().getRecordComponents()) {
            Object x = rc.getAccessor().invoke(a);
            Object y = rc.getAccessor().invoke(b);
            if (!TestEvents.deepEquals(TestEvents.toGeneric(x), TestEvents.toGeneric(y))) {
                changes.add(new AttributeChange(rc.getName(), x, y));
            }
        }
        return changes;
    }

    private static Object roundTrip(Registration reg, Object event, boolean generic) {
        FrameWriter writer = new FrameWriter(CODEC, FrameFormat.DEFAULT_MAX_FRAME_BYTES);
        writer.addFrame("thing", "t-1", reg, event, EventMetadata.NONE);
        FrameWriter.seal(writer.buffer(), 0, 7, 1L, 1, new CRC32C());
        FrameReader reader = new FrameReader(FrameFormat.DEFAULT_MAX_FRAME_BYTES);
        reader.wrap(writer.buffer(), 0, writer.length(), "test", 0);
        assertEquals(reg.eventTypeId(), reader.eventTypeId());
        return generic ? reader.decodeGeneric(CODEC).fields() : reader.decode(CODEC);
    }

    @Property(tries = 200)
    void createdUpdatedAndDeletedRoundTripTypedAndGeneric(@ForAll long seed) throws Exception {
        TestEvents.Gen gen = new TestEvents.Gen(seed);
        TestEvents.AllKinds a = gen.allKinds();
        TestEvents.AllKinds b = gen.allKinds();
        StandardEventTypes t = types();

        Created<?> created = assertInstanceOf(Created.class, roundTrip(t.created(), new Created<>(a), false));
        assertTrue(TestEvents.deepEquals(TestEvents.toGeneric(a), TestEvents.toGeneric(created.state())));
        assertTrue(TestEvents.deepEquals(TestEvents.toGeneric(a), roundTrip(t.created(), new Created<>(a), true)));

        List<AttributeChange> changes = diff(a, b);
        if (!changes.isEmpty()) {
            Updated updated = assertInstanceOf(Updated.class, roundTrip(t.updated(), new Updated(changes), false));
            assertEquals(changes.size(), updated.changes().size());
            Map<String, Object> expected = new LinkedHashMap<>();
            for (int i = 0; i < changes.size(); i++) {
                AttributeChange c = changes.get(i);
                AttributeChange d = updated.changes().get(i);
                assertEquals(c.attribute(), d.attribute());
                assertTrue(TestEvents.deepEquals(TestEvents.toGeneric(c.oldValue()), TestEvents.toGeneric(d.oldValue())));
                assertTrue(TestEvents.deepEquals(TestEvents.toGeneric(c.newValue()), TestEvents.toGeneric(d.newValue())));
                Map<String, Object> pair = new LinkedHashMap<>();
                pair.put("old", TestEvents.toGeneric(c.oldValue()));
                pair.put("new", TestEvents.toGeneric(c.newValue()));
                expected.put(c.attribute(), pair);
            }
            Map<?, ?> generic = (Map<?, ?>) roundTrip(t.updated(), new Updated(changes), true);
            assertTrue(TestEvents.deepEquals(Map.of("changes", expected), generic), () -> generic.toString());
        }
        assertEquals(new Deleted(), roundTrip(t.deleted(), new Deleted(), false));
        assertEquals(Map.of(), roundTrip(t.deleted(), new Deleted(), true));
    }

    @Test
    void anUpdatedThatNamesAnUnknownOrRepeatedAttributeOrAWrongTypeIsRefused() {
        StandardEventTypes t = types();
        FrameWriter writer = new FrameWriter(CODEC, FrameFormat.DEFAULT_MAX_FRAME_BYTES);
        assertThrows(IllegalArgumentException.class, () -> writer.addFrame("thing", "t", t.updated(),
                new Updated(List.of(new AttributeChange("nope", 1, 2))), EventMetadata.NONE));
        assertThrows(IllegalArgumentException.class, () -> writer.addFrame("thing", "t", t.updated(),
                new Updated(List.of(new AttributeChange("lo", 1L, 2L), new AttributeChange("in", 1, 2))),
                EventMetadata.NONE), "out of component order");
        assertThrows(IllegalArgumentException.class, () -> writer.addFrame("thing", "t", t.updated(),
                new Updated(List.of(new AttributeChange("lo", 1, 2))), EventMetadata.NONE), "Integer for long");
        assertThrows(IllegalArgumentException.class, () -> writer.addFrame("thing", "t", t.updated(),
                new Updated(List.of(new AttributeChange("lo", null, 2L))), EventMetadata.NONE), "null primitive");
        assertThrows(IllegalArgumentException.class, () -> writer.addFrame("thing", "t", t.created(),
                new Updated(List.of(new AttributeChange("lo", 1L, 2L))), EventMetadata.NONE), "wrong registration");
        assertEquals(0, writer.frameCount(), "nothing half-written");
    }

    @Test
    void aHostileChangeCountOrIndexIsACorruptFrameNotACrash() {
        StandardEventTypes t = types();
        EventSchema schema = t.updated().schema();
        byte[][] payloads = {
                {0},                    // zero changes
                {(byte) 0x7F},          // more changes than attributes
                {2, 5, 0, 0, 3, 0, 0},  // indexes out of order
                {1, (byte) 0x7F},       // index beyond the attributes
                {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0x0F},
        };
        for (byte[] p : payloads) {
            assertThrows(CorruptFrameException.class,
                    () -> CODEC.decode(schema.eventTypeId(), 1, p, 0, p.length, "hostile", 42));
            assertThrows(CorruptFrameException.class,
                    () -> CODEC.decodeGeneric(schema, p, 0, p.length, "hostile", 42));
        }
    }

    @Test
    void theCatalogFileKeepsTheChangesKind() throws Exception {
        java.nio.file.Path f = java.nio.file.Files.createTempFile("catalog", ".bin");
        try {
            SchemaCatalogFile.write(f, CODEC.catalog());
            SchemaCatalog back = SchemaCatalogFile.read(f);
            EventSchema updated = back.latest(100_002).orElseThrow();
            assertEquals("thing.Updated", updated.name());
            assertEquals(FieldKind.CHANGES, updated.fields().get(0).type().kind());
            assertEquals(types().updated().schema().fingerprint(), updated.fingerprint());
        } finally {
            java.nio.file.Files.deleteIfExists(f);
        }
    }

    @Test
    void aStateRoundTripsOnItsOwnForSnapshots() {
        TestEvents.AllKinds a = new TestEvents.Gen(7).allKinds();
        byte[] buf = new byte[1 << 16];
        int n = CODEC.encodeState(a, buf, 0, buf.length);
        TestEvents.AllKinds back = CODEC.decodeState(TestEvents.AllKinds.class, buf, 0, n, "snap", 0);
        assertTrue(TestEvents.deepEquals(TestEvents.toGeneric(a), TestEvents.toGeneric(back)));
        assertThrows(CorruptFrameException.class,
                () -> CODEC.decodeState(TestEvents.AllKinds.class, buf, 0, n - 1, "snap", 0));
    }
}
