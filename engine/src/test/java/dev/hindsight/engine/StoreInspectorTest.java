package dev.hindsight.engine;

import dev.hindsight.codec.EventMetadata;
import dev.hindsight.engine.TestEvents.Blob;
import dev.hindsight.engine.TestEvents.OrderPlaced;
import dev.hindsight.engine.inspect.IndexCheckpoint;
import dev.hindsight.engine.inspect.JournalScanner;
import dev.hindsight.engine.inspect.PersistedIndexCopy;
import dev.hindsight.engine.inspect.StoreInspector;
import dev.hindsight.engine.internal.journal.Journal;
import dev.hindsight.engine.internal.journal.JournalCuts;
import dev.hindsight.engine.internal.journal.JournalReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The read-only inspection path: the journal read straight from its cycle files agrees with Chronicle's own
 * reader on healthy stores, reports damage with file and byte offset and reads on after it, and nothing it
 * does changes a byte of the store.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class StoreInspectorTest {
    @TempDir
    Path dir;
    @TempDir
    Path work;

    /** What one excerpt is, as either reader sees it. */
    private record Excerpt(long index, String file, long position, int length) {
    }

    private static List<Excerpt> chronicleExcerpts(Path store, JournalRollCycle cycle) {
        List<Excerpt> out = new ArrayList<>();
        try (Journal journal = Journal.open(store.resolve("journal"), cycle, true, Durability.PROCESS_CRASH, JournalCuts.none(), 64 << 20);
             JournalReader reader = journal.createReader()) {
            reader.toStart();
            while (reader.next()) {
                out.add(new Excerpt(reader.excerptIndex(), Path.of(reader.fileName()).getFileName().toString(),
                        reader.filePosition(), reader.length()));
            }
        }
        return out;
    }

    private static List<Excerpt> scannedExcerpts(Path store, List<String> damage) {
        List<Excerpt> out = new ArrayList<>();
        try (JournalScanner journal = StoreInspector.open(store).openJournal()) {
            for (JournalScanner.Item item; (item = journal.next()) != null; ) {
                if (item == JournalScanner.Item.DAMAGED) {
                    damage.add(journal.file().getFileName() + "@" + journal.filePosition() + ": " + journal.reason());
                } else {
                    out.add(new Excerpt(journal.excerptIndex(), journal.file().getFileName().toString(),
                            journal.filePosition(), journal.length()));
                }
            }
        }
        return out;
    }

    /** Appends single events and batches of varied sizes to many entities. */
    private static void populate(EventStore store, Random random, int appends) {
        for (int i = 0; i < appends; i++) {
            String id = "e-" + random.nextInt(50);
            byte[] data = new byte[random.nextInt(random.nextInt(8) == 0 ? 5000 : 80)];
            random.nextBytes(data);
            if (i % 9 == 4) {
                store.appendAll("blob", id, ExpectedVersion.ANY, List.of(new Blob(data), new Blob(new byte[3]), new Blob(data)), EventMetadata.NONE);
            } else {
                store.append("blob", id, ExpectedVersion.ANY, new Blob(data));
            }
        }
    }

    private List<Excerpt> createStore(JournalRollCycle cycle, int rounds) throws Exception {
        Random random = new Random(7);
        try (EventStore store = TestEvents.builder(dir).rollCycle(cycle).expectedEntities(1_000).open()) {
            for (int r = 0; r < rounds; r++) {
                populate(store, random, 400);
                if (cycle == JournalRollCycle.TEST_SECONDLY && r < rounds - 1) {
                    Thread.sleep(1_050); // the next round goes to a new cycle file
                }
            }
        }
        return chronicleExcerpts(dir, cycle);
    }

    @Test
    void theScannerReadsExactlyTheExcerptsChronicleReadsAcrossCycleFilesAndChangesNoByte() throws Exception {
        List<Excerpt> chronicle = createStore(JournalRollCycle.TEST_SECONDLY, 3);
        assertTrue(chronicle.stream().map(Excerpt::file).distinct().count() >= 3, "the store spans several cycle files");
        Map<String, String> before = StoreFiles.checksums(dir, p -> false);

        List<String> damage = new ArrayList<>();
        assertEquals(chronicle, scannedExcerpts(dir, damage));
        assertEquals(List.of(), damage);

        StoreInspector inspector = StoreInspector.open(dir);
        try (JournalScanner journal = inspector.openJournal()) {
            while (journal.next() != null) {
                // to the end
            }
            assertEquals(JournalScanner.End.CLEAN, journal.end());
            assertEquals(chronicle.stream().map(Excerpt::file).distinct().count(), journal.files().size());
            assertEquals(List.of(), journal.strayFiles());
        }
        assertEquals(before, StoreFiles.checksums(dir, p -> false), "inspection changes no byte of the store");
        assertEquals(before.keySet(), StoreFiles.checksums(dir, p -> false).keySet(), "and creates no file");
    }

    @Test
    void aStartedScannerFollowsEventsAppendedAfterItReachedTheEnd() throws Exception {
        try (EventStore store = TestEvents.builder(dir).expectedEntities(1_000).open()) {
            store.append("order", "o-1", ExpectedVersion.NO_STREAM, new OrderPlaced("a", 1));
            try (JournalScanner journal = StoreInspector.open(dir).openJournal()) {
                assertEquals(JournalScanner.Item.EXCERPT, journal.next());
                assertNull(journal.next());
                store.append("order", "o-1", 1, new OrderPlaced("b", 2));
                assertEquals(JournalScanner.Item.EXCERPT, journal.next(), "the new excerpt is read on the next call");
                assertNull(journal.next());
            }
        }
    }

    /** Like assertEquals, but names the first excerpt that differs instead of printing both lists. */
    private static void assertSame(List<Excerpt> expected, List<Excerpt> actual, String what) {
        for (int i = 0; i < Math.min(expected.size(), actual.size()); i++) {
            assertEquals(expected.get(i), actual.get(i), what + ": excerpt " + i);
        }
        assertEquals(expected.size(), actual.size(), what + ": excerpt count");
    }

    private static int readHeader(Path file, long at) throws Exception {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer b = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
            ch.read(b, at);
            return b.getInt(0);
        }
    }

    private static void writeHeader(Path file, long at, int value) throws Exception {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ByteBuffer b = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(0, value);
            ch.write(b, at);
        }
    }

    @Test
    void aWrongLengthInAnExcerptHeaderIsDamageAtItsOffsetAndReadingResumesAtTheNextExcerpt() throws Exception {
        List<Excerpt> good = createStore(JournalRollCycle.DAILY, 1);
        Excerpt victim = good.get(100);
        Path file = dir.resolve("journal").resolve(victim.file());
        long header = victim.position() - 4;
        writeHeader(file, header, readHeader(file, header) + 40); // the length now runs into the next excerpt

        List<String> damage = new ArrayList<>();
        List<Excerpt> seen = new ArrayList<>();
        try (JournalScanner journal = StoreInspector.open(dir).openJournal()) {
            for (JournalScanner.Item item; (item = journal.next()) != null; ) {
                if (item == JournalScanner.Item.DAMAGED) {
                    damage.add(journal.filePosition() + ": " + journal.reason() + " -> " + journal.resumedAt());
                    continue;
                }
                if (journal.filePosition() == victim.position()) {
                    assertEquals(victim.length() + 40, journal.length());
                    journal.resyncAfterCurrent(); // what a consumer does when the frames do not fill the excerpt
                    continue;
                }
                seen.add(new Excerpt(journal.excerptIndex(), journal.file().getFileName().toString(), journal.filePosition(), journal.length()));
            }
        }
        assertEquals(1, damage.size(), damage.toString());
        assertTrue(damage.get(0).startsWith(header + ": "), damage.toString());
        List<Excerpt> expected = new ArrayList<>(good);
        expected.remove(100);
        assertSame(expected, seen, "every other excerpt is read, with its Chronicle index");
    }

    @Test
    void anExcerptMarkedIncompleteInTheMiddleIsDamageAndTheExcerptsAfterItAreStillRead() throws Exception {
        List<Excerpt> good = createStore(JournalRollCycle.DAILY, 1);
        Excerpt victim = good.get(50);
        Path file = dir.resolve("journal").resolve(victim.file());
        long header = victim.position() - 4;
        writeHeader(file, header, readHeader(file, header) | 0x80000000);

        List<String> damage = new ArrayList<>();
        List<Excerpt> seen = scannedExcerpts(dir, damage);
        assertEquals(1, damage.size(), damage.toString());
        assertTrue(damage.get(0).contains("@" + header + ": ") && damage.get(0).contains("Chronicle readers stop here"), damage.toString());
        List<Excerpt> expected = new ArrayList<>(good);
        expected.remove(50);
        assertSame(expected, seen, "every other excerpt is read");
    }

    @Test
    void aCycleFileCutShortIsDamageNamingWhereItEnds() throws Exception {
        List<Excerpt> good = createStore(JournalRollCycle.DAILY, 1);
        Excerpt last = good.get(good.size() - 1);
        Path file = dir.resolve("journal").resolve(last.file());

        // cut in the middle of the last excerpt: its header claims more bytes than the file has
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.truncate(last.position() + last.length() / 2);
        }
        List<String> damage = new ArrayList<>();
        List<Excerpt> seen = scannedExcerpts(dir, damage);
        assertEquals(good.subList(0, good.size() - 1), seen);
        assertEquals(1, damage.size(), damage.toString());
        assertTrue(damage.get(0).contains("but the file ends at byte " + (last.position() + last.length() / 2)), damage.toString());

        // cut exactly where the last excerpt's header was
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.truncate(last.position() - 4);
        }
        damage.clear();
        seen = scannedExcerpts(dir, damage);
        assertEquals(good.subList(0, good.size() - 1), seen);
        assertEquals(1, damage.size(), damage.toString());
        assertTrue(damage.get(0).contains("cut short"), damage.toString());
    }

    @Test
    void filesThatAreNotCycleFilesAreListedAsStray() throws Exception {
        createStore(JournalRollCycle.DAILY, 1);
        Files.writeString(dir.resolve("journal").resolve("notes.txt"), "hello");
        Files.writeString(dir.resolve("journal").resolve("garbage.cq4"), "not a cycle");
        try (JournalScanner journal = StoreInspector.open(dir).openJournal()) {
            assertEquals(List.of("garbage.cq4", "notes.txt"),
                    journal.strayFiles().stream().map(p -> p.getFileName().toString()).toList());
            assertEquals(1, journal.files().size());
        }
    }

    @Test
    void theIndexCopyHoldsTheHeadsAndBlocksTheStoreWroteAndTheOriginalsAreUntouched() throws Exception {
        Map<String, Long> heads = new HashMap<>();
        try (EventStore store = TestEvents.builder(dir).expectedEntities(1_000).open()) {
            for (int i = 0; i < 100; i++) {
                String id = "o-" + (i % 3);
                store.append("order", id, ExpectedVersion.ANY, new OrderPlaced("c", i));
                heads.merge("order/" + id, 1L, Long::sum);
            }
        }
        Map<String, String> before = StoreFiles.checksums(dir, p -> false);
        StoreInspector inspector = StoreInspector.open(dir);
        IndexCheckpoint checkpoint = inspector.readIndexCheckpoint();
        assertNotNull(checkpoint);
        assertTrue(checkpoint.clean());
        assertEquals(100, checkpoint.nextPosition());

        Map<String, Long> copiedHeads = new HashMap<>();
        List<String> blocks = new ArrayList<>();
        Path copyDir;
        try (PersistedIndexCopy copy = inspector.copyIndex(work)) {
            copy.forEachHead(new PersistedIndexCopy.HeadVisitor() {
                @Override
                public void head(String type, String id, long version, long first, long last) {
                    copiedHeads.put(type + "/" + id, version);
                    assertTrue(first > 0 && last >= first);
                }

                @Override
                public void malformed(String key, String reason) {
                    throw new AssertionError(key + ": " + reason);
                }
            });
            copy.forEachBlock(new PersistedIndexCopy.BlockVisitor() {
                @Override
                public void block(String type, String id, long blockNo, long[] entries, int count) {
                    blocks.add(type + "/" + id + "#" + blockNo + ":" + count);
                }

                @Override
                public void malformed(String key, String reason) {
                    throw new AssertionError(key + ": " + reason);
                }
            });
            try (var files = Files.list(work)) {
                copyDir = files.findFirst().orElseThrow();
            }
            assertTrue(Files.exists(copyDir.resolve("blocks.cm")));
        }
        assertEquals(heads, copiedHeads);
        // 34 versions of o-0 (blocks 0 and 1), 33 of o-1 and o-2
        assertEquals(List.of("order/o-0#0:32", "order/o-0#1:2", "order/o-1#0:32", "order/o-1#1:1", "order/o-2#0:32", "order/o-2#1:1"),
                blocks.stream().sorted().toList());
        assertFalse(Files.exists(copyDir), "closing the copy deletes it");
        assertEquals(before, StoreFiles.checksums(dir, p -> false), "the store's own index files are untouched");
    }

    @Test
    void openingSomethingThatIsNotAStoreSaysWhatItIsInOneLine() throws Exception {
        assertTrue(assertThrows(HindsightException.class, () -> StoreInspector.open(dir.resolve("nope")))
                .getMessage().endsWith("nope: no such file or directory"));
        assertTrue(assertThrows(HindsightException.class, () -> StoreInspector.open(dir))
                .getMessage().endsWith("is an empty directory, not a Hindsight store"));
        Files.writeString(dir.resolve("readme.txt"), "hi");
        assertTrue(assertThrows(HindsightException.class, () -> StoreInspector.open(dir))
                .getMessage().contains("is not a Hindsight store (it has no hindsight.store file)"));
        assertTrue(assertThrows(HindsightException.class, () -> StoreInspector.open(dir.resolve("readme.txt")))
                .getMessage().contains("is a file, not a store directory"));
        Files.write(dir.resolve("hindsight.store"), new byte[28]);
        String garbage = assertThrows(HindsightException.class, () -> StoreInspector.open(dir)).getMessage();
        assertTrue(garbage.contains("is not a readable Hindsight store") && garbage.contains("hindsight.store"), garbage);
        Files.write(dir.resolve("hindsight.store"), new byte[1 << 20]);
        String big = assertThrows(HindsightException.class, () -> StoreInspector.open(dir)).getMessage();
        assertTrue(big.contains("1048576 bytes, not 28"), big);
    }
}
