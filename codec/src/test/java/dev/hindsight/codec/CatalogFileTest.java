package dev.hindsight.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CatalogFileTest {
    @TempDir
    Path dir;

    private Path writeSample() {
        EventCodec codec = TestEvents.codec();
        Path file = dir.resolve("schemas.cat");
        SchemaCatalogFile.write(file, codec.catalog());
        return file;
    }

    @Test
    void catalogRoundTripsThroughItsFile() {
        EventCodec codec = TestEvents.codec();
        Path file = writeSample();
        assertEquals(codec.catalog().all(), SchemaCatalogFile.read(file).all());
        assertTrue(Files.notExists(dir.resolve("schemas.cat.tmp")));
    }

    @Test
    void missingFileIsAnEmptyCatalog() {
        assertEquals(0, SchemaCatalogFile.read(dir.resolve("nope.cat")).size());
    }

    @Test
    void truncatedCatalogFileIsCorruptNamingTheFile() throws IOException {
        Path file = writeSample();
        byte[] bytes = Files.readAllBytes(file);
        for (int len : new int[] {0, 5, 17, bytes.length / 2, bytes.length - 1}) {
            Files.write(file, Arrays.copyOf(bytes, len));
            CorruptFrameException e = assertThrows(CorruptFrameException.class, () -> SchemaCatalogFile.read(file));
            assertEquals("schemas.cat", e.source());
        }
    }

    @Test
    void everyBitFlipInTheCatalogFileIsCorrupt() throws IOException {
        Path file = writeSample();
        byte[] bytes = Files.readAllBytes(file);
        for (int bit = 0; bit < bytes.length * 8; bit += 7) {
            byte[] copy = bytes.clone();
            copy[bit >>> 3] ^= (byte) (1 << (bit & 7));
            Files.write(file, copy);
            CorruptFrameException e = assertThrows(CorruptFrameException.class, () -> SchemaCatalogFile.read(file));
            assertEquals("schemas.cat", e.source());
        }
    }

    @Test
    void garbageCatalogFilesAreCorrupt() throws IOException {
        Path file = dir.resolve("garbage.cat");
        Random r = new Random(1);
        for (int i = 0; i < 200; i++) {
            byte[] junk = new byte[r.nextInt(300)];
            r.nextBytes(junk);
            if (i % 2 == 0 && junk.length > 14) {
                System.arraycopy("HSCATLG\0".getBytes(), 0, junk, 0, 8);
                junk[8] = 1;
                junk[9] = 0;
            }
            Files.write(file, junk);
            CorruptFrameException e = assertThrows(CorruptFrameException.class, () -> SchemaCatalogFile.read(file));
            assertEquals("garbage.cat", e.source());
        }
    }

    @Test
    void hostileCountsWithAValidCrcAreCorruptNotOutOfMemory() throws IOException {
        Path file = writeSample();
        byte[] bytes = Files.readAllBytes(file);
        dev.hindsight.codec.internal.LittleEndian.putInt(bytes, 10, Integer.MAX_VALUE);
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(bytes, 0, bytes.length - 4);
        dev.hindsight.codec.internal.LittleEndian.putInt(bytes, bytes.length - 4, (int) crc.getValue());
        Files.write(file, bytes);
        CorruptFrameException e = assertThrows(CorruptFrameException.class, () -> SchemaCatalogFile.read(file));
        assertEquals(10, e.position());
    }
}
