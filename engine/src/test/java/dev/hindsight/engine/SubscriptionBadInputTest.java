package dev.hindsight.engine;

import dev.hindsight.codec.CorruptFrameException;
import dev.hindsight.codec.Created;
import dev.hindsight.engine.TestEvents.OrderPlaced;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every bad input a subscription can be given gets a clear error with the values, and starts nothing. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SubscriptionBadInputTest {
    @TempDir
    Path dir;
    EventStore store;

    @BeforeEach
    void open() {
        store = TestEvents.builder(dir).open();
        SubscriptionTest.appendOrders(store, 0, 10);
    }

    @AfterEach
    void close() {
        store.close();
    }

    private static <T extends Throwable> T rejected(Class<T> type, Executable call, String... messageParts) {
        T e = assertThrows(type, call);
        for (String part : messageParts) {
            assertTrue(String.valueOf(e.getMessage()).contains(part), "message '" + e.getMessage() + "' should mention '" + part + "'");
        }
        return e;
    }

    private void nothingRuns() {
        assertTrue(store.subscriptions().stream().noneMatch(SubscriptionStatus::running), "no subscription runs");
    }

    @Test
    void invalidNamesAreRejected() {
        rejected(NullPointerException.class, () -> store.subscription(null), "name");
        for (String bad : new String[]{"", "Upper", "a/b", "../x", ".hidden", "-x", "a b", "x".repeat(65), "é"}) {
            rejected(IllegalArgumentException.class, () -> store.subscription(bad), "'" + bad + "'", "[a-z0-9._-]");
        }
        store.subscription("x".repeat(64)); // the longest allowed
        store.subscription("a.b-c_9");
    }

    @Test
    void aSecondLiveConsumerOfTheSameNameIsRejectedUntilTheFirstCloses() {
        Subscription first = store.subscription("one").handler(e -> { }).start();
        rejected(IllegalStateException.class, () -> store.subscription("one").handler(e -> { }).start(),
                "'one' already runs", "one consumer per name");
        rejected(IllegalStateException.class, () -> store.subscription("one").durable(false).handler(e -> { }).start(),
                "'one' already runs");
        first.close();
        store.subscription("one").handler(e -> { }).start().close();
    }

    @Test
    void unknownResourceTypesAndEventTypesAreRejectedNamingTheKnownOnes() {
        rejected(IllegalArgumentException.class, () -> store.subscription("f").resourceTypes("ordr"),
                "unknown resource type 'ordr'", "[order]");
        rejected(IllegalArgumentException.class, () -> store.subscription("f").resourceTypes("Order"), "resource type");
        rejected(IllegalArgumentException.class, () -> store.subscription("f").resourceTypes(), "at least one");
        rejected(NullPointerException.class, () -> store.subscription("f").resourceTypes("order", null), "null");
        rejected(IllegalArgumentException.class, () -> store.subscription("f").eventTypes("OrderPlacd"),
                "unknown event type 'OrderPlacd'", "OrderPlaced", "Shipped");
        rejected(IllegalArgumentException.class, () -> store.subscription("f").eventTypes(String.class),
                "java.lang.String is not a registered event class");
        rejected(IllegalArgumentException.class, () -> store.subscription("f").eventTypes(Created.class),
                "filtered by name", "order.Created");
        rejected(IllegalArgumentException.class, () -> store.subscription("f").eventTypes(new String[0]), "at least one");
        nothingRuns();
    }

    @Test
    void negativeOrFuturePositionsAndFutureInstantsAreRejected() {
        rejected(IllegalArgumentException.class, () -> store.subscription("p").fromPosition(-1), "-1");
        rejected(IllegalArgumentException.class, () -> store.subscription("p").fromPosition(11).handler(e -> { }).start(),
                "position 11", "10 events");
        Instant future = Instant.now().plusSeconds(3600);
        rejected(IllegalArgumentException.class, () -> store.subscription("p").fromInstant(future), future.toString(), "future");
        rejected(NullPointerException.class, () -> store.subscription("p").fromInstant(null), "instant");
        nothingRuns();
        assertFalse(Files.exists(dir.resolve("subscriptions/p.ckpt")), "a rejected start writes no checkpoint");
    }

    @Test
    void resetToABadPositionIsRejected() throws Exception {
        try (Subscription s = store.subscription("r").handler(e -> { }).start()) {
            rejected(IllegalArgumentException.class, () -> s.resetTo(-1), "-1");
            rejected(IllegalArgumentException.class, () -> s.resetTo(11), "11", "10");
            assertTrue(s.awaitPosition(10, Duration.ofSeconds(20)));
        }
    }

    @Test
    void aSubscriptionNeedsExactlyOneHandlerAndValidSettings() throws Exception {
        rejected(IllegalStateException.class, () -> store.subscription("h").start(), "exactly one", "has 0");
        rejected(IllegalStateException.class, () -> store.subscription("h").handler(e -> { }).viewHandler(v -> { }).start(),
                "exactly one", "has 2");
        rejected(NullPointerException.class, () -> store.subscription("h").handler(null), "handler");
        rejected(IllegalArgumentException.class, () -> store.subscription("h").retries(-1), "-1");
        rejected(IllegalArgumentException.class, () -> store.subscription("h").retries(101), "101");
        rejected(IllegalArgumentException.class, () -> store.subscription("h").retryBackoff(Duration.ofMillis(-1), Duration.ofSeconds(1)), "PT-0.001S");
        rejected(IllegalArgumentException.class, () -> store.subscription("h").retryBackoff(Duration.ofSeconds(2), Duration.ofSeconds(1)), "PT1S");
        rejected(IllegalArgumentException.class, () -> store.subscription("h").retryBackoff(Duration.ZERO, Duration.ofHours(1)), "PT1H");
        rejected(IllegalArgumentException.class, () -> store.subscription("h").checkpointInterval(Duration.ofDays(1)), "PT24H");
        rejected(IllegalArgumentException.class, () -> store.subscription("h").checkpointInterval(Duration.ofMillis(-5)), "PT-0.005S");
        try (ReadModel<Long> model = ReadModel.open(dir.resolve("model"), ReadModel.Codec.LONG, 1000)) {
            rejected(IllegalStateException.class, () -> store.subscription("h").handler(e -> { })
                    .projection(model, (e, c) -> { }).start(), "has 2");
        }
        nothingRuns();
    }

    private Path checkpoint() throws Exception {
        try (Subscription s = store.subscription("ck").handler(e -> { }).start()) {
            assertTrue(s.awaitPosition(10, Duration.ofSeconds(20)));
        }
        return dir.resolve("subscriptions/ck.ckpt");
    }

    @Test
    void aDamagedCheckpointIsReportedWithItsFileAndPositionAndNothingIsReplayed() throws Exception {
        Path file = checkpoint();
        byte[] good = Files.readAllBytes(file);
        for (int i = 0; i < good.length; i++) {
            byte[] bad = good.clone();
            bad[i] ^= 0x10;
            Files.write(file, bad);
            CorruptFrameException e = rejected(CorruptFrameException.class, () -> store.subscription("ck").handler(x -> { }).start(),
                    file.toString());
            assertTrue(e.position() >= 0 && e.position() < good.length, "position " + e.position());
        }
        Files.write(file, new byte[0]);
        rejected(CorruptFrameException.class, () -> store.subscription("ck").handler(x -> { }).start(), file.toString(), "0 bytes");
        Files.write(file, java.util.Arrays.copyOf(good, good.length - 1));
        rejected(CorruptFrameException.class, () -> store.subscription("ck").handler(x -> { }).start(), file.toString());
        try (var ch = java.nio.channels.FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(new byte[]{1}), 1L << 32); // a 4 GiB sparse file: refused before reading
        }
        rejected(CorruptFrameException.class, () -> store.subscription("ck").handler(x -> { }).start(), file.toString(), "4294967297 bytes");
        Files.write(file, good);
        try (Subscription s = store.subscription("ck").handler(x -> { }).start()) {
            assertEquals(10, s.position(), "the repaired checkpoint is used");
        }
        nothingRuns();
    }

    @Test
    void aCheckpointOfAnotherStoreOrBeyondTheEndIsRejected() throws Exception {
        Path file = checkpoint();
        byte[] good = Files.readAllBytes(file);
        ByteBuffer b = ByteBuffer.wrap(good.clone()).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(16, 12345L); // another store's id
        Files.write(file, reseal(b.array()));
        rejected(IllegalArgumentException.class, () -> store.subscription("ck").handler(x -> { }).start(), "12345", "delete it");
        b = ByteBuffer.wrap(good.clone()).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(24, 11); // beyond the journal's 10 events
        Files.write(file, reseal(b.array()));
        rejected(IllegalArgumentException.class, () -> store.subscription("ck").handler(x -> { }).start(), "position 11", "only 10");
        Files.copy(file, dir.resolve("subscriptions/other.ckpt"));
        Files.write(file, good);
        rejected(CorruptFrameException.class, () -> store.subscription("other").handler(x -> { }).start(), "'ck'", "'other'");
        nothingRuns();
    }

    static byte[] reseal(byte[] bytes) {
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(bytes, 0, bytes.length - 4);
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putInt(bytes.length - 4, (int) crc.getValue());
        return bytes;
    }

    @Test
    void aDamagedParkedEventsFileIsReportedWithItsFile() throws Exception {
        try (Subscription s = store.subscription("pk").retries(0).handler(e -> {
            if (e.position() == 2) {
                throw new IllegalStateException("x");
            }
        }).start()) {
            assertTrue(s.awaitPosition(10, Duration.ofSeconds(20)));
        }
        Path file = dir.resolve("subscriptions/pk.parked");
        byte[] good = Files.readAllBytes(file);
        byte[] bad = good.clone();
        bad[bad.length / 2] ^= 1;
        Files.write(file, bad);
        rejected(CorruptFrameException.class, () -> store.subscription("pk").handler(x -> { }).start(), file.toString(), "checksum");
        ByteBuffer b = ByteBuffer.wrap(good.clone()).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(12, Integer.MAX_VALUE); // a hostile count
        Files.write(file, reseal(b.array()));
        rejected(CorruptFrameException.class, () -> store.subscription("pk").handler(x -> { }).start(), file.toString(), "count 2147483647");
        nothingRuns();
        SubscriptionStatus listed = store.subscriptions().stream().filter(x -> x.name().equals("pk")).findFirst().orElseThrow();
        assertTrue(listed.problem().startsWith("unreadable: "), listed.toString());
        assertTrue(listed.problem().contains(file.toString()), listed.problem());
    }

    @Test
    void aDurableSubscriptionOnAReadOnlyStoreNeedsADirectoryOfItsOwn() throws Exception {
        try (EventStore ro = TestEvents.builder(dir).openReadOnly()) {
            rejected(IllegalStateException.class, () -> ro.subscription("ro").handler(e -> { }).start(),
                    "read-only", "subscriptionDirectory", "durable(false)");
            try (Subscription s = ro.subscription("ro").durable(false).handler(e -> { }).start()) {
                assertTrue(s.awaitPosition(10, Duration.ofSeconds(20)));
            }
        }
    }

    @Test
    void aReadModelCannotServeTwoSubscriptionsOrBeOpenedTwice() throws Exception {
        Path modelDir = dir.resolve("views/count");
        try (ReadModel<Long> model = ReadModel.open(modelDir, ReadModel.Codec.LONG, 1000)) {
            rejected(StoreLockedException.class, () -> ReadModel.open(modelDir, ReadModel.Codec.LONG, 1000), "already open");
            try (Subscription s = store.subscription("counter").projection(model, (e, c) -> c.put("n", 1L)).start()) {
                assertTrue(s.awaitPosition(10, Duration.ofSeconds(20)));
                rejected(IllegalStateException.class, () -> store.subscription("counter2").projection(model, (e, c) -> { }).start(),
                        "already used");
            }
            rejected(IllegalArgumentException.class, () -> store.subscription("counter2").projection(model, (e, c) -> { }).start(),
                    "belongs to subscription 'counter'", "'counter2'");
            try (Subscription s = store.subscription("counter").projection(model, (e, c) -> { }).start()) {
                rejected(IllegalArgumentException.class, () -> s.resetTo(5), "only be reset to position 0");
            }
        }
        rejected(IllegalArgumentException.class, () -> ReadModel.open(modelDir, ReadModel.Codec.LONG, 999), "999");
        rejected(NullPointerException.class, () -> ReadModel.open(modelDir, null, 1000), "codec");
        Path state = modelDir.resolve("readmodel.state");
        byte[] bytes = Files.readAllBytes(state);
        bytes[20] ^= 1;
        Files.write(state, bytes);
        rejected(CorruptFrameException.class, () -> ReadModel.open(modelDir, ReadModel.Codec.LONG, 1000), state.toString(), "checksum");
        nothingRuns();
    }

    @Test
    void readModelKeysAndValuesAreChecked() throws Exception {
        try (ReadModel<Long> model = ReadModel.open(dir.resolve("views/k"), ReadModel.Codec.LONG, 1000);
             Subscription s = store.subscription("keys").retries(0).projection(model, (e, c) -> {
                 switch ((int) e.position()) {
                     case 0 -> c.put("", 1L);
                     case 1 -> c.put("x".repeat(513), 1L);
                     case 2 -> c.put("k", null);
                     case 3 -> c.put(null, 1L);
                     default -> c.put("k", e.position());
                 }
             }).start()) {
            assertTrue(s.awaitPosition(10, Duration.ofSeconds(20)));
            assertEquals(java.util.List.of(0L, 1L, 2L, 3L), s.parkedEvents().stream().map(ParkedEvent::position).toList());
            assertTrue(s.parkedEvents().get(1).lastError().contains("513"), s.parkedEvents().get(1).lastError());
            assertEquals(9L, model.get("k"));
        }
    }

    @Test
    void aClosedStoreStartsNoSubscription() {
        store.close();
        rejected(StoreClosedException.class, () -> store.subscription("late"), "closed");
        rejected(StoreClosedException.class, () -> store.subscriptions(), "closed");
        assertThrows(StoreClosedException.class, () -> store.append("order", "o", ExpectedVersion.ANY, new OrderPlaced("a", 1)));
    }
}
