package dev.hindsight.engine;

import dev.hindsight.engine.TestEvents.OrderPlaced;
import dev.hindsight.engine.TestEvents.PaymentReceived;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SubscriptionTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    private static void appendOrders(EventStore store, int from, int count) {
        for (int i = from; i < from + count; i++) {
            store.append("order", "o-" + i, ExpectedVersion.NO_STREAM, new OrderPlaced("c-" + (i % 7), i));
        }
    }

    @Test
    void catchesUpThenDeliversNewAppendsInGlobalOrder() throws Exception {
        try (EventStore store = TestEvents.builder(dir).open()) {
            appendOrders(store, 0, 100);
            List<Long> seen = Collections.synchronizedList(new ArrayList<>());
            try (Subscription s = store.subscription("all").handler(e -> seen.add(e.position())).start()) {
                appendOrders(store, 100, 100);
                assertTrue(s.awaitPosition(200, WAIT), "reached 200: " + s);
                assertEquals(200, seen.size());
                for (int i = 0; i < 200; i++) {
                    assertEquals(i, seen.get(i));
                }
                assertEquals(0, s.lag());
            }
        }
    }

    @Test
    void aDurableSubscriptionResumesFromItsCheckpointAfterARestart() throws Exception {
        List<Long> seen = Collections.synchronizedList(new ArrayList<>());
        try (EventStore store = TestEvents.builder(dir).open()) {
            appendOrders(store, 0, 50);
            try (Subscription s = store.subscription("resumer").handler(e -> seen.add(e.position())).start()) {
                assertTrue(s.awaitPosition(50, WAIT));
            }
            appendOrders(store, 50, 25);
        }
        try (EventStore store = TestEvents.builder(dir).open()) {
            try (Subscription s = store.subscription("resumer").handler(e -> seen.add(e.position())).start()) {
                assertTrue(s.awaitPosition(75, WAIT));
            }
            assertEquals(75, store.subscriptions().get(0).position());
        }
        assertEquals(75, seen.size(), "each event delivered once across a clean restart");
        for (int i = 0; i < 75; i++) {
            assertEquals(i, seen.get(i));
        }
    }
}
