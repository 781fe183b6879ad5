package dev.hindsight.tools;

import dev.hindsight.engine.EventStore;
import dev.hindsight.engine.Resource;
import dev.hindsight.engine.ResourceType;
import dev.hindsight.engine.SnapshotPolicy;
import dev.hindsight.engine.Subscription;
import dev.hindsight.tools.Stores.Order;
import dev.hindsight.tools.Stores.Run;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static dev.hindsight.tools.Stores.cli;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Snapshots and durable subscriptions, as the engine writes them, checked by {@code verify} against the
 * journal and shown by {@code info}; damage in them is a problem with file and byte offset; nothing changes.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class DerivedArtifactsTest {
    static final ResourceType<Order> SNAPPED = ResourceType.define("order", Order.class)
            .event(Stores.PaymentReceived.class, 1, (o, e) -> new Order(o.customer(), o.amount(), "paid"))
            .snapshots(SnapshotPolicy.every(2))
            .build();

    @TempDir
    static Path shared;
    static Path healthy;

    @TempDir
    Path dir;
    @TempDir
    Path work;

    @BeforeAll
    static void createStore() throws Exception {
        healthy = shared.resolve("store");
        try (EventStore store = EventStore.builder(healthy).resource(SNAPPED).expectedEntities(1_000).open()) {
            Resource<Order> orders = store.resource(SNAPPED);
            for (int i = 0; i < 20; i++) {
                orders.create("o-" + i, new Order("c" + i, i, "pending"));
                for (int v = 0; v < 5; v++) {
                    orders.update("o-" + i, Map.of("amount", (long) (100 * v + i)));
                }
                orders.act("o-" + i, o -> List.of(new Stores.PaymentReceived("pay-" + o.customer(), o.amount())));
            }
            try (Subscription s = store.subscription("audit").fromStart().retries(0)
                    .handler(e -> {
                        if (e.position() == 7) {
                            throw new IllegalStateException("cannot handle position 7");
                        }
                    }).start()) {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while ((s.checkpointedPosition() < store.eventCount() || s.parkedEvents().isEmpty()) && System.nanoTime() < deadline) {
                    Thread.sleep(10);
                }
                assertEquals(1, s.parkedEvents().size());
            }
        }
        try (Stream<Path> snaps = Files.list(healthy.resolve("snapshots"))) {
            assertTrue(snaps.anyMatch(p -> p.toString().endsWith(".snap")), "the engine wrote snapshots");
        }
    }

    private Path copy() throws Exception {
        Path store = dir.resolve("store");
        Stores.copyTree(healthy, store);
        return store;
    }

    private Run verify(Path store) throws Exception {
        Map<String, String> before = Stores.checksums(store);
        Run r = cli("verify", store.toString(), "--work-dir", work.toString());
        assertEquals(before, Stores.checksums(store), "verify changes no byte: " + r);
        return r;
    }

    @Test
    void snapshotsAndSubscriptionsOfAHealthyStoreAgreeWithTheJournal() throws Exception {
        Run r = verify(healthy);
        assertEquals(0, r.exit(), r.toString());
        assertTrue(r.out().matches("(?s).*\nSnapshots      \\d+ segments?, (\\d+) records; \\1 positions they claim agree with the journal\n.*"), r.out());
        assertTrue(r.out().contains("Subscriptions  1 subscription, 1 parked event; every position is inside the journal"), r.out());

        Run info = cli("info", healthy.toString());
        assertEquals(0, info.exit(), info.toString());
        assertTrue(info.out().contains("Subscriptions    1: audit at position 120; 1 parked event"), info.out());
        assertTrue(info.out().matches("(?s).*\naudit +7 +1 .*IllegalStateException: cannot handle position 7\n.*"), info.out());
        assertTrue(info.out().matches("(?s).*\nSnapshots        \\d+ segments?, .*"), info.out());
    }

    @Test
    void stateStartsFromTheNewestSnapshotTheJournalConfirmsSoCustomEventsBeforeItAreApplied() throws Exception {
        Run fromSnapshot = cli("state", healthy.toString(), "order", "o-0");
        assertEquals(0, fromSnapshot.exit(), fromSnapshot.toString());
        assertTrue(fromSnapshot.out().contains("\"version\": 6") && fromSnapshot.out().contains("\"fromSnapshot\": 6"), fromSnapshot.out());
        assertTrue(fromSnapshot.out().contains("\"state\": {\"customer\":\"c0\",\"amount\":400,\"status\":\"paid\"}")
                && fromSnapshot.out().contains("\"complete\": true"), "the application applied the payment when it took the snapshot: " + fromSnapshot.out());
        assertEquals("", fromSnapshot.err());

        Run replay = cli("state", healthy.toString(), "order", "o-0", "--no-snapshots");
        assertEquals(0, replay.exit(), replay.toString());
        assertTrue(replay.out().contains("\"fromSnapshot\": null") && replay.out().contains("\"complete\": false"), replay.out());
        assertTrue(replay.out().contains("\"status\":\"pending\""), "the payment is not applied without the application's code: " + replay.out());

        Run early = cli("state", healthy.toString(), "order", "o-0", "--version", "3");
        assertTrue(early.out().contains("\"fromSnapshot\": 2") && early.out().contains("\"complete\": true"), early.out());
    }

    @Test
    void aDamagedSnapshotRecordIsAProblemAtItsSegmentAndOffset() throws Exception {
        Path store = copy();
        Path segment;
        try (Stream<Path> snaps = Files.list(store.resolve("snapshots"))) {
            segment = snaps.filter(p -> p.toString().endsWith(".snap")).sorted().findFirst().orElseThrow();
        }
        long at = Stores.findFirstIn(segment, "o-3");
        Stores.flipByte(segment, at);
        Run r = verify(store);
        assertEquals(1, r.exit(), r.toString());
        assertTrue(r.out().matches("(?s).*PROBLEM snapshots/" + segment.getFileName() + " byte \\d+: record checksum mismatch \\(derived data: the store"
                + " ignores this record and the rest of the segment\\)\n.*"), r.out());
    }

    @Test
    void aSnapshotThatClaimsAnotherEventIsAProblem() throws Exception {
        Path store = copy();
        Path segment;
        try (Stream<Path> snaps = Files.list(store.resolve("snapshots"))) {
            segment = snaps.filter(p -> p.toString().endsWith(".snap")).sorted().findFirst().orElseThrow();
        }
        // rewrite the first record's global position (+1) with a fresh CRC: a claim the journal contradicts
        try (FileChannel ch = FileChannel.open(segment, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer len = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
            ch.read(len, 64);
            int length = len.getInt(0);
            ByteBuffer rec = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
            ch.read(rec, 64);
            rec.putLong(24, rec.getLong(24) + 1);
            java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
            crc.update(rec.array(), 4, length - 8);
            rec.putInt(length - 4, (int) crc.getValue());
            rec.clear();
            ch.write(rec, 64);
        }
        Run r = verify(store);
        assertEquals(1, r.exit(), r.toString());
        assertTrue(r.out().contains("PROBLEM snapshots/" + segment.getFileName() + " byte 64: a snapshot claims position "), r.out());
        assertTrue(r.out().contains(" for another event than the journal's there: order/"), r.out());
    }

    @Test
    void aDamagedCheckpointOrParkedFileIsAProblem() throws Exception {
        Path store = copy();
        Stores.flipByte(store.resolve("subscriptions").resolve("audit.ckpt"), 30);
        Stores.flipByte(store.resolve("subscriptions").resolve("audit.parked"), 30);
        Run r = verify(store);
        assertEquals(1, r.exit(), r.toString());
        assertTrue(r.out().contains("PROBLEM subscriptions/audit.ckpt byte "), r.out());
        assertTrue(r.out().contains("PROBLEM subscriptions/audit.parked byte "), r.out());
        assertTrue(r.out().contains("the subscription refuses to start until the file is deleted"), r.out());
        assertEquals(0, cli("info", store.toString()).exit(), "info still shows what it can");
    }
}
