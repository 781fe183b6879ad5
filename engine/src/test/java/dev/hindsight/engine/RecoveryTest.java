package dev.hindsight.engine;

import dev.hindsight.codec.CorruptFrameException;
import dev.hindsight.codec.EventMetadata;
import dev.hindsight.engine.TestEvents.Counter;
import dev.hindsight.engine.TestEvents.OrderPlaced;
import dev.hindsight.engine.TestEvents.PaymentReceived;
import dev.hindsight.engine.TestEvents.Shipped;
import dev.hindsight.engine.internal.index.IndexState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Recovery through the files a store leaves on disk: a missing, corrupt, stale or untrustworthy
 * index is rebuilt or caught up so that every read agrees with what was appended; a torn journal
 * tail is cut once and for good; damage before the journal's end is refused without changing
 * a byte of the journal.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class RecoveryTest {
    private static final String[] ORDERS = {"o-0", "o-1", "o-2"};
    private static final String[] PAYMENTS = {"p-0", "p-1"};
    private static final EventMetadata META = EventMetadata.builder().actor("alice").correlationId("c-7")
            .attribute("channel", "web").build();

    @TempDir
    Path dir;

    private EventStore open() {
        return TestEvents.builder(dir).expectedEntities(1_000).open();
    }

    /**
     * Appends events {@code from..to-1} in a fixed pattern: single events and 3-event batches to
     * three orders (more than 32 versions each, so the index crosses blocks) and two payments.
     */
    private static void populate(EventStore store, StoreModel model, int from, int to) {
        for (int i = from; i < to; i++) {
            String order = ORDERS[i % ORDERS.length];
            if (i % 10 == 7) {
                model.appendAll(store, "order", order,
                        List.of(new OrderPlaced("c" + i, i), new PaymentReceived("pay-" + i, i), new Shipped("carrier-" + i)), META);
            } else if (i % 4 == 1) {
                model.append(store, "payment", PAYMENTS[i % PAYMENTS.length], new PaymentReceived("p" + i, i * 10L));
            } else {
                model.append(store, "order", order, new Counter("w", i, List.of("t" + i)));
            }
        }
    }

    private StoreModel createStore(int events) {
        StoreModel model = new StoreModel();
        try (EventStore store = open()) {
            populate(store, model, 0, events);
            model.assertMatches(store);
        }
        return model;
    }

    private Path index() {
        return dir.resolve("index");
    }

    private Path indexState() {
        return index().resolve("index.state");
    }

    // ------------------------------------------------------------------ (a) index deleted

    @Test
    void deletingTheIndexDirectoryAfterACleanCloseRebuildsItFromTheJournal() throws Exception {
        StoreModel model = createStore(150);
        StoreFiles.deleteTree(index());
        try (EventStore store = open()) {
            RecoveryReport r = store.recoveryReport();
            assertTrue(r.indexRebuilt(), r.toString());
            assertTrue(r.reason().contains("missing"), "reason says the index is missing: " + r.reason());
            assertEquals(model.count(), r.eventsReplayed(), "every event is replayed: " + r);
            assertTrue(r.cutExcerpts().isEmpty(), r.toString());
            model.assertMatches(store);
            model.assertAppendsContinue(store);
        }
        try (EventStore store = open()) {
            assertTrue(store.recoveryReport().wasClean(), "the rebuilt index is trusted after a clean close: " + store.recoveryReport());
            model.assertMatches(store);
        }
    }

    // ------------------------------------------------------------------ (b) index.state corrupt

    enum StateDamage {
        BIT_FLIP_IN_CHECKPOINT, BIT_FLIP_IN_CRC, TRUNCATED, EMPTY, GARBAGE, ONE_BYTE_TOO_LONG
    }

    @ParameterizedTest
    @EnumSource(StateDamage.class)
    void aCorruptIndexStateIsDetectedAndTheIndexRebuilt(StateDamage damage) throws Exception {
        StoreModel model = createStore(120);
        byte[] state = Files.readAllBytes(indexState());
        assertEquals(52, state.length, "index.state layout");
        byte[] damaged = switch (damage) {
            case BIT_FLIP_IN_CHECKPOINT -> {
                byte[] b = state.clone();
                b[16] ^= 0x04; // next position: would point the follower at the wrong place if trusted
                yield b;
            }
            case BIT_FLIP_IN_CRC -> {
                byte[] b = state.clone();
                b[50] ^= (byte) 0x80;
                yield b;
            }
            case TRUNCATED -> java.util.Arrays.copyOf(state, 30);
            case EMPTY -> new byte[0];
            case GARBAGE -> "this is not an index state: 52 bytes of plain text!!".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            case ONE_BYTE_TOO_LONG -> java.util.Arrays.copyOf(state, 53);
        };
        Files.write(indexState(), damaged);
        try (EventStore store = open()) {
            RecoveryReport r = store.recoveryReport();
            assertTrue(r.indexRebuilt(), damage + ": " + r);
            assertTrue(r.reason().contains("unreadable"), "reason names the unreadable state: " + r.reason());
            assertEquals(model.count(), r.eventsReplayed(), r.toString());
            model.assertMatches(store);
            model.assertAppendsContinue(store);
        }
        try (EventStore store = open()) {
            assertTrue(store.recoveryReport().wasClean(), store.recoveryReport().toString());
            model.assertMatches(store);
        }
    }

    // ------------------------------------------------------------------ (c) stale index restored

    @ParameterizedTest(name = "{0} events appended after the index was copied")
    @ValueSource(ints = {1, 3, 170})
    void aStaleIndexPutBackAfterMoreAppendsIsCaughtUpOrRebuilt(int moreEvents) throws Exception {
        StoreModel model = createStore(100);
        long countAtCopy = model.count();
        Path saved = dir.resolveSibling(dir.getFileName() + "-saved-index");
        StoreFiles.deleteTree(saved);
        StoreFiles.copyTree(index(), saved);
        Map<String, Long> headsAtCopy = Map.of(
                "o-0", model.head("order", "o-0"), "o-1", model.head("order", "o-1"), "o-2", model.head("order", "o-2"));
        try (EventStore store = open()) {
            populate(store, model, 100, 100 + moreEvents);
            model.append(store, "order", "born-after-copy", new OrderPlaced("new", 1));
        }
        StoreFiles.deleteTree(index());
        StoreFiles.copyTree(saved, index());
        StoreFiles.deleteTree(saved);
        long eventsAfterCopy = model.count() - countAtCopy;
        try (EventStore store = open()) {
            RecoveryReport r = store.recoveryReport();
            if (r.indexRebuilt()) {
                assertEquals(model.count(), r.eventsReplayed(), "a rebuild replays everything: " + r);
            } else {
                assertTrue(r.reason().contains("behind"), "a catch-up says the index was behind: " + r);
                assertEquals(eventsAfterCopy, r.eventsReplayed(), "a catch-up replays only what the old index lacks: " + r);
            }
            for (String o : ORDERS) {
                assertEquals(model.head("order", o), store.headVersion("order", o),
                        "head of " + o + " (it was " + headsAtCopy.get(o) + " when the index was copied)");
            }
            assertEquals(1, store.headVersion("order", "born-after-copy"));
            model.assertMatches(store);
            model.assertAppendsContinue(store);
        }
        try (EventStore store = open()) {
            model.assertMatches(store);
        }
    }

    // ------------------------------------------------------------------ (d) torn tail

    @Test
    void aCorruptLastExcerptIsCutOnceAndItsPositionAndVersionAreReused() throws Exception {
        StoreModel model = createStore(80);
        long tailPosition = model.count();
        long tailVersion = model.head("order", "o-1") + 1;
        try (EventStore store = open()) {
            model.append(store, "order", "o-1", new Shipped("TAIL-MARKER-XYZ"));
        }
        StoreModel.Expected cut = model.removeLast();
        assertEquals(tailPosition, cut.position());

        Path newest = StoreFiles.newestJournalFile(dir);
        Map.Entry<Path, Long> hit = StoreFiles.findOnceInJournal(dir, "TAIL-MARKER-XY");
        assertEquals(newest, hit.getKey(), "the last event is in the newest journal file");
        StoreFiles.flipByte(hit.getKey(), hit.getValue() + 5);

        try (EventStore store = open()) {
            RecoveryReport r = store.recoveryReport();
            assertEquals(1, r.cutExcerpts().size(), "exactly one excerpt is cut: " + r);
            assertTrue(r.cutExcerpts().get(0).contains(newest.getFileName().toString()),
                    "the cut names the journal file " + newest.getFileName() + ": " + r.cutExcerpts());
            assertEquals(tailPosition, store.eventCount(), "the cut event is not counted");
            List<RecordedEvent> all = store.readAll(0, (int) tailPosition + 10);
            assertEquals(tailPosition, all.size(), "readAll stops before the cut event");
            assertTrue(all.stream().noneMatch(e -> e.event().equals(new Shipped("TAIL-MARKER-XYZ"))));
            assertEquals(tailVersion - 1, store.headVersion("order", "o-1"), "the head excludes the cut event");
            assertThrows(IllegalArgumentException.class, () -> store.readVersion("order", "o-1", tailVersion));
            model.assertMatches(store);

            AppendResult again = model.append(store, "order", "o-1", new Shipped("REPLACEMENT"));
            assertEquals(tailPosition, again.firstPosition(), "the next append takes the cut event's position");
            assertEquals(tailVersion, again.firstVersion(), "the next append takes the cut event's version");
            populate(store, model, 80, 90);
            model.assertMatches(store);
        }
        assertTrue(Files.exists(dir.resolve("journal-cuts.bin")), "the cut is persisted");

        // the cut excerpt is no longer the last one: only the persisted cut lets the journal be read
        try (EventStore store = open()) {
            assertTrue(store.recoveryReport().cutExcerpts().isEmpty(), "nothing new to cut: " + store.recoveryReport());
            model.assertMatches(store);
        }
        StoreFiles.deleteTree(index());
        try (EventStore store = open()) {
            RecoveryReport r = store.recoveryReport();
            assertTrue(r.indexRebuilt(), r.toString());
            assertTrue(r.cutExcerpts().isEmpty(), "a full replay skips the persisted cut: " + r);
            model.assertMatches(store);
            model.assertAppendsContinue(store);
        }
        try (EventStore ro = TestEvents.builder(dir).openReadOnly()) {
            model.assertMatches(ro);
        }
    }

    @Test
    void aTornTailBatchIsCutWhole() throws Exception {
        StoreModel model = createStore(40);
        long before = model.count();
        long headBefore = model.head("order", "o-2");
        try (EventStore store = open()) {
            model.appendAll(store, "order", "o-2",
                    List.of(new Shipped("BATCH-A"), new Shipped("BATCH-MARKER-MIDDLE"), new Shipped("BATCH-C")), EventMetadata.NONE);
        }
        model.removeLast();
        model.removeLast();
        model.removeLast();
        Map.Entry<Path, Long> hit = StoreFiles.findOnceInJournal(dir, "BATCH-MARKER-MIDDL");
        StoreFiles.flipByte(hit.getKey(), hit.getValue() + 3);
        try (EventStore store = open()) {
            assertEquals(1, store.recoveryReport().cutExcerpts().size(), store.recoveryReport().toString());
            assertEquals(before, store.eventCount(), "none of the batch survives, not even its intact first event");
            assertEquals(headBefore, store.headVersion("order", "o-2"));
            model.assertMatches(store);
            model.assertAppendsContinue(store);
        }
    }

    // ------------------------------------------------------------------ (e) damage before the end

    enum IndexBeforeOpen {
        /** as after a crash: the index must be rebuilt, so the whole journal is read */
        DIRTY,
        /** the index directory is gone: the whole journal is read */
        DELETED
    }

    @ParameterizedTest
    @EnumSource(IndexBeforeOpen.class)
    void corruptionBeforeTheJournalsEndFailsTheOpenNamingFileAndPositionAndChangesNoFile(IndexBeforeOpen how) throws Exception {
        StoreModel model = createStore(40);
        try (EventStore store = open()) {
            model.append(store, "order", "o-0", new Shipped("MIDDLE-MARKER-Q"));
            populate(store, model, 40, 80);
        }
        Map.Entry<Path, Long> hit = StoreFiles.findOnceInJournal(dir, "MIDDLE-MARKER-");
        StoreFiles.flipByte(hit.getKey(), hit.getValue() + 4);
        if (how == IndexBeforeOpen.DIRTY) {
            IndexState.read(indexState()).dirtyWith(0).write(indexState());
        } else {
            StoreFiles.deleteTree(index());
        }
        Map<String, String> before = StoreFiles.checksums(dir, RecoveryTest::notTheLock);

        for (int attempt = 1; attempt <= 2; attempt++) {
            HindsightException e = assertThrows(HindsightException.class, this::open, "attempt " + attempt);
            String msg = e.getMessage();
            assertTrue(msg.contains(hit.getKey().getFileName().toString()), "message names the journal file: " + msg);
            assertTrue(msg.contains("damaged"), msg);
            Matcher m = Pattern.compile("at position (\\d+)").matcher(msg);
            assertTrue(m.find(), "message names a position: " + msg);
            long reported = Long.parseLong(m.group(1));
            assertTrue(reported <= hit.getValue() && hit.getValue() - reported < 4096,
                    "the reported byte position " + reported + " is the damaged excerpt's (damage at " + hit.getValue() + ")");
            assertTrue(e.getCause() instanceof CorruptFrameException, "cause: " + e.getCause());
            // the second attempt proves the lock was released and nothing was "repaired" by the first
        }
        Map<String, String> after = StoreFiles.checksums(dir, RecoveryTest::notTheLock);
        assertEquals(sourceOfTruth(before), sourceOfTruth(after),
                "a failed open changes no byte of the journal, the catalog or the store marker");
        assertFalse(Files.exists(dir.resolve("journal-cuts.bin")), "damage before the end is never cut");
        if (how == IndexBeforeOpen.DIRTY) {
            // operations.md: "open fails with a message naming the file and byte position, and nothing is changed"
            assertEquals(before, after, "a failed open changes no file at all; changed: " + changed(before, after));
        }
    }

    private static boolean notTheLock(Path p) {
        return p.getFileName().toString().equals("hindsight.lock");
    }

    /** The files that are the store's truth: journal data files, cuts, catalog and marker (not the derived index). */
    private static Map<String, String> sourceOfTruth(Map<String, String> sums) {
        Map<String, String> out = new java.util.TreeMap<>(sums);
        out.keySet().removeIf(k -> k.startsWith("index") || k.endsWith(".cq4t"));
        return out;
    }

    private static List<String> changed(Map<String, String> before, Map<String, String> after) {
        java.util.Set<String> keys = new java.util.TreeSet<>(before.keySet());
        keys.addAll(after.keySet());
        return keys.stream().filter(k -> !java.util.Objects.equals(before.get(k), after.get(k))).toList();
    }

    @Test
    void corruptionBeforeTheEndBehindACleanIndexIsNeverServedAsData() throws Exception {
        StoreModel model = createStore(40);
        try (EventStore store = open()) {
            model.append(store, "order", "o-0", new Shipped("MIDDLE-MARKER-Q"));
            populate(store, model, 40, 80);
        }
        StoreModel.Expected damaged = model.events().stream()
                .filter(e -> e.event().equals(new Shipped("MIDDLE-MARKER-Q"))).findFirst().orElseThrow();
        Map.Entry<Path, Long> hit = StoreFiles.findOnceInJournal(dir, "MIDDLE-MARKER-");
        StoreFiles.flipByte(hit.getKey(), hit.getValue() + 4);
        EventStore store;
        try {
            store = open();
        } catch (HindsightException e) {
            // failing the open is the stricter acceptable answer
            assertTrue(e.getMessage().contains(hit.getKey().getFileName().toString()), e.getMessage());
            return;
        }
        try (store) {
            // a clean checkpoint is trusted without rereading the journal, so the damage shows on reading it
            RuntimeException onEntity = assertThrows(RuntimeException.class,
                    () -> store.readVersion("order", "o-0", damaged.version()));
            assertNamesFile(onEntity, hit.getKey());
            RuntimeException onLog = assertThrows(RuntimeException.class, () -> store.readAll(0, (int) model.count()));
            assertNamesFile(onLog, hit.getKey());
            // everything after the damaged excerpt still reads
            List<RecordedEvent> after = store.readAll(damaged.position() + 1, 1000);
            assertEquals(model.count() - damaged.position() - 1, after.size());
            StoreModel.assertSameEvent(model.last(), after.get(after.size() - 1), "readAll after the damage");
        }
    }

    private static void assertNamesFile(Throwable t, Path file) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof CorruptFrameException && String.valueOf(c.getMessage()).contains(file.getFileName().toString())) {
                return;
            }
        }
        fail("expected a CorruptFrameException naming " + file.getFileName() + ", got " + t);
    }

    // ------------------------------------------------------------------ (f) untrustworthy index

    @Test
    void aDirtyIndexStateAsLeftByACrashAfterTheJournalAppendForcesARebuild() throws Exception {
        StoreModel model = createStore(120);
        IndexState clean = IndexState.read(indexState());
        assertTrue(clean.clean());
        assertEquals(model.count(), clean.nextPosition(), "a clean close checkpoints every event");
        clean.dirtyWith(0).write(indexState());
        try (EventStore store = open()) {
            RecoveryReport r = store.recoveryReport();
            assertFalse(r.cleanShutdown(), r.toString());
            assertTrue(r.indexRebuilt(), r.toString());
            assertTrue(r.reason().contains("not closed cleanly"), r.reason());
            assertEquals(model.count(), r.eventsReplayed());
            model.assertMatches(store);
            model.assertAppendsContinue(store);
        }
    }

    @Test
    void anOpenStoreMarksTheIndexDirtyUntilItIsClosed() throws Exception {
        StoreModel model = createStore(10);
        try (EventStore store = open()) {
            model.append(store, "order", "o-0", new Shipped("x"));
            IndexState whileOpen = IndexState.read(indexState());
            assertFalse(whileOpen.clean(), "while open the state says dirty, so a crash forces a rebuild");
        }
        IndexState closed = IndexState.read(indexState());
        assertTrue(closed.clean());
        assertEquals(model.count(), closed.nextPosition());
    }

    @Test
    void aMissingIndexStateWithTheMapsStillThereForcesARebuild() throws Exception {
        StoreModel model = createStore(120);
        Files.delete(indexState());
        try (EventStore store = open()) {
            RecoveryReport r = store.recoveryReport();
            assertTrue(r.indexRebuilt(), r.toString());
            assertTrue(r.reason().contains("missing"), r.reason());
            model.assertMatches(store);
            model.assertAppendsContinue(store);
        }
    }

    enum Checkpoint {
        AHEAD_OF_THE_JOURNAL, POSITION_TOO_HIGH, POSITION_TOO_LOW, EXCERPT_OF_ANOTHER_POSITION
    }

    @ParameterizedTest
    @EnumSource(Checkpoint.class)
    void aCleanCheckpointThatDisagreesWithTheJournalForcesARebuild(Checkpoint lie) throws Exception {
        StoreModel model = createStore(120);
        IndexState s = IndexState.read(indexState());
        IndexState forged = switch (lie) {
            case AHEAD_OF_THE_JOURNAL -> new IndexState(true, s.nextPosition() + 5, s.lastExcerptIndex() + 5,
                    s.lastTimestampNanos(), s.entityCount());
            case POSITION_TOO_HIGH -> new IndexState(true, s.nextPosition() + 1, s.lastExcerptIndex(),
                    s.lastTimestampNanos(), s.entityCount());
            case POSITION_TOO_LOW -> new IndexState(true, s.nextPosition() - 1, s.lastExcerptIndex(),
                    s.lastTimestampNanos(), s.entityCount());
            case EXCERPT_OF_ANOTHER_POSITION -> new IndexState(true, s.nextPosition(), s.lastExcerptIndex() - 1,
                    s.lastTimestampNanos(), s.entityCount());
        };
        forged.write(indexState());
        try (EventStore store = open()) {
            RecoveryReport r = store.recoveryReport();
            assertTrue(r.indexRebuilt(), lie + ": " + r);
            assertEquals(model.count(), r.eventsReplayed(), r.toString());
            model.assertMatches(store);
            model.assertAppendsContinue(store);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"heads.cm", "blocks.cm"})
    void aMissingIndexMapBehindACleanStateForcesARebuild(String map) throws Exception {
        StoreModel model = createStore(120);
        Files.delete(index().resolve(map));
        try (EventStore store = open()) {
            RecoveryReport r = store.recoveryReport();
            assertTrue(r.indexRebuilt(), r.toString());
            assertTrue(r.reason().contains("missing"), r.reason());
            model.assertMatches(store);
            model.assertAppendsContinue(store);
        }
    }

    enum MapDamage {
        /** a zero-length file, as a failed copy or a full disk can leave */
        EMPTIED,
        /** the header survives, every entry is zeroed */
        ENTRIES_ZEROED,
        /** cut short inside the header */
        TRUNCATED
    }

    private void damage(Path map, MapDamage damage) throws Exception {
        try (FileChannel ch = FileChannel.open(map, StandardOpenOption.WRITE)) {
            long size = ch.size();
            assertTrue(size > 16384, map + " is " + size + " bytes");
            switch (damage) {
                case EMPTIED -> ch.truncate(0);
                case ENTRIES_ZEROED -> ch.write(ByteBuffer.wrap(new byte[(int) size - 8192]), 8192);
                case TRUNCATED -> ch.truncate(1000);
            }
            ch.force(true);
        }
    }

    // Not tested: random bytes over a map's header can make Chronicle Map wait a full minute for
    // "the process which created the file" before the open gives up and rebuilds.

    /**
     * operations.md promises that an index that is "corrupt or unreadable" is deleted and rebuilt:
     * a damaged map file behind a clean index.state must neither fail the open nor be served.
     */
    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"heads.cm, EMPTIED", "heads.cm, ENTRIES_ZEROED", "heads.cm, TRUNCATED",
            "blocks.cm, EMPTIED", "blocks.cm, TRUNCATED"})
    void aDamagedIndexMapBehindACleanStateIsRebuiltNotTrusted(String map, MapDamage how) throws Exception {
        StoreModel model = createStore(120);
        damage(index().resolve(map), how);
        EventStore store;
        try {
            store = open();
        } catch (RuntimeException e) {
            throw new AssertionError("a damaged index is derived data: it must be rebuilt, not fail the open", e);
        }
        try (store) {
            model.assertMatches(store);
            model.assertAppendsContinue(store);
        }
    }

    /** The worst consequence of trusting an emptied heads map: the journal gets a second version 1. */
    @Test
    void aDamagedIndexNeverLetsAnAppendReuseAVersionInTheJournal() throws Exception {
        StoreModel model = createStore(30);
        damage(index().resolve("heads.cm"), MapDamage.EMPTIED);
        long head = model.head("order", "o-0");
        String outcome;
        try (EventStore store = open()) {
            try {
                AppendResult r = store.append("order", "o-0", ExpectedVersion.NO_STREAM, new Shipped("second v1"));
                outcome = "NO_STREAM was accepted as " + r + " (recovery: " + store.recoveryReport() + ")";
            } catch (WrongExpectedVersionException e) {
                assertEquals(head, e.actualVersion());
                outcome = null;
            }
        }
        List<String> duplicates = new java.util.ArrayList<>();
        try (EventStore ro = TestEvents.builder(dir).openReadOnly()) {
            Map<String, Long> seen = new java.util.HashMap<>();
            for (RecordedEvent ev : ro.readAll(0, 10_000)) {
                long expected = seen.merge(ev.resourceType() + "/" + ev.entityId(), 1L, Long::sum);
                if (ev.version() != expected) {
                    duplicates.add(ev.toString() + " where version " + expected + " was due");
                }
            }
        }
        assertTrue(outcome == null && duplicates.isEmpty(), "order/o-0 has " + head + " events, yet after the heads map was"
                + " emptied: " + outcome + "; the journal now holds " + duplicates);
    }

    @Test
    void recoveryAfterACleanCloseWithNothingToRepairIsReportedClean() throws Exception {
        StoreModel model = createStore(60);
        try (EventStore store = open()) {
            RecoveryReport r = store.recoveryReport();
            assertTrue(r.wasClean(), r.toString());
            assertEquals("", r.reason());
            assertEquals(0, r.eventsReplayed());
            model.assertMatches(store);
        }
    }
}
