package dev.hindsight.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SchemaCatalogTest {
    record OrderPlaced(String orderId, long amount) {
    }

    record OrderPlacedV2(String orderId, long amount, String currency) {
    }

    record Other(int x) {
    }

    record Unsupported(Object value) {
    }

    record RawList(@SuppressWarnings("rawtypes") List values) {
    }

    record IntKeys(Map<Integer, String> values) {
    }

    record Arrays(int[] values) {
    }

    record Node(String v, Node next) {
    }

    @Test
    void sameIdAndVersionWithDifferentFieldsIsAConflictThatSuggestsTheNextVersion() {
        SchemaCatalog catalog = new SchemaCatalog();
        new EventCodec(catalog, CodecLimits.defaults()).register(OrderPlaced.class, 5, "OrderPlaced", 1);
        EventCodec restarted = new EventCodec(catalog, CodecLimits.defaults());
        SchemaConflictException e = assertThrows(SchemaConflictException.class,
                () -> restarted.register(OrderPlacedV2.class, 5, "OrderPlaced", 1));
        assertEquals("event type 5 'OrderPlaced' schema version 1 is already recorded with fields "
                + "[orderId: String?, amount: long]; the class now has [orderId: String?, amount: long, "
                + "currency: String?]: register it as schema version 2", e.getMessage());
        assertEquals(1, catalog.size());
        assertNull(restarted.lookup(OrderPlacedV2.class));
        restarted.register(OrderPlacedV2.class, 5, "OrderPlaced", 2);
        assertEquals(2, catalog.latest(5).orElseThrow().schemaVersion());
    }

    @Test
    void sameIdUnderAnotherNameOrSameNameUnderAnotherIdIsAConflict() {
        SchemaCatalog catalog = new SchemaCatalog();
        EventCodec codec = new EventCodec(catalog, CodecLimits.defaults());
        codec.register(OrderPlaced.class, 5, "OrderPlaced", 1);
        assertThrows(SchemaConflictException.class, () -> codec.register(Other.class, 5, "Other", 2));
        SchemaConflictException e = assertThrows(SchemaConflictException.class,
                () -> codec.register(Other.class, 6, "OrderPlaced", 1));
        assertTrue(e.getMessage().contains("already recorded as event type 5"), e.getMessage());
    }

    @Test
    void identicalSchemaIsNotAddedTwiceAndReRegisteringIsANoOp() {
        SchemaCatalog catalog = new SchemaCatalog();
        EventCodec codec = new EventCodec(catalog, CodecLimits.defaults());
        EventSchema s = codec.register(OrderPlaced.class, 5, "OrderPlaced", 1);
        assertSame(s, codec.register(OrderPlaced.class, 5, "OrderPlaced", 1));
        assertFalse(catalog.add(s));
        assertThrows(IllegalArgumentException.class, () -> codec.register(OrderPlaced.class, 6, "OrderPlaced", 1));
        assertEquals(List.of(s), catalog.all());
    }

    @Test
    void fingerprintIsStableAndSensitiveToStructure() {
        EventSchema a = new EventSchema(5, "OrderPlaced", 1, "a.B",
                List.of(new FieldSchema("amount", FieldType.of(FieldKind.LONG, false))));
        EventSchema b = new EventSchema(6, "OrderPlaced", 1, "c.D",
                List.of(new FieldSchema("amount", FieldType.of(FieldKind.LONG, false))));
        EventSchema c = new EventSchema(5, "OrderPlaced", 1, "a.B",
                List.of(new FieldSchema("amount", FieldType.of(FieldKind.LONG, true))));
        assertEquals(a.fingerprint(), b.fingerprint());
        assertNotEquals(a.fingerprint(), c.fingerprint());
        assertEquals(0x890ddb2b3e211cf7L, a.fingerprint(), Long.toHexString(a.fingerprint()));
    }

    @Test
    void unsupportedComponentTypesAreRejectedNamingClassComponentAndType() {
        EventCodec codec = new EventCodec(new SchemaCatalog(), CodecLimits.defaults());
        for (Class<? extends Record> c : List.of(Unsupported.class, RawList.class, IntKeys.class, Arrays.class)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> codec.register(c, 9, "X", 1));
            assertTrue(e.getMessage().contains(c.getName()) && e.getMessage().contains("'values'")
                    || e.getMessage().contains("'value'"), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> codec.register(Node.class, 9, "Node", 1));
        assertThrows(IllegalArgumentException.class, () -> codec.register(OrderPlaced.class, 0, "X", 1));
        assertThrows(IllegalArgumentException.class, () -> codec.register(OrderPlaced.class, 1_000_001, "X", 1));
        assertThrows(IllegalArgumentException.class, () -> codec.register(OrderPlaced.class, 1, "X", 65536));
        assertEquals(0, codec.catalog().size());
    }

    @Test
    void kryoIdsDeriveFromTheEventTypeAndNestedRecordsDoNotCollide() {
        EventCodec codec = TestEvents.codec();
        assertEquals(2048, codec.kryoId(TestEvents.AllKinds.class));
        assertEquals(2049, codec.kryoId(TestEvents.Address.class));
        assertEquals(2050, codec.kryoId(TestEvents.Empty.class));
        assertEquals(2 * 2048, codec.kryoId(TestEvents.Small.class));
        assertEquals(5 * 2048, codec.kryoId(TestEvents.Deep.class));
    }

    @Test
    void registrationsMadeAfterAThreadStartedEncodingAreSeenByThatThread() throws Exception {
        EventCodec codec = new EventCodec(new SchemaCatalog(), CodecLimits.defaults());
        codec.register(OrderPlaced.class, 1, "OrderPlaced", 1);
        FrameWriter writer = new FrameWriter(codec, 4096);
        writer.addFrame("order", "o", new OrderPlaced("o", 1), null);
        byte[] buf = new byte[100];
        codec.encodePayload(new OrderPlaced("o", 1), buf, 0, 100);
        codec.register(Other.class, 2, "Other", 1);
        writer.addFrame("order", "o", new Other(3), null);
        int n = codec.encodePayload(new Other(4), buf, 0, 100);
        assertEquals(new Other(4), codec.decode(2, 1, buf, 0, n, "t", 0));
        Thread t = new Thread(() -> assertEquals(new Other(4), codec.decode(2, 1, buf, 0, n, "t", 0)));
        t.start();
        t.join();
    }

    @Test
    void decodingAKnownSchemaWithoutAClassIsUnknownEventTypeAndAnUnknownSchemaIsCorrupt() {
        SchemaCatalog catalog = new SchemaCatalog();
        new EventCodec(catalog, CodecLimits.defaults()).register(Other.class, 17, "OrderShipped", 2);
        EventCodec tool = new EventCodec(catalog, CodecLimits.defaults());
        UnknownEventTypeException e = assertThrows(UnknownEventTypeException.class,
                () -> tool.decode(17, 2, new byte[] {2}, 0, 1, "t", 0));
        assertEquals("event type 17 schema version 2 ('OrderShipped') has no registered class in this process",
                e.getMessage());
        assertEquals(Map.of("x", 1), tool.decodeGeneric(catalog.find(17, 2).orElseThrow(), new byte[] {2}, 0, 1,
                "t", 0).fields());
        CorruptFrameException c = assertThrows(CorruptFrameException.class,
                () -> tool.decode(17, 1, new byte[] {2}, 0, 1, "j", 3));
        assertEquals("unknown event type 17 schema version 1", c.reason());
    }
}
