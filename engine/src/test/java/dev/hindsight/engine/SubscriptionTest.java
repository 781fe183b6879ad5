package dev.hindsight.engine;

import dev.hindsight.codec.EventMetadata;
import dev.hindsight.engine.TestEvents.OrderPlaced;
import dev.hindsight.engine.TestEvents.PaymentReceived;
import dev.hindsight.engine.TestEvents.Shipped;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a subscription delivers, from where, to which handler, and what it keeps on disk. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SubscriptionTest {
    static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    static void appendOrders(EventStore store, int from, int count) {
        for (int i = from; i < from + count; i++) {
            store.append("order", "o-" + i, ExpectedVersion.NO_STREAM, new OrderPlaced("c-" + (i % 7), i));
        }
    }

    static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(2);
        }
    }

    static List<Long> positions(List<RecordedEvent> events) {
        List<Long> out = new ArrayList<>();
        for (RecordedEvent e : events) {
            out.add(e.position());
        }
        return out;
    }

    static List<Long> range(long from, long to) {
        List<Long> out = new ArrayList<>();
        for (long p = from; p < to; p++) {
            out.add(p);
        }
        return out;
    }

    @Test
    void catchesUpThenDeliversNewAppendsInGlobalOrderWithTheEventsReadAllReturns() throws Exception {
        try (EventStore store = TestEvents.builder(dir).open()) {
            appendOrders(store, 0, 100);
            List<RecordedEvent> seen = Collections.synchronizedList(new ArrayList<>());
            try (Subscription s = store.subscription("all").handler(seen::add).start()) {
                appendOrders(store, 100, 100);
                assertTrue(s.awaitPosition(200, WAIT), "reached 200: " + s);
                assertEquals(store.readAll(0, 1000), seen, "the same events, decoded, in global order");
                assertEquals(0, s.lag());
                assertEquals("all", s.name());
                assertTrue(s.isRunning());
                assertNull(s.failure());
            }
        }
    }

    @Test
    void startsFromAPositionAnInstantOrNow() throws Exception {
        try (EventStore store = TestEvents.builder(dir).open()) {
            appendOrders(store, 0, 10);
            Thread.sleep(5);
            Instant between = Instant.now();
            Thread.sleep(5);
            appendOrders(store, 10, 10);
            List<RecordedEvent> fromPosition = Collections.synchronizedList(new ArrayList<>());
            List<RecordedEvent> fromInstant = Collections.synchronizedList(new ArrayList<>());
            List<RecordedEvent> fromNow = Collections.synchronizedList(new ArrayList<>());
            List<RecordedEvent> fromEnd = Collections.synchronizedList(new ArrayList<>());
            try (Subscription a = store.subscription("a").fromPosition(15).handler(fromPosition::add).start();
                 Subscription b = store.subscription("b").fromInstant(between).handler(fromInstant::add).start();
                 Subscription c = store.subscription("c").fromNow().handler(fromNow::add).start();
                 Subscription d = store.subscription("d").fromPosition(20).handler(fromEnd::add).start();
                 Subscription e = store.subscription("e").fromInstant(Instant.EPOCH).viewHandler(v -> { }).start()) {
                assertEquals(20, c.position(), "fromNow starts at the store's end");
                assertEquals(0, e.position(), "an instant before the first event starts at 0");
                appendOrders(store, 20, 2);
                for (Subscription s : List.of(a, b, c, d, e)) {
                    assertTrue(s.awaitPosition(22, WAIT), s.toString());
                }
            }
            assertEquals(range(15, 22), positions(fromPosition));
            assertEquals(range(10, 22), positions(fromInstant), "the first event at or after the instant");
            assertEquals(range(20, 22), positions(fromNow));
            assertEquals(range(20, 22), positions(fromEnd));
        }
    }

    @Test
    void filtersByResourceTypeAndEventTypeWithoutDecodingTheRest() throws Exception {
        try (EventStore store = TestEvents.builder(dir).open()) {
            for (int i = 0; i < 30; i++) {
                store.append("order", "o-" + i, ExpectedVersion.ANY, new OrderPlaced("c", i));
                store.append("payment", "p-" + i, ExpectedVersion.ANY, new PaymentReceived("pay-" + i, i));
                store.append("order", "o-" + i, ExpectedVersion.ANY, new Shipped("dhl"));
            }
            List<RecordedEvent> orders = Collections.synchronizedList(new ArrayList<>());
            List<RecordedEvent> shipped = Collections.synchronizedList(new ArrayList<>());
            List<RecordedEvent> both = Collections.synchronizedList(new ArrayList<>());
            List<RecordedEvent> byClass = Collections.synchronizedList(new ArrayList<>());
            try (Subscription a = store.subscription("orders").resourceTypes("order").handler(orders::add).start();
                 Subscription b = store.subscription("shipped").eventTypes("Shipped").handler(shipped::add).start();
                 Subscription c = store.subscription("both").resourceTypes("order", "payment").eventTypes("OrderPlaced", "PaymentReceived")
                         .handler(both::add).start();
                 Subscription d = store.subscription("by-class").eventTypes(PaymentReceived.class).handler(byClass::add).start()) {
                for (Subscription s : List.of(a, b, c, d)) {
                    assertTrue(s.awaitPosition(90, WAIT), s.toString());
                    assertEquals(0, s.lag());
                }
            }
            List<RecordedEvent> all = store.readAll(0, 100);
            assertEquals(all.stream().filter(e -> e.resourceType().equals("order")).toList(), orders);
            assertEquals(all.stream().filter(e -> e.eventType().equals("Shipped")).toList(), shipped);
            assertEquals(all.stream().filter(e -> !e.eventType().equals("Shipped")).toList(), both);
            assertEquals(all.stream().filter(e -> e.resourceType().equals("payment")).toList(), byClass);
        }
    }

    @Test
    void aViewHandlerSeesTheSameEventsAndDecodesOnDemand() throws Exception {
        try (EventStore store = TestEvents.builder(dir).open()) {
            EventMetadata meta = EventMetadata.builder().actor("ann").correlationId("c-1").attribute("k", "v").build();
            store.append("order", "o-1", ExpectedVersion.NO_STREAM, new OrderPlaced("alice", 5), meta);
            store.append("order", "o-1", 1, new Shipped("ups"));
            store.append("payment", "p-1", ExpectedVersion.NO_STREAM, new PaymentReceived("pay", 5));
            List<RecordedEvent> copies = Collections.synchronizedList(new ArrayList<>());
            List<String> headers = Collections.synchronizedList(new ArrayList<>());
            try (Subscription s = store.subscription("views").viewHandler(v -> {
                headers.add(v.position() + " " + v.resourceType() + "/" + v.entityId() + " v" + v.version() + " "
                        + v.eventType() + " " + v.eventTypeId() + " " + v.schemaVersion() + " " + v.resourceTypeIs("order")
                        + " " + v.entityIdIs("o-1") + " " + (v.timestampNanos() > 0));
                copies.add(v.toRecorded());
                if (v.position() == 0) {
                    assertEquals(new OrderPlaced("alice", 5), v.eventAs(OrderPlaced.class));
                    assertThrows(ClassCastException.class, () -> v.eventAs(Shipped.class));
                    assertEquals(meta, v.metadata());
                }
            }).start()) {
                assertTrue(s.awaitPosition(3, WAIT));
            }
            assertEquals(store.readAll(0, 10), copies);
            assertEquals(List.of("0 order/o-1 v1 OrderPlaced 1 1 true true true", "1 order/o-1 v2 Shipped 3 1 true true true",
                    "2 payment/p-1 v1 PaymentReceived 2 1 false false true"), headers);
        }
    }

    @Test
    void aFailingHandlerIsRetriedThenTheEventIsParkedAndTheSubscriptionMovesOn() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        List<Long> handled = Collections.synchronizedList(new ArrayList<>());
        AtomicReference<Boolean> broken = new AtomicReference<>(true);
        EventHandler handler = e -> {
            if (e.position() == 3 && broken.get()) {
                calls.incrementAndGet();
                throw new IllegalStateException("cannot handle order " + e.entityId());
            }
            handled.add(e.position());
        };
        try (EventStore store = TestEvents.builder(dir).open()) {
            appendOrders(store, 0, 6);
            try (Subscription s = store.subscription("picky").retries(2).retryBackoff(Duration.ofMillis(1), Duration.ofMillis(4))
                    .handler(handler).start()) {
                assertTrue(s.awaitPosition(6, WAIT));
                assertEquals(3, calls.get(), "one call and two retries");
                assertEquals(List.of(0L, 1L, 2L, 4L, 5L), handled, "the subscription moved on past the parked event");
                ParkedEvent p = s.parkedEvents().get(0);
                assertEquals(1, s.parkedEvents().size());
                assertEquals(3, p.position());
                assertEquals(3, p.attempts());
                assertEquals("picky", p.subscription());
                assertEquals("java.lang.IllegalStateException: cannot handle order o-3", p.lastError());
                assertEquals(List.of(p), store.subscriptions().get(0).parkedEvents(), "visible through the store");

                assertEquals(0, s.retryParked().get(10, TimeUnit.SECONDS), "still broken: nothing handled");
                assertEquals(4, s.parkedEvents().get(0).attempts(), "the retry counts as an attempt");
            }
        }
        assertTrue(Files.exists(dir.resolve("subscriptions/picky.parked")), "parked events are kept in a file");
        broken.set(false);
        try (EventStore store = TestEvents.builder(dir).open()) {
            try (Subscription s = store.subscription("picky").handler(handler).start()) {
                assertEquals(6, s.position(), "resumed from the checkpoint");
                assertEquals(List.of(3L), s.parkedEvents().stream().map(ParkedEvent::position).toList(), "parked survives a restart");
                assertEquals(1, s.retryParked().get(10, TimeUnit.SECONDS));
                assertTrue(s.parkedEvents().isEmpty());
                assertEquals(List.of(0L, 1L, 2L, 4L, 5L, 3L), handled, "a retried event comes after newer ones");
                appendOrders(store, 6, 1);
                assertTrue(s.awaitPosition(7, WAIT));
            }
            assertTrue(store.subscriptions().get(0).parkedEvents().isEmpty());
        }
    }

    @Test
    void resetRedeliversFromTheGivenPositionAndForgetsParkedEvents() throws Exception {
        try (EventStore store = TestEvents.builder(dir).open()) {
            appendOrders(store, 0, 10);
            List<Long> seen = Collections.synchronizedList(new ArrayList<>());
            java.util.concurrent.atomic.AtomicBoolean failOnce = new java.util.concurrent.atomic.AtomicBoolean(true);
            try (Subscription s = store.subscription("again").retries(0).handler(e -> {
                if (e.position() == 9 && failOnce.getAndSet(false)) {
                    throw new IllegalStateException("once");
                }
                seen.add(e.position());
            }).start()) {
                assertTrue(s.awaitPosition(10, WAIT));
                assertEquals(1, s.parkedEvents().size());
                s.resetTo(0).get(10, TimeUnit.SECONDS);
                assertTrue(s.parkedEvents().isEmpty());
                assertTrue(s.awaitPosition(10, WAIT));
                s.resetTo(8).get(10, TimeUnit.SECONDS);
                assertTrue(s.awaitPosition(10, WAIT));
                await(() -> s.checkpointedPosition() == 10, "checkpoint at 10");
            }
            List<Long> expected = new ArrayList<>(range(0, 9));
            expected.addAll(range(0, 10));
            expected.addAll(range(8, 10));
            assertEquals(expected, seen);
        }
    }

    @Test
    void aNonDurableSubscriptionWritesNoFileAndStartsFromItsSettingEachTime() throws Exception {
        try (EventStore store = TestEvents.builder(dir).open()) {
            appendOrders(store, 0, 5);
            for (int round = 0; round < 2; round++) {
                List<Long> seen = Collections.synchronizedList(new ArrayList<>());
                try (Subscription s = store.subscription("volatile").durable(false).handler(e -> seen.add(e.position())).start()) {
                    assertTrue(s.awaitPosition(5, WAIT));
                }
                assertEquals(range(0, 5), seen);
            }
            assertFalse(Files.exists(dir.resolve("subscriptions")), "no subscription directory");
            assertTrue(store.subscriptions().isEmpty());
        }
    }

    @Test
    void aStalledHandlerDoesNotHoldUpAppendsOrOtherSubscriptions() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        try (EventStore store = TestEvents.builder(dir).open()) {
            List<Long> other = Collections.synchronizedList(new ArrayList<>());
            try (Subscription stuck = store.subscription("stuck").handler(e -> release.await()).start();
                 Subscription fine = store.subscription("fine").handler(e -> other.add(e.position())).start()) {
                appendOrders(store, 0, 5_000);
                assertEquals(5_000, store.eventCount(), "every append was acknowledged while a handler was stuck");
                assertTrue(fine.awaitPosition(5_000, WAIT));
                assertEquals(0, stuck.position());
                assertEquals(5_000, stuck.lag());
                release.countDown();
                assertTrue(stuck.awaitPosition(5_000, WAIT));
            }
        }
    }

    @Test
    void closingTheStoreClosesItsSubscriptionsAtTheirCheckpoint() throws Exception {
        Subscription s;
        try (EventStore store = TestEvents.builder(dir).open()) {
            appendOrders(store, 0, 20);
            s = store.subscription("closing").checkpointInterval(Duration.ofHours(1)).handler(e -> { }).start();
            assertTrue(s.awaitPosition(20, WAIT));
        }
        assertFalse(s.isRunning());
        assertEquals(20, s.checkpointedPosition());
        assertNull(s.failure());
        java.util.concurrent.ExecutionException refused = assertThrows(java.util.concurrent.ExecutionException.class,
                () -> s.retryParked().get(), "a closed subscription takes no request");
        assertInstanceOf(IllegalStateException.class, refused.getCause());
        try (EventStore store = TestEvents.builder(dir).open()) {
            List<SubscriptionStatus> statuses = store.subscriptions();
            assertEquals(List.of(new SubscriptionStatus("closing", false, 20, 0, List.of(), "")), statuses);
            assertThrows(StoreClosedException.class, () -> {
                store.close();
                store.subscription("late");
            });
        }
    }

    @Test
    void aHandlerMayAppendToTheStoreItListensTo() throws Exception {
        try (EventStore store = TestEvents.builder(dir).open()) {
            try (Subscription shipper = store.subscription("shipper").eventTypes(OrderPlaced.class).handler(e ->
                    store.append("order", e.entityId(), e.version(), new Shipped("dhl"))).start()) {
                appendOrders(store, 0, 50);
                assertTrue(shipper.awaitPosition(100, WAIT), "its own appends are delivered too (and filtered out)");
            }
            for (int i = 0; i < 50; i++) {
                assertEquals(2, store.headVersion("order", "o-" + i));
            }
        }
    }

    @Test
    void aSubscriptionMayBeClosedFromItsOwnHandler() throws Exception {
        try (EventStore store = TestEvents.builder(dir).open()) {
            appendOrders(store, 0, 10);
            AtomicReference<Subscription> self = new AtomicReference<>();
            List<Long> seen = Collections.synchronizedList(new ArrayList<>());
            CountDownLatch started = new CountDownLatch(1);
            Subscription s = store.subscription("quitter").handler(e -> {
                started.await();
                seen.add(e.position());
                if (e.position() == 4) {
                    self.get().close();
                }
            }).start();
            self.set(s);
            started.countDown();
            await(() -> !s.isRunning(), "stopped");
            s.close(); // from this thread: waits for the subscription's thread to end
            assertTrue(store.subscriptions().stream().noneMatch(SubscriptionStatus::running), "unregistered");
            assertEquals(range(0, 5), seen);
            assertEquals(5, store.subscriptions().get(0).position());
            try (Subscription again = store.subscription("quitter").handler(e -> seen.add(e.position())).start()) {
                assertTrue(again.awaitPosition(10, WAIT));
            }
            assertEquals(range(0, 10), seen);
        }
    }

    @Test
    void anOsCrashStoreDeliversSyncedAppends() throws Exception {
        try (EventStore store = TestEvents.builder(dir).durability(Durability.OS_CRASH).open()) {
            List<Long> seen = Collections.synchronizedList(new ArrayList<>());
            try (Subscription s = store.subscription("durable").handler(e -> seen.add(e.position())).start()) {
                appendOrders(store, 0, 20);
                assertTrue(s.awaitPosition(20, WAIT));
            }
            assertEquals(range(0, 20), seen);
        }
    }

    @Test
    void theSubscriptionFilesAreWhereTheFormatDocumentSaysAndNothingElseIsWritten() throws Exception {
        try (EventStore store = TestEvents.builder(dir).open()) {
            appendOrders(store, 0, 3);
            try (Subscription s = store.subscription("files").retries(0).handler(e -> {
                if (e.position() == 1) {
                    throw new IllegalArgumentException("no");
                }
            }).start()) {
                assertTrue(s.awaitPosition(3, WAIT));
            }
        }
        try (var files = Files.list(dir.resolve("subscriptions"))) {
            assertEquals(Set.of("files.ckpt", "files.parked", "subscriptions.lock"),
                    files.map(p -> p.getFileName().toString()).collect(java.util.stream.Collectors.toSet()));
        }
    }

    @Test
    void genericEventsAreDeliveredToAProcessWithoutTheClasses() throws Exception {
        try (EventStore store = TestEvents.builder(dir).open()) {
            appendOrders(store, 0, 2);
        }
        try (EventStore store = EventStore.builder(dir).open()) {
            List<RecordedEvent> seen = Collections.synchronizedList(new ArrayList<>());
            try (Subscription s = store.subscription("generic").eventTypes("OrderPlaced").handler(seen::add).start()) {
                assertTrue(s.awaitPosition(2, WAIT));
            }
            dev.hindsight.codec.GenericEvent g = assertInstanceOf(dev.hindsight.codec.GenericEvent.class, seen.get(1).event());
            assertEquals("c-1", g.fields().get("customer"));
        }
    }

    @Test
    void aSubscriptionToAnEmptyStoreDeliversTheFirstAppends() throws Exception {
        try (EventStore store = TestEvents.builder(dir).open();
             EventStore ro = TestEvents.builder(dir).openReadOnly()) {
            List<Long> writerSide = Collections.synchronizedList(new ArrayList<>());
            List<Long> readerSide = Collections.synchronizedList(new ArrayList<>());
            try (Subscription w = store.subscription("w").handler(e -> writerSide.add(e.position())).start();
                 Subscription r = ro.subscription("r").durable(false).handler(e -> readerSide.add(e.position())).start()) {
                assertEquals(0, w.position());
                Thread.sleep(20); // both wait at the end of an empty journal
                appendOrders(store, 0, 3);
                assertTrue(w.awaitPosition(3, WAIT), w.toString());
                assertTrue(r.awaitPosition(3, WAIT), r.toString());
            }
            assertEquals(range(0, 3), writerSide);
            assertEquals(range(0, 3), readerSide);
        }
    }

    @Test
    void deliveryCrossesJournalFileBoundaries() throws Exception {
        try (EventStore store = TestEvents.builder(dir).rollCycle(JournalRollCycle.TEST_SECONDLY).open()) {
            List<Long> live = Collections.synchronizedList(new ArrayList<>());
            try (Subscription s = store.subscription("live").handler(e -> live.add(e.position())).start()) {
                for (int second = 0; second < 3; second++) {
                    appendOrders(store, second * 20, 20);
                    Thread.sleep(1100); // the next appends go to a new cycle file
                }
                assertTrue(s.awaitPosition(60, WAIT));
            }
            assertTrue(store.readAll(0, 100).get(59).position() == 59);
            List<Long> later = Collections.synchronizedList(new ArrayList<>());
            try (Subscription s = store.subscription("later").fromPosition(15).handler(e -> later.add(e.position())).start()) {
                assertTrue(s.awaitPosition(60, WAIT));
            }
            assertEquals(range(0, 60), live);
            assertEquals(range(15, 60), later);
            try (var files = Files.list(dir.resolve("journal"))) {
                assertTrue(files.filter(f -> f.toString().endsWith(".cq4")).count() >= 3, "the journal rolled");
            }
        }
    }
}
