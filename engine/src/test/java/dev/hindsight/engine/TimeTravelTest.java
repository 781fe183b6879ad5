package dev.hindsight.engine;

import dev.hindsight.codec.AttributeChange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TimeTravelTest {
    record Counter(String name, long value) {}
    record Added(long amount) {}

    static final ResourceType<Counter> COUNTER = ResourceType.define("counter", Counter.class)
            .event(Added.class, 1, (c, e) -> new Counter(c.name(), c.value() + e.amount()))
            .build();

    @TempDir
    Path dir;
    EventStore store;
    Resource<Counter> counters;

    @BeforeEach
    void open() {
        store = EventStore.builder(dir).resource(COUNTER).open();
        counters = store.resource(COUNTER);
    }

    @AfterEach
    void close() {
        store.close();
    }

    private static void tick() throws InterruptedException {
        Thread.sleep(2); // distinct sequencer timestamps between the steps of a test
    }

    @Test
    void asOfAnInstantIncludesEveryEventAtOrBeforeIt() throws Exception {
        Instant beforeCreation = Instant.now();
        tick();
        ActionResult<Counter> created = counters.create("c", new Counter("c", 0));
        tick();
        ActionResult<Counter> added = counters.act("c", c -> List.of(new Added(5)));
        tick();
        ActionResult<Counter> destroyed = counters.destroy("c");

        assertTrue(counters.asOf("c", beforeCreation).isEmpty(), "empty before creation");
        Instant createdAt = created.events().get(0).timestamp();
        assertEquals(0, counters.asOf("c", createdAt).orElseThrow().state().value(), "inclusive");
        assertTrue(counters.asOf("c", createdAt.minusNanos(1)).isEmpty());
        Instant addedAt = added.events().get(0).timestamp();
        assertEquals(0, counters.asOf("c", addedAt.minusNanos(1)).orElseThrow().state().value());
        ResourceState<Counter> atAdd = counters.asOf("c", addedAt).orElseThrow();
        assertEquals(5, atAdd.state().value());
        assertEquals(2, atAdd.version());
        assertFalse(atAdd.deleted());
        ResourceState<Counter> after = counters.asOf("c", destroyed.events().get(0).timestamp()).orElseThrow();
        assertTrue(after.deleted(), "a destroyed entity shows as deleted");
        assertEquals(5, after.state().value(), "with its data");
        assertTrue(counters.asOf("never", Instant.now()).isEmpty());
        assertThrows(NullPointerException.class, () -> counters.asOf("c", null));
    }

    @Test
    void atVersionGivesTheStateAfterExactlyThatManyEventsAndRefusesOtherVersions() {
        counters.create("c", new Counter("c", 0));
        for (int i = 1; i <= 100; i++) {   // crosses several persisted index blocks
            long n = i;
            counters.act("c", c -> List.of(new Added(n)));
        }
        for (long v = 1; v <= 101; v++) {
            assertEquals((v - 1) * v / 2, counters.atVersion("c", v).state().value(), "version " + v);
        }
        assertEquals("counter/c has no version 102; its versions are 1..101",
                assertThrows(IllegalArgumentException.class, () -> counters.atVersion("c", 102)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> counters.atVersion("c", 0));
        assertThrows(IllegalArgumentException.class, () -> counters.atVersion("c", -1));
        assertEquals("counter/x has no version 1; its versions are none (it does not exist)",
                assertThrows(IllegalArgumentException.class, () -> counters.atVersion("x", 1)).getMessage());
    }

    @Test
    void asOfFindsTheRightVersionAcrossIndexBlocksAfterAReopenAndReadOnly() throws Exception {
        counters.create("c", new Counter("c", 0));
        List<Instant> times = new ArrayList<>();
        for (int i = 1; i <= 80; i++) {
            times.add(counters.act("c", c -> List.of(new Added(1))).events().get(0).timestamp());
            if (i % 20 == 0) {
                tick();
            }
        }
        store.close();
        store = EventStore.builder(dir).resource(COUNTER).open();
        counters = store.resource(COUNTER);
        for (int i = 0; i < times.size(); i++) {
            long value = counters.asOf("c", times.get(i)).orElseThrow().state().value();
            // events of equal timestamps are all included: the value is at least i + 1 and exact when distinct
            assertTrue(value >= i + 1, "as of the time of event " + (i + 2));
            if (i + 1 == times.size() || times.get(i + 1).isAfter(times.get(i))) {
                assertEquals(i + 1, value);
            }
        }
        store.close();
        try (EventStore ro = EventStore.builder(dir).resource(COUNTER).openReadOnly()) {
            assertEquals(80, ro.resource(COUNTER).asOf("c", times.get(79)).orElseThrow().state().value());
            assertEquals(40, ro.resource(COUNTER).atVersion("c", 41).state().value());
        }
        store = EventStore.builder(dir).resource(COUNTER).open();
    }

    @Test
    void asOfAPositionCountsOnlyThatEntitysEventsUpToIt() {
        counters.create("a", new Counter("a", 0));                       // 0
        counters.create("b", new Counter("b", 0));                       // 1
        counters.act("a", c -> List.of(new Added(1)));                   // 2
        counters.act("b", c -> List.of(new Added(10)));                  // 3
        counters.act("a", c -> List.of(new Added(100)));                 // 4
        assertTrue(counters.asOfPosition("b", 0).isEmpty());
        assertEquals(0, counters.asOfPosition("a", 1).orElseThrow().state().value());
        assertEquals(1, counters.asOfPosition("a", 3).orElseThrow().state().value());
        assertEquals(10, counters.asOfPosition("b", 4).orElseThrow().state().value());
        assertEquals(101, counters.asOfPosition("a", 4).orElseThrow().state().value());
        assertEquals("position 5 is not in the log of store " + dir + " (positions 0..4)",
                assertThrows(IllegalArgumentException.class, () -> counters.asOfPosition("a", 5)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> counters.asOfPosition("a", -1));
    }

    @Test
    void everyEntityOfATypeAsOfAnInstant() throws Exception {
        for (int i = 0; i < 50; i++) {
            counters.create("early-" + i, new Counter("e" + i, i));
        }
        tick();
        Instant between = Instant.now();
        tick();
        for (int i = 0; i < 30; i++) {
            counters.create("late-" + i, new Counter("l" + i, i));
            counters.act("early-" + i, c -> List.of(new Added(1000)));
        }
        counters.destroy("early-49");
        Map<String, ResourceState<Counter>> then = counters.allAsOf(between)
                .collect(Collectors.toMap(ResourceState::entityId, s -> s));
        assertEquals(50, then.size(), "only entities that existed then");
        assertEquals(7, then.get("early-7").state().value(), "without later events");
        assertFalse(then.get("early-49").deleted());
        Map<String, ResourceState<Counter>> now = counters.allAsOf(Instant.now())
                .collect(Collectors.toMap(ResourceState::entityId, s -> s));
        assertEquals(80, now.size());
        assertEquals(1007, now.get("early-7").state().value());
        assertTrue(now.get("early-49").deleted());
    }

    @Test
    void changesBetweenTwoPointsGiveTheEventsAndTheAttributeDifference() throws Exception {
        counters.create("c", new Counter("c", 0));
        tick();
        Instant t1 = Instant.now();
        tick();
        counters.act("c", c -> List.of(new Added(3)));
        counters.update("c", Map.of("name", "renamed"));
        counters.act("c", c -> List.of(new Added(4)));
        tick();
        Instant t2 = Instant.now();
        counters.destroy("c");

        ResourceChanges<Counter> byTime = counters.changes("c", t1, t2);
        assertEquals(3, byTime.events().size());
        assertEquals(List.of(new AttributeChange("name", "c", "renamed"), new AttributeChange("value", 0L, 7L)),
                byTime.changes());
        assertEquals(byTime, counters.changes("c", 1, 4));
        ResourceChanges<Counter> fromNothing = counters.changes("c", 0, 1);
        assertEquals(Optional.empty(), fromNothing.before());
        assertEquals(List.of(new AttributeChange("name", null, "c"), new AttributeChange("value", null, 0L)),
                fromNothing.changes());
        assertTrue(counters.changes("c", 4, 5).destroyed());
        assertThrows(IllegalArgumentException.class, () -> counters.changes("c", t2, t1));
        assertThrows(IllegalArgumentException.class, () -> counters.changes("c", 3, 2));
        assertThrows(IllegalArgumentException.class, () -> counters.changes("c", -1, 2));
        assertThrows(IllegalArgumentException.class, () -> counters.changes("c", 1, 6));
    }

    @Test
    void theEventLogAnswersVersionAtAndRangesToo() throws Exception {
        counters.create("c", new Counter("c", 0));
        tick();
        Instant mid = Instant.now();
        tick();
        counters.act("c", c -> List.of(new Added(1), new Added(2)));
        assertEquals(1, store.versionAt("counter", "c", mid));
        assertEquals(0, store.versionAt("counter", "c", Instant.EPOCH));
        assertEquals(3, store.versionAt("counter", "c", Instant.MAX));
        assertEquals(2, store.readEntity("counter", "c", 2, 3).size());
        assertThrows(IllegalArgumentException.class, () -> store.readEntity("counter", "c", 2, 4));
        assertThrows(IllegalArgumentException.class, () -> store.readEntity("counter", "c", 3, 2));
    }

    @Test
    void anEventAppendedAfterAnInstantIsNeverStampedBeforeIt() {
        // as-of semantics rest on this: what a caller appends after reading the clock is not "as of" that time
        for (int i = 0; i < 200; i++) {
            Instant before = Instant.now();
            long beforeNanos = before.getEpochSecond() * 1_000_000_000L + before.getNano();
            ActionResult<Counter> r = i == 0 ? counters.create("c", new Counter("c", 0))
                    : counters.act("c", c -> List.of(new Added(1)));
            long stamped = store.readVersion("counter", "c", r.version()).timestampNanos();
            assertTrue(stamped >= beforeNanos, "version " + r.version() + " stamped " + (beforeNanos - stamped)
                    + " ns before an instant read before it was appended");
            assertEquals(r.version() - 1, store.versionAt("counter", "c", before));
        }
    }
}
