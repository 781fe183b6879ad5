package dev.hindsight.engine;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;

/**
 * Child JVM for the crash tests: opens the store and the revenue read model, starts the exactly-once
 * revenue projection and an at-least-once "audit" subscription that prints "SEEN position" for every
 * event it handles, then trades orders (create, update, cancel, destroy) until it is killed.
 * Prints "OPEN eventCount resumeAt modelReport" first.
 */
public final class RevenueProjectionMain {
    private RevenueProjectionMain() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        Path modelDir = Path.of(args[1]);
        long seed = Long.parseLong(args[2]);
        PrintStream out = System.out;
        EventStore store = EventStore.builder(dir).resource(Revenue.ORDER).open();
        ReadModel<Long> model = ReadModel.open(modelDir, ReadModel.Codec.LONG, 10_000);
        Subscription revenue = store.subscription("revenue").resourceTypes("order").checkpointInterval(Duration.ofMillis(5))
                .projection(model, Revenue.projection(store.resource(Revenue.ORDER))).start();
        Subscription audit = store.subscription("audit").checkpointInterval(Duration.ofMillis(5)).handler(e -> {
            synchronized (out) {
                out.println("SEEN " + e.position());
            }
        }).start();
        synchronized (out) {
            out.println("OPEN " + store.eventCount() + " " + revenue.position() + " " + audit.position() + " " + model.openReport());
            out.flush();
        }
        Random random = new Random(seed);
        int base = (int) (seed % 1000) * 100_000;
        for (int round = 0; ; round++) {
            ReadModelTest.trade(store, random, 20, base + round * 20);
            synchronized (out) {
                out.flush();
            }
        }
    }
}
