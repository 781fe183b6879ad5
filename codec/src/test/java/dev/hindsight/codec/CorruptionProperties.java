package dev.hindsight.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.hindsight.codec.internal.LittleEndian;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.zip.CRC32C;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class CorruptionProperties {
    private static final EventCodec CODEC = TestEvents.codec();
    private static final int MAX = FrameFormat.DEFAULT_MAX_FRAME_BYTES;

    private static byte[] sealedFrame(Object event, EventMetadata metadata) {
        FrameWriter writer = new FrameWriter(CODEC, MAX);
        writer.addFrame("order", "o-1", event, metadata);
        FrameWriter.seal(writer.buffer(), 0, 7, 8, 9, new CRC32C());
        return Arrays.copyOf(writer.buffer(), writer.length());
    }

    private static void reseal(byte[] frame) {
        FrameWriter.seal(frame, 0, 7, 8, 9, new CRC32C());
    }

    /** Reads everything; only CorruptFrameException (or success) is acceptable. */
    private static void readFully(byte[] bytes, int offset, int available) {
        FrameReader reader = new FrameReader(MAX);
        try {
            reader.wrap(bytes, offset, available, "fuzz.dat", 1000);
        } catch (CorruptFrameException e) {
            assertEquals("fuzz.dat", e.source());
            return;
        }
        tryCorrupt(reader::resourceType);
        tryCorrupt(reader::entityId);
        tryCorrupt(reader::metadata);
        tryCorrupt(() -> reader.decode(CODEC));
        tryCorrupt(() -> reader.decodeGeneric(CODEC));
    }

    private static void tryCorrupt(Runnable r) {
        try {
            r.run();
        } catch (CorruptFrameException e) {
            assertEquals("fuzz.dat", e.source());
        } catch (UnknownEventTypeException e) {
            // a valid frame of a type this process has no class for
        }
    }

    private static void tryCorrupt(java.util.function.Supplier<?> s) {
        tryCorrupt((Runnable) s::get);
    }

    @Property(tries = 6)
    void everySingleBitFlipInASealedFrameIsDetected(@ForAll long seed) {
        TestEvents.Gen gen = new TestEvents.Gen(seed);
        Object event = gen.chance(50) ? new TestEvents.Small(gen.string(20), gen.anyLong()) : gen.allKinds();
        byte[] frame = sealedFrame(event, gen.metadata());
        FrameReader reader = new FrameReader(MAX);
        reader.wrap(frame, 0, frame.length, "flip.dat", 0);
        for (int bit = 0; bit < frame.length * 8; bit++) {
            byte[] copy = frame.clone();
            copy[bit >>> 3] ^= (byte) (1 << (bit & 7));
            int b = bit;
            CorruptFrameException e = assertThrows(CorruptFrameException.class,
                    () -> reader.wrap(copy, 0, copy.length, "flip.dat", 0), () -> "bit " + b + " not detected");
            assertEquals("flip.dat", e.source());
        }
    }

    @Property(tries = 300)
    void randomBytesNeverThrowAnythingButCorruptFrameException(@ForAll byte[] bytes) {
        readFully(bytes, 0, bytes.length);
    }

    @Property(tries = 1000)
    void randomPayloadBytesUnderAValidHeaderAndCrcOnlyGiveCorruptFrameException(@ForAll long seed) {
        Random r = new Random(seed);
        byte[] frame = sealedFrame(new TestEvents.Small("x", 1), EventMetadata.NONE);
        int payloadOffset = frame.length - 4 - 3; // "x" string (presence, length, byte) ... replaced below
        FrameReader reader = new FrameReader(MAX).wrap(frame, 0, frame.length, "fuzz.dat", 0);
        payloadOffset = reader.payloadOffset();
        byte[] payload = new byte[r.nextInt(64)];
        r.nextBytes(payload);
        int typeId = 1 + r.nextInt(5);
        byte[] spliced = splice(frame, payloadOffset, payload, typeId);
        readFully(spliced, 0, spliced.length);
    }

    @Property(tries = 1000)
    void mutatedPayloadsOfRealEventsOnlyGiveCorruptFrameException(@ForAll long seed) {
        TestEvents.Gen gen = new TestEvents.Gen(seed);
        byte[] frame = sealedFrame(gen.allKinds(), gen.metadata());
        FrameReader reader = new FrameReader(MAX).wrap(frame, 0, frame.length, "fuzz.dat", 0);
        int start = reader.payloadOffset() - (gen.chance(20) ? reader.payloadOffset() - FrameFormat.HEADER_LENGTH : 0);
        int end = frame.length - 4;
        for (int i = 1 + gen.r.nextInt(4); i > 0 && end > start; i--) {
            int at = start + gen.r.nextInt(end - start);
            frame[at] = gen.chance(30) ? (byte) 0xFF : (byte) gen.r.nextInt();
        }
        reseal(frame);
        readFully(frame, 0, frame.length);
    }

    /** Replaces the payload of {@code frame} and fixes lengths and CRC so the payload parser is attacked. */
    static byte[] splice(byte[] frame, int payloadOffset, byte[] payload, int eventTypeId) {
        byte[] out = new byte[payloadOffset + payload.length + 4];
        System.arraycopy(frame, 0, out, 0, payloadOffset);
        System.arraycopy(payload, 0, out, payloadOffset, payload.length);
        LittleEndian.putInt(out, FrameFormat.LENGTH_OFFSET, out.length);
        LittleEndian.putInt(out, FrameFormat.PAYLOAD_LENGTH_OFFSET, payload.length);
        LittleEndian.putInt(out, FrameFormat.EVENT_TYPE_OFFSET, eventTypeId);
        reseal(out);
        return out;
    }

    private static CorruptFrameException decodeSpliced(int eventTypeId, byte[] payload) {
        byte[] frame = sealedFrame(new TestEvents.Small("x", 1), EventMetadata.NONE);
        int payloadOffset = new FrameReader(MAX).wrap(frame, 0, frame.length, "s", 0).payloadOffset();
        byte[] spliced = splice(frame, payloadOffset, payload, eventTypeId);
        FrameReader reader = new FrameReader(MAX).wrap(spliced, 0, spliced.length, "hostile.dat", 42);
        CorruptFrameException typed = assertThrows(CorruptFrameException.class, () -> reader.decode(CODEC));
        assertEquals(42, typed.position());
        CorruptFrameException generic = assertThrows(CorruptFrameException.class, () -> reader.decodeGeneric(CODEC));
        assertEquals("hostile.dat", generic.source());
        return typed;
    }

    @Test
    void hugeDeclaredStringLengthIsRejectedWithoutAllocatingIt() {
        // Small: presence 1, string length varint 0x7FFFFFF0, a few bytes
        CorruptFrameException e = decodeSpliced(2, new byte[] {1, (byte) 0xF0, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF,
                0x07, 'a', 'b'});
        org.junit.jupiter.api.Assertions.assertTrue(e.reason().contains("exceeds"), e.getMessage());
        // Blob: presence 1, byte[] length -1 as unsigned varint
        decodeSpliced(3, new byte[] {1, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x0F});
    }

    @Test
    void hugeDeclaredCollectionCountsAreRejectedWithoutAllocating() {
        // Names: presence 1, count 2^31-1
        decodeSpliced(4, new byte[] {1, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x07, 0});
        // Names: count 900_000 (below maxCollectionSize) but only a few bytes follow
        decodeSpliced(4, new byte[] {1, (byte) 0xA0, (byte) 0xF7, 0x36, 1, 'a'});
    }

    @Test
    void nestedListsOfZeroWidthRecordsCannotMakeTheDecoderSpin() {
        // Deep: List<List<Empty>>: outer count 60, every inner list claims 900_000 empty records
        byte[] payload = new byte[2 + 60 * 3 + 1];
        int p = 0;
        payload[p++] = 1;
        payload[p++] = 60;
        for (int i = 0; i < 60; i++) {
            payload[p++] = (byte) 0xA0;
            payload[p++] = (byte) 0xF7;
            payload[p++] = 0x36;
        }
        byte[] finalPayload = Arrays.copyOf(payload, p);
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> decodeSpliced(5, finalPayload));
    }

    @Test
    void deepNestingBeyondMaxDepthIsCorruptForGenericDecoding() {
        FieldType t = FieldType.of(FieldKind.INT, false);
        for (int i = 0; i < 40; i++) {
            t = FieldType.listOf(t, false);
        }
        EventSchema deep = new EventSchema(99, "Deep", 1, "x.Deep", List.of(new FieldSchema("v", t)));
        byte[] payload = new byte[41];
        Arrays.fill(payload, (byte) 1); // every level: count 1; innermost int 1 (zigzag -1)
        CorruptFrameException e = assertThrows(CorruptFrameException.class,
                () -> CODEC.decodeGeneric(deep, payload, 0, payload.length, "deep.dat", 5));
        org.junit.jupiter.api.Assertions.assertTrue(e.reason().contains("nesting deeper than 16"), e.getMessage());
    }

    @Test
    void trailingPayloadBytesAreCorrupt() {
        // Small("x", 1) is: 1, 1, 'x', 2 (zigzag 1); add one more byte
        CorruptFrameException e = decodeSpliced(2, new byte[] {1, 1, 'x', 2, 0});
        org.junit.jupiter.api.Assertions.assertTrue(e.reason().contains("trailing"), e.getMessage());
    }

    @Test
    void invalidPresenceBooleanUtf8AndEnumValuesAreCorrupt() {
        decodeSpliced(2, new byte[] {2, 1, 'x', 2});                      // presence byte 2
        decodeSpliced(2, new byte[] {1, 2, (byte) 0xC0, (byte) 0x80, 2}); // overlong UTF-8 NUL
        decodeSpliced(2, new byte[] {1, 3, (byte) 0xED, (byte) 0xA0, (byte) 0x80, 2}); // UTF-8 surrogate
    }
}
