package dev.hindsight.engine;

import java.nio.file.Path;
import java.util.List;

/** Event records and a store factory shared by the engine's tests. */
public final class TestEvents {
    private TestEvents() {
    }

    public record OrderPlaced(String customer, long amount) {
    }

    public record PaymentReceived(String paymentId, long amount) {
    }

    public record Shipped(String carrier) {
    }

    public record Blob(byte[] data) {
    }

    public record Counter(String writer, long sequence, List<String> tags) {
    }

    /** @return a builder with every test event registered */
    public static EventStoreBuilder builder(Path dir) {
        return EventStore.builder(dir)
                .register(OrderPlaced.class, 1)
                .register(PaymentReceived.class, 2)
                .register(Shipped.class, 3)
                .register(Blob.class, 4)
                .register(Counter.class, 5);
    }
}
