package dev.hindsight.engine;

import dev.hindsight.codec.EventMetadata;
import dev.hindsight.engine.TestEvents.Counter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Many producer threads against one store: optimistic concurrency with exact expected versions,
 * atomic batches, and close() racing producers. Every check is against what the producers were
 * told (their AppendResults and exceptions), read back through every read path.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ConcurrencyTest {
    private static final int THREADS = 8;
    private static final String TYPE = "account";

    @TempDir
    Path dir;

    /** One acknowledged append as its producer saw it. */
    record Ack(String entityId, String writer, long firstSequence, AppendResult result) {
    }

    private EventStore open(Durability durability) {
        return TestEvents.builder(dir).expectedEntities(1_000).durability(durability).open();
    }

    /** Runs {@code body(threadIndex)} on {@link #THREADS} threads released together; returns the throwables they let escape. */
    private static List<Throwable> runThreads(ThrowingIntConsumer body, long timeoutSeconds) throws InterruptedException {
        CountDownLatch start = new CountDownLatch(1);
        ConcurrentLinkedQueue<Throwable> escaped = new ConcurrentLinkedQueue<>();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            int id = t;
            Thread th = new Thread(() -> {
                try {
                    start.await();
                    body.accept(id);
                } catch (Throwable e) {
                    escaped.add(e);
                }
            }, "producer-" + t);
            th.setDaemon(true);
            threads.add(th);
            th.start();
        }
        start.countDown();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        for (Thread th : threads) {
            th.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            assertFalse(th.isAlive(), th.getName() + " is still running after " + timeoutSeconds + " s: hung");
        }
        return new ArrayList<>(escaped);
    }

    @FunctionalInterface
    interface ThrowingIntConsumer {
        void accept(int value) throws Exception;
    }

    private static void assertNoneEscaped(List<Throwable> escaped) {
        if (!escaped.isEmpty()) {
            AssertionError e = new AssertionError(escaped.size() + " producer(s) failed unexpectedly; first: " + escaped.get(0));
            escaped.forEach(e::addSuppressed);
            throw e;
        }
    }

    /** Reads the whole log and checks positions 0..n-1 in order, no gap, no duplicate. */
    private static List<RecordedEvent> readWholeLog(EventStore store) {
        long n = store.eventCount();
        List<RecordedEvent> all = store.readAll(0, (int) n + 100);
        assertEquals(n, all.size(), "readAll returns eventCount events");
        for (int i = 0; i < all.size(); i++) {
            assertEquals(i, all.get(i).position(), "global positions are gapless and unique");
        }
        return all;
    }

    /** Checks every acknowledged append is in the log where and as its producer was told. */
    private static void assertAcksInLog(List<Ack> acks, List<RecordedEvent> all) {
        for (Ack ack : acks) {
            AppendResult r = ack.result();
            assertTrue(r.lastPosition() < all.size(), ack + " is in the log of " + all.size());
            for (int k = 0; k < r.count(); k++) {
                RecordedEvent e = all.get((int) (r.firstPosition() + k));
                assertEquals(ack.entityId(), e.entityId(), "entity at " + e.position());
                assertEquals(r.firstVersion() + k, e.version(), "version at " + e.position());
                assertEquals(r.timestampNanos(), e.timestampNanos(), "timestamp at " + e.position());
                Counter c = e.eventAs(Counter.class);
                assertEquals(ack.writer(), c.writer(), "writer at " + e.position());
                assertEquals(ack.firstSequence() + k, c.sequence(), "sequence at " + e.position());
            }
        }
    }

    /** Checks readEntity of each entity shows versions 1..head, and that heads sum to the events. */
    private static void assertEntitiesGapless(EventStore store, Set<String> entities, List<RecordedEvent> all) {
        Map<String, List<RecordedEvent>> byEntity = new HashMap<>();
        for (RecordedEvent e : all) {
            byEntity.computeIfAbsent(e.entityId(), k -> new ArrayList<>()).add(e);
        }
        long sumOfHeads = 0;
        for (String id : entities) {
            long head = store.headVersion(TYPE, id);
            sumOfHeads += head;
            List<RecordedEvent> read = store.readEntity(TYPE, id, 1);
            assertEquals(head, read.size(), "readEntity of " + id + " returns head events");
            for (int v = 1; v <= head; v++) {
                RecordedEvent e = read.get(v - 1);
                assertEquals(v, e.version(), id + " versions are 1..head without gap or duplicate");
                assertEquals(byEntity.get(id).get(v - 1), e, id + " v" + v + " agrees with the log");
            }
        }
        assertEquals(all.size(), sumOfHeads, "the entities' head versions add up to every event");
    }

    // ------------------------------------------------------------------ exact expected versions

    @Test
    void exactExpectedVersionsUnderContentionLoseNoUpdateAndDuplicateNone() throws Exception {
        int attemptsPerThread = 250;
        String[] entities = {"a-0", "a-1", "a-2", "a-3"};
        ConcurrentLinkedQueue<Ack> acks = new ConcurrentLinkedQueue<>();
        AtomicLong conflicts = new AtomicLong();
        try (EventStore store = open(Durability.PROCESS_CRASH)) {
            List<Throwable> escaped = runThreads(t -> {
                String writer = "w" + t;
                long seq = 0;
                ThreadLocalRandom rnd = ThreadLocalRandom.current();
                for (int i = 0; i < attemptsPerThread; i++) {
                    String id = entities[rnd.nextInt(entities.length)];
                    long head = store.headVersion(TYPE, id);
                    try {
                        AppendResult r = store.append(TYPE, id, ExpectedVersion.exactly(head), new Counter(writer, seq, List.of()));
                        assertEquals(head + 1, r.firstVersion(), "an accepted exact append lands right after the head it expected");
                        acks.add(new Ack(id, writer, seq, r));
                        seq++;
                    } catch (WrongExpectedVersionException e) {
                        conflicts.incrementAndGet();
                        assertEquals(head, e.expectedVersion());
                        assertEquals(id, e.entityId());
                        assertTrue(e.actualVersion() > head, "a conflict means the entity moved on: read " + head
                                + " before appending, the sequencer saw " + e.actualVersion());
                    }
                }
            }, 45);
            assertNoneEscaped(escaped);

            List<Ack> acked = new ArrayList<>(acks);
            assertEquals((long) THREADS * attemptsPerThread, acked.size() + conflicts.get(), "every attempt succeeded or conflicted");
            assertEquals(acked.size(), store.eventCount(), "successes == events in the store");
            List<RecordedEvent> all = readWholeLog(store);
            assertAcksInLog(acked, all);
            Set<String> payloads = new HashSet<>();
            for (RecordedEvent e : all) {
                Counter c = e.eventAs(Counter.class);
                assertTrue(payloads.add(c.writer() + "#" + c.sequence()), "payload " + c + " appears exactly once");
            }
            assertEntitiesGapless(store, Set.of(entities), all);
            System.out.printf("exact versions: %d successes, %d conflicts%n", acked.size(), conflicts.get());
        }
        try (EventStore store = open(Durability.PROCESS_CRASH)) {
            List<RecordedEvent> all = readWholeLog(store);
            assertAcksInLog(new ArrayList<>(acks), all);
            assertEntitiesGapless(store, Set.of(entities), all);
        }
    }

    // ------------------------------------------------------------------ batches

    @ParameterizedTest
    @EnumSource(Durability.class)
    void batchesFromManyThreadsAreNeverInterleaved(Durability durability) throws Exception {
        int batchesPerThread = 60;
        String[] entities = {"b-0", "b-1"};
        ConcurrentLinkedQueue<Ack> acks = new ConcurrentLinkedQueue<>();
        try (EventStore store = open(durability)) {
            List<Throwable> escaped = runThreads(t -> {
                String writer = "w" + t;
                long seq = 0;
                ThreadLocalRandom rnd = ThreadLocalRandom.current();
                for (int b = 0; b < batchesPerThread; b++) {
                    String id = entities[rnd.nextInt(entities.length)];
                    int n = 1 + rnd.nextInt(8);
                    List<Counter> batch = new ArrayList<>();
                    for (int k = 0; k < n; k++) {
                        batch.add(new Counter(writer, seq + k, List.of("batch-" + b, Integer.toString(n))));
                    }
                    AppendResult r = store.appendAll(TYPE, id, ExpectedVersion.ANY, batch, EventMetadata.NONE);
                    assertEquals(n, r.count());
                    acks.add(new Ack(id, writer, seq, r));
                    seq += n;
                }
            }, 45);
            assertNoneEscaped(escaped);

            List<Ack> acked = new ArrayList<>(acks);
            assertEquals((long) THREADS * batchesPerThread, acked.size());
            List<RecordedEvent> all = readWholeLog(store);
            assertEquals(acked.stream().mapToLong(a -> a.result().count()).sum(), all.size(), "every batch event and nothing else");
            assertAcksInLog(acked, all);

            // the acknowledged ranges tile positions 0..n-1 and each entity's versions 1..head exactly
            List<long[]> positionRanges = new ArrayList<>();
            Map<String, List<long[]>> versionRanges = new HashMap<>();
            for (Ack a : acked) {
                positionRanges.add(new long[]{a.result().firstPosition(), a.result().lastPosition()});
                versionRanges.computeIfAbsent(a.entityId(), k -> new ArrayList<>())
                        .add(new long[]{a.result().firstVersion(), a.result().lastVersion()});
            }
            assertTiles(positionRanges, 0, all.size() - 1, "positions");
            for (Map.Entry<String, List<long[]>> e : versionRanges.entrySet()) {
                assertTiles(e.getValue(), 1, store.headVersion(TYPE, e.getKey()), "versions of " + e.getKey());
            }

            // read per entity: each batch's events sit at contiguous versions, in order, whole
            for (String id : entities) {
                List<RecordedEvent> events = store.readEntity(TYPE, id, 1);
                int i = 0;
                while (i < events.size()) {
                    Counter first = events.get(i).eventAs(Counter.class);
                    int n = Integer.parseInt(first.tags().get(1));
                    for (int k = 0; k < n; k++) {
                        RecordedEvent e = events.get(i + k);
                        Counter c = e.eventAs(Counter.class);
                        assertEquals(first.writer(), c.writer(), id + " v" + e.version() + " belongs to the batch starting at v" + (i + 1));
                        assertEquals(first.tags().get(0), c.tags().get(0), id + " v" + e.version() + " batch");
                        assertEquals(first.sequence() + k, c.sequence(), id + " v" + e.version() + " order within the batch");
                        assertEquals(i + k + 1, e.version());
                    }
                    i += n;
                }
            }
            assertEntitiesGapless(store, Set.of(entities), all);
        }
    }

    /** Asserts the inclusive ranges cover [from, to] exactly once each. */
    private static void assertTiles(List<long[]> ranges, long from, long to, String what) {
        List<long[]> sorted = new ArrayList<>(ranges);
        sorted.sort((x, y) -> Long.compare(x[0], y[0]));
        long next = from;
        for (long[] r : sorted) {
            assertEquals(next, r[0], what + ": a range starts where the previous ended (no gap, no overlap)");
            next = r[1] + 1;
        }
        assertEquals(to + 1, next, what + ": the ranges end at the end");
    }

    // ------------------------------------------------------------------ close under load

    @ParameterizedTest
    @EnumSource(Durability.class)
    void closeWhileProducersAppendAcknowledgesOrRefusesEveryAppendAndNeverHangs(Durability durability) throws Exception {
        String[] entities = {"c-0", "c-1", "c-2", "c-3"};
        ConcurrentLinkedQueue<Ack> acks = new ConcurrentLinkedQueue<>();
        AtomicLong refused = new AtomicLong();
        AtomicLong appended = new AtomicLong();
        EventStore store = open(durability);
        CountDownLatch start = new CountDownLatch(1);
        ConcurrentLinkedQueue<Throwable> unexpected = new ConcurrentLinkedQueue<>();
        List<Thread> producers = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            String writer = "w" + t;
            Thread th = new Thread(() -> {
                long seq = 0;
                try {
                    start.await();
                    ThreadLocalRandom rnd = ThreadLocalRandom.current();
                    while (true) {
                        String id = entities[rnd.nextInt(entities.length)];
                        try {
                            AppendResult r;
                            if (rnd.nextInt(4) == 0) {
                                r = store.appendAll(TYPE, id, ExpectedVersion.ANY,
                                        List.of(new Counter(writer, seq, List.of()), new Counter(writer, seq + 1, List.of())), EventMetadata.NONE);
                            } else {
                                r = store.append(TYPE, id, ExpectedVersion.ANY, new Counter(writer, seq, List.of()));
                            }
                            acks.add(new Ack(id, writer, seq, r));
                            seq += r.count();
                            appended.addAndGet(r.count());
                        } catch (StoreClosedException e) {
                            refused.incrementAndGet();
                            // once closed, it stays closed
                            try {
                                store.append(TYPE, id, ExpectedVersion.ANY, new Counter(writer, seq, List.of()));
                                unexpected.add(new AssertionError("an append after StoreClosedException succeeded"));
                            } catch (StoreClosedException again) {
                                return;
                            }
                        }
                    }
                } catch (Throwable e) {
                    unexpected.add(e);
                }
            }, "producer-" + t);
            th.setDaemon(true);
            producers.add(th);
            th.start();
        }
        start.countDown();
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (appended.get() < 3_000 && System.nanoTime() < until) {
            Thread.sleep(5);
        }
        assertTrue(appended.get() > 0, "producers appended before the close");
        long closeStarted = System.nanoTime();
        store.close();
        long closeMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - closeStarted);
        for (Thread th : producers) {
            th.join(20_000);
            assertFalse(th.isAlive(), th.getName() + " hangs after close()");
        }
        assertNoneEscaped(new ArrayList<>(unexpected));
        assertEquals(THREADS, refused.get(), "every producer was refused with StoreClosedException and stopped");
        assertTrue(closeMillis < 10_000, "close() took " + closeMillis + " ms");

        List<Ack> acked = new ArrayList<>(acks);
        try (EventStore reopened = open(Durability.PROCESS_CRASH)) {
            assertTrue(reopened.recoveryReport().wasClean(), "close under load still closes cleanly: " + reopened.recoveryReport());
            List<RecordedEvent> all = readWholeLog(reopened);
            assertEquals(appended.get(), all.size(),
                    "exactly the acknowledged events are in the store: a refused append wrote nothing");
            assertAcksInLog(acked, all);
            assertEntitiesGapless(reopened, Set.of(entities), all);
        }
    }

    @Test
    void readsRacingCloseFailOnlyWithStoreClosedException() throws Exception {
        String[] entities = {"r-0", "r-1"};
        for (int round = 0; round < Integer.getInteger("closeRounds", 10); round++) {
            Path roundDir = dir.resolve("round-" + round);
            EventStore store = TestEvents.builder(roundDir).expectedEntities(1_000).open();
            // long reads (thousands of events) so that reads are in flight while close() runs
            for (int i = 0; i < 40; i++) {
                List<Counter> batch = new ArrayList<>();
                for (int k = 0; k < 100; k++) {
                    batch.add(new Counter("w", i * 100L + k, List.of()));
                }
                store.appendAll(TYPE, entities[i % 2], ExpectedVersion.ANY, batch, EventMetadata.NONE);
            }
            CountDownLatch start = new CountDownLatch(1);
            ConcurrentLinkedQueue<Throwable> unexpected = new ConcurrentLinkedQueue<>();
            AtomicLong reads = new AtomicLong();
            List<Thread> readers = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int kind = t % 4;
                Thread th = new Thread(() -> {
                    try {
                        start.await();
                        while (true) {
                            try {
                                switch (kind) {
                                    case 0 -> assertEquals(2000, store.headVersion(TYPE, entities[0]));
                                    case 1 -> assertEquals(2000, store.readEntity(TYPE, entities[1], 1).size());
                                    case 2 -> assertEquals(4000, store.readAll(0, 5000).size());
                                    default -> assertEquals(1500, store.readVersion(TYPE, entities[0], 1500).version());
                                }
                                reads.incrementAndGet();
                            } catch (StoreClosedException e) {
                                return;
                            }
                        }
                    } catch (Throwable e) {
                        unexpected.add(e);
                    }
                }, "reader-" + t);
                th.setDaemon(true);
                readers.add(th);
                th.start();
            }
            start.countDown();
            while (reads.get() < 50) {
                Thread.sleep(1);
            }
            store.close();
            for (Thread th : readers) {
                th.join(20_000);
                assertFalse(th.isAlive(), th.getName() + " hangs after close()");
            }
            List<Throwable> failures = new ArrayList<>(unexpected);
            if (!failures.isEmpty()) {
                AssertionError e = new AssertionError("round " + round + ": a read racing close() failed with something other than"
                        + " StoreClosedException: " + failures.get(0));
                failures.forEach(e::addSuppressed);
                throw e;
            }
        }
    }

    @Test
    void headVersionSeesEveryAppendAcknowledgedBeforeItStarted() throws Exception {
        // read-your-writes across threads: a reader that learns of an acknowledgement must see it
        ConcurrentLinkedQueue<long[]> lagging = new ConcurrentLinkedQueue<>();
        AtomicLong lastAcked = new AtomicLong();
        try (EventStore store = open(Durability.PROCESS_CRASH)) {
            List<Throwable> escaped = runThreads(t -> {
                if (t == 0) {
                    for (int i = 0; i < 2_000; i++) {
                        AppendResult r = store.append(TYPE, "ryw", ExpectedVersion.exactly(i), new Counter("w", i, List.of()));
                        lastAcked.set(r.lastVersion());
                    }
                    lastAcked.set(Long.MAX_VALUE);
                } else {
                    long seen;
                    while ((seen = lastAcked.get()) != Long.MAX_VALUE) {
                        long head = store.headVersion(TYPE, "ryw");
                        if (head < seen) {
                            lagging.add(new long[]{seen, head});
                        }
                        List<RecordedEvent> tail = store.readEntity(TYPE, "ryw", Math.max(1, seen));
                        if (seen > 0 && (tail.isEmpty() || tail.get(0).version() != seen)) {
                            lagging.add(new long[]{seen, tail.isEmpty() ? 0 : tail.get(0).version()});
                        }
                    }
                }
            }, 45);
            assertNoneEscaped(escaped);
            assertTrue(lagging.isEmpty(), "reads missed acknowledged versions (acknowledged, seen): "
                    + lagging.stream().limit(5).map(a -> a[0] + "," + a[1]).toList());
            assertEquals(2_000, store.headVersion(TYPE, "ryw"));
        }
    }
}
