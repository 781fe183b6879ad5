package dev.hindsight.tools;

import dev.hindsight.codec.FrameFormat;
import dev.hindsight.codec.FrameReader;
import dev.hindsight.engine.EventStore;
import dev.hindsight.engine.Resource;
import dev.hindsight.engine.inspect.JournalScanner;
import dev.hindsight.engine.inspect.StoreInspector;
import dev.hindsight.tools.Stores.Order;
import dev.hindsight.tools.Stores.Run;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.hindsight.tools.Stores.cli;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code hindsight verify} on stores the engine wrote, healthy and damaged in each way it must detect: every
 * problem is reported with file and byte offset, exit code 1; what is merely worth knowing is a note; and
 * verifying never changes a byte of the store.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class VerifyCommandTest {
    @TempDir
    static Path shared;
    /** 40 extra orders after the story: o-1's Shipped event is in the middle of the journal. */
    static Path healthy;

    @TempDir
    Path dir;
    @TempDir
    Path work;

    @BeforeAll
    static void createStore() {
        healthy = shared.resolve("healthy");
        Stores.orderStory(healthy, 40);
    }

    private Path copy() throws Exception {
        Path store = dir.resolve("store");
        Stores.copyTree(healthy, store);
        return store;
    }

    /** Runs verify and checks it changed nothing. */
    private Run verify(Path store, String... more) throws Exception {
        Map<String, String> before = Stores.checksums(store);
        List<String> args = new ArrayList<>(List.of("verify", store.toString(), "--work-dir", work.toString()));
        args.addAll(List.of(more));
        Run r = cli(args.toArray(String[]::new));
        assertEquals(before, Stores.checksums(store), "verify changes no byte of the store: " + r);
        try (var left = Files.list(work)) {
            assertEquals(List.of(), left.toList(), "the index copy is deleted");
        }
        return r;
    }

    private static List<String> problems(Run r) {
        return r.out().lines().filter(l -> l.startsWith("PROBLEM")).toList();
    }

    /** @return the journal file and byte offset of the frame at a global position */
    private static Map.Entry<Path, Long> frameAt(Path store, long position) {
        FrameReader frame = new FrameReader(FrameFormat.DEFAULT_MAX_FRAME_BYTES);
        try (JournalScanner journal = StoreInspector.open(store).openJournal()) {
            while (journal.next() != null) {
                for (int off = 0; off < journal.length(); off += frame.frameLength()) {
                    frame.wrap(journal.buffer(), journal.offset() + off, journal.length() - off, "", 0);
                    if (frame.globalPosition() == position) {
                        return Map.entry(journal.file(), journal.filePosition() + off);
                    }
                }
            }
        }
        throw new AssertionError("no position " + position);
    }

    @Test
    void aHealthyStoreVerifiesCleanWithEveryCheckSaidInItsSummary() throws Exception {
        Run r = verify(healthy);
        assertEquals(0, r.exit(), r.toString());
        assertTrue(r.out().contains("Journal        88 events in 88 appends, positions 0..87, 1 cycle file"), r.out());
        assertTrue(r.out().contains("Catalog        5 schemas, readable"), r.out());
        assertTrue(r.out().contains("Index          clean checkpoint at position 88; 43 of 43 heads agree with the journal; 43 blocks locate all 88 versions exactly"), r.out());
        assertTrue(r.out().contains("Snapshots      0 segments, 0 records"), "no entity reached 10 versions: " + r.out());
        assertTrue(r.out().contains("Subscriptions  no subscriptions (no subscriptions/ directory)"), r.out());
        assertTrue(r.out().endsWith("Result: no problems\n"), r.out());
        assertEquals("", r.err());
        assertEquals(0, verify(healthy, "--deep").exit());
    }

    @Test
    void aBitFlipInTheMiddleOfTheJournalIsAProblemAtTheFramesFileAndByte() throws Exception {
        Path store = copy();
        Map.Entry<Path, Long> hit = Stores.findOnce(store, "DHL");
        Stores.flipByte(hit.getKey(), hit.getValue());
        Run r = verify(store);
        assertEquals(1, r.exit(), r.toString());
        Matcher m = Pattern.compile("PROBLEM journal/" + hit.getKey().getFileName() + " byte (\\d+): excerpt 0x[0-9a-f]+, frame at excerpt byte 0:"
                + " CRC32C mismatch.*\\(its unverified header says order/o-1 version 5, position 4\\)").matcher(problems(r).get(0));
        assertTrue(m.matches(), problems(r).get(0));
        long at = Long.parseLong(m.group(1));
        assertTrue(at < hit.getValue() && hit.getValue() - at < 200, "the frame holding byte " + hit.getValue() + " starts at " + at);
        assertTrue(r.out().contains("NOTE    journal/" + hit.getKey().getFileName()), "the position gap it causes is a note: " + r.out());
        assertTrue(r.out().contains("heads.cm has order/o-1 at version 5; the journal has it at version 4"), r.out());
        assertEquals(2, problems(r).size(), r.out());
        assertTrue(r.out().contains("Result: 2 problems"), r.out());
    }

    @Test
    void damageInChronicleQueuesOwnFileHeaderIsAProblemThoughEveryFrameIsIntact() throws Exception {
        Path store = copy();
        Map.Entry<Path, Long> header = Stores.findOnce(store, "SCQSIndexing");
        Stores.flipByte(header.getKey(), header.getValue() + 7);
        Run r = verify(store);
        assertEquals(1, r.exit(), r.toString());
        assertTrue(problems(r).get(0).startsWith("PROBLEM journal: Chronicle Queue cannot read the journal (its own metadata is damaged,"
                + " so the engine cannot open it)"), r.out());
        assertTrue(r.out().contains("Journal        88 events in 88 appends"), "the events themselves are all readable: " + r.out());
    }

    @Test
    void aJournalFileCutShortIsAProblemAndTheIndexCheckpointShowsWhatWasLost() throws Exception {
        Path store = copy();
        Map.Entry<Path, Long> middle = frameAt(store, 50);
        try (FileChannel ch = FileChannel.open(middle.getKey(), StandardOpenOption.WRITE)) {
            ch.truncate(middle.getValue() + 10);
        }
        Run r = verify(store);
        assertEquals(1, r.exit(), r.toString());
        assertTrue(problems(r).get(0).matches("PROBLEM journal/\\S+ byte " + (middle.getValue() - 4) + ": Chronicle header at byte "
                + (middle.getValue() - 4) + " claims \\d+ bytes but the file ends at byte " + (middle.getValue() + 10) + ".*"), problems(r).get(0));
        assertTrue(r.out().contains("PROBLEM index/index.state: the index checkpoint covers positions 0..87 but the journal's events end at position 49"),
                r.out());
    }

    @Test
    void gapsInGlobalPositionsAndInAnEntitysVersionsAreProblemsEvenWithValidCrcs() throws Exception {
        Path store = copy();
        Map.Entry<Path, Long> p20 = frameAt(store, 20);
        Stores.rewriteFrameLong(p20.getKey(), p20.getValue(), FrameFormat.POSITION_OFFSET, 21); // 20 missing, 21 twice
        Map.Entry<Path, Long> o1v5 = frameAt(store, 4);
        Stores.rewriteFrameLong(o1v5.getKey(), o1v5.getValue(), FrameFormat.VERSION_OFFSET, 7); // o-1 versions 5 and 6 missing
        Run r = verify(store, "--no-index");
        assertEquals(1, r.exit(), r.toString());
        String file = p20.getKey().getFileName().toString();
        assertTrue(r.out().contains("PROBLEM journal/" + file + " byte " + o1v5.getValue()
                + ": order/o-1 versions 5..6 missing: position 4 is version 7, the one before it version 4"), r.out());
        assertTrue(r.out().contains("PROBLEM journal/" + file + " byte " + p20.getValue()
                + ": position 20 missing: the event here is position 21, the one before it 19"), r.out());
        assertTrue(r.out().contains(": position 21 again (or out of order): the journal already reached position 21"), r.out());
        assertTrue(r.out().contains("Index          not compared (--no-index)"), r.out());
    }

    @Test
    void anIndexThatDisagreesWithTheJournalIsAProblemNamingTheEntitiesAndVersions() throws Exception {
        // the same number of events in the same number of appends, but to other entities: the checkpoint fits, nothing else does
        Path journalStore = dir.resolve("a");
        Path indexStore = dir.resolve("b");
        try (EventStore a = Stores.open(journalStore); EventStore b = Stores.open(indexStore)) {
            Resource<Order> x = a.resource(Stores.ORDER);
            Resource<Order> y = b.resource(Stores.ORDER);
            x.create("o-1", new Order("a", 1, "pending"));
            x.create("o-2", new Order("a", 1, "pending"));
            x.update("o-1", Map.of("amount", 2L));
            y.create("o-1", new Order("a", 1, "pending"));
            y.update("o-1", Map.of("amount", 2L));
            y.create("o-3", new Order("a", 1, "pending"));
        }
        Stores.deleteTree(journalStore.resolve("index"));
        Stores.copyTree(indexStore.resolve("index"), journalStore.resolve("index"));
        Run r = verify(journalStore);
        assertEquals(1, r.exit(), r.toString());
        assertTrue(r.out().contains("PROBLEM index/heads.cm: heads.cm has order/o-3 at version 1, but the journal has no event of it before the checkpoint"), r.out());
        assertTrue(r.out().contains("PROBLEM index/heads.cm: heads.cm lacks order/o-2, which the journal has at version 1"), r.out());
        assertTrue(r.out().contains("PROBLEM index/blocks.cm: blocks.cm has block 0 of order/o-3, but the journal has no event of it"), r.out());
        assertTrue(r.out().contains("PROBLEM index/blocks.cm: blocks.cm lacks block 0 (versions 1..1) of order/o-2"), r.out());
        assertTrue(r.out().contains("Index          clean checkpoint at position 3; 0 of 2 heads agree with the journal; blocks disagree with the journal"), r.out());
    }

    @Test
    void blockEntriesThatLocateAVersionElsewhereAreNamedWithTheJournalsFileAndByte() throws Exception {
        // identical appends in two stores: only the timestamps differ, so every block entry is wrong
        Path journalStore = dir.resolve("a");
        Path indexStore = dir.resolve("b");
        for (Path p : List.of(journalStore, indexStore)) {
            try (EventStore s = Stores.open(p)) {
                s.resource(Stores.ORDER).create("o-1", new Order("a", 1, "pending"));
                s.resource(Stores.ORDER).update("o-1", Map.of("amount", 2L));
            }
        }
        Stores.deleteTree(journalStore.resolve("index"));
        Stores.copyTree(indexStore.resolve("index"), journalStore.resolve("index"));
        Run r = verify(journalStore);
        assertEquals(1, r.exit(), r.toString());
        Map.Entry<Path, Long> v2 = frameAt(journalStore, 1);
        assertTrue(r.out().contains("PROBLEM journal/" + v2.getKey().getFileName() + " byte " + v2.getValue() + ": blocks.cm locates order/o-1 version 2"
                + " in excerpt 0x"), r.out());
        assertTrue(r.out().contains("heads.cm has order/o-1 with first and last timestamps"), r.out());
    }

    @Test
    void aDamagedOrMissingCatalogIsAProblem() throws Exception {
        Path store = copy();
        Stores.flipByte(store.resolve("catalog.bin"), 100);
        Run damaged = verify(store);
        assertEquals(1, damaged.exit(), damaged.toString());
        assertTrue(problems(damaged).get(0).startsWith("PROBLEM catalog.bin byte "), damaged.out());
        assertTrue(damaged.out().contains("Catalog        unreadable; event types not checked"), damaged.out());

        Files.delete(store.resolve("catalog.bin"));
        Run missing = verify(store);
        assertEquals(1, missing.exit(), missing.toString());
        assertTrue(missing.out().contains("PROBLEM catalog.bin: the catalog has no event type 100001 schema version 1, which 43 events use"), missing.out());
    }

    @Test
    void garbageInTheJournalDirectoryIsAProblemWhenChronicleWouldTripOverItAndANoteOtherwise() throws Exception {
        Path store = copy();
        Files.writeString(store.resolve("journal").resolve("junk.cq4"), "junk");
        Files.writeString(store.resolve("journal").resolve("README.txt"), "notes");
        Run r = verify(store);
        assertEquals(1, r.exit(), r.toString());
        assertEquals(List.of("PROBLEM journal/junk.cq4: not a cycle file of the DAILY roll cycle: Chronicle cannot parse its name, so a writer"
                + " cannot open the store while it is in journal/"), problems(r));
        assertTrue(r.out().contains("NOTE    journal/README.txt: not part of the journal (Chronicle ignores it)"), r.out());

        Files.delete(store.resolve("journal").resolve("junk.cq4"));
        byte[] garbage = new byte[5000];
        new java.util.Random(1).nextBytes(garbage);
        Path later = store.resolve("journal").resolve("29990101F.cq4");
        Files.write(later, garbage);
        Run cycle = verify(store);
        assertEquals(1, cycle.exit(), cycle.toString());
        assertTrue(problems(cycle).get(0).startsWith("PROBLEM journal/29990101F.cq4 byte 0: "), cycle.out());
    }

    @Test
    void aMissingOrDirtyIndexIsANoteBecauseTheNextWriterRebuildsIt() throws Exception {
        Path store = copy();
        Stores.deleteTree(store.resolve("index"));
        Run missing = verify(store);
        assertEquals(0, missing.exit(), missing.toString());
        assertTrue(missing.out().contains("NOTE    index: there is no index: the next writer open rebuilds the index from the journal"), missing.out());

        Path live = dir.resolve("live");
        Stores.orderStory(live, 0);
        try (EventStore writer = Stores.open(live)) {
            writer.resource(Stores.ORDER).create("o-9", new Order("z", 9, "pending"));
            Run dirty = cli("verify", live.toString(), "--work-dir", work.toString());
            assertEquals(0, dirty.exit(), dirty.toString());
            assertTrue(dirty.out().contains("index not compared: its state is dirty"), dirty.out());
            assertTrue(dirty.out().contains("Journal        9 events"), dirty.out());
        }
    }

    @Test
    void anIndexOfAnotherFormatVersionIsANoteBecauseTheNextWriterRebuildsIt() throws Exception {
        Path store = copy();
        Path state = store.resolve("index").resolve("index.state");
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(Files.readAllBytes(state)).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.putShort(8, (short) 1);
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(b.array(), 0, 48);
        b.putInt(48, (int) crc.getValue());
        Files.write(state, b.array());
        Run r = verify(store);
        assertEquals(0, r.exit(), r.toString());
        assertTrue(r.out().contains("NOTE    index/index.state byte 8: the index is in format 1 (another version of Hindsight wrote it);"
                + " this version uses format 2 and the next writer open rebuilds it"), r.out());
        assertTrue(cli("info", store.toString()).out().contains("Index            format 1 (another version of Hindsight)"));
    }

    @Test
    void aTornTailRecoveryCutIsANoteButOneNotYetCutIsAProblem() throws Exception {
        Path store = dir.resolve("torn");
        try (EventStore s = Stores.open(store)) {
            s.resource(Stores.ORDER).create("o-1", new Order("a", 1, "pending"));
            s.resource(Stores.ORDER).create("o-2", new Order("TAIL-MARKER", 1, "pending"));
        }
        Map.Entry<Path, Long> tail = Stores.findOnce(store, "TAIL-MARKER");
        Stores.flipByte(tail.getKey(), tail.getValue());
        Run uncut = verify(store, "--no-index");
        assertEquals(1, uncut.exit(), uncut.toString());
        assertTrue(problems(uncut).get(0).contains("CRC32C mismatch"), uncut.out());

        try (EventStore s = Stores.open(store)) { // recovery cuts the torn append
            assertEquals(1, s.eventCount());
            assertFalse(s.recoveryReport().cutExcerpts().isEmpty());
        }
        Run cut = verify(store);
        assertEquals(0, cut.exit(), cut.toString());
        assertTrue(cut.out().contains("was cut by recovery: a torn append, never acknowledged; readers skip it"), cut.out());
        assertTrue(cut.out().contains("Journal        1 events in 1 appends, positions 0..0, 1 cycle file, 1 cut by recovery"), cut.out());
    }

    @Test
    void aGarbageSnapshotSegmentIsAProblemAndAnEmptySubscriptionDirectoryIsNone() throws Exception {
        Path store = copy();
        Files.createDirectories(store.resolve("snapshots"));
        Files.write(store.resolve("snapshots").resolve("0000000000000007.snap"), new byte[100]);
        Files.createDirectories(store.resolve("subscriptions"));
        Run r = verify(store);
        assertEquals(1, r.exit(), r.toString());
        assertEquals(List.of("PROBLEM snapshots/0000000000000007.snap byte 0: not a snapshot segment (bad magic) (derived data: the store"
                + " ignores this segment)"), problems(r));
        assertTrue(r.out().contains("Subscriptions  0 subscriptions, not compared with the journal"), r.out());
    }

    @Test
    void findingsBeyondMaxReportsAreCountedNotPrinted() throws Exception {
        Path store = copy();
        for (long p = 10; p < 16; p++) {
            Map.Entry<Path, Long> f = frameAt(store, p);
            Stores.rewriteFrameLong(f.getKey(), f.getValue(), FrameFormat.TIMESTAMP_OFFSET, 1L); // time goes back
        }
        Run r = verify(store, "--no-index", "--max-reports", "2");
        assertEquals(1, r.exit(), r.toString());
        assertEquals(2, problems(r).size(), r.out());
        assertTrue(r.out().contains("4 more findings not shown (--max-reports 2)"), r.out());
        assertTrue(r.out().contains("Result: 6 problems"), r.out());
        assertTrue(problems(r).get(0).contains("position 10 has timestamp 1970-01-01T00:00:00.000000001Z, before the previous event's"), r.out());
    }

    @Test
    void verifyBesideALiveWriterFindsNoProblemAndTheWriterCarriesOn() throws Exception {
        Path store = dir.resolve("live");
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong appended = new AtomicLong();
        try (EventStore writer = Stores.open(store)) {
            Resource<Order> orders = writer.resource(Stores.ORDER);
            Thread t = new Thread(() -> {
                for (int i = 0; !stop.get(); i++) {
                    orders.create("live-" + i, new Order("c", i, "pending"));
                    orders.act("live-" + i, o -> List.of(new Stores.Shipped("x")));
                    appended.addAndGet(2);
                }
            });
            t.start();
            try {
                while (appended.get() < 2_000) {
                    Thread.sleep(5);
                }
                for (int round = 0; round < 3; round++) {
                    Run r = cli("verify", store.toString(), "--work-dir", work.toString());
                    assertEquals(0, r.exit(), r.toString());
                    Run events = cli("events", store.toString(), "--format", "jsonl");
                    assertEquals(0, events.exit(), events.err());
                    assertTrue(events.out().lines().count() >= 2_000);
                }
            } finally {
                stop.set(true);
                t.join();
            }
            assertEquals(appended.get(), writer.eventCount());
        }
        Run after = verify(store);
        assertEquals(0, after.exit(), after.toString());
        assertTrue(after.out().contains("Journal        " + String.format("%,d", appended.get()) + " events"), after.out());
    }
}
