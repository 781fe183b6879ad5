package dev.hindsight.engine;

import dev.hindsight.engine.internal.subscription.ChronicleReadModel;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * A read model kept exactly-once by a subscription: {@code String} keys to values of type {@code V},
 * in a Chronicle Map in a directory of its own, maintained by {@link SubscriptionBuilder#projection}.
 *
 * <pre>{@code
 * // revenue per customer of the Order resource: an order's amount counts from its creation, follows
 * // its amount updates and is taken back when it is canceled
 * Resource<Order> orders = store.resource(ORDER);
 * try (ReadModel<Long> revenue = ReadModel.open(Path.of("views/revenue"), ReadModel.Codec.LONG, 100_000);
 *      Subscription sub = store.subscription("revenue")
 *          .resourceTypes("order")
 *          .projection(revenue, (event, changes) -> {
 *              Object e = event.event();
 *              String customer;
 *              long delta;
 *              if (e instanceof Created<?> c) {
 *                  Order o = (Order) c.state();
 *                  customer = o.customer();
 *                  delta = o.amount();
 *              } else if (e instanceof Updated u && u.change("amount").isPresent()) {
 *                  AttributeChange a = u.change("amount").get();
 *                  // Updated carries only what changed: read the customer from the order's history as of
 *                  // this event (immutable, so a replay reads the same)
 *                  customer = orders.atVersion(event.entityId(), event.version()).state().customer();
 *                  delta = (Long) a.newValue() - (Long) a.oldValue();
 *              } else if (e instanceof Canceled) {
 *                  Order o = orders.atVersion(event.entityId(), event.version()).state();
 *                  customer = o.customer();
 *                  delta = -o.amount();
 *              } else {
 *                  return;
 *              }
 *              Long sum = changes.get(customer);
 *              changes.put(customer, (sum == null ? 0 : sum) + delta);
 *          })
 *          .start()) {
 *     sub.awaitPosition(store.eventCount(), Duration.ofSeconds(10));
 *     Long alice = revenue.get("alice");
 *     Map<String, Long> all = revenue.snapshot();
 * }
 * }</pre>
 *
 * (The engine's tests run this projection, killing the process that keeps it with {@code kill -9}, and
 * compare the model with one rebuilt from scratch: {@code Revenue} and {@code RevenueProjectionCrashTest}.)
 *
 * <h2>How it is exactly-once</h2>
 * Chronicle Map has no transactions across keys, so the checkpoint lives in every entry: each value is
 * stored with the position of the last event applied to it. The projection stages an event's changes;
 * they are committed key by key, each together with the event's position, and a key that has already
 * applied that position (or a later one) is left alone. After a crash the subscription resumes from
 * the model's last checkpoint, which is never past what was committed; events replayed from there are
 * skipped by the keys that have them and applied by the keys that do not, so every key ends up with
 * every event applied exactly once. Removed keys stay as tombstones (with their position) until the
 * model's checkpoint passes them. A parked event stages nothing; when it is retried its changes are
 * committed with a mark of its position in each key, so a retry interrupted by a crash is not applied
 * twice.
 *
 * <p>What this asks of a projection: an event's change to a key may depend on the event, that key's own
 * value and the store's immutable history (such as {@link Resource#atVersion}), not on other keys' values
 * (during a replay other keys may already be ahead); it must be deterministic.
 *
 * <h2>Crash safety of the map itself</h2>
 * Every value carries a CRC32C. A model not closed cleanly is recovered with Chronicle Map's recovery,
 * then every entry is checked; if recovery reports a corruption or an entry fails its check, the model
 * is cleared and rebuilt from the position it started from (the journal is the truth).
 *
 * <p>Thread safety: thread-safe. {@link #get}, {@link #forEach} and {@link #snapshot} may be called from
 * any thread while the subscription writes (each entry is read atomically; a snapshot is not a
 * point-in-time view across keys). One subscription at a time writes it; the directory is locked
 * against other processes.
 *
 * @param <V> the value type
 */
public interface ReadModel<V> extends AutoCloseable {

    /**
     * Opens (or creates) a read model in {@code directory}: {@code readmodel.cm} (the Chronicle Map),
     * {@code readmodel.state} (its checkpoint) and {@code readmodel.lock} (held while open).
     *
     * @param directory    the model's own directory, created if missing (in a read-only process, one it may write)
     * @param codec        encodes the values
     * @param expectedKeys how many keys it is sized for, 1,000 to 1,000,000,000 (it takes up to ten times as many, more slowly)
     * @param <V>          the value type
     * @return the open model
     * @throws StoreLockedException if another process or model has it open
     * @throws dev.hindsight.codec.CorruptFrameException if its state file is damaged (naming file and position)
     */
    static <V> ReadModel<V> open(Path directory, Codec<V> codec, long expectedKeys) {
        return ChronicleReadModel.open(directory, codec, expectedKeys);
    }

    /**
     * @param key a key
     * @return its value, or null if it has none
     */
    V get(String key);

    /** @param action receives every key and value (weakly consistent while the subscription writes) */
    void forEach(BiConsumer<String, V> action);

    /** @return a copy of every key and value */
    Map<String, V> snapshot();

    /** @return the model's directory */
    Path directory();

    /** @return what opening it found: "clean", "recovered after a crash", or why it was cleared for a rebuild */
    String openReport();

    /** Closes the map (after the subscription using it). Idempotent. */
    @Override
    void close();

    /**
     * Stages one event's changes to a read model. Reads see the staged changes of the same event.
     * Not thread-safe: used on the subscription's thread during one call of the projection.
     *
     * @param <V> the value type
     */
    interface Changes<V> {
        /**
         * @param key a key
         * @return its value as staged for this event, else as committed, else null
         */
        V get(String key);

        /**
         * @param key   a key, 1 to 512 UTF-8 bytes
         * @param value its new value, not null
         */
        void put(String key, V value);

        /** @param key a key to remove */
        void remove(String key);
    }

    /**
     * Turns one event into changes of a read model. Called on the subscription's thread; an exception
     * discards the staged changes (the event is retried, then parked, as for any handler).
     *
     * @param <V> the value type
     */
    @FunctionalInterface
    interface Projection<V> {
        /**
         * @param event   the event (a flyweight, valid during the call)
         * @param changes stage the event's changes here
         * @throws Exception to have the event retried, then parked
         */
        void apply(EventView event, Changes<V> changes) throws Exception;
    }

    /**
     * Encodes read model values. Implementations must be thread-safe (stateless) and deterministic.
     *
     * @param <V> the value type
     */
    interface Codec<V> {
        /** Values are {@code long}s (8 bytes, little-endian). */
        Codec<Long> LONG = new Codec<>() {
            @Override
            public byte[] encode(Long value) {
                return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(value).array();
            }

            @Override
            public Long decode(byte[] bytes, int offset, int length) {
                if (length != 8) {
                    throw new IllegalArgumentException("a LONG value is 8 bytes, not " + length);
                }
                return ByteBuffer.wrap(bytes, offset, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
            }

            @Override
            public int averageBytes() {
                return 8;
            }

            @Override
            public String toString() {
                return "Codec.LONG";
            }
        };

        /** Values are strings (UTF-8). */
        Codec<String> STRING = new Codec<>() {
            @Override
            public byte[] encode(String value) {
                return value.getBytes(StandardCharsets.UTF_8);
            }

            @Override
            public String decode(byte[] bytes, int offset, int length) {
                return new String(bytes, offset, length, StandardCharsets.UTF_8);
            }

            @Override
            public String toString() {
                return "Codec.STRING";
            }
        };

        /**
         * @param value a value, not null
         * @return its bytes (at most 1 MiB)
         */
        byte[] encode(V value);

        /**
         * @param bytes  holds the value
         * @param offset where it starts
         * @param length its length
         * @return the value
         * @throws RuntimeException if the bytes are not a value (reported as a damaged entry)
         */
        V decode(byte[] bytes, int offset, int length);

        /** @return the average encoded size, for sizing the map; default 32 */
        default int averageBytes() {
            return 32;
        }
    }
}
