package dev.hindsight.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;

class FrameWriterTest {
    private final EventCodec codec = TestEvents.codec();

    record Unregistered(int x) {
    }

    @Test
    void unregisteredEventClassIsRejectedWithItsName() {
        FrameWriter writer = new FrameWriter(codec, 4096);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> writer.addFrame("order", "o-1", new Unregistered(1), EventMetadata.NONE));
        assertTrue(e.getMessage().startsWith("event class " + Unregistered.class.getName() + " is not registered"),
                e.getMessage());
        assertEquals(0, writer.length());
    }

    @Test
    void oversizedEventThrowsEventTooLargeAndLeavesEarlierFramesIntact() {
        FrameWriter writer = new FrameWriter(codec, 1 << 20);
        writer.addFrame("order", "o-1", new TestEvents.Small("first", 1), EventMetadata.NONE);
        byte[] before = Arrays.copyOf(writer.buffer(), writer.length());
        int length = writer.length();
        EventTooLargeException e = assertThrows(EventTooLargeException.class,
                () -> writer.addFrame("order", "o-1", new TestEvents.Blob(new byte[2_000_000]), EventMetadata.NONE));
        assertEquals("event Blob for order/o-1 encodes to " + e.frameBytes() + " bytes; the limit is 1048576",
                e.getMessage());
        assertEquals(48 + 5 + 3 + 9 + 1 + 3 + 2_000_000 + 4, e.frameBytes());
        assertEquals(length, writer.length());
        assertEquals(1, writer.frameCount());
        assertArrayEquals(before, Arrays.copyOf(writer.buffer(), writer.length()));
        assertTrue(writer.buffer().length <= 2 * (1 << 20) + 64, "buffer grew to " + writer.buffer().length);

        writer.addFrame("order", "o-2", new TestEvents.Small("second", 2), EventMetadata.NONE);
        FrameWriter.seal(writer.buffer(), writer.frameOffset(0), 0, 1, 1, new CRC32C());
        FrameWriter.seal(writer.buffer(), writer.frameOffset(1), 1, 2, 1, new CRC32C());
        FrameReader reader = new FrameReader(1 << 20);
        assertEquals(new TestEvents.Small("first", 1),
                reader.wrap(writer.buffer(), 0, writer.length(), "t", 0).decode(codec));
        assertEquals(new TestEvents.Small("second", 2),
                reader.wrap(writer.buffer(), writer.frameOffset(1), writer.length() - writer.frameOffset(1), "t", 0)
                        .decode(codec));
    }

    @Test
    void eventJustOverTheLimitInAnExistingBigBufferIsStillRejected() {
        FrameWriter writer = new FrameWriter(codec, 200);
        for (int i = 0; i < 20; i++) {
            writer.addFrame("order", "o-1", new TestEvents.Small("x".repeat(50), i), EventMetadata.NONE);
        }
        writer.reset();
        assertThrows(EventTooLargeException.class,
                () -> writer.addFrame("order", "o-1", new TestEvents.Small("x".repeat(200), 1), EventMetadata.NONE));
        assertEquals(0, writer.length());
    }

    @Test
    void invalidValuesAreRejectedWithTheComponentNamed() {
        FrameWriter writer = new FrameWriter(codec, 4096);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> writer.addFrame("order",
                "o-1", new TestEvents.Names(Arrays.asList("a", null)), EventMetadata.NONE));
        assertTrue(e.getMessage().contains("component 'names' of Names"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> writer.addFrame("order", "o-1",
                new TestEvents.Small("bad \uD800 surrogate", 1), EventMetadata.NONE));
        assertTrue(e.getMessage().contains("unpaired surrogate"), e.getMessage());
        assertEquals(0, writer.length());
        writer.addFrame("order", "o-1", new TestEvents.Names(List.of("ok")), null);
        assertEquals(1, writer.frameCount());
    }

    @Test
    void wrapRejectsTruncatedFramesAndUnsupportedVersionsNamingSourceAndPosition() {
        FrameWriter writer = new FrameWriter(codec, 4096);
        writer.addFrame("order", "o-1", new TestEvents.Small("x", 1), EventMetadata.NONE);
        FrameWriter.seal(writer.buffer(), 0, 0, 0, 1, new CRC32C());
        FrameReader reader = new FrameReader(4096);
        CorruptFrameException e = assertThrows(CorruptFrameException.class,
                () -> reader.wrap(writer.buffer(), 0, writer.length() - 1, "seg-1.dat", 640));
        assertEquals("seg-1.dat", e.source());
        assertEquals(640, e.position());
        assertTrue(e.getMessage().startsWith("corrupt frame in seg-1.dat at position 640: truncated"), e.getMessage());
        writer.buffer()[FrameFormat.FORMAT_VERSION_OFFSET] = 7;
        e = assertThrows(CorruptFrameException.class,
                () -> reader.wrap(writer.buffer(), 0, writer.length(), "seg-1.dat", 640));
        assertEquals("unsupported frame format version 7", e.reason());
        assertThrows(CorruptFrameException.class, () -> reader.wrap(new byte[3], 0, 3, "x", 0));
    }
}
