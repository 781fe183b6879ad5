package dev.hindsight.engine;

import dev.hindsight.codec.EventMetadata;
import dev.hindsight.engine.TestEvents.OrderPlaced;
import dev.hindsight.engine.TestEvents.PaymentReceived;
import dev.hindsight.engine.TestEvents.Shipped;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EventStoreTest {
    @TempDir
    Path dir;

    @Test
    void appendsAssignGaplessPositionsAndPerEntityVersions() {
        try (EventStore store = TestEvents.builder(dir).open()) {
            AppendResult a1 = store.append("order", "o-1", ExpectedVersion.NO_STREAM, new OrderPlaced("alice", 500));
            AppendResult b1 = store.append("order", "o-2", ExpectedVersion.NO_STREAM, new OrderPlaced("bob", 700));
            AppendResult a2 = store.append("order", "o-1", 1, new PaymentReceived("p-1", 500));
            assertEquals(0, a1.firstPosition());
            assertEquals(1, b1.firstPosition());
            assertEquals(2, a2.firstPosition());
            assertEquals(1, a1.firstVersion());
            assertEquals(1, b1.firstVersion());
            assertEquals(2, a2.firstVersion());
            assertTrue(a2.timestampNanos() >= b1.timestampNanos() && b1.timestampNanos() >= a1.timestampNanos());
            assertEquals(3, store.eventCount());
            assertEquals(2, store.headVersion("order", "o-1"));
            assertEquals(0, store.headVersion("order", "nobody"));
        }
    }

    @Test
    void readsAnEntityFromAVersionWithTypedEventsAndMetadata() {
        EventMetadata meta = EventMetadata.builder().actor("alice").correlationId("c-1").causationId("cmd-9")
                .reason("checkout").attribute("channel", "web").build();
        try (EventStore store = TestEvents.builder(dir).open()) {
            store.append("order", "o-1", ExpectedVersion.NO_STREAM, new OrderPlaced("alice", 500), meta);
            store.append("order", "o-1", 1, new PaymentReceived("p-1", 500), meta);
            store.append("order", "o-1", 2, new Shipped("DHL"), meta);

            List<RecordedEvent> all = store.readEntity("order", "o-1", 1);
            assertEquals(List.of(new OrderPlaced("alice", 500), new PaymentReceived("p-1", 500), new Shipped("DHL")),
                    all.stream().map(RecordedEvent::event).toList());
            assertEquals(meta, all.get(2).metadata());
            assertEquals("Shipped", all.get(2).eventType());
            assertEquals(List.of(2L, 3L), store.readEntity("order", "o-1", 2).stream().map(RecordedEvent::version).toList());
            assertEquals(new PaymentReceived("p-1", 500), store.readVersion("order", "o-1", 2).eventAs(PaymentReceived.class));
            assertTrue(store.readEntity("order", "o-1", 4).isEmpty());
        }
    }

    @Test
    void readsTheGlobalLogFromAPosition() {
        try (EventStore store = TestEvents.builder(dir).open()) {
            for (int i = 0; i < 50; i++) {
                store.append("order", "o-" + (i % 7), ExpectedVersion.ANY, new OrderPlaced("c" + i, i));
            }
            List<RecordedEvent> tail = store.readAll(42, 100);
            assertEquals(8, tail.size());
            for (int i = 0; i < tail.size(); i++) {
                assertEquals(42 + i, tail.get(i).position());
                assertEquals(new OrderPlaced("c" + (42 + i), 42 + i), tail.get(i).event());
            }
            assertEquals(5, store.readAll(0, 5).size());
            assertTrue(store.readAll(50, 10).isEmpty());
        }
    }

    @Test
    void appendAllWritesContiguousVersionsAtomically() {
        try (EventStore store = TestEvents.builder(dir).open()) {
            store.append("order", "other", ExpectedVersion.NO_STREAM, new OrderPlaced("x", 1));
            AppendResult r = store.appendAll("order", "o-1", ExpectedVersion.NO_STREAM,
                    List.of(new OrderPlaced("alice", 5), new PaymentReceived("p", 5), new Shipped("UPS")), EventMetadata.NONE);
            assertEquals(1, r.firstPosition());
            assertEquals(3, r.count());
            assertEquals(3, r.lastVersion());
            List<RecordedEvent> events = store.readEntity("order", "o-1", 1);
            assertEquals(List.of(1L, 2L, 3L), events.stream().map(RecordedEvent::version).toList());
            assertEquals(List.of(1L, 2L, 3L), events.stream().map(RecordedEvent::position).toList());
            assertTrue(events.stream().allMatch(e -> e.timestampNanos() == r.timestampNanos()));
        }
    }

    @Test
    void aWrongExpectedVersionNamesEntityExpectedAndActualAndWritesNothing() {
        try (EventStore store = TestEvents.builder(dir).open()) {
            store.append("order", "order-123", ExpectedVersion.NO_STREAM, new OrderPlaced("alice", 1));
            for (int i = 2; i <= 6; i++) {
                store.append("order", "order-123", ExpectedVersion.ANY, new Shipped("v" + i));
            }
            WrongExpectedVersionException e = assertThrows(WrongExpectedVersionException.class,
                    () -> store.append("order", "order-123", 4, new Shipped("late")));
            assertEquals("expected version 4 of order/order-123 but it is at version 6", e.getMessage());
            assertEquals(4, e.expectedVersion());
            assertEquals(6, e.actualVersion());
            WrongExpectedVersionException noStream = assertThrows(WrongExpectedVersionException.class,
                    () -> store.appendAll("order", "order-123", ExpectedVersion.NO_STREAM, List.of(new Shipped("a"), new Shipped("b")), EventMetadata.NONE));
            assertTrue(noStream.getMessage().contains("no stream"), noStream.getMessage());
            assertEquals(6, store.eventCount());
            assertEquals(6, store.headVersion("order", "order-123"));
        }
    }

    @Test
    void reopeningKeepsEveryEventAndContinuesPositionsAndVersions() {
        try (EventStore store = TestEvents.builder(dir).open()) {
            store.append("order", "o-1", ExpectedVersion.NO_STREAM, new OrderPlaced("alice", 1));
            store.append("order", "o-1", 1, new Shipped("DHL"));
        }
        try (EventStore store = TestEvents.builder(dir).open()) {
            assertTrue(store.recoveryReport().wasClean(), store.recoveryReport().toString());
            assertEquals(2, store.eventCount());
            AppendResult r = store.append("order", "o-1", 2, new Shipped("again"));
            assertEquals(2, r.firstPosition());
            assertEquals(3, r.firstVersion());
            assertEquals(3, store.readEntity("order", "o-1", 1).size());
        }
    }

    @Test
    void timestampsNeverDecreaseWithPosition() {
        try (EventStore store = TestEvents.builder(dir).open()) {
            for (int i = 0; i < 2000; i++) {
                store.append("order", "o-" + (i % 13), ExpectedVersion.ANY, new OrderPlaced("c", i));
            }
            List<RecordedEvent> all = new ArrayList<>();
            store.readAll(0, 5000, all::add);
            assertEquals(2000, all.size());
            for (int i = 1; i < all.size(); i++) {
                assertTrue(all.get(i).timestampNanos() >= all.get(i - 1).timestampNanos());
            }
        }
    }

    @Test
    void appendsAfterCloseFailClearly() {
        EventStore store = TestEvents.builder(dir).open();
        store.close();
        StoreClosedException e = assertThrows(StoreClosedException.class,
                () -> store.append("order", "o-1", ExpectedVersion.ANY, new Shipped("x")));
        assertTrue(e.getMessage().contains("is closed"), e.getMessage());
        store.close(); // idempotent
    }

    @Test
    void osCrashDurabilityAcknowledgesAfterSync() {
        try (EventStore store = TestEvents.builder(dir).durability(Durability.OS_CRASH).open()) {
            for (int i = 0; i < 20; i++) {
                store.append("order", "o-1", i, new Shipped("s" + i));
            }
            assertEquals(20, store.headVersion("order", "o-1"));
        }
        try (EventStore store = TestEvents.builder(dir).open()) {
            assertEquals(20, store.readEntity("order", "o-1", 1).size());
        }
    }

    @Test
    void journalCrossesRollCycleFilesWithoutLosingPositions() throws Exception {
        try (EventStore store = TestEvents.builder(dir).rollCycle(JournalRollCycle.TEST_SECONDLY).open()) {
            for (int i = 0; i < 30; i++) {
                store.append("order", "o-" + (i % 3), ExpectedVersion.ANY, new OrderPlaced("c", i));
                if (i % 10 == 9) {
                    Thread.sleep(1100);
                }
            }
            for (int from : new int[]{0, 9, 10, 11, 19, 20, 29}) {
                List<RecordedEvent> events = store.readAll(from, 100);
                assertEquals(30 - from, events.size(), "from " + from);
                assertEquals(from, events.get(0).position());
            }
            assertEquals(10, store.readEntity("order", "o-1", 1).size());
        }
    }
}
