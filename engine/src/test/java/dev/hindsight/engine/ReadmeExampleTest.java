package dev.hindsight.engine;

import dev.hindsight.codec.EventMetadata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The plain event-log example of README.md ("Underneath is a plain event log"), as written there, compiled and run. */
class ReadmeExampleTest {
    record OrderPlaced(String customer, long amount) {}

    @TempDir
    Path data;

    private List<RecordedEvent> runExample(List<RecordedEvent> printed) {
        List<RecordedEvent> events;
        // --- README.md, with Path.of("data") -> data and System.out -> printed ---
        try (EventStore store = EventStore.builder(data)
                .register(OrderPlaced.class, 1)          // ids are stable forever: they are in every frame
                .open()) {
            store.append("order", "order-9", ExpectedVersion.NO_STREAM, new OrderPlaced("bob", 250), EventMetadata.NONE);
            events = store.readEntity("order", "order-9", 1);   // versions 1..head
            store.readAll(0, 100, printed::add);                 // the global log
        }
        return events;
    }

    @Test
    void theReadmeEventLogExampleRunsAsDocumentedAndASecondRunIsRefused() {
        List<RecordedEvent> printed = new ArrayList<>();
        List<RecordedEvent> events = runExample(printed);
        assertEquals(List.of(new OrderPlaced("bob", 250)), events.stream().map(RecordedEvent::event).toList());
        assertEquals(1, printed.size());
        WrongExpectedVersionException e = assertThrows(WrongExpectedVersionException.class, () -> runExample(new ArrayList<>()));
        assertEquals("expected no stream (version 0) of order/order-9 but it is at version 1", e.getMessage());
    }
}
