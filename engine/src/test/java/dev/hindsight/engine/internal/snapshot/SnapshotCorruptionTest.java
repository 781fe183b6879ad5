package dev.hindsight.engine.internal.snapshot;

import dev.hindsight.engine.internal.snapshot.SnapshotStore.PutResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static dev.hindsight.engine.internal.snapshot.States.FP;
import static dev.hindsight.engine.internal.snapshot.States.state;
import static dev.hindsight.engine.internal.snapshot.States.ts;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Damaged snapshot files never crash, hang or mislead: a damaged record or segment is skipped and
 * counted, and every snapshot a lookup still returns holds exactly the bytes that were put.
 */
class SnapshotCorruptionTest {
    static final int MAX = 300;
    static final int ENTITIES = 12;
    static final int VERSIONS = 40;

    @TempDir
    Path dir;

    /** Puts versions 1..versions of entities e-0..e-(n-1), interleaved, interval 5. */
    static void fill(SnapshotStore s, int entities, int versions) {
        for (long v = 1; v <= versions; v++) {
            for (int k = 0; k < entities; k++) {
                String id = "e-" + k;
                byte[] b = state(id, v, FP, MAX);
                s.put("order", id, v, States.pos(v, k, entities), ts(v), FP, b, 0, b.length);
            }
        }
    }

    /**
     * Checks every lookup the store answers: the snapshot is at or below what was asked and holds the
     * bytes that were put for its version.
     *
     * @return how many (entity, version) lookups found a snapshot
     */
    static int checkAnswers(SnapshotStore s, int entities, int versions) {
        SnapshotView view = new SnapshotView();
        int found = 0;
        for (int k = 0; k < entities; k++) {
            String id = "e-" + k;
            for (long v = 1; v <= versions + 1; v++) {
                if (s.floorByVersion("order", id, v, FP, view)) {
                    found++;
                    assertTrue(view.version() <= v, id + " floor of " + v + " is " + view.version());
                    assertEquals(States.pos(view.version(), k, entities), view.position());
                    assertEquals(ts(view.version()), view.timestampNanos());
                    assertTrue(States.matches(view, id, FP, MAX), id + " version " + view.version() + " has the bytes put");
                }
                if (s.floorByTimestamp("order", id, ts(v), FP, view)) {
                    assertTrue(view.timestampNanos() <= ts(v));
                    assertTrue(States.matches(view, id, FP, MAX));
                }
            }
        }
        return found;
    }

    private SnapshotStore.Builder builder() {
        return States.small(dir, 5);
    }

    private List<Path> segments() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".snap")).sorted().collect(Collectors.toList());
        }
    }

    private static void flip(Path file, long position) throws IOException {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.seek(position);
            int b = raf.read();
            raf.seek(position);
            raf.write(b ^ 0x10);
        }
    }

    /** @return the offsets of the records of a segment, by walking their lengths */
    static int[] recordOffsets(Path file) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        int[] offsets = new int[1024];
        int n = 0;
        int off = SnapshotFormat.HEADER_BYTES;
        while (off + 4 <= b.limit() && b.getInt(off) > 0) {
            if (n == offsets.length) {
                offsets = Arrays.copyOf(offsets, n * 2);
            }
            offsets[n++] = off;
            off += SnapshotFormat.aligned(b.getInt(off));
        }
        return Arrays.copyOf(offsets, n);
    }

    @Test
    void aBitFlipInARecordIsSkippedAtOpenAndEverythingStillReturnedIsRight() throws IOException {
        int before;
        try (SnapshotStore s = builder().open()) {
            fill(s, ENTITIES, VERSIONS);
            before = checkAnswers(s, ENTITIES, VERSIONS);
        }
        Path first = segments().get(0);
        int[] offsets = recordOffsets(first);
        flip(first, offsets[offsets.length / 2] + 60); // inside a key or a state
        try (SnapshotStore s = builder().open()) {
            SnapshotStats st = s.stats();
            assertEquals(1, st.skippedRecords(), st.toString());
            int after = checkAnswers(s, ENTITIES, VERSIONS);
            assertTrue(after > 0 && after <= before, after + " of " + before);
        }
    }

    @Test
    void aFlippedLengthStopsTheScanOfThatSegmentOnly() throws IOException {
        try (SnapshotStore s = States.small(dir, 1).open()) {
            fill(s, ENTITIES, VERSIONS); // every version a rung: nothing dead, nothing compacted
        }
        List<Path> segs = segments();
        assertTrue(segs.size() >= 2, "the test needs two segments: " + segs);
        int[] offsets = recordOffsets(segs.get(0));
        flip(segs.get(0), offsets[3] + 1); // the record length's second byte
        try (SnapshotStore s = States.small(dir, 1).open()) {
            assertEquals(1, s.stats().skippedRecords());
            checkAnswers(s, ENTITIES, VERSIONS);
            SnapshotView view = new SnapshotView();
            for (int k = 0; k < ENTITIES; k++) {
                assertTrue(s.latest("order", "e-" + k, FP, view), "the newest snapshots are in the last segment");
                assertEquals(VERSIONS, view.version());
            }
        }
    }

    @Test
    void aBitFlipWhileOpenIsCaughtByTheReaderWhichFallsBackToAnOlderSnapshot() throws IOException {
        try (SnapshotStore s = builder().open()) {
            for (long v = 1; v <= 12; v++) {
                byte[] b = state("e-0", v, FP, MAX);
                s.put("order", "e-0", v, v - 1, ts(v), FP, b, 0, b.length);
            }
            SnapshotView view = new SnapshotView();
            assertTrue(s.floorByVersion("order", "e-0", 11, FP, view));
            assertEquals(10, view.version());
            Path seg = segments().get(0);
            int[] offsets = recordOffsets(seg);
            int rung10 = -1;
            for (int off : offsets) {
                ByteBuffer h = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
                try (FileChannel ch = FileChannel.open(seg, StandardOpenOption.READ)) {
                    ch.read(h, off);
                }
                if (h.getLong(16) == 10) {
                    rung10 = off;
                }
            }
            assertTrue(rung10 > 0);
            // the segment is mapped shared: a write through the file is what the reader sees
            try (FileChannel ch = FileChannel.open(seg, StandardOpenOption.WRITE)) {
                ch.write(ByteBuffer.wrap(new byte[]{(byte) 0xEE}), rung10 + SnapshotFormat.RECORD_FIXED + 8);
            }
            assertTrue(s.floorByVersion("order", "e-0", 11, FP, view), "falls back to rung 5");
            assertEquals(5, view.version());
            assertTrue(States.matches(view, "e-0", FP, MAX));
            assertEquals(1, s.stats().corruptReads());
            long snapshots = s.stats().snapshots();
            byte[] b = state("e-0", 13, FP, MAX);
            s.put("order", "e-0", 13, 12, ts(13), FP, b, 0, b.length); // the writer drops the damaged rung
            assertEquals(snapshots - 1 + 0, s.stats().snapshots(), "13 superseded 12, rung 10 dropped, 13 added");
            assertTrue(s.floorByVersion("order", "e-0", 11, FP, view));
            assertEquals(5, view.version());
            assertEquals(1, s.stats().corruptReads(), "the damaged rung is no longer looked at");
        }
    }

    @Test
    void aTruncatedSegmentKeepsTheRecordsBeforeTheCutAndIsNotAppendedTo() throws IOException {
        try (SnapshotStore s = builder().open()) {
            fill(s, ENTITIES, 10);
        }
        List<Path> segs = segments();
        assertEquals(1, segs.size());
        int[] offsets = recordOffsets(segs.get(0));
        long cut = offsets[offsets.length - 3] + 30;
        try (FileChannel ch = FileChannel.open(segs.get(0), StandardOpenOption.WRITE)) {
            ch.truncate(cut);
        }
        try (SnapshotStore s = builder().open()) {
            assertEquals(1, s.stats().skippedRecords(), "the cut record");
            checkAnswers(s, ENTITIES, 10);
            byte[] b = state("e-0", 11, FP, MAX);
            assertEquals(PutResult.STORED, s.put("order", "e-0", 11, States.pos(11, 0, ENTITIES), ts(11), FP, b, 0, b.length));
        }
        assertEquals(cut, Files.size(segs.get(0)), "the truncated segment is not appended to");
        assertTrue(Files.exists(dir.resolve(Segment.fileName(1))), "a new segment took the put");
        try (SnapshotStore s = builder().open()) {
            SnapshotView view = new SnapshotView();
            assertTrue(s.latest("order", "e-0", FP, view));
            assertEquals(11, view.version());
            checkAnswers(s, ENTITIES, 11);
        }
    }

    /**
     * What a writer killed mid-record leaves: every byte of the record but its length (which is written
     * last). The next writer appends there and must not leave the stale bytes to be read as a record.
     */
    @Test
    void aRecordTornBeforeItsLengthIsIgnoredAndItsBytesDoNotConfuseTheNextScan() throws IOException {
        try (SnapshotStore s = builder().open()) {
            for (long v = 1; v <= 6; v++) {
                byte[] b = new byte[v == 6 ? 2000 : 10];
                new Random(v).nextBytes(b);
                s.put("order", "e-0", v, v - 1, ts(v), FP, b, 0, b.length);
            }
        }
        Path seg = segments().get(0);
        int[] offsets = recordOffsets(seg);
        int last = offsets[offsets.length - 1];
        try (FileChannel ch = FileChannel.open(seg, StandardOpenOption.WRITE)) {
            ByteBuffer zero = ByteBuffer.allocate(4);
            ch.write(zero, last); // version 6, 2000 bytes of state, loses its length
            // where the scan will look after the 72-byte record the next writer puts here, make the torn
            // record's (random) state hold a plausible length
            ByteBuffer fake = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(0, 100);
            ch.write(fake, last + SnapshotFormat.aligned(SnapshotFormat.recordLength(5, 3, 10)));
        }
        try (SnapshotStore s = builder().open()) {
            assertEquals(0, s.stats().skippedRecords(), "a zero length is the end of the data, not damage");
            SnapshotView view = new SnapshotView();
            assertTrue(s.latest("order", "e-0", FP, view));
            assertEquals(5, view.version(), "the torn version 6 is not there");
            byte[] b = new byte[10];
            assertEquals(PutResult.STORED, s.put("order", "e-0", 7, 6, ts(7), FP, b, 0, b.length));
        }
        assertEquals(1, segments().size(), "the segment was resumed");
        try (SnapshotStore s = builder().open()) {
            assertEquals(0, s.stats().skippedRecords(), "the torn record's bytes were cleared when the writer resumed");
            SnapshotView view = new SnapshotView();
            assertTrue(s.latest("order", "e-0", FP, view));
            assertEquals(7, view.version());
        }
    }

    @Test
    void garbageAndDamagedSegmentFilesAreDiscardedAndOtherFilesLeftAlone() throws IOException {
        try (SnapshotStore s = builder().open()) {
            fill(s, 3, 10);
        }
        Path good = segments().get(0);
        Random random = new Random(42);
        byte[] noise = new byte[70_000];
        random.nextBytes(noise);
        Files.write(dir.resolve("00000000000000a0.snap"), noise);                            // random bytes
        Files.write(dir.resolve("00000000000000a1.snap"), new byte[0]);                       // empty
        Files.write(dir.resolve("00000000000000a2.snap"), Arrays.copyOf(Files.readAllBytes(good), 40)); // torn header
        byte[] badCrc = Files.readAllBytes(good);
        badCrc[13] ^= 1;                                                                     // capacity, under the header CRC
        Files.write(dir.resolve("00000000000000a3.snap"), badCrc);
        Files.copy(good, dir.resolve("00000000000000a4.snap"));                               // header names sequence 0
        byte[] hugeCapacity = Files.readAllBytes(good);
        ByteBuffer.wrap(hugeCapacity).order(ByteOrder.LITTLE_ENDIAN).putInt(12, Integer.MAX_VALUE);
        int crc = dev.hindsight.engine.internal.BinaryFiles.crc32c(hugeCapacity, 0, 60);
        ByteBuffer.wrap(hugeCapacity).order(ByteOrder.LITTLE_ENDIAN).putInt(60, crc);
        Files.write(dir.resolve("00000000000000a5.snap"), hugeCapacity);                       // valid CRC, absurd capacity
        Files.write(dir.resolve("notes.txt"), "not ours".getBytes());
        Files.write(dir.resolve("00000000000000a6.snap.tmp"), noise);                          // an unfinished creation
        try (SnapshotStore s = builder().openReadOnly()) {
            assertEquals(6, s.stats().discardedSegments(), s.stats().toString());
            assertEquals(3 * 7, checkAnswers(s, 3, 10), "each entity answers for versions 5 to 11");
        }
        try (SnapshotStore s = builder().open()) {
            assertEquals(6, s.stats().discardedSegments());
            assertEquals(3 * 7, checkAnswers(s, 3, 10));
            byte[] b = state("e-0", 11, FP, MAX);
            s.put("order", "e-0", 11, States.pos(11, 0, 3), ts(11), FP, b, 0, b.length);
        }
        assertEquals(List.of(good), segments(), "the good segment was resumed, the garbage deleted");
        try (Stream<Path> files = Files.list(dir)) {
            List<String> left = files.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
            assertEquals(List.of(good.getFileName().toString(), "notes.txt", SnapshotStore.LOCK_FILE), left);
        }
        try (SnapshotStore s = builder().open()) {
            assertEquals(0, s.stats().discardedSegments());
            SnapshotView view = new SnapshotView();
            assertTrue(s.latest("order", "e-0", FP, view));
            assertEquals(11, view.version());
        }
    }

    @Test
    void hostileLengthsWithAValidChecksumAreRejectedWithoutAllocatingThem() throws IOException {
        try (SnapshotStore s = builder().open()) {
            byte[] b = new byte[100];
            s.put("order", "e-0", 1, 0, ts(1), FP, b, 0, b.length);
            s.put("order", "e-0", 5, 4, ts(5), FP, b, 0, b.length);
        }
        Path seg = segments().get(0);
        int[] offsets = recordOffsets(seg);
        byte[] file = Files.readAllBytes(seg);
        ByteBuffer f = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        int off = offsets[1];
        // claim a 60 000-byte state (inside the file, above maxStateBytes) and re-seal the record's CRC
        int length = SnapshotFormat.recordLength(5, 3, 60_000);
        f.putInt(off, length).putInt(off + 12, 60_000);
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(file, off + 4, length - 8);
        f.putInt(off + length - 4, (int) crc.getValue());
        Files.write(seg, file);
        try (SnapshotStore s = builder().open()) {
            assertEquals(1, s.stats().skippedRecords());
            SnapshotView view = new SnapshotView();
            assertTrue(s.latest("order", "e-0", FP, view));
            assertEquals(1, view.version(), "the record after the rejected one is not trusted either");
            assertTrue(view.stateArray().length < 10_000, "nothing was copied for the hostile length");
        }
    }

    @Test
    void aStoreOpenedReadOnlyOnDamagedFilesChangesNoFile() throws IOException {
        try (SnapshotStore s = builder().open()) {
            fill(s, ENTITIES, VERSIONS);
        }
        for (Path seg : segments()) {
            flip(seg, 200);
        }
        Files.write(dir.resolve("00000000000000ff.snap"), new byte[10]);
        List<byte[]> before = contents();
        try (SnapshotStore s = builder().openReadOnly()) {
            checkAnswers(s, ENTITIES, VERSIONS);
        }
        List<byte[]> after = contents();
        assertEquals(before.size(), after.size());
        for (int i = 0; i < before.size(); i++) {
            assertTrue(Arrays.equals(before.get(i), after.get(i)));
        }
    }

    private List<byte[]> contents() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.sorted(Comparator.naturalOrder()).filter(p -> !p.getFileName().toString().endsWith(".lock"))
                    .map(p -> {
                        try {
                            return Files.readAllBytes(p);
                        } catch (IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    }).collect(Collectors.toList());
        }
    }

    @Test
    void aLookupNeverReturnsASnapshotThatWasNotPut() throws IOException {
        try (SnapshotStore s = builder().open()) {
            fill(s, ENTITIES, VERSIONS);
        }
        Random random = new Random(7);
        for (Path seg : segments()) {
            long size = Files.size(seg);
            for (int i = 0; i < 30; i++) {
                flip(seg, random.nextInt((int) Math.min(size, 40_000)));
            }
        }
        try (SnapshotStore s = builder().open()) {
            checkAnswers(s, ENTITIES, VERSIONS);
            assertFalse(s.stats().skippedRecords() + s.stats().discardedSegments() == 0, s.stats().toString());
        }
    }
}
