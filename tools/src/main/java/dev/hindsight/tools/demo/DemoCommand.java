package dev.hindsight.tools.demo;

import dev.hindsight.codec.EventMetadata;
import dev.hindsight.engine.EventStore;
import dev.hindsight.engine.ExpectedVersion;
import dev.hindsight.engine.RecordedEvent;
import dev.hindsight.engine.WrongExpectedVersionException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code hindsight demo DIR}: opens (or creates) an embedded store in DIR, records a few orders'
 * events, shows an expected-version conflict being refused, and reads the events back. Each run
 * adds new orders to the same store. Not thread-safe; one run per process.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Run the order demo against an embedded store in DIR (created if missing).",
        footer = {"", "Examples:", "  hindsight demo demo-data", "  hindsight demo /tmp/orders   # run twice: the second run continues the store"})
public final class DemoCommand implements Callable<Integer> {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSSSSS").withZone(ZoneOffset.UTC);

    @Parameters(index = "0", paramLabel = "DIR", description = "the store directory")
    private Path directory;

    @picocli.CommandLine.Spec
    private picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try (EventStore store = EventStore.builder(directory)
                .register(OrderEvents.OrderPlaced.class, OrderEvents.PLACED)
                .register(OrderEvents.PaymentReceived.class, OrderEvents.PAID)
                .register(OrderEvents.Shipped.class, OrderEvents.SHIPPED)
                .open()) {
            long before = store.eventCount();
            out.printf("Store %s holds %d events%s%n", store.directory(), before,
                    store.recoveryReport().reason().isEmpty() ? "" : " (" + store.recoveryReport().reason() + ")");
            int run = (int) (before / 8) + 1;
            while (store.headVersion("order", "order-" + run + "-1") > 0) {
                run++; // another writer used these ids: pick fresh ones
            }
            String[] customers = {"alice", "bob", "carol"};
            String first = null;
            for (int i = 0; i < customers.length; i++) {
                String id = String.format("order-%d-%d", run, i + 1);
                first = first == null ? id : first;
                EventMetadata meta = EventMetadata.builder().actor(customers[i]).correlationId("checkout-" + id).build();
                store.append("order", id, ExpectedVersion.NO_STREAM, new OrderEvents.OrderPlaced(customers[i], 500L + 100L * i), meta);
                store.append("order", id, 1, new OrderEvents.PaymentReceived("pay-" + id, 500L + 100L * i),
                        meta.withActor("payments").withCausationId("checkout-" + id));
                if (i != 1) {
                    store.append("order", id, 2, new OrderEvents.Shipped(i == 0 ? "DHL" : "UPS"), meta.withActor("warehouse"));
                }
            }
            try {
                store.append("order", first, 1, new OrderEvents.Shipped("late writer"));
                out.println("unexpected: a stale append was accepted");
                return 1;
            } catch (WrongExpectedVersionException e) {
                out.println("A stale append was refused: " + e.getMessage());
            }
            out.println();
            out.printf("%-8s %-15s %-4s %-16s %-16s %-10s %s%n", "POSITION", "TIME (UTC)", "VER", "ENTITY", "EVENT", "ACTOR", "DATA");
            for (RecordedEvent e : store.readAll(before, 100)) {
                out.printf("%-8d %-15s %-4d %-16s %-16s %-10s %s%n", e.position(), TIME.format(e.timestamp()), e.version(),
                        e.entityId(), e.eventType(), e.metadata().actor() == null ? "-" : e.metadata().actor(), e.event());
            }
            List<RecordedEvent> history = store.readEntity("order", first, 1);
            out.println();
            out.printf("%s has %d events; head version %d%n", first, history.size(), store.headVersion("order", first));
            out.printf("Store now holds %d events (this run added %d)%n", store.eventCount(), store.eventCount() - before);
            return 0;
        }
    }
}
