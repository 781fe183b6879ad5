package dev.hindsight.engine;

import dev.hindsight.codec.EventMetadata;
import dev.hindsight.engine.TestEvents.OrderPlaced;
import dev.hindsight.engine.TestEvents.PaymentReceived;
import dev.hindsight.engine.TestEvents.Shipped;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The switch from catch-up to live delivery, under appends from two threads that run before, during
 * and after subscriptions start (and one that is closed and restarted again and again): every
 * subscription sees exactly the events it should, in global order, with no gap and no duplicate.
 * Randomized; the seed is in the test name, so a failure can be replayed.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class SubscriptionCatchUpTest {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    private static void appendRandomly(EventStore store, Random random, int events) {
        int written = 0;
        while (written < events) {
            int n = 1 + random.nextInt(Math.min(5, events - written));
            String entity = "e-" + random.nextInt(50);
            List<Object> batch = new ArrayList<>();
            int kind = random.nextInt(3);
            for (int i = 0; i < n; i++) {
                batch.add(kind == 0 ? new OrderPlaced("c", i) : kind == 1 ? new Shipped("dhl") : new PaymentReceived("p", i));
            }
            store.appendAll(kind == 2 ? "payment" : "order", entity, ExpectedVersion.ANY, batch, EventMetadata.NONE);
            written += n;
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5, 6})
    void everySubscriptionSeesExactlyItsEventsInOrderAcrossTheSwitchToLive(long seed) throws Exception {
        Random random = new Random(seed);
        try (EventStore store = TestEvents.builder(dir).open()) {
            appendRandomly(store, random, random.nextInt(3000));
            store.append("payment", "first", ExpectedVersion.ANY, new PaymentReceived("p", 0)); // the filter's type exists
            AtomicReference<Throwable> appendFailure = new AtomicReference<>();
            List<Thread> appenders = new ArrayList<>();
            for (int t = 0; t < 2; t++) {
                Random own = new Random(seed * 31 + t);
                int count = 2000 + own.nextInt(4000);
                Thread th = new Thread(() -> {
                    try {
                        appendRandomly(store, own, count);
                    } catch (Throwable e) {
                        appendFailure.set(e);
                    }
                }, "appender-" + t);
                appenders.add(th);
            }
            appenders.forEach(Thread::start);
            Thread.sleep(random.nextInt(20));

            List<Long> all = Collections.synchronizedList(new ArrayList<>());
            List<Long> fromMiddle = Collections.synchronizedList(new ArrayList<>());
            List<RecordedEvent> payments = Collections.synchronizedList(new ArrayList<>());
            List<Long> views = Collections.synchronizedList(new ArrayList<>());
            List<Long> restarted = Collections.synchronizedList(new ArrayList<>());
            long middle = random.nextInt((int) store.eventCount() + 1);
            try (Subscription a = store.subscription("all").handler(e -> all.add(e.position())).start();
                 Subscription b = store.subscription("middle").fromPosition(middle).handler(e -> fromMiddle.add(e.position())).start();
                 Subscription c = store.subscription("payments").resourceTypes("payment").eventTypes(PaymentReceived.class)
                         .handler(payments::add).start();
                 Subscription d = store.subscription("views").durable(false).fromNow().viewHandler(v -> views.add(v.position())).start()) {
                long viewsFrom = d.position();
                // a durable subscription closed and restarted while the appends go on: it resumes exactly
                for (int round = 0; round < 5; round++) {
                    try (Subscription r = store.subscription("restarted").handler(e -> restarted.add(e.position())).start()) {
                        Thread.sleep(random.nextInt(15));
                    }
                }
                for (Thread th : appenders) {
                    th.join();
                }
                assertEquals(null, appendFailure.get());
                long end = store.eventCount();
                try (Subscription r = store.subscription("restarted").handler(e -> restarted.add(e.position())).start()) {
                    assertTrue(r.awaitPosition(end, WAIT), r.toString());
                }
                for (Subscription s : List.of(a, b, c, d)) {
                    assertTrue(s.awaitPosition(end, WAIT), s.toString());
                }
                assertEquals(SubscriptionTest.range(0, end), all, "seed " + seed);
                assertEquals(SubscriptionTest.range(middle, end), fromMiddle, "seed " + seed);
                assertEquals(SubscriptionTest.range(viewsFrom, end), views, "seed " + seed);
                assertEquals(SubscriptionTest.range(0, end), restarted, "seed " + seed + ": resumed exactly at each clean close");
                List<RecordedEvent> expected = store.readAll(0, Integer.MAX_VALUE).stream()
                        .filter(e -> e.resourceType().equals("payment")).toList();
                assertEquals(expected, payments, "seed " + seed);
            }
        }
    }
}
