package dev.hindsight.engine;

import dev.hindsight.codec.EventMetadata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The embedding example of README.md, as written there, compiled and run. */
class ReadmeExampleTest {
    record OrderPlaced(String customer, long amount) {}
    record PaymentReceived(String paymentId, long amount) {}

    @TempDir
    Path data;

    @Test
    void theReadmeEmbeddingExampleRunsAsDocumented() {
        List<RecordedEvent> printed = new ArrayList<>();
        List<RecordedEvent> history;
        // --- README.md "Embedding", with Path.of("data") -> data and System.out -> printed ---
        try (EventStore store = EventStore.builder(data)
                .register(OrderPlaced.class, 1)          // ids are stable forever: they are in every frame
                .register(PaymentReceived.class, 2)
                .open()) {
            EventMetadata meta = EventMetadata.builder().actor("alice").correlationId("checkout-42").build();
            store.append("order", "order-123", ExpectedVersion.NO_STREAM, new OrderPlaced("alice", 500), meta);
            store.append("order", "order-123", 1, new PaymentReceived("pay-1", 500), meta);   // expects version 1

            history = store.readEntity("order", "order-123", 1);                            // versions 1..head
            store.readAll(0, 100, printed::add);                                             // the global log

            // the catch clause of the example
            WrongExpectedVersionException e = assertThrows(WrongExpectedVersionException.class,
                    () -> store.append("order", "order-123", 1, new PaymentReceived("pay-2", 1), meta));
            assertEquals("expected version 1 of order/order-123 but it is at version 2", e.getMessage());
        }
        assertEquals(List.of(new OrderPlaced("alice", 500), new PaymentReceived("pay-1", 500)),
                history.stream().map(RecordedEvent::event).toList());
        assertEquals(2, printed.size());
        assertEquals("checkout-42", printed.get(1).metadata().correlationId());
    }
}
