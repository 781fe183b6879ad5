package dev.hindsight.tools.demo;

import dev.hindsight.codec.AttributeChange;
import dev.hindsight.codec.Created;
import dev.hindsight.codec.Deleted;
import dev.hindsight.codec.Updated;
import dev.hindsight.engine.ActionResult;
import dev.hindsight.engine.EventStore;
import dev.hindsight.engine.ReadModel;
import dev.hindsight.engine.RecordedEvent;
import dev.hindsight.engine.Resource;
import dev.hindsight.engine.ResourceState;
import dev.hindsight.engine.Subscription;
import dev.hindsight.tools.demo.Orders.Canceled;
import dev.hindsight.tools.demo.Orders.Order;
import dev.hindsight.tools.demo.Orders.PaymentReceived;
import dev.hindsight.tools.demo.Orders.Shipped;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.lang.reflect.RecordComponent;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;

/**
 * {@code hindsight demo DIR}: the Order story against an embedded store in DIR. Several orders are created,
 * updated, paid, shipped, one is canceled and one destroyed; a refused action and an idempotent retry record
 * nothing; then the current states and one order's audit trail are printed. Each run adds new orders to the
 * same store. Not thread-safe; one run per process.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Run the Order demo against an embedded store in DIR (created if missing).",
        footer = {"", "Examples:", "  hindsight demo demo-data", "  hindsight demo /tmp/orders   # run twice: the second run continues the store"})
public final class DemoCommand implements Callable<Integer> {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSSSSS").withZone(ZoneOffset.UTC);

    @Parameters(index = "0", paramLabel = "DIR", description = "the store directory")
    private Path directory;

    @picocli.CommandLine.Spec
    private picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        Path views = directory.resolve("views"); // read models are derived: they live beside the store's own files
        try (EventStore store = EventStore.builder(directory).resource(Orders.ORDER).open();
             ReadModel<Long> revenue = ReadModel.open(views.resolve("revenue"), ReadModel.Codec.LONG, 10_000)) {
            long before = store.eventCount();
            out.printf("Store %s holds %d events%s%n", store.directory(), before,
                    store.recoveryReport().reason().isEmpty() ? "" : " (" + store.recoveryReport().reason() + ")");
            Resource<Order> orders = store.resource(Orders.ORDER);
            Subscription live = store.subscription("revenue").resourceTypes("order")
                    .projection(revenue, new Revenue(orders)).start();
            int run = 1;
            while (orders.find(id(run, 1)).isPresent()) {
                run++; // earlier runs used these ids: take fresh ones
            }
            List<String> ids = story(orders, run, out);

            out.println();
            out.println("Current orders of this run:");
            out.printf("  %-12s %-8s %8s %-9s %-14s %-8s %3s %-9s %s%n", "ORDER", "CUSTOMER", "AMOUNT", "PAYMENT",
                    "PAYMENT ID", "CARRIER", "VER", "DELETED", "LAST CHANGED (UTC)");
            for (String id : ids) {
                ResourceState<Order> s = orders.find(id).orElseThrow();
                Order o = s.state();
                out.printf("  %-12s %-8s %8s %-9s %-14s %-8s %3d %-9s %s%n", id, o.customer(), money(o.amount()),
                        o.paymentStatus(), dash(o.paymentId()), dash(o.carrier()), s.version(),
                        s.deleted() ? "yes" : "no", TIME.format(s.lastChangedAt()));
            }

            String shown = ids.get(0);
            out.println();
            out.println("Audit trail of " + shown + ":");
            out.printf("  %3s %-15s %-22s %-10s %-14s %-14s %-16s %s%n", "VER", "TIME (UTC)", "EVENT", "ACTOR",
                    "CORRELATION", "CAUSATION", "REASON", "DATA");
            for (RecordedEvent e : orders.history(shown)) {
                out.printf("  %3d %-15s %-22s %-10s %-14s %-14s %-16s %s%n", e.version(), TIME.format(e.timestamp()),
                        e.eventType(), dash(e.metadata().actor()), dash(e.metadata().correlationId()),
                        dash(e.metadata().causationId()), dash(e.metadata().reason()), describe(e.event()));
            }
            boolean replayed = orders.rebuild(shown).equals(orders.find(shown));
            out.println();
            out.printf("Rebuilding %s from its events gives the same state: %s%n", shown, replayed ? "yes" : "NO");

            boolean caughtUp = live.awaitPosition(store.eventCount(), Duration.ofSeconds(30));
            Map<String, Long> model = new TreeMap<>(revenue.snapshot());
            model.values().removeIf(v -> v == 0);
            boolean same = caughtUp && model.equals(Revenue.rebuilt(orders));
            live.close();
            out.println();
            out.println("Revenue per customer (a live read model in " + views.resolve("revenue") + ", kept exactly-once):");
            model.forEach((customer, cents) -> out.printf("  %-8s %10s%n", customer, money(cents)));
            out.printf("The read model equals revenue rebuilt from the journal: %s%n", same ? "yes" : "NO");
            out.printf("Store now holds %d events (this run added %d)%n", store.eventCount(), store.eventCount() - before);
            return replayed && same ? 0 : 1;
        }
    }

    /** The Order story; returns the ids of the orders it created. */
    private static List<String> story(Resource<Order> orders, int run, PrintWriter out) {
        String a = id(run, 1);
        String b = id(run, 2);
        String c = id(run, 3);
        String d = id(run, 4);
        String checkout = "checkout-" + run;

        Resource<Order> alice = orders.as("alice").withCorrelation(checkout);
        alice.create(a, new Order("alice", 500, "pending", null, null));
        alice.withReason("added an item").update(a, Map.of("amount", 650L));
        pay(orders, a, checkout);
        orders.as("warehouse").withCorrelation(checkout).act(a, o -> List.of(new Shipped("DHL")));

        orders.as("bob").create(b, new Order("bob", 250, "pending", null, null));
        ActionResult<Order> paid = pay(orders, b, "checkout-" + run + "-bob");
        ActionResult<Order> retried = pay(orders, b, "checkout-" + run + "-bob");
        out.printf("A retried payment of %s with the same idempotency key recorded nothing new: %s (first at position %d)%n",
                b, retried.duplicate() ? "yes" : "NO", paid.firstPosition());

        orders.as("carol").create(c, new Order("carol", 120, "pending", null, null));
        orders.as("carol").withReason("changed her mind").act(c, Orders::cancel);

        orders.as("dave").create(d, new Order("dave", 75, "pending", null, null));
        orders.as("support").withReason("duplicate of " + c).destroy(d);

        try {
            orders.as("alice").act(a, Orders::cancel);
            out.println("unexpected: a paid order was canceled");
        } catch (IllegalStateException refused) {
            out.println("A refused action recorded nothing: " + refused.getMessage());
        }
        return List.of(a, b, c, d);
    }

    private static ActionResult<Order> pay(Resource<Order> orders, String id, String correlation) {
        return orders.as("payments").withCorrelation(correlation).withCausation("psp-webhook")
                .withIdempotencyKey("pay-" + id)
                .act(id, o -> {
                    if (!o.paymentStatus().equals("pending")) {
                        throw new IllegalStateException(id + " is " + o.paymentStatus() + "; it cannot be paid");
                    }
                    return List.of(new PaymentReceived("pay-" + id, o.amount()));
                });
    }

    private static String id(int run, int n) {
        return "order-" + run + "-" + n;
    }

    private static String money(long cents) {
        return String.format("%d.%02d", cents / 100, cents % 100);
    }

    private static String dash(String s) {
        return s == null ? "-" : s;
    }

    private static String describe(Object event) {
        if (event instanceof Created<?> c) {
            return attributes(c.state());
        }
        if (event instanceof Updated u) {
            List<String> parts = new ArrayList<>();
            for (AttributeChange ch : u.changes()) {
                parts.add(ch.attribute() + ": " + ch.oldValue() + " -> " + ch.newValue());
            }
            return String.join(", ", parts);
        }
        if (event instanceof Deleted) {
            return "(deleted; data kept)";
        }
        return event instanceof Record r ? r.getClass().getSimpleName() + " " + attributes(r) : String.valueOf(event);
    }

    private static String attributes(Record r) {
        List<String> parts = new ArrayList<>();
        for (RecordComponent rc : r.getClass().getRecordComponents()) {
            try {
                parts.add(rc.getName() + "=" + rc.getAccessor().invoke(r));
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        }
        return String.join(" ", parts);
    }
}
