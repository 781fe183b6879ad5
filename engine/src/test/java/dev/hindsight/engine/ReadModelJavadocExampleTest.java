package dev.hindsight.engine;

import dev.hindsight.codec.AttributeChange;
import dev.hindsight.codec.Created;
import dev.hindsight.codec.Updated;
import dev.hindsight.engine.Revenue.Canceled;
import dev.hindsight.engine.Revenue.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The example in {@link ReadModel}'s javadoc, as written there (paths under a temp dir), compiled and run. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ReadModelJavadocExampleTest {
    static final ResourceType<Order> ORDER = Revenue.ORDER;

    @TempDir
    Path tmp;

    @Test
    void theJavadocRevenueProjectionRunsAsDocumented() throws Exception {
        try (EventStore store = EventStore.builder(tmp.resolve("data")).resource(ORDER).open()) {
            store.resource(ORDER).create("o-1", new Order("alice", 500, "pending"));
            store.resource(ORDER).create("o-2", new Order("bob", 70, "pending"));
            store.resource(ORDER).update("o-1", Map.of("amount", 600L));
            store.resource(ORDER).act("o-2", o -> List.of(new Canceled("no")));
            Long alice;
            Map<String, Long> all;
            // --- ReadModel's javadoc ---
            Resource<Order> orders = store.resource(ORDER);
            try (ReadModel<Long> revenue = ReadModel.open(tmp.resolve("views/revenue"), ReadModel.Codec.LONG, 100_000);
                 Subscription sub = store.subscription("revenue")
                     .resourceTypes("order")
                     .projection(revenue, (event, changes) -> {
                         Object e = event.event();
                         String customer;
                         long delta;
                         if (e instanceof Created<?> c) {
                             Order o = (Order) c.state();
                             customer = o.customer();
                             delta = o.amount();
                         } else if (e instanceof Updated u && u.change("amount").isPresent()) {
                             AttributeChange a = u.change("amount").get();
                             // Updated carries only what changed: read the customer from the order's history as of
                             // this event (immutable, so a replay reads the same)
                             customer = orders.atVersion(event.entityId(), event.version()).state().customer();
                             delta = (Long) a.newValue() - (Long) a.oldValue();
                         } else if (e instanceof Canceled) {
                             Order o = orders.atVersion(event.entityId(), event.version()).state();
                             customer = o.customer();
                             delta = -o.amount();
                         } else {
                             return;
                         }
                         Long sum = changes.get(customer);
                         changes.put(customer, (sum == null ? 0 : sum) + delta);
                     })
                     .start()) {
                sub.awaitPosition(store.eventCount(), Duration.ofSeconds(10));
                alice = revenue.get("alice");
                all = revenue.snapshot();
            }
            // --- end of the example ---
            assertEquals(600L, alice);
            assertEquals(Map.of("alice", 600L, "bob", 0L), all);
            assertEquals(Revenue.fromLog(store.readAll(0, 100)), all);
        }
    }
}
