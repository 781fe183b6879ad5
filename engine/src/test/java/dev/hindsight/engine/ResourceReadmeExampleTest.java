package dev.hindsight.engine;

import dev.hindsight.codec.Created;
import dev.hindsight.codec.Deleted;
import dev.hindsight.codec.Updated;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The resources example of README.md, as written there (with Path.of("data") -> a temp dir), compiled and run. */
class ResourceReadmeExampleTest {
    record Order(String customer, long amount, String paymentStatus, String paymentId) {}
    record PaymentReceived(String paymentId, long amount) {}
    record Shipped(String carrier) {}
    record Canceled(String reason) {}

    static final ResourceType<Order> ORDER = ResourceType.define("order", Order.class)
        .event(PaymentReceived.class, 1, (o, e) -> new Order(o.customer(), o.amount(), "paid", e.paymentId()))
        .event(Shipped.class, 2, (o, e) -> o)
        .event(Canceled.class, 3, (o, e) -> new Order(o.customer(), o.amount(), "canceled", o.paymentId()))
        .build();

    @TempDir
    Path data;

    @Test
    void theReadmeResourceExampleRunsAsDocumented() {
        Order now;
        List<RecordedEvent> trail;
        // --- README.md "Embedding" ---
        try (EventStore store = EventStore.builder(data).resource(ORDER).open()) {
            Resource<Order> orders = store.resource(ORDER);
            orders.create("order-123", new Order("alice", 500, "pending", null));
            orders.update("order-123", Map.of("amount", 600L));
            orders.act("order-123", o -> {
                if (!o.paymentStatus().equals("pending")) throw new IllegalStateException("order-123 is " + o.paymentStatus());
                return List.of(new PaymentReceived("pay-1", o.amount()));
            });
            now = orders.get("order-123").orElseThrow();
            trail = orders.history("order-123");
            orders.destroy("order-123");
            // --- end of the example; what it promises ---
            assertTrue(orders.get("order-123").isEmpty(), "a destroyed order is not returned by get");
            assertTrue(orders.find("order-123").orElseThrow().deleted());
            assertEquals(now, orders.find("order-123").orElseThrow().state(), "a destroyed order keeps its data");
        }
        assertEquals(new Order("alice", 600, "paid", "pay-1"), now);
        assertEquals(3, trail.size());
        assertInstanceOf(Created.class, trail.get(0).event());
        Updated updated = assertInstanceOf(Updated.class, trail.get(1).event());
        assertEquals(500L, updated.change("amount").orElseThrow().oldValue());
        assertEquals(600L, updated.change("amount").orElseThrow().newValue());
        assertFalse(updated.change("customer").isPresent(), "only changed attributes are recorded");
        assertEquals(new PaymentReceived("pay-1", 600), trail.get(2).event());
        assertEquals(List.of("order.Created", "order.Updated", "order.PaymentReceived"),
                trail.stream().map(RecordedEvent::eventType).toList());
        try (EventStore store = EventStore.builder(data).resource(ORDER).openReadOnly()) {
            assertInstanceOf(Deleted.class, store.resource(ORDER).history("order-123").get(3).event());
        }
    }
}
