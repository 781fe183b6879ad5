package dev.hindsight.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.zip.CRC32C;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

class RoundTripProperties {
    private static final EventCodec CODEC = TestEvents.codec();

    @Property(tries = 300)
    void anyEventAndMetadataRoundTripThroughWriterSealReaderAndBothDecoders(@ForAll long seed) {
        TestEvents.Gen gen = new TestEvents.Gen(seed);
        FrameWriter writer = new FrameWriter(CODEC, FrameFormat.DEFAULT_MAX_FRAME_BYTES);
        int frames = 1 + gen.r.nextInt(3);
        TestEvents.AllKinds[] events = new TestEvents.AllKinds[frames];
        EventMetadata[] metadata = new EventMetadata[frames];
        String[] ids = new String[frames];
        for (int i = 0; i < frames; i++) {
            events[i] = gen.allKinds();
            metadata[i] = gen.metadata();
            String id = gen.string(20).replaceAll("\\p{Cntrl}", "");
            ids[i] = id.isEmpty() ? "x" : id;
            writer.addFrame("all-kinds_1", ids[i], events[i], metadata[i]);
        }
        CRC32C crc = new CRC32C();
        for (int i = 0; i < frames; i++) {
            FrameWriter.seal(writer.buffer(), writer.frameOffset(i), 100 + i, 1_700_000_000_000_000_000L + i, i + 1,
                    crc);
        }
        FrameReader reader = new FrameReader(FrameFormat.DEFAULT_MAX_FRAME_BYTES);
        int offset = 0;
        for (int i = 0; i < frames; i++) {
            assertEquals(writer.frameOffset(i), offset);
            reader.wrap(writer.buffer(), offset, writer.length() - offset, "test", offset);
            assertEquals(FrameFormat.FORMAT_VERSION, reader.formatVersion());
            assertEquals(100 + i, reader.globalPosition());
            assertEquals(1_700_000_000_000_000_000L + i, reader.timestampNanos());
            assertEquals(i + 1, reader.entityVersion());
            assertEquals(1, reader.eventTypeId());
            assertEquals(1, reader.schemaVersion());
            assertEquals("all-kinds_1", reader.resourceType());
            assertTrue(reader.resourceTypeEquals("all-kinds_1"));
            assertEquals(ids[i], reader.entityId());
            assertTrue(reader.entityIdEquals(ids[i]));
            assertEquals(ids[i].equals("x"), reader.entityIdEquals("x"));
            assertFalse(reader.entityIdEquals(ids[i] + "y"));
            assertFalse(reader.resourceTypeEquals("all-kinds_"));
            assertEquals(metadata[i], reader.metadata());

            Object decoded = reader.decode(CODEC);
            Object expected = TestEvents.toGeneric(events[i]);
            assertTrue(TestEvents.deepEquals(expected, TestEvents.toGeneric(decoded)),
                    () -> "typed round trip differs:\n" + expected + "\n" + TestEvents.toGeneric(decoded));

            GenericEvent generic = reader.decodeGeneric(CODEC);
            assertTrue(TestEvents.deepEquals(expected, generic.fields()),
                    () -> "generic decode differs:\n" + expected + "\n" + generic.fields());
            String json = generic.toJson();
            assertTrue(JsonCheck.isValid(json), () -> "invalid JSON: " + json);
            offset += reader.frameLength();
        }
        assertEquals(writer.length(), offset);
    }

    @Property(tries = 100)
    void smallEventsEncodeIntoTheSameBufferWithoutGrowingItInSteadyState(@ForAll long seed) {
        TestEvents.Gen gen = new TestEvents.Gen(seed);
        FrameWriter writer = new FrameWriter(CODEC, 4096);
        writer.addFrame("order", "o-1", new TestEvents.Small("warm up", 1), EventMetadata.NONE);
        byte[] buffer = writer.buffer();
        for (int round = 0; round < 20; round++) {
            writer.reset();
            writer.addFrame("order", "o-1", new TestEvents.Small(gen.string(20), gen.anyLong()), EventMetadata.NONE);
            assertTrue(buffer == writer.buffer());
        }
    }
}
