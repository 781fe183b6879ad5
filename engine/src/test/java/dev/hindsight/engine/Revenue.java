package dev.hindsight.engine;

import dev.hindsight.codec.AttributeChange;
import dev.hindsight.codec.Created;
import dev.hindsight.codec.Updated;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The revenue-per-customer read model of the Order resource, as the tests (and the demo) keep it: a
 * projection for {@link ReadModel} and the same figures computed straight from the log, to compare.
 */
public final class Revenue {
    private Revenue() {
    }

    public record Order(String customer, long amount, String status) {
    }

    public record Canceled(String reason) {
    }

    public static final ResourceType<Order> ORDER = ResourceType.define("order", Order.class)
            .event(Canceled.class, 1, (o, e) -> new Order(o.customer(), o.amount(), "canceled"))
            .build();

    /**
     * Revenue per customer: an order's amount counts from its creation, follows its amount updates and
     * is taken back when it is canceled. Updates and cancellations do not carry the customer: it is read
     * from the order's history as of the event (immutable, so a replay reads the same).
     */
    public static ReadModel.Projection<Long> projection(Resource<Order> orders) {
        return (event, changes) -> {
            Object e = event.event();
            if (e instanceof Created<?> c) {
                Order o = (Order) c.state();
                add(changes, o.customer(), o.amount());
            } else if (e instanceof Updated u) {
                AttributeChange amount = u.change("amount").orElse(null);
                if (amount != null) {
                    String customer = orders.atVersion(event.entityId(), event.version()).state().customer();
                    add(changes, customer, (Long) amount.newValue() - (Long) amount.oldValue());
                }
            } else if (e instanceof Canceled) {
                Order o = orders.atVersion(event.entityId(), event.version()).state();
                add(changes, o.customer(), -o.amount());
            }
        };
    }

    private static void add(ReadModel.Changes<Long> changes, String customer, long delta) {
        Long sum = changes.get(customer);
        changes.put(customer, (sum == null ? 0 : sum) + delta);
    }

    /** @return revenue per customer computed from the events, in order, by folding each order */
    public static Map<String, Long> fromLog(List<RecordedEvent> events) {
        Map<String, Order> orders = new HashMap<>();
        Map<String, Long> revenue = new HashMap<>();
        for (RecordedEvent r : events) {
            if (!r.resourceType().equals("order")) {
                continue;
            }
            Object e = r.event();
            if (e instanceof Created<?> c) {
                Order o = (Order) c.state();
                orders.put(r.entityId(), o);
                revenue.merge(o.customer(), o.amount(), Long::sum);
            } else if (e instanceof Updated u) {
                Order o = orders.get(r.entityId());
                AttributeChange amount = u.change("amount").orElse(null);
                if (amount != null) {
                    revenue.merge(o.customer(), (Long) amount.newValue() - (Long) amount.oldValue(), Long::sum);
                    orders.put(r.entityId(), new Order(o.customer(), (Long) amount.newValue(), o.status()));
                }
            } else if (e instanceof Canceled) {
                Order o = orders.get(r.entityId());
                revenue.merge(o.customer(), -o.amount(), Long::sum);
                orders.put(r.entityId(), new Order(o.customer(), o.amount(), "canceled"));
            }
        }
        return revenue;
    }
}
