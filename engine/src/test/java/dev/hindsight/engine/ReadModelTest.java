package dev.hindsight.engine;

import dev.hindsight.engine.Revenue.Canceled;
import dev.hindsight.engine.Revenue.Order;
import net.openhft.chronicle.map.ChronicleMap;
import net.openhft.chronicle.map.ChronicleMapBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A read model kept exactly-once: replays, retries and rebuilds apply every event once per key. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ReadModelTest {
    static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private Path store() {
        return dir.resolve("store");
    }

    private Path model() {
        return dir.resolve("views/revenue");
    }

    private EventStore open() {
        return EventStore.builder(store()).resource(Revenue.ORDER).open();
    }

    /** Creates, updates and cancels orders of a few customers. */
    static void trade(EventStore store, Random random, int orders, int idBase) {
        Resource<Order> o = store.resource(Revenue.ORDER);
        for (int i = 0; i < orders; i++) {
            String id = "o-" + (idBase + i);
            o.create(id, new Order("c-" + random.nextInt(5), 100 + random.nextInt(900), "pending"));
            int r = random.nextInt(4);
            if (r == 0) {
                o.update(id, Map.of("amount", (long) (100 + random.nextInt(900))));
            } else if (r == 1) {
                o.act(id, x -> List.of(new Canceled("changed mind")));
            } else if (r == 2) {
                o.destroy(id);
            }
        }
    }

    private Subscription project(EventStore store, ReadModel<Long> model) {
        return store.subscription("revenue").resourceTypes("order")
                .projection(model, Revenue.projection(store.resource(Revenue.ORDER))).start();
    }

    private static Map<String, Long> expected(EventStore store) {
        return Revenue.fromLog(store.readAll(0, Integer.MAX_VALUE));
    }

    @Test
    void theProjectionKeepsRevenuePerCustomerAsTheLogSays() throws Exception {
        try (EventStore store = open(); ReadModel<Long> model = ReadModel.open(model(), ReadModel.Codec.LONG, 1000)) {
            trade(store, new Random(1), 100, 0);
            try (Subscription s = project(store, model)) {
                trade(store, new Random(2), 100, 100);
                assertTrue(s.awaitPosition(store.eventCount(), WAIT));
                assertEquals(expected(store), model.snapshot());
                assertEquals(expected(store).get("c-1"), model.get("c-1"));
                assertNull(model.get("nobody"));
            }
            assertEquals("new", model.openReport());
        }
    }

    @Test
    void eventsReplayedAfterALostCheckpointAreAppliedOnlyOncePerKey() throws Exception {
        Map<String, Long> before;
        long end;
        try (EventStore store = open(); ReadModel<Long> model = ReadModel.open(model(), ReadModel.Codec.LONG, 1000)) {
            trade(store, new Random(3), 200, 0);
            try (Subscription s = project(store, model)) {
                assertTrue(s.awaitPosition(store.eventCount(), WAIT));
            }
            before = model.snapshot();
            end = store.eventCount();
        }
        // a crash after the entries were committed and before any checkpoint was written: both
        // checkpoints go back (the subscription's, and the model's own, which it resumes from)
        for (long back : new long[]{0, end / 3, end - 1}) {
            setModelCheckpoint(back);
            Files.delete(store().resolve("subscriptions/revenue.ckpt"));
            try (EventStore store = open(); ReadModel<Long> model = ReadModel.open(model(), ReadModel.Codec.LONG, 1000)) {
                try (Subscription s = project(store, model)) {
                    assertEquals(back, s.position(), "resumed from the model's checkpoint");
                    assertTrue(s.awaitPosition(end, WAIT));
                }
                assertEquals(before, model.snapshot(), "replaying from " + back + " changed nothing");
            }
        }
        try (EventStore store = open(); ReadModel<Long> model = ReadModel.open(model(), ReadModel.Codec.LONG, 1000)) {
            trade(store, new Random(4), 50, 1000);
            try (Subscription s = project(store, model)) {
                assertTrue(s.awaitPosition(store.eventCount(), WAIT));
            }
            assertEquals(expected(store), model.snapshot(), "and goes on with new events");
        }
    }

    private void setModelCheckpoint(long position) throws Exception {
        Path state = model().resolve("readmodel.state");
        byte[] bytes = Files.readAllBytes(state);
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putLong(32, position);
        Files.write(state, SubscriptionBadInputTest.reseal(bytes));
    }

    @Test
    void aParkedEventStagesNothingAndItsRetryIsAppliedOnceEvenIfTheRetryIsRepeated() throws Exception {
        AtomicBoolean broken = new AtomicBoolean(true);
        Path parkedFile = store().resolve("subscriptions/revenue.parked");
        try (EventStore store = open(); ReadModel<Long> model = ReadModel.open(model(), ReadModel.Codec.LONG, 1000)) {
            Resource<Order> orders = store.resource(Revenue.ORDER);
            ReadModel.Projection<Long> revenue = Revenue.projection(orders);
            ReadModel.Projection<Long> flaky = (e, c) -> {
                revenue.apply(e, c); // stages the change, then fails: nothing of it may be committed
                if (e.entityIdIs("o-2") && broken.get()) {
                    throw new IllegalStateException("projection bug");
                }
            };
            orders.create("o-1", new Order("alice", 100, "pending"));
            orders.create("o-2", new Order("alice", 20, "pending"));
            orders.create("o-3", new Order("alice", 3, "pending"));
            try (Subscription s = store.subscription("revenue").retries(1).retryBackoff(Duration.ZERO, Duration.ZERO)
                    .projection(model, flaky).start()) {
                assertTrue(s.awaitPosition(3, WAIT));
                assertEquals(103L, model.get("alice"), "the parked event left no trace");
                assertEquals(1, s.parkedEvents().size());
                byte[] parkedBeforeRetry = Files.readAllBytes(parkedFile);
                broken.set(false);
                assertEquals(1, s.retryParked().get(10, TimeUnit.SECONDS));
                assertEquals(123L, model.get("alice"));
                s.close();
                // a crash after the retry was committed and before the parked list was rewritten
                Files.write(parkedFile, parkedBeforeRetry);
            }
            try (Subscription s = store.subscription("revenue").projection(model, flaky).start()) {
                assertEquals(1, s.parkedEvents().size(), "parked again, as the file says");
                assertEquals(1, s.retryParked().get(10, TimeUnit.SECONDS));
                assertEquals(123L, model.get("alice"), "the retried event's mark made the second retry a no-op");
                orders.create("o-4", new Order("alice", 1000, "pending"));
                assertTrue(s.awaitPosition(4, WAIT));
                assertEquals(1123L, model.get("alice"));
            }
        }
    }

    @Test
    void removedKeysStayRemovedThroughReplaysAndAreForgottenOnceThePositionIsPassed() throws Exception {
        ReadModel.Projection<Long> lastAmount = (e, c) -> {
            if (e.event() instanceof dev.hindsight.codec.Deleted) {
                c.remove(e.entityId());
            } else if (e.event() instanceof dev.hindsight.codec.Created<?> created) {
                c.put(e.entityId(), ((Order) created.state()).amount());
            }
        };
        long end;
        try (EventStore store = open(); ReadModel<Long> model = ReadModel.open(model(), ReadModel.Codec.LONG, 1000)) {
            Resource<Order> orders = store.resource(Revenue.ORDER);
            for (int i = 0; i < 20; i++) {
                orders.create("o-" + i, new Order("c", i, "pending"));
            }
            for (int i = 0; i < 20; i += 2) {
                orders.destroy("o-" + i);
            }
            end = store.eventCount();
            try (Subscription s = store.subscription("revenue").projection(model, lastAmount).start()) {
                assertTrue(s.awaitPosition(end, WAIT));
            }
            assertEquals(10, model.snapshot().size());
            assertNull(model.get("o-0"));
            assertEquals(1L, model.get("o-1"));
        }
        setModelCheckpoint(0);
        java.util.concurrent.CountDownLatch atFirstDelete = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        ReadModel.Projection<Long> pausing = (e, c) -> {
            if (e.event() instanceof dev.hindsight.codec.Deleted && atFirstDelete.getCount() > 0) {
                atFirstDelete.countDown();
                release.await();
            }
            lastAmount.apply(e, c);
        };
        try (EventStore store = open(); ReadModel<Long> model = ReadModel.open(model(), ReadModel.Codec.LONG, 1000)) {
            try (Subscription s = store.subscription("revenue").projection(model, pausing).start()) {
                assertTrue(atFirstDelete.await(30, TimeUnit.SECONDS));
                // every Created was replayed and committed; the Deleted events are not yet
                assertNull(model.get("o-0"), "a replayed Created does not resurrect a removed key");
                assertNull(model.get("o-18"));
                assertEquals(10, model.snapshot().size());
                release.countDown();
                assertTrue(s.awaitPosition(end, WAIT));
            }
            assertEquals(10, model.snapshot().size());
        }
        // the tombstones are below the checkpoint now: the next start drops them
        try (ChronicleMap<String, byte[]> raw = rawMap(); EventStore store = open()) {
            assertEquals(20, raw.size(), "10 values and 10 tombstones");
        }
        try (EventStore store = open(); ReadModel<Long> model = ReadModel.open(model(), ReadModel.Codec.LONG, 1000)) {
            store.subscription("revenue").projection(model, lastAmount).start().close();
        }
        try (ChronicleMap<String, byte[]> raw = rawMap()) {
            assertEquals(10, raw.size(), "tombstones pruned");
        }
    }

    private ChronicleMap<String, byte[]> rawMap() throws Exception {
        return ChronicleMapBuilder.of(String.class, byte[].class).name("hindsight-readmodel").entries(1000)
                .averageKeySize(24).averageValueSize(22).maxBloatFactor(10)
                .createPersistedTo(model().resolve("readmodel.cm").toFile());
    }

    @Test
    void resetRebuildsTheReadModelFromTheStartToTheSameFigures() throws Exception {
        try (EventStore store = open(); ReadModel<Long> model = ReadModel.open(model(), ReadModel.Codec.LONG, 1000)) {
            trade(store, new Random(5), 150, 0);
            try (Subscription s = project(store, model)) {
                assertTrue(s.awaitPosition(store.eventCount(), WAIT));
                Map<String, Long> before = model.snapshot();
                s.resetTo(0).get(10, TimeUnit.SECONDS);
                assertTrue(s.awaitPosition(store.eventCount(), WAIT));
                assertEquals(before, model.snapshot());
                assertEquals(expected(store), model.snapshot());
            }
        }
    }

    @Test
    void aDamagedEntryFoundWhenOpeningClearsTheModelWhichIsThenRebuiltFromTheJournal() throws Exception {
        try (EventStore store = open(); ReadModel<Long> model = ReadModel.open(model(), ReadModel.Codec.LONG, 1000)) {
            trade(store, new Random(6), 80, 0);
            try (Subscription s = project(store, model)) {
                assertTrue(s.awaitPosition(store.eventCount(), WAIT));
            }
        }
        try (ChronicleMap<String, byte[]> raw = rawMap()) {
            byte[] v = raw.get("c-1");
            v[v.length - 6] ^= 0x40; // a bit flipped in the value, the CRC left as it was
            raw.put("c-1", v);
        }
        try (EventStore store = open(); ReadModel<Long> model = ReadModel.open(model(), ReadModel.Codec.LONG, 1000)) {
            assertTrue(model.openReport().startsWith("cleared: entry 'c-1'"), model.openReport());
            assertTrue(model.openReport().contains("checksum"), model.openReport());
            try (Subscription s = project(store, model)) {
                assertEquals(0, s.position(), "rebuilt from the position it started from");
                assertTrue(s.awaitPosition(store.eventCount(), WAIT));
            }
            assertEquals(expected(store), model.snapshot());
        }
        Files.delete(model().resolve("readmodel.state"));
        try (EventStore store = open(); ReadModel<Long> model = ReadModel.open(model(), ReadModel.Codec.LONG, 1000)) {
            assertTrue(model.openReport().contains("readmodel.state was missing"), model.openReport());
            Files.delete(store().resolve("subscriptions/revenue.ckpt"));
            try (Subscription s = project(store, model)) {
                assertTrue(s.awaitPosition(store.eventCount(), WAIT));
            }
            assertEquals(expected(store), model.snapshot());
        }
    }

    @Test
    void readersOnOtherThreadsSeeCommittedValuesWhileTheProjectionRuns() throws Exception {
        try (EventStore store = open(); ReadModel<Long> model = ReadModel.open(model(), ReadModel.Codec.LONG, 1000);
             Subscription s = project(store, model)) {
            Thread writer = new Thread(() -> trade(store, new Random(7), 300, 0));
            writer.start();
            int reads = 0;
            while (writer.isAlive() || s.lag() > 0) {
                for (Map.Entry<String, Long> e : model.snapshot().entrySet()) {
                    assertTrue(e.getKey().startsWith("c-"), e.getKey());
                    reads++;
                }
            }
            writer.join();
            assertTrue(s.awaitPosition(store.eventCount(), WAIT));
            assertEquals(expected(store), model.snapshot());
            assertTrue(reads > 0);
        }
    }

    @Test
    void aReadModelOfAnOsCrashStoreIsForcedBeforeEachCheckpoint() throws Exception {
        try (EventStore store = EventStore.builder(store()).resource(Revenue.ORDER).durability(Durability.OS_CRASH).open();
             ReadModel<Long> model = ReadModel.open(model(), ReadModel.Codec.LONG, 1000)) {
            trade(store, new Random(8), 30, 0);
            try (Subscription s = project(store, model)) {
                assertTrue(s.awaitPosition(store.eventCount(), WAIT));
                assertEquals(expected(store), model.snapshot());
            }
        }
    }
}
