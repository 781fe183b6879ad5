package dev.hindsight.tools.demo;

import dev.hindsight.codec.AttributeChange;
import dev.hindsight.codec.Created;
import dev.hindsight.codec.Deleted;
import dev.hindsight.codec.Updated;
import dev.hindsight.engine.EventView;
import dev.hindsight.engine.ReadModel;
import dev.hindsight.engine.Resource;
import dev.hindsight.engine.ResourceState;
import dev.hindsight.tools.demo.Orders.Canceled;
import dev.hindsight.tools.demo.Orders.Order;

import java.time.Instant;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

/**
 * The demo's live read model: revenue per customer, in cents. An order counts with its amount from its creation,
 * follows its amount updates, and stops counting when it is canceled or destroyed. Kept exactly-once by a
 * subscription ({@link dev.hindsight.engine.SubscriptionBuilder#projection}). Stateless; thread-safe.
 */
final class Revenue implements ReadModel.Projection<Long> {
    private final Resource<Order> orders;

    /** @param orders the orders, to read an order's state before an event (history never changes, so replays agree) */
    Revenue(Resource<Order> orders) {
        this.orders = orders;
    }

    @Override
    public void apply(EventView event, ReadModel.Changes<Long> changes) {
        Object e = event.event();
        String customer;
        long delta;
        if (e instanceof Created<?> c) {
            Order o = (Order) c.state();
            customer = o.customer();
            delta = o.amount();
        } else if (e instanceof Updated u && u.change("amount").isPresent()) {
            Order before = before(event);
            if (counts(before)) {
                AttributeChange a = u.change("amount").get();
                customer = before.customer();
                delta = (Long) a.newValue() - (Long) a.oldValue();
            } else {
                return;
            }
        } else if (e instanceof Canceled || e instanceof Deleted) {
            Order before = before(event);
            if (!counts(before) || (e instanceof Deleted && orders.atVersion(event.entityId(), event.version() - 1).deleted())) {
                return;
            }
            customer = before.customer();
            delta = -before.amount();
        } else {
            return;
        }
        Long sum = changes.get(customer);
        changes.put(customer, (sum == null ? 0 : sum) + delta);
    }

    private Order before(EventView event) {
        return orders.atVersion(event.entityId(), event.version() - 1).state();
    }

    private static boolean counts(Order o) {
        return !o.paymentStatus().equals("canceled");
    }

    /**
     * The same figures computed from scratch: every order's state now, straight from the journal.
     *
     * @param orders the orders
     * @return revenue per customer
     */
    static Map<String, Long> rebuilt(Resource<Order> orders) {
        Map<String, Long> sums = new TreeMap<>();
        for (Iterator<ResourceState<Order>> it = orders.allAsOf(Instant.MAX).iterator(); it.hasNext(); ) {
            ResourceState<Order> s = it.next();
            if (!s.deleted() && counts(s.state())) {
                sums.merge(s.state().customer(), s.state().amount(), Long::sum);
            }
        }
        return sums;
    }
}
