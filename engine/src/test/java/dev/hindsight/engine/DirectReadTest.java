package dev.hindsight.engine;

import dev.hindsight.codec.CorruptFrameException;
import dev.hindsight.engine.TestEvents.Blob;
import dev.hindsight.engine.TestEvents.OrderPlaced;
import dev.hindsight.engine.internal.index.IndexState;
import net.openhft.chronicle.map.ChronicleMap;
import net.openhft.chronicle.map.ChronicleMapBuilder;
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
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.CRC32C;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Per-entity reads copy each version's frame out of a read-only mapping of its journal cycle file,
 * at the address the entity index recorded: across roll cycles, behind a persisted index, in a
 * read-only store following a writer while the file grows, and with damaged files.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DirectReadTest {
    @TempDir
    Path dir;

    private EventStoreBuilder secondly() {
        return TestEvents.builder(dir).rollCycle(JournalRollCycle.TEST_SECONDLY);
    }

    /** Waits until the secondly roll cycle has moved on, so the next append goes to a new cycle file. */
    private static void nextCycle() throws InterruptedException {
        long second = System.currentTimeMillis() / 1000;
        while (System.currentTimeMillis() / 1000 == second) {
            Thread.sleep(20);
        }
    }

    private static void assertOrders(List<RecordedEvent> events, String id, long from, List<Long> amounts) {
        for (int i = 0; i < events.size(); i++) {
            RecordedEvent e = events.get(i);
            assertEquals(id, e.entityId());
            assertEquals(from + i, e.version(), id + " version");
            assertEquals(new OrderPlaced(id, amounts.get((int) (from - 1 + i))), e.event(), id + " version " + (from + i));
        }
    }

    @Test
    void everyVersionIsReadFromItsOwnCycleFileAcrossRollCyclesBeforeAndAfterReopening() throws Exception {
        String[] ids = {"a", "b", "c"};
        Map<String, List<Long>> amounts = Map.of("a", new ArrayList<>(), "b", new ArrayList<>(), "c", new ArrayList<>());
        long amount = 0;
        try (EventStore store = secondly().open()) {
            for (int cycle = 0; cycle < 3; cycle++) {
                // single appends and batches (several frames in one excerpt), 40+ versions per entity per cycle,
                // so completed blocks go to the persisted index with addresses in every cycle
                for (int i = 0; i < 14; i++) {
                    for (String id : ids) {
                        if (i % 7 == 3) {
                            List<OrderPlaced> batch = List.of(new OrderPlaced(id, ++amount), new OrderPlaced(id, ++amount),
                                    new OrderPlaced(id, ++amount));
                            store.appendAll("order", id, ExpectedVersion.ANY, batch, dev.hindsight.codec.EventMetadata.NONE);
                            amounts.get(id).addAll(List.of(amount - 2, amount - 1, amount));
                        } else {
                            store.append("order", id, ExpectedVersion.ANY, new OrderPlaced(id, ++amount));
                            amounts.get(id).add(amount);
                        }
                    }
                }
                for (String id : ids) {
                    assertOrders(store.readEntity("order", id, 1), id, 1, amounts.get(id));
                }
                nextCycle();
            }
            assertTrue(StoreFiles.journalFiles(dir).size() >= 3, "the journal spans cycle files: " + StoreFiles.journalFiles(dir));
        }
        try (EventStore store = secondly().open()) {
            assertTrue(store.recoveryReport().wasClean(), store.recoveryReport().toString());
            for (String id : ids) {
                long head = store.headVersion("order", id);
                assertEquals(amounts.get(id).size(), head);
                assertOrders(store.readEntity("order", id, 1), id, 1, amounts.get(id));
                for (long v = head; v >= 1; v -= 7) {
                    assertOrders(List.of(store.readVersion("order", id, v)), id, v, amounts.get(id));
                }
                assertOrders(store.readEntity("order", id, 30, 50), id, 30, amounts.get(id));
            }
        }
        try (EventStore store = secondly().openReadOnly()) {
            for (String id : ids) {
                assertOrders(store.readEntity("order", id, 1), id, 1, amounts.get(id));
            }
        }
    }

    @Test
    void aReadOnlyStoreFollowingAWriterReadsFramesBeyondTheSizeTheCycleFileHadWhenItWasMapped() throws Exception {
        int size = 512 * 1024;
        EventStoreBuilder daily = TestEvents.builder(dir).rollCycle(JournalRollCycle.DAILY).maxEventBytes(1 << 20);
        try (EventStore writer = daily.open()) {
            writer.append("blob", "x", ExpectedVersion.NO_STREAM, new Blob(pattern(1, size)));
            int versions = 1;
            try (EventStore reader = daily.openReadOnly()) {
                boolean grew = false;
                for (int attempt = 0; attempt < 3 && !grew; attempt++) {
                    // reading the newest version maps its cycle file as long as the file is now
                    awaitHead(reader, "blob", "x", versions);
                    assertArrayEquals(pattern(versions, size), ((Blob) reader.readVersion("blob", "x", versions).event()).data());
                    Path file = StoreFiles.newestJournalFile(dir);
                    long mappedSize = Files.size(file);
                    // Chronicle extends a cycle file by a chunk (64 MiB) when the writer reaches its end
                    for (int i = 0; i < 400 && Files.size(file) == mappedSize && file.equals(StoreFiles.newestJournalFile(dir)); i++) {
                        writer.append("blob", "x", versions, new Blob(pattern(++versions, size)));
                    }
                    grew = Files.size(file) > mappedSize; // else the day ended first: try again in the new file
                }
                assertTrue(grew, "a cycle file grew while the reader had it mapped");
                awaitHead(reader, "blob", "x", versions);
                for (int v = versions; v >= 1; v--) {
                    assertArrayEquals(pattern(v, size), ((Blob) reader.readVersion("blob", "x", v).event()).data(), "version " + v);
                }
                assertEquals(versions, reader.readEntity("blob", "x", 1).size());
            }
        }
    }

    @Test
    void aReadOnlyStoreFollowingAWriterReadsFramesOfCyclesCreatedAfterItOpened() throws Exception {
        try (EventStore writer = secondly().open()) {
            writer.append("order", "o", ExpectedVersion.NO_STREAM, new OrderPlaced("o", 1));
            try (EventStore reader = secondly().openReadOnly()) {
                assertEquals(new OrderPlaced("o", 1), reader.readVersion("order", "o", 1).event());
                for (int v = 2; v <= 4; v++) {
                    nextCycle();
                    writer.append("order", "o", v - 1, new OrderPlaced("o", v));
                    awaitHead(reader, "order", "o", v);
                    assertEquals(new OrderPlaced("o", v), reader.readVersion("order", "o", v).event());
                }
                assertTrue(StoreFiles.journalFiles(dir).size() >= 4, StoreFiles.journalFiles(dir).toString());
                assertOrders(reader.readEntity("order", "o", 1), "o", 1, List.of(1L, 2L, 3L, 4L));
            }
        }
    }

    private static byte[] pattern(int seed, int size) {
        byte[] b = new byte[size];
        for (int i = 0; i < size; i++) {
            b[i] = (byte) (seed * 31 + i);
        }
        return b;
    }

    private static void awaitHead(EventStore store, String type, String id, long version) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (store.headVersion(type, id) < version) {
            if (System.nanoTime() > deadline) {
                fail(type + "/" + id + " is at version " + store.headVersion(type, id) + ", not " + version + ", after 30 s");
            }
            Thread.sleep(5);
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void concurrentReadersSeeEveryAcknowledgedVersionWhileTheWriterRollsCycles() throws Exception {
        String[] ids = {"e-0", "e-1", "e-2", "e-3"};
        long[] acked = new long[ids.length];
        AtomicBoolean stop = new AtomicBoolean();
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        AtomicLong reads = new AtomicLong();
        try (EventStore store = secondly().open()) {
            List<Thread> readers = new ArrayList<>();
            for (int t = 0; t < 3; t++) {
                int seed = t;
                Thread th = new Thread(() -> {
                    int k = seed;
                    try {
                        while (!stop.get()) {
                            String id = ids[k++ % ids.length];
                            long head = store.headVersion("order", id);
                            List<RecordedEvent> events = store.readEntity("order", id, 1);
                            assertTrue(events.size() >= head, id + ": read " + events.size() + " events, head was " + head);
                            for (int i = 0; i < events.size(); i++) {
                                assertEquals(i + 1, events.get(i).version());
                                assertEquals(new OrderPlaced(id, i + 1), events.get(i).event());
                            }
                            reads.incrementAndGet();
                        }
                    } catch (Throwable e) {
                        failures.add(e);
                    }
                }, "reader-" + t);
                th.setDaemon(true);
                readers.add(th);
                th.start();
            }
            long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(2500);
            int i = 0;
            while (System.nanoTime() < end && failures.isEmpty()) {
                int e = i++ % ids.length;
                store.append("order", ids[e], acked[e], new OrderPlaced(ids[e], acked[e] + 1));
                acked[e]++;
                if (i % 64 == 0) {
                    Thread.sleep(1);
                }
            }
            stop.set(true);
            for (Thread th : readers) {
                th.join(10_000);
            }
            if (!failures.isEmpty()) {
                AssertionError error = new AssertionError("a concurrent read failed: " + failures.peek(), failures.peek());
                failures.forEach(error::addSuppressed);
                throw error;
            }
            assertTrue(reads.get() > 0);
            assertTrue(StoreFiles.journalFiles(dir).size() >= 2, "the writer crossed cycles");
            for (int e = 0; e < ids.length; e++) {
                assertEquals(acked[e], store.readEntity("order", ids[e], 1).size());
            }
        }
    }

    /** Appends 40 versions of "a" in one cycle, then 5 of "b" in the next: "a"'s cycle file is not the last. */
    private List<Path> twoCycles() throws Exception {
        try (EventStore store = secondly().open()) {
            nextCycle(); // a whole second for a's 40 appends
            for (int i = 1; i <= 40; i++) {
                store.append("order", "a", ExpectedVersion.ANY, new OrderPlaced("a", i));
            }
            nextCycle();
            for (int i = 1; i <= 5; i++) {
                store.append("order", "b", ExpectedVersion.ANY, new OrderPlaced("b", i));
            }
        }
        List<Path> files = StoreFiles.journalFiles(dir);
        assertEquals(40, StoreFiles.find(files.get(files.size() - 2), "ordera").size(), "a's versions are in one cycle file " + files);
        return files.subList(files.size() - 2, files.size());
    }

    /** @return the byte offset of "a"'s version {@code v} frame in the first cycle file */
    private long frameOfA(Path file, long v) throws Exception {
        // the frame's entity id is followed by its metadata; find the frame by its amount via the payload is
        // fragile, so find the v-th occurrence of the resource type + entity id bytes "ordera" (48 bytes in)
        List<Long> hits = StoreFiles.find(file, "ordera");
        assertEquals(40, hits.size(), "one frame per version of a");
        return hits.get((int) v - 1) - 48;
    }

    @Test
    void aCycleFileShorterThanTheIndexSaysFailsTheReadNamingFileAndPosition() throws Exception {
        Path first = twoCycles().get(0);
        long frame30 = frameOfA(first, 30);
        try (EventStore store = secondly().openReadOnly()) {
            // indexed from the intact journal; the file is cut before anything of it was mapped for reading
            try (FileChannel ch = FileChannel.open(first, StandardOpenOption.WRITE)) {
                ch.truncate(frame30 + 10);
            }
            assertEquals(new OrderPlaced("a", 29), store.readVersion("order", "a", 29).event());
            CorruptFrameException e = assertThrows(CorruptFrameException.class, () -> store.readVersion("order", "a", 30));
            assertEquals(first.toString(), e.source());
            assertEquals(frame30, e.position());
            assertTrue(e.getMessage().contains("but the file has " + (frame30 + 10) + " bytes"), e.getMessage());
            assertThrows(CorruptFrameException.class, () -> store.readEntity("order", "a", 1));
            assertEquals(5, store.readEntity("order", "b", 1).size(), "other cycles still read");
        }
        // a writing store trusts its clean index without reading the file; Chronicle extends the file again
        // (with zeros) when it opens it: the read finds no valid frame at the address
        try (EventStore store = secondly().open()) {
            assertTrue(store.recoveryReport().wasClean(), store.recoveryReport().toString());
            CorruptFrameException e = assertThrows(CorruptFrameException.class, () -> store.readVersion("order", "a", 30));
            assertEquals(first.toString(), e.source());
            assertEquals(frame30, e.position());
            assertEquals(5, store.readEntity("order", "b", 1).size());
        }
    }

    @Test
    void aCycleFileTruncatedUnderAnOpenStoreFailsTheReadInsteadOfCrashingTheJvm() throws Exception {
        Path first = twoCycles().get(0);
        long frame20 = frameOfA(first, 20);
        long cut = frame20 & ~4095L; // a page boundary: the pages from here on are gone, reading them faults
        try (EventStore store = secondly().openReadOnly()) {
            // maps "a"'s cycle file, as long as it is now
            assertEquals(40, store.readEntity("order", "a", 1).size());
            try (FileChannel ch = FileChannel.open(first, StandardOpenOption.WRITE)) {
                ch.truncate(cut);
            }
            // reading past the new end through the old mapping is a SIGBUS, which the JVM turns into an error
            for (int round = 0; round < 3; round++) {
                CorruptFrameException e = assertThrows(CorruptFrameException.class, () -> store.readVersion("order", "a", 25));
                assertEquals(first.toString(), e.source());
                assertTrue(e.getMessage().contains("now has " + cut + " bytes"), e.getMessage());
                assertThrows(CorruptFrameException.class, () -> store.readEntity("order", "a", 1));
            }
            assertEquals(5, store.readEntity("order", "b", 1).size(), "other cycles still read");
        }
    }

    @Test
    void aDamagedFrameFailsTheReadNamingFileAndItsAddressAndOtherVersionsStillRead() throws Exception {
        Path first = twoCycles().get(0);
        long frame7 = frameOfA(first, 7);
        StoreFiles.flipByte(first, frame7 + 60);
        try (EventStore store = secondly().open()) {
            CorruptFrameException e = assertThrows(CorruptFrameException.class, () -> store.readVersion("order", "a", 7));
            assertEquals(first.toString(), e.source());
            assertEquals(frame7, e.position());
            assertTrue(e.reason().contains("CRC32C"), e.reason());
            assertEquals(new OrderPlaced("a", 8), store.readVersion("order", "a", 8).event());
        }
    }

    @Test
    void anIndexOfTheFormerFormatIsRebuiltFromTheJournal() throws Exception {
        twoCycles();
        Path state = dir.resolve("index").resolve("index.state");
        Path blocks = dir.resolve("index").resolve("blocks.cm");
        // turn the index into what format 1 wrote: blocks of (excerpt index, timestamp) pairs, state version 1
        int rewritten = 0;
        try (ChronicleMap<String, byte[]> map = ChronicleMapBuilder.of(String.class, byte[].class)
                .name("hindsight-blocks").entries(1000).averageKeySize(36).averageValueSize(768)
                .createPersistedTo(blocks.toFile())) {
            for (String key : List.copyOf(map.keySet())) {
                ByteBuffer v2 = ByteBuffer.wrap(map.get(key)).order(ByteOrder.LITTLE_ENDIAN);
                int entries = v2.capacity() / 24;
                ByteBuffer v1 = ByteBuffer.allocate(entries * 16).order(ByteOrder.LITTLE_ENDIAN);
                for (int i = 0; i < entries; i++) {
                    v1.putLong(v2.getLong(i * 24)).putLong(v2.getLong(i * 24 + 16));
                }
                map.put(key, v1.array());
                rewritten++;
            }
        }
        assertEquals(3, rewritten, "a: one full and one partial block; b: one partial block");
        byte[] s = Files.readAllBytes(state);
        assertEquals(IndexState.FORMAT_VERSION, s[8] | s[9] << 8);
        s[8] = 1;
        s[9] = 0;
        CRC32C crc = new CRC32C();
        crc.update(s, 0, 48);
        ByteBuffer.wrap(s).order(ByteOrder.LITTLE_ENDIAN).putInt(48, (int) crc.getValue());
        Files.write(state, s);

        try (EventStore store = secondly().open()) {
            RecoveryReport r = store.recoveryReport();
            assertTrue(r.indexRebuilt(), r.toString());
            assertTrue(r.cleanShutdown(), "the old index was closed cleanly: " + r);
            assertTrue(r.reason().contains("format 1"), r.reason());
            assertEquals(45, r.eventsReplayed());
            assertEquals(40, store.headVersion("order", "a"));
            for (long v = 1; v <= 40; v++) {
                assertEquals(new OrderPlaced("a", v), store.readVersion("order", "a", v).event());
            }
            store.append("order", "a", 40, new OrderPlaced("a", 41));
        }
        assertEquals(IndexState.FORMAT_VERSION, IndexState.read(state) == null ? -1 : Files.readAllBytes(state)[8]);
        try (EventStore store = secondly().open()) {
            assertTrue(store.recoveryReport().wasClean(), store.recoveryReport().toString());
            assertEquals(41, store.readEntity("order", "a", 1).size());
        }
    }

    @Test
    void aPersistedBlockOfTheFormerEntrySizeIsReportedNotMisread() throws Exception {
        twoCycles();
        Path blocks = dir.resolve("index").resolve("blocks.cm");
        try (ChronicleMap<String, byte[]> map = ChronicleMapBuilder.of(String.class, byte[].class)
                .name("hindsight-blocks").entries(1000).averageKeySize(36).averageValueSize(768)
                .createPersistedTo(blocks.toFile())) {
            assertEquals(768, map.get("order/a#0").length, "a's first block is full: 32 entries of 24 bytes");
            map.put("order/a#0", new byte[512]); // 32 entries of 16 bytes, as format 1 wrote them
        }
        try (EventStore store = secondly().open()) {
            assertTrue(store.recoveryReport().wasClean(), "the state still says format 2 and clean");
            HindsightException e = assertThrows(HindsightException.class, () -> store.readVersion("order", "a", 3));
            assertTrue(e.getMessage().contains("512 bytes") && e.getMessage().contains("rebuilt"), e.getMessage());
            assertEquals(new OrderPlaced("a", 33), store.readVersion("order", "a", 33).event(), "the on-heap window still reads");
        }
        try (EventStore store = secondly().open()) {
            assertTrue(store.recoveryReport().indexRebuilt(), "the damage found by a read is repaired: " + store.recoveryReport());
            assertEquals(new OrderPlaced("a", 3), store.readVersion("order", "a", 3).event());
        }
    }
}
