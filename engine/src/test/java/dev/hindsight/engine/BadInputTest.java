package dev.hindsight.engine;

import dev.hindsight.codec.EventMetadata;
import dev.hindsight.codec.EventTooLargeException;
import dev.hindsight.engine.TestEvents.Blob;
import dev.hindsight.engine.TestEvents.OrderPlaced;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BadInputTest {
    @TempDir
    Path dir;
    EventStore store;

    record NotRegistered(String x) {
    }

    @BeforeEach
    void open() {
        store = TestEvents.builder(dir).maxEventBytes(4096).open();
        store.append("order", "o-1", ExpectedVersion.NO_STREAM, new OrderPlaced("alice", 1));
    }

    @AfterEach
    void close() {
        store.close();
    }

    private <T extends Throwable> T rejectedAndNothingWritten(Class<T> type, Executable call, String messagePart) {
        T e = assertThrows(type, call);
        assertTrue(e.getMessage().contains(messagePart), "message '" + e.getMessage() + "' should mention '" + messagePart + "'");
        assertEquals(1, store.eventCount(), "nothing is written");
        assertEquals(1, store.headVersion("order", "o-1"));
        return e;
    }

    @Test
    void nullEmptyAndOversizedIdsAreRejected() {
        OrderPlaced e = new OrderPlaced("a", 1);
        rejectedAndNothingWritten(RuntimeException.class, () -> store.append("order", null, ExpectedVersion.ANY, e), "entity id");
        rejectedAndNothingWritten(IllegalArgumentException.class, () -> store.append("order", "", ExpectedVersion.ANY, e), "entity id");
        rejectedAndNothingWritten(IllegalArgumentException.class, () -> store.append("order", "x".repeat(257), ExpectedVersion.ANY, e), "256");
        rejectedAndNothingWritten(IllegalArgumentException.class, () -> store.append("order", "é".repeat(129), ExpectedVersion.ANY, e), "256");
        rejectedAndNothingWritten(IllegalArgumentException.class, () -> store.append("order", "a\nb", ExpectedVersion.ANY, e), "control");
        rejectedAndNothingWritten(RuntimeException.class, () -> store.append(null, "o-2", ExpectedVersion.ANY, e), "resource type");
        rejectedAndNothingWritten(IllegalArgumentException.class, () -> store.append("Order/x", "o-2", ExpectedVersion.ANY, e), "resource type");
        // the limit itself is allowed
        store.append("order", "x".repeat(256), ExpectedVersion.NO_STREAM, e);
        assertEquals(2, store.eventCount());
    }

    @Test
    void nullEventsAndMetadataAreRejected() {
        rejectedAndNothingWritten(NullPointerException.class, () -> store.append("order", "o-2", ExpectedVersion.ANY, null), "event is null");
        rejectedAndNothingWritten(NullPointerException.class,
                () -> store.append("order", "o-2", ExpectedVersion.ANY, new OrderPlaced("a", 1), null), "metadata");
        List<Object> withNull = new ArrayList<>(Arrays.asList(new OrderPlaced("a", 1), null));
        rejectedAndNothingWritten(NullPointerException.class,
                () -> store.appendAll("order", "o-2", ExpectedVersion.ANY, withNull, EventMetadata.NONE), "event 1 of 2 is null");
        rejectedAndNothingWritten(IllegalArgumentException.class,
                () -> store.appendAll("order", "o-2", ExpectedVersion.ANY, List.of(), EventMetadata.NONE), "1 to 1024");
    }

    @Test
    void eventsOverTheMaxSizeAreRejectedAndABatchIsAllOrNothing() {
        rejectedAndNothingWritten(EventTooLargeException.class,
                () -> store.append("order", "o-2", ExpectedVersion.ANY, new Blob(new byte[5000])), "4096");
        rejectedAndNothingWritten(EventTooLargeException.class,
                () -> store.appendAll("order", "o-1", 1, List.of(new Blob(new byte[10]), new Blob(new byte[5000])), EventMetadata.NONE), "4096");
        store.append("order", "o-2", ExpectedVersion.ANY, new Blob(new byte[3000]));
        assertEquals(2, store.eventCount());
    }

    @Test
    void unregisteredEventClassesAreRejected() {
        rejectedAndNothingWritten(IllegalArgumentException.class,
                () -> store.append("order", "o-2", ExpectedVersion.ANY, new NotRegistered("x")), "not registered");
    }

    @Test
    void negativePositionsVersionsAndCountsAreRejected() {
        rejectedAndNothingWritten(IllegalArgumentException.class, () -> store.readAll(-1, 10), "position -1");
        rejectedAndNothingWritten(IllegalArgumentException.class, () -> store.readAll(0, 0), "maxEvents");
        rejectedAndNothingWritten(IllegalArgumentException.class, () -> store.readEntity("order", "o-1", 0), "version 0");
        rejectedAndNothingWritten(IllegalArgumentException.class, () -> store.readVersion("order", "o-1", 2), "it is at version 1");
        rejectedAndNothingWritten(IllegalArgumentException.class, () -> store.readVersion("order", "o-1", -3), "no version -3");
        rejectedAndNothingWritten(IllegalArgumentException.class,
                () -> store.append("order", "o-1", -2, new OrderPlaced("a", 1)), "-2");
        assertThrows(IllegalArgumentException.class, () -> ExpectedVersion.exactly(-1));
    }

    @Test
    void invalidBuilderSettingsAreRejectedWithTheAllowedRange() {
        EventStoreBuilder b = EventStore.builder(dir.resolve("other"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> b.maxEventBytes(10)).getMessage().contains("between 1024"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> b.register(OrderPlaced.class, 0)).getMessage().contains("1 to 1000000"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> b.minFreeDiskBytes(1)).getMessage().contains("16 MiB"));
    }

    @Test
    void aDirectoryThatIsNotAStoreIsNotTakenOver() throws Exception {
        Path other = dir.resolve("not-a-store");
        Files.createDirectories(other);
        Files.writeString(other.resolve("notes.txt"), "mine");
        HindsightException e = assertThrows(HindsightException.class, () -> TestEvents.builder(other).open());
        assertTrue(e.getMessage().contains("not a Hindsight store"), e.getMessage());
        assertEquals(List.of(other.resolve("notes.txt")), Files.list(other).toList());
        HindsightException ro = assertThrows(HindsightException.class, () -> TestEvents.builder(dir.resolve("missing")).openReadOnly());
        assertTrue(ro.getMessage().contains("no Hindsight store"), ro.getMessage());
    }
}
