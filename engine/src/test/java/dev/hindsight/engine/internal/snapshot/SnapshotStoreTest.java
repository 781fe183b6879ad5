package dev.hindsight.engine.internal.snapshot;

import dev.hindsight.engine.internal.snapshot.SnapshotStore.PutResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static dev.hindsight.engine.internal.snapshot.States.FP;
import static dev.hindsight.engine.internal.snapshot.States.state;
import static dev.hindsight.engine.internal.snapshot.States.ts;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SnapshotStoreTest {
    private static final int MAX = 300;

    @TempDir
    Path dir;

    private static PutResult put(SnapshotStore s, String id, long version) {
        return put(s, id, version, FP);
    }

    private static PutResult put(SnapshotStore s, String id, long version, long fp) {
        byte[] b = state(id, version, fp, MAX);
        return s.put("order", id, version, version - 1, ts(version), fp, b, 0, b.length);
    }

    private static long floor(SnapshotStore s, String id, long version) {
        SnapshotView v = new SnapshotView();
        return s.floorByVersion("order", id, version, FP, v) ? v.version() : 0;
    }

    @Test
    void latestReturnsTheStoredBytesVersionPositionTimestampAndFingerprint() {
        try (SnapshotStore s = States.small(dir, 10).open()) {
            byte[] b = {1, 2, 3, 4, 5};
            assertEquals(PutResult.STORED, s.put("order", "o-1", 7, 41, 123_456_789L, FP, b, 1, 3));
            SnapshotView v = new SnapshotView();
            assertTrue(s.latest("order", "o-1", FP, v));
            assertTrue(v.present());
            assertEquals(7, v.version());
            assertEquals(41, v.position());
            assertEquals(123_456_789L, v.timestampNanos());
            assertEquals(FP, v.fingerprint());
            assertArrayEquals(new byte[]{2, 3, 4}, v.stateCopy());
            byte[] dst = new byte[5];
            v.copyState(dst, 2);
            assertArrayEquals(new byte[]{0, 0, 2, 3, 4}, dst);
            assertEquals(3, v.state().getByte(1));
        }
    }

    @Test
    void anEmptyStateIsAStateToo() {
        try (SnapshotStore s = States.small(dir, 10).open()) {
            assertEquals(PutResult.STORED, s.put("order", "o-1", 1, 0, 5, FP, new byte[0], 0, 0));
            SnapshotView v = new SnapshotView();
            assertTrue(s.latest("order", "o-1", FP, v));
            assertEquals(0, v.stateLength());
        }
    }

    @Test
    void unknownEntitiesAndTypesHaveNoSnapshotAndTheViewIsCleared() {
        try (SnapshotStore s = States.small(dir, 10).open()) {
            put(s, "o-1", 3);
            SnapshotView v = new SnapshotView();
            assertTrue(s.latest("order", "o-1", FP, v));
            assertFalse(s.latest("order", "o-2", FP, v));
            assertFalse(v.present());
            assertEquals(0, v.version());
            assertEquals(0, v.stateLength());
            assertFalse(s.latest("invoice", "o-1", FP, v));
        }
    }

    @Test
    void floorByVersionFindsTheNewestRungAtOrBelowAndTheNewestSnapshot() {
        try (SnapshotStore s = States.small(dir, 10).open()) {
            for (long v = 1; v <= 57; v++) {
                put(s, "o-1", v);
            }
            // kept: rungs 10..50 and the newest, 57
            assertEquals(0, floor(s, "o-1", 9));
            assertEquals(10, floor(s, "o-1", 10));
            assertEquals(10, floor(s, "o-1", 19));
            assertEquals(40, floor(s, "o-1", 49));
            assertEquals(50, floor(s, "o-1", 56));
            assertEquals(57, floor(s, "o-1", 57));
            assertEquals(57, floor(s, "o-1", Long.MAX_VALUE));
            assertEquals(0, floor(s, "o-1", 0));
            assertEquals(6, s.stats().snapshots());
            SnapshotView view = new SnapshotView();
            for (long v = 10; v <= 57; v++) {
                assertTrue(s.floorByVersion("order", "o-1", v, FP, view));
                assertTrue(v - view.version() < 10, "replay after the floor of " + v + " is under the interval");
                assertTrue(States.matches(view, "o-1", FP, MAX), "bytes of version " + view.version());
            }
        }
    }

    @Test
    void floorByTimestampIncludesSnapshotsWithExactlyThatTimestamp() {
        try (SnapshotStore s = States.small(dir, 2).open()) {
            for (long v = 1; v <= 12; v++) {
                put(s, "o-1", v); // ts(v) = base + (v / 3) * 1000: versions 3, 4, 5 share one
            }
            SnapshotView view = new SnapshotView();
            assertTrue(s.floorByTimestamp("order", "o-1", ts(4), FP, view));
            assertEquals(4, view.version(), "4 is the newest rung with the timestamp of 3, 4 and 5");
            assertTrue(s.floorByTimestamp("order", "o-1", ts(4) + 999, FP, view));
            assertEquals(4, view.version());
            assertTrue(s.floorByTimestamp("order", "o-1", ts(6), FP, view));
            assertEquals(8, view.version(), "6, 7 and 8 share a timestamp");
            assertFalse(s.floorByTimestamp("order", "o-1", ts(2) - 1, FP, view));
            assertTrue(s.floorByTimestamp("order", "o-1", Long.MAX_VALUE, FP, view));
            assertEquals(12, view.version());
        }
    }

    @Test
    void lookupsWithAnotherFingerprintFindNothing() {
        try (SnapshotStore s = States.small(dir, 10).open()) {
            put(s, "o-1", 10);
            SnapshotView v = new SnapshotView();
            assertFalse(s.latest("order", "o-1", FP + 1, v));
            assertFalse(s.floorByVersion("order", "o-1", 10, FP + 1, v));
            assertFalse(s.floorByTimestamp("order", "o-1", Long.MAX_VALUE, FP + 1, v));
            assertTrue(s.latest("order", "o-1", FP, v));
        }
    }

    @Test
    void aSnapshotWithANewFingerprintReplacesTheWholeLadder() {
        try (SnapshotStore s = States.small(dir, 10).open()) {
            for (long v = 1; v <= 35; v++) {
                put(s, "o-1", v);
            }
            assertEquals(PutResult.STORED, put(s, "o-1", 36, FP + 1));
            SnapshotView v = new SnapshotView();
            assertFalse(s.floorByVersion("order", "o-1", 30, FP, v), "the old shape's snapshots are gone");
            assertFalse(s.floorByVersion("order", "o-1", 35, FP + 1, v), "the new shape has only version 36");
            assertTrue(s.latest("order", "o-1", FP + 1, v));
            assertEquals(36, v.version());
            assertTrue(States.matches(v, "o-1", FP + 1, MAX));
            // old versions can be rebuilt in the new shape afterwards
            assertEquals(PutResult.STORED, put(s, "o-1", 20, FP + 1));
            assertTrue(s.floorByVersion("order", "o-1", 25, FP + 1, v));
            assertEquals(20, v.version());
            assertEquals(2, s.stats().snapshots());
        }
    }

    @Test
    void retentionKeepsRungsAndTheNewestAndSaysWhatItDid() {
        try (SnapshotStore s = States.small(dir, 10).open()) {
            assertEquals(PutResult.STORED, put(s, "o-1", 15));
            assertEquals(PutResult.STORED, put(s, "o-1", 17), "newer than the newest: supersedes 15");
            assertEquals(PutResult.NOT_RETAINED, put(s, "o-1", 16), "older than the newest and not a rung");
            assertEquals(PutResult.STORED, put(s, "o-1", 10), "a rung, even below the newest");
            assertEquals(PutResult.ALREADY_STORED, put(s, "o-1", 10));
            assertEquals(PutResult.ALREADY_STORED, put(s, "o-1", 17));
            assertEquals(PutResult.STORED, put(s, "o-1", 20), "a rung above the newest: 17 is superseded");
            assertEquals(10, floor(s, "o-1", 17));
            assertEquals(20, floor(s, "o-1", 99));
            assertEquals(2, s.stats().snapshots());
        }
    }

    @Test
    void intervalsArePerResourceType() {
        try (SnapshotStore s = States.small(dir, 10).interval("invoice", 4).open()) {
            assertEquals(10, s.intervalOf("order"));
            assertEquals(4, s.intervalOf("invoice"));
            for (long v = 1; v <= 9; v++) {
                byte[] b = state("i-1", v, FP, MAX);
                s.put("invoice", "i-1", v, v - 1, ts(v), FP, b, 0, b.length);
            }
            SnapshotView view = new SnapshotView();
            assertTrue(s.floorByVersion("invoice", "i-1", 7, FP, view));
            assertEquals(4, view.version());
        }
    }

    @Test
    void thinningKeepsDenseRecentRungsAndSparseOldOnes() {
        try (SnapshotStore s = States.small(dir, 10).thinning(3, 4).open()) {
            for (long v = 1; v <= 200; v++) {
                put(s, "o-1", v);
            }
            // newest rung 200; rungs >= 170 dense (170, 180, 190, 200); older only at multiples of 40
            assertEquals(200, floor(s, "o-1", 205));
            assertEquals(170, floor(s, "o-1", 175));
            assertEquals(160, floor(s, "o-1", 169));
            assertEquals(120, floor(s, "o-1", 159));
            assertEquals(40, floor(s, "o-1", 79));
            assertEquals(0, floor(s, "o-1", 39));
            assertEquals(4 + 4, s.stats().snapshots(), "rungs 40, 80, 120, 160 and 170..200");
            assertEquals(PutResult.NOT_RETAINED, put(s, "o-1", 50), "a thinned-out rung is not written");
        }
    }

    @Test
    void badArgumentsAreRejectedWithTheirValuesAndWriteNothing() {
        try (SnapshotStore s = States.small(dir, 10).open()) {
            byte[] b = new byte[10];
            assertThrows(IllegalArgumentException.class, () -> s.put("order", "o", 0, 0, 1, FP, b, 0, 1));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> s.put("order", "o", 5, 3, 1, FP, b, 0, 1));
            assertTrue(e.getMessage().contains("position 3") && e.getMessage().contains("version 5"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> s.put("", "o", 1, 0, 1, FP, b, 0, 1));
            assertThrows(IllegalArgumentException.class, () -> s.put("t".repeat(65), "o", 1, 0, 1, FP, b, 0, 1));
            assertThrows(IllegalArgumentException.class, () -> s.put("order", "x".repeat(257), 1, 0, 1, FP, b, 0, 1));
            assertThrows(IllegalArgumentException.class, () -> s.put("order", "bad\uD800", 1, 0, 1, FP, b, 0, 1));
            assertThrows(IndexOutOfBoundsException.class, () -> s.put("order", "o", 1, 0, 1, FP, b, 5, 6));
            byte[] big = new byte[4097];
            e = assertThrows(IllegalArgumentException.class, () -> s.put("order", "o", 1, 0, 1, FP, big, 0, big.length));
            assertTrue(e.getMessage().contains("4097") && e.getMessage().contains("4096"), e.getMessage());
            assertEquals(0, s.stats().snapshots());
            assertEquals(0, s.stats().segments(), "nothing was written, not even a segment");
        }
    }

    @Test
    void aTimestampOrPositionThatContradictsTheLadderIsRejected() {
        try (SnapshotStore s = States.small(dir, 10).open()) {
            byte[] b = new byte[3];
            s.put("order", "o", 10, 9, 1_000, FP, b, 0, 3);
            s.put("order", "o", 30, 29, 3_000, FP, b, 0, 3);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> s.put("order", "o", 20, 19, 500, FP, b, 0, 3));
            assertTrue(e.getMessage().contains("timestamp 500") && e.getMessage().contains("version 10"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> s.put("order", "o", 20, 35, 2_000, FP, b, 0, 3));
            assertThrows(IllegalArgumentException.class, () -> s.put("order", "o", 40, 39, 2_999, FP, b, 0, 3));
            assertEquals(PutResult.STORED, s.put("order", "o", 20, 19, 2_000, FP, b, 0, 3));
            assertEquals(3, s.stats().snapshots());
        }
    }

    @Test
    void reopeningFindsEverySnapshotWithItsBytes() {
        try (SnapshotStore s = States.small(dir, 10).open()) {
            for (int k = 0; k < 50; k++) {
                for (long v = 1; v <= 33; v++) {
                    put(s, "o-" + k, v);
                }
            }
        }
        try (SnapshotStore s = States.small(dir, 10).open()) {
            assertEquals(50, s.stats().entities());
            assertEquals(50 * 4, s.stats().snapshots());
            assertEquals(0, s.stats().skippedRecords());
            SnapshotView view = new SnapshotView();
            for (int k = 0; k < 50; k++) {
                assertTrue(s.latest("order", "o-" + k, FP, view));
                assertEquals(33, view.version());
                assertTrue(States.matches(view, "o-" + k, FP, MAX));
                assertEquals(20, floor(s, "o-" + k, 29));
            }
            // and it goes on writing where it stopped
            assertEquals(PutResult.STORED, put(s, "o-0", 34));
        }
        try (SnapshotStore s = States.small(dir, 10).openReadOnly()) {
            assertEquals(34, floor(s, "o-0", 99));
        }
    }

    @Test
    void snapshotsOfEventsBeyondTheJournalEndAreIgnoredAtOpen() {
        try (SnapshotStore s = States.small(dir, 10).open()) {
            for (long v = 1; v <= 25; v++) {
                put(s, "o-1", v); // position = v - 1
            }
        }
        try (SnapshotStore s = States.small(dir, 10).journalEnd(20).open()) {
            assertEquals(20, floor(s, "o-1", 99), "version 20 is at position 19, inside the journal; 21..25 are not");
            assertEquals(5, s.stats().skippedRecords());
        }
    }

    @Test
    void journalEndExcludesTheSnapshotOfTheEventAtThatPosition() {
        try (SnapshotStore s = States.small(dir, 10).open()) {
            put(s, "o-1", 10); // position 9
            put(s, "o-1", 20); // position 19
        }
        try (SnapshotStore s = States.small(dir, 10).journalEnd(19).open()) {
            assertEquals(10, floor(s, "o-1", 99));
        }
        try (SnapshotStore s = States.small(dir, 10).journalEnd(20).open()) {
            assertEquals(20, floor(s, "o-1", 99));
        }
    }

    @Test
    void segmentsOfAnotherStoreAreDiscarded() throws IOException {
        try (SnapshotStore s = States.small(dir, 10).storeId(111).open()) {
            put(s, "o-1", 10);
        }
        try (SnapshotStore s = States.small(dir, 10).storeId(222).openReadOnly()) {
            assertEquals(0, floor(s, "o-1", 99));
            assertEquals(1, s.stats().discardedSegments());
        }
        assertEquals(1, segmentFiles().length, "a read-only open deletes nothing");
        try (SnapshotStore s = States.small(dir, 10).storeId(222).open()) {
            assertEquals(0, floor(s, "o-1", 99));
            put(s, "o-1", 20);
        }
        try (SnapshotStore s = States.small(dir, 10).storeId(222).open()) {
            assertEquals(20, floor(s, "o-1", 99));
            assertEquals(0, s.stats().discardedSegments());
        }
    }

    @Test
    void deletingTheDirectoryLosesNothingButSnapshots() throws IOException {
        try (SnapshotStore s = States.small(dir, 10).open()) {
            put(s, "o-1", 10);
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
        try (SnapshotStore s = States.small(dir, 10).openReadOnly()) {
            assertEquals(0, s.stats().entities());
        }
        try (SnapshotStore s = States.small(dir, 10).open()) {
            assertEquals(0, floor(s, "o-1", 99));
            assertEquals(PutResult.STORED, put(s, "o-1", 10));
            assertEquals(10, floor(s, "o-1", 99));
        }
    }

    @Test
    void aFullSegmentRollsOverToANewOne() {
        try (SnapshotStore s = States.small(dir, 1).open()) {
            for (long v = 1; v <= 800; v++) {
                put(s, "o-1", v); // every version is a rung: ~800 x 200 bytes, several 64 KiB segments
            }
            assertTrue(s.stats().segments() >= 3, "segments: " + s.stats());
            SnapshotView view = new SnapshotView();
            for (long v = 1; v <= 800; v += 7) {
                assertTrue(s.floorByVersion("order", "o-1", v, FP, view));
                assertEquals(v, view.version());
                assertTrue(States.matches(view, "o-1", FP, MAX));
            }
        }
    }

    @Test
    void compactionKeepsTheFilesWithinTwiceTheLiveBytesPlusTwoSegments() throws IOException {
        SnapshotView view = new SnapshotView();
        try (SnapshotStore s = States.small(dir, 1000).open()) {
            for (long v = 1; v <= 400; v++) {
                for (int k = 0; k < 20; k++) {
                    put(s, "o-" + k, v); // only the newest of each entity stays live
                }
                SnapshotStats st = s.stats();
                assertTrue(st.fileBytes() <= 2 * st.liveBytes() + 3L * (64 << 10),
                        "after version " + v + ": " + st);
            }
            SnapshotStats st = s.stats();
            assertTrue(st.retiredSegments() > 10, "compaction retired segments: " + st);
            s.compact();
            st = s.stats();
            assertTrue(st.fileBytes() <= 2 * st.liveBytes() + 2L * (64 << 10), "after compact(): " + st);
            assertEquals(st.segments(), segmentFiles().length, "retired files are deleted");
            for (int k = 0; k < 20; k++) {
                assertTrue(s.latest("order", "o-" + k, FP, view));
                assertEquals(400, view.version());
                assertTrue(States.matches(view, "o-" + k, FP, MAX));
            }
        }
        try (SnapshotStore s = States.small(dir, 1000).open()) {
            assertEquals(20, s.stats().snapshots());
            for (int k = 0; k < 20; k++) {
                assertTrue(s.latest("order", "o-" + k, FP, view));
                assertEquals(400, view.version());
                assertTrue(States.matches(view, "o-" + k, FP, MAX));
            }
        }
    }

    @Test
    void aViewStaysValidWhileCompactionMovesItsRecord() {
        try (SnapshotStore s = States.small(dir, 1000).open()) {
            put(s, "keep", 1);
            SnapshotView view = new SnapshotView();
            assertTrue(s.latest("order", "keep", FP, view));
            byte[] before = view.stateCopy();
            for (long v = 1; v <= 2000; v++) {
                put(s, "churn", v);
            }
            s.compact();
            assertTrue(s.stats().retiredSegments() > 0);
            assertArrayEquals(before, view.stateCopy(), "the view still reads the retired segment's mapping");
            SnapshotView again = new SnapshotView();
            assertTrue(s.latest("order", "keep", FP, again));
            assertArrayEquals(before, again.stateCopy());
        }
    }

    @Test
    void aSecondWriterOfTheSameDirectoryIsRejected() {
        try (SnapshotStore s = States.small(dir, 10).open()) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> States.small(dir, 10).open());
            assertTrue(e.getMessage().contains(dir.toString()), e.getMessage());
            try (SnapshotStore r = States.small(dir, 10).openReadOnly()) {
                assertThrows(IllegalStateException.class, () -> put(r, "o-1", 1));
            }
        }
        try (SnapshotStore s = States.small(dir, 10).open()) {
            assertEquals(PutResult.STORED, put(s, "o-1", 1), "the lock is released at close");
        }
    }

    @Test
    void closedStoresRefuseLookupsAndPuts() {
        SnapshotStore s = States.small(dir, 10).open();
        put(s, "o-1", 1);
        s.close();
        s.close();
        assertThrows(IllegalStateException.class, () -> s.latest("order", "o-1", FP, new SnapshotView()));
        assertThrows(IllegalStateException.class, () -> put(s, "o-1", 2));
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void onlyTheWriterThreadMayPut() throws Exception {
        try (SnapshotStore s = States.small(dir, 10).open()) {
            ExecutionException e = assertThrows(ExecutionException.class,
                    () -> CompletableFuture.runAsync(() -> put(s, "o-1", 1)).get());
            assertInstanceOf(AssertionError.class, e.getCause());
            CompletableFuture.runAsync(() -> {
                s.bindWriterToCurrentThread();
                put(s, "o-1", 1);
            }).get();
            assertThrows(AssertionError.class, () -> put(s, "o-1", 2));
        }
    }

    @Test
    void builderRejectsSettingsOutOfRange() {
        SnapshotStore.Builder b = SnapshotStore.builder(dir);
        assertThrows(IllegalArgumentException.class, () -> b.interval(0));
        assertThrows(IllegalArgumentException.class, () -> b.interval((1 << 20) + 1));
        assertThrows(IllegalArgumentException.class, () -> b.interval("Bad/Type".repeat(20), 5));
        assertThrows(IllegalArgumentException.class, () -> b.segmentBytes(1000));
        assertThrows(IllegalArgumentException.class, () -> b.maxStateBytes(-1));
        assertThrows(IllegalArgumentException.class, () -> b.thinning(3, 1));
        assertThrows(IllegalArgumentException.class, () -> b.minFreeDiskBytes(-1));
        assertThrows(IllegalArgumentException.class, () -> b.journalEnd(-1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SnapshotStore.builder(dir).segmentBytes(64 << 10).maxStateBytes(64 << 10).open());
        assertTrue(e.getMessage().contains("65536"), e.getMessage());
    }

    private Path[] segmentFiles() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".snap")).toArray(Path[]::new);
        }
    }
}
