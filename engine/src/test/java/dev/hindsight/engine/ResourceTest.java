package dev.hindsight.engine;

import dev.hindsight.codec.AttributeChange;
import dev.hindsight.codec.Created;
import dev.hindsight.codec.Deleted;
import dev.hindsight.codec.EventMetadata;
import dev.hindsight.codec.EventSchema;
import dev.hindsight.codec.Updated;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ResourceTest {
    record Order(String customer, long amount, String paymentStatus, String paymentId) {}
    record PaymentReceived(String paymentId, long amount) {}
    record Shipped(String carrier) {}
    record Canceled(String reason) {}
    record Refunded(long amount) {}
    record Customer(String name, int tier) {}
    record Promoted(int tier) {}

    static final ResourceType<Order> ORDER = ResourceType.define("order", Order.class)
            .event(PaymentReceived.class, 1, (o, e) -> new Order(o.customer(), o.amount(), "paid", e.paymentId()))
            .event(Shipped.class, 2, (o, e) -> o)
            .event(Canceled.class, 3, (o, e) -> new Order(o.customer(), o.amount(), "canceled", o.paymentId()))
            .event(Refunded.class, 4, (o, e) -> {
                if (e.amount() > o.amount()) {
                    throw new IllegalStateException("refund " + e.amount() + " exceeds " + o.amount());
                }
                return new Order(o.customer(), o.amount() - e.amount(), o.paymentStatus(), o.paymentId());
            })
            .build();

    static final ResourceType<Customer> CUSTOMER = ResourceType.define("customer", Customer.class)
            .event(Promoted.class, 1, (c, e) -> new Customer(c.name(), e.tier()))
            .build();

    @TempDir
    Path dir;
    EventStore store;
    Resource<Order> orders;

    @BeforeEach
    void open() {
        store = EventStore.builder(dir).resource(ORDER).resource(CUSTOMER).open();
        orders = store.resource(ORDER);
    }

    @AfterEach
    void close() {
        store.close();
    }

    private Order alice() {
        return new Order("alice", 500, "pending", null);
    }

    @Test
    void createRecordsACreatedEventHoldingEveryAttribute() {
        ActionResult<Order> r = orders.create("o-1", alice());
        assertTrue(r.recorded());
        assertEquals(1, r.version());
        RecordedEvent e = orders.history("o-1").get(0);
        assertEquals(new Created<>(alice()), e.event());
        assertEquals("order.Created", e.eventType());
        assertEquals(alice(), orders.get("o-1").orElseThrow());
    }

    @Test
    void updateWithAMapRecordsOnlyTheChangedAttributesWithOldAndNewValues() {
        orders.create("o-1", alice());
        ActionResult<Order> r = orders.update("o-1", Map.of("amount", 600L, "customer", "alice", "paymentId", "p"));
        Updated u = assertInstanceOf(Updated.class, r.events().get(0).event());
        assertEquals(List.of(new AttributeChange("amount", 500L, 600L), new AttributeChange("paymentId", null, "p")),
                u.changes(), "unchanged 'customer' is left out; changes are in component order");
        assertEquals(new Order("alice", 600, "pending", "p"), orders.get("o-1").orElseThrow());
    }

    @Test
    void updateThroughAFunctionRecordsTheAttributesThatDiffer() {
        orders.create("o-1", alice());
        orders.update("o-1", o -> new Order(o.customer(), o.amount() * 2, "held", o.paymentId()));
        Updated u = (Updated) orders.history("o-1").get(1).event();
        assertEquals(List.of(new AttributeChange("amount", 500L, 1000L),
                new AttributeChange("paymentStatus", "pending", "held")), u.changes());
    }

    @Test
    void anUpdateThatChangesNothingRecordsNothing() {
        orders.create("o-1", alice());
        long before = store.eventCount();
        ActionResult<Order> r = orders.update("o-1", Map.of("amount", 500L));
        ActionResult<Order> f = orders.update("o-1", o -> o);
        assertFalse(r.recorded());
        assertFalse(f.recorded());
        assertEquals(1, r.version());
        assertEquals(before, store.eventCount());
    }

    @Test
    void destroyKeepsTheDataMarksItDeletedAndHidesItFromGet() {
        orders.create("o-1", alice());
        ActionResult<Order> r = orders.withReason("customer asked").destroy("o-1");
        assertTrue(r.deleted());
        assertInstanceOf(Deleted.class, r.events().get(0).event());
        assertEquals("customer asked", r.events().get(0).metadata().reason());
        assertTrue(orders.get("o-1").isEmpty());
        ResourceState<Order> s = orders.find("o-1").orElseThrow();
        assertTrue(s.deleted());
        assertEquals(alice(), s.state());
        assertEquals(2, s.version());
        assertEquals(2, orders.history("o-1").size());
        assertEquals(s, orders.rebuild("o-1").orElseThrow());
    }

    @Test
    void invalidActionsFailClearlyAndRecordNothing() {
        orders.create("o-1", alice());
        orders.create("gone", alice());
        orders.destroy("gone");
        long before = store.eventCount();

        assertEquals("order/o-1 already exists (version 1); create needs a new id",
                assertThrows(ResourceExistsException.class, () -> orders.create("o-1", alice())).getMessage());
        assertEquals("order/gone already exists (version 2, destroyed); create needs a new id",
                assertThrows(ResourceExistsException.class, () -> orders.create("gone", alice())).getMessage());
        assertEquals("cannot update order/nope: it does not exist",
                assertThrows(ResourceNotFoundException.class, () -> orders.update("nope", Map.of("amount", 1L))).getMessage());
        assertEquals("cannot update order/gone: it was destroyed (version 2)",
                assertThrows(ResourceNotFoundException.class, () -> orders.update("gone", o -> o)).getMessage());
        assertThrows(ResourceNotFoundException.class, () -> orders.destroy("nope"));
        assertThrows(ResourceNotFoundException.class, () -> orders.destroy("gone"));
        assertThrows(ResourceNotFoundException.class, () -> orders.act("nope", o -> List.of(new Shipped("ups"))));
        assertThrows(ResourceNotFoundException.class, () -> orders.act("gone", o -> List.of(new Shipped("ups"))));

        assertEquals("order has no attribute 'amout'; its attributes are customer (String), amount (Long), "
                        + "paymentStatus (String), paymentId (String)",
                assertThrows(IllegalArgumentException.class, () -> orders.update("o-1", Map.of("amout", 1L))).getMessage());
        assertEquals("attribute 'amount' of order is Long, not Integer (600)",
                assertThrows(IllegalArgumentException.class, () -> orders.update("o-1", Map.of("amount", 600))).getMessage());
        Map<String, Object> nullAmount = new HashMap<>();
        nullAmount.put("amount", null);
        assertThrows(IllegalArgumentException.class, () -> orders.update("o-1", nullAmount));
        assertThrows(IllegalArgumentException.class, () -> orders.update("o-1", Map.of()));
        assertThrows(IllegalArgumentException.class, () -> orders.update("o-1", o -> null));
        assertThrows(IllegalArgumentException.class, () -> orders.create("bad\nid", alice()));
        assertThrows(NullPointerException.class, () -> orders.create("o-2", null));

        assertEquals(before, store.eventCount(), "no refused action recorded anything");
        assertEquals(alice(), orders.get("o-1").orElseThrow());
    }

    @Test
    void actAppendsTheActionsEventsAtomicallyAndAppliesThem() {
        orders.create("o-1", alice());
        ActionResult<Order> r = orders.act("o-1", o -> List.of(new PaymentReceived("pay-1", o.amount()), new Shipped("ups")));
        assertEquals(2, r.events().size());
        assertEquals(3, r.version());
        assertEquals(r.events().get(0).position() + 1, r.events().get(1).position());
        assertEquals(new Order("alice", 500, "paid", "pay-1"), r.state());
        assertEquals(r.state(), orders.get("o-1").orElseThrow());
        assertEquals(List.of("order.Created", "order.PaymentReceived", "order.Shipped"),
                orders.history("o-1").stream().map(RecordedEvent::eventType).toList());
    }

    @Test
    void aRefusedActionSurfacesItsOwnExceptionAndRecordsNothing() {
        orders.create("o-1", alice());
        long before = store.eventCount();
        IllegalStateException refused = new IllegalStateException("order o-1 is not paid");
        assertSame(refused, assertThrows(IllegalStateException.class, () -> orders.act("o-1", o -> {
            throw refused;
        })));
        // an applier that refuses (refund larger than the amount): nothing recorded either
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> orders.act("o-1", o -> List.of(new Shipped("ups"), new Refunded(10_000))));
        assertEquals("refund 10000 exceeds 500", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> orders.act("o-1", o -> List.of(new Promoted(2))),
                "another resource type's event");
        assertThrows(IllegalArgumentException.class, () -> orders.act("o-1", o -> List.of(new Created<>(o))),
                "standard events are recorded by create, update and destroy only");
        assertFalse(orders.act("o-1", o -> List.of()).recorded());
        assertEquals(before, store.eventCount());
    }

    @Test
    void anActionThatLosesARaceIsReRunAgainstTheFreshState() {
        orders.create("o-1", alice());
        AtomicInteger runs = new AtomicInteger();
        List<Long> seen = new ArrayList<>();
        ActionResult<Order> r = orders.act("o-1", o -> {
            seen.add(o.amount());
            if (runs.incrementAndGet() == 1) {
                // another writer gets in between this action's read and its append
                store.resource(ORDER).update("o-1", Map.of("amount", 700L));
            }
            return List.of(new PaymentReceived("pay-1", o.amount()));
        });
        assertEquals(2, runs.get());
        assertEquals(List.of(500L, 700L), seen);
        assertEquals(700L, ((PaymentReceived) r.events().get(0).event()).amount());
        assertEquals(3, r.version());
    }

    @Test
    void anActionThatKeepsLosingFailsWithTheConflictAfterTheConfiguredRetries() {
        store.close();
        store = EventStore.builder(dir).resource(ORDER).resource(CUSTOMER).actionRetries(2).open();
        orders = store.resource(ORDER);
        orders.create("o-1", alice());
        AtomicInteger runs = new AtomicInteger();
        WrongExpectedVersionException e = assertThrows(WrongExpectedVersionException.class, () -> orders.act("o-1", o -> {
            runs.incrementAndGet();
            store.append("order", "o-1", ExpectedVersion.ANY, new Shipped("interloper"), EventMetadata.NONE);
            return List.of(new Shipped("ups"));
        }));
        assertEquals(3, runs.get(), "the first run and two retries");
        assertTrue(e.getMessage().startsWith("expected version 3 of order/o-1 but it is at version 4"), e.getMessage());
    }

    @Test
    void everyEventCarriesTheViewsMetadataAndASequencerTimestamp() {
        Resource<Order> view = orders.as("bob").withCorrelation("checkout-9").withCausation("cmd-1").withReason("test");
        view.create("o-1", alice());
        view.act("o-1", o -> List.of(new Shipped("dhl")));
        for (RecordedEvent e : orders.history("o-1")) {
            assertEquals("bob", e.metadata().actor());
            assertEquals("checkout-9", e.metadata().correlationId());
            assertEquals("cmd-1", e.metadata().causationId());
            assertEquals("test", e.metadata().reason());
            assertTrue(e.timestampNanos() > 0);
        }
        assertEquals(EventMetadata.NONE, orders.metadata(), "views do not change the original");
        ResourceState<Order> s = orders.find("o-1").orElseThrow();
        assertEquals(orders.history("o-1").get(0).timestamp(), s.createdAt());
        assertEquals(orders.history("o-1").get(1).timestamp(), s.lastChangedAt());
    }

    @Test
    void aRetriedActionWithTheSameIdempotencyKeyRecordsItsEventsOnce() {
        Resource<Order> once = orders.withIdempotencyKey("req-1");
        ActionResult<Order> first = once.create("o-1", alice());
        ActionResult<Order> again = once.create("o-1", alice());
        assertTrue(again.duplicate());
        assertEquals(first.events().get(0).position(), again.events().get(0).position());

        Resource<Order> pay = orders.withIdempotencyKey("req-2");
        ActionResult<Order> paid = pay.act("o-1", o -> List.of(new PaymentReceived("p", 1), new Shipped("ups")));
        ActionResult<Order> paidAgain = pay.act("o-1", o -> List.of(new PaymentReceived("p", 1), new Shipped("ups")));
        assertTrue(paidAgain.duplicate());
        assertFalse(paidAgain.recorded());
        assertEquals(paid.events().stream().map(RecordedEvent::position).toList(),
                paidAgain.events().stream().map(RecordedEvent::position).toList());
        assertEquals(3, orders.find("o-1").orElseThrow().version());

        // keys are per entity, and survive a reopen (they are in the events' metadata)
        pay.create("o-2", alice());
        store.close();
        store = EventStore.builder(dir).resource(ORDER).resource(CUSTOMER).open();
        assertTrue(store.resource(ORDER).withIdempotencyKey("req-2")
                .act("o-1", o -> List.of(new Shipped("x"))).duplicate());
        assertEquals(4, store.eventCount());
    }

    @Test
    @Timeout(60)
    void concurrentRetriesWithOneIdempotencyKeyRecordOnce() throws Exception {
        orders.create("o-1", alice());
        Resource<Order> keyed = orders.withIdempotencyKey("pay-once");
        List<ActionResult<Order>> results = new CopyOnWriteArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            Thread t1 = new Thread(() -> results.add(keyed.act("o-1", o -> List.of(new PaymentReceived("p", o.amount())))));
            t1.start();
            threads.add(t1);
        }
        for (Thread t : threads) {
            t.join();
        }
        assertEquals(1, results.stream().filter(ActionResult::recorded).count());
        assertEquals(3, results.stream().filter(ActionResult::duplicate).count());
        assertEquals(2, orders.find("o-1").orElseThrow().version());
    }

    @Test
    void afterActionHooksRunOnceTheEventsAreDurableOffTheSequencerThread() {
        List<String> calls = new CopyOnWriteArrayList<>();
        ResourceType<Customer> hooked = ResourceType.define("customer", Customer.class)
                .event(Promoted.class, 1, (c, e) -> new Customer(c.name(), e.tier()))
                .afterAction(r -> calls.add(Thread.currentThread().getName() + ":" + r.entityId() + "@" + r.version()
                        + ":" + store.headVersion("customer", r.entityId())))
                .build();
        store.close();
        store = EventStore.builder(dir).resource(ORDER).resource(hooked).open();
        Resource<Customer> customers = store.resource(hooked);
        customers.create("c-1", new Customer("ann", 1));
        customers.act("c-1", c -> List.of(new Promoted(2)));
        customers.update("c-1", Map.of("tier", 2));                   // no change: no hook
        customers.withIdempotencyKey("k").act("c-1", c -> List.of(new Promoted(3)));
        customers.withIdempotencyKey("k").act("c-1", c -> List.of(new Promoted(3)));   // duplicate: no hook
        String me = Thread.currentThread().getName();
        assertEquals(List.of(me + ":c-1@1:1", me + ":c-1@2:2", me + ":c-1@3:3"), calls,
                "hooks run on the caller, after the events are in the store");
    }

    @Test
    void aFailingHookLeavesTheEventsRecordedAndSaysSo() {
        AtomicInteger second = new AtomicInteger();
        ResourceType<Customer> hooked = ResourceType.define("customer", Customer.class)
                .afterAction(r -> {
                    throw new IllegalStateException("mailer down");
                })
                .afterAction(r -> second.incrementAndGet())
                .build();
        store.close();
        store = EventStore.builder(dir).resource(hooked).open();
        AfterActionException e = assertThrows(AfterActionException.class,
                () -> store.resource(hooked).create("c-1", new Customer("ann", 1)));
        assertEquals("mailer down", e.getCause().getMessage());
        assertEquals(1, e.result().version());
        assertEquals(1, second.get(), "later hooks still run");
        assertEquals(new Customer("ann", 1), store.resource(hooked).get("c-1").orElseThrow());
    }

    @Test
    void statesSurviveAReopenAndEqualTheirReplay() {
        orders.create("o-1", alice());
        orders.update("o-1", Map.of("paymentStatus", "held"));
        orders.act("o-1", o -> List.of(new Canceled("changed mind")));
        Order before = orders.get("o-1").orElseThrow();
        store.close();
        store = EventStore.builder(dir).resource(CUSTOMER).resource(ORDER).resourceCacheEntities(0).open();
        Resource<Order> reopened = store.resource(ORDER);
        assertEquals(before, reopened.get("o-1").orElseThrow());
        assertEquals(reopened.find("o-1"), reopened.rebuild("o-1"));
        assertEquals("canceled", before.paymentStatus());
    }

    @Test
    void resourceEventsAreInTheSchemaCatalogByNameWithStableIds() {
        EventSchema created = store.catalog().latest(store.catalog().idOf("order.Created")).orElseThrow();
        int orderCreated = created.eventTypeId();
        int customerCreated = store.catalog().idOf("customer.Created");
        assertEquals(List.of("customer", "amount", "paymentStatus", "paymentId"),
                created.fields().stream().map(f -> f.name()).toList());
        assertEquals(orderCreated + 1, store.catalog().idOf("order.Updated"));
        assertEquals(orderCreated + 2, store.catalog().idOf("order.Deleted"));
        assertEquals(orderCreated + 10, store.catalog().idOf("order.PaymentReceived"));
        assertNotEquals(orderCreated, customerCreated);
        store.close();
        // registration order changes; the ids do not
        store = EventStore.builder(dir).resource(CUSTOMER).resource(ORDER).open();
        assertEquals(orderCreated, store.catalog().idOf("order.Created"));
        assertEquals(customerCreated, store.catalog().idOf("customer.Created"));
    }

    @Test
    void aReadOnlyStoreReadsResourcesButRefusesActions() {
        orders.create("o-1", alice());
        store.close();
        try (EventStore ro = EventStore.builder(dir).resource(ORDER).openReadOnly()) {
            assertEquals(alice(), ro.resource(ORDER).get("o-1").orElseThrow());
            assertThrows(UnsupportedOperationException.class, () -> ro.resource(ORDER).create("o-2", alice()));
        }
        store = EventStore.builder(dir).resource(ORDER).open();
    }

    @Test
    void anUnregisteredResourceTypeIsRefusedByName() {
        ResourceType<Customer> other = ResourceType.define("vip", Customer.class).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> store.resource(other));
        assertTrue(e.getMessage().startsWith("resource type 'vip' is not registered"), e.getMessage());
    }

    @Test
    void badDefinitionsAreRefusedWhenBuilt() {
        assertThrows(IllegalArgumentException.class, () -> ResourceType.define("Order", Order.class));
        assertThrows(IllegalArgumentException.class, () -> ResourceType.define("order", Order.class)
                .event(Shipped.class, 1, (o, e) -> o).event(Canceled.class, 1, (o, e) -> o));
        assertThrows(IllegalArgumentException.class, () -> ResourceType.define("order", Order.class)
                .event(Shipped.class, 1, (o, e) -> o).event(Shipped.class, 2, (o, e) -> o));
        assertThrows(IllegalArgumentException.class, () -> ResourceType.define("order", Order.class)
                .event(Shipped.class, 0, (o, e) -> o));
        assertThrows(IllegalArgumentException.class, () -> ResourceType.define("order", Order.class)
                .event(Order.class, 1, (o, e) -> o));
        assertThrows(IllegalArgumentException.class, () -> EventStore.builder(dir).resource(ORDER).resource(ORDER));
    }
}
