package dev.hindsight.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ValidationTest {
    @Test
    void resourceTypesMustMatchThePattern() {
        FrameFormat.validateResourceType("order");
        FrameFormat.validateResourceType("a" + "b-_9".repeat(15) + "xyz");
        for (String bad : new String[] {null, "", "Order", "9x", "or der", "a".repeat(65), "ordér"}) {
            assertThrows(IllegalArgumentException.class, () -> FrameFormat.validateResourceType(bad), bad);
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> FrameFormat.validateResourceType("Order"));
        assertTrue(e.getMessage().contains("'Order'"), e.getMessage());
    }

    @Test
    void entityIdsAreLimitedTo256Utf8BytesWithoutControlCharacters() {
        FrameFormat.validateEntityId("o-1");
        FrameFormat.validateEntityId("é".repeat(128));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> FrameFormat.validateEntityId("x".repeat(300)));
        assertEquals("entity id is 300 bytes in UTF-8; the limit is 256", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> FrameFormat.validateEntityId("é".repeat(129)));
        assertThrows(IllegalArgumentException.class, () -> FrameFormat.validateEntityId(""));
        assertThrows(IllegalArgumentException.class, () -> FrameFormat.validateEntityId(null));
        e = assertThrows(IllegalArgumentException.class, () -> FrameFormat.validateEntityId("a\nb"));
        assertTrue(e.getMessage().contains("U+000A"), e.getMessage());
    }

    @Test
    void metadataLimitsAreEnforcedWithClearMessages() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> EventMetadata.builder().actor("a".repeat(1025)).build());
        assertEquals("metadata actor is 1025 bytes in UTF-8; the limit is 1024", e.getMessage());
        EventMetadata.Builder many = EventMetadata.builder();
        for (int i = 0; i < 17; i++) {
            many.attribute("k" + i, "v");
        }
        e = assertThrows(IllegalArgumentException.class, many::build);
        assertEquals("metadata has 17 attributes; the limit is 16", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> EventMetadata.builder().attribute("", "v").build());
        assertThrows(IllegalArgumentException.class,
                () -> EventMetadata.builder().attribute("k".repeat(129), "v").build());
        assertThrows(IllegalArgumentException.class,
                () -> EventMetadata.builder().attribute("k", "v".repeat(1025)).build());
        assertThrows(IllegalArgumentException.class, () -> EventMetadata.builder().attribute("k", null));
        assertThrows(IllegalArgumentException.class, () -> EventMetadata.builder().reason("\uDC00").build());
    }

    @Test
    void metadataIsAnInsertionOrderedValueWithCopyHelpers() {
        EventMetadata m = EventMetadata.builder().actor("alice").attribute("b", "2").attribute("a", "1").build();
        assertEquals("[b, a]", m.attributes().keySet().toString());
        assertEquals(m, EventMetadata.builder().actor("alice").attribute("b", "2").attribute("a", "1").build());
        EventMetadata n = m.withCorrelationId("c").withCausationId("d").withActor(null);
        assertEquals(null, n.actor());
        assertEquals("c", n.correlationId());
        assertEquals(Map.of("a", "1", "b", "2"), n.attributes());
        assertThrows(UnsupportedOperationException.class, () -> m.attributes().put("x", "y"));
        assertEquals(EventMetadata.NONE, EventMetadata.builder().build());
    }

    @Test
    void codecLimitsAreValidated() {
        assertEquals(1 << 20, CodecLimits.defaults().maxFrameBytes());
        assertThrows(IllegalArgumentException.class, () -> new CodecLimits(10, 16, 10));
        assertThrows(IllegalArgumentException.class, () -> new CodecLimits(1 << 20, 0, 10));
        assertThrows(IllegalArgumentException.class, () -> new CodecLimits(1 << 20, 16, 0));
    }

    @Test
    void fieldTypesDescribeThemselves() {
        assertEquals("long", FieldType.of(FieldKind.LONG, false).describe());
        assertEquals("String?", FieldType.of(FieldKind.STRING, true).describe());
        assertEquals("List<String>", FieldType.listOf(FieldType.of(FieldKind.STRING, false), false).describe());
        assertEquals("Map<String,long>", FieldType.mapOf(FieldType.of(FieldKind.LONG, false), false).describe());
    }
}
