package dev.hindsight.engine;

import dev.hindsight.engine.internal.DefaultEventStore;
import dev.hindsight.engine.internal.resource.SnapshotAgent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SnapshotIntegrationTest {
    record Tally(String name, long total, long count) {}
    record Counted(long amount) {}

    static ResourceType<Tally> tally(SnapshotPolicy policy) {
        return ResourceType.define("tally", Tally.class)
                .event(Counted.class, 1, (t, e) -> new Tally(t.name(), t.total() + e.amount(), t.count() + 1))
                .snapshots(policy)
                .build();
    }

    @TempDir
    Path dir;

    private static SnapshotAgent agent(EventStore store) {
        return ((DefaultEventStore) store).snapshotAgent();
    }

    private static Tally expected(long n) {
        return new Tally("t", n * (n + 1) / 2, n);
    }

    private void record(ResourceType<Tally> type, String id, int events) {
        try (EventStore store = EventStore.builder(dir).resource(type).open()) {
            Resource<Tally> r = store.resource(type);
            r.create(id, new Tally("t", 0, 0));
            for (int i = 1; i <= events; i++) {
                long n = i;
                r.act(id, t -> List.of(new Counted(n)));
            }
            if (agent(store) != null) {
                agent(store).awaitIdle();
                int interval = type.snapshots().interval();
                assertEquals(interval == 0 ? 0 : (events + 1) / interval, agent(store).storedCount(),
                        "one snapshot per interval, written by the snapshot thread");
                assertEquals(0, agent(store).droppedCount());
            }
        }
    }

    private List<Path> segments() throws Exception {
        if (!Files.isDirectory(dir.resolve("snapshots"))) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir.resolve("snapshots"))) {
            return s.filter(p -> p.toString().endsWith(".snap")).toList();
        }
    }

    @Test
    void statesComeFromSnapshotsAndTheTailAndEqualTheReplay() throws Exception {
        ResourceType<Tally> type = tally(SnapshotPolicy.every(10));
        record(type, "a", 95);
        assertTrue(!segments().isEmpty(), "snapshots were written");
        try (EventStore store = EventStore.builder(dir).resource(type).resourceCacheEntities(0).open()) {
            Resource<Tally> r = store.resource(type);
            assertTrue(agent(store).store().stats().snapshots() >= 9, "rungs at 10..90 survive the reopen");
            assertEquals(expected(95), r.get("a").orElseThrow());
            assertEquals(r.rebuild("a"), r.find("a"));
            for (long v = 1; v <= 96; v++) {
                assertEquals(expected(v - 1), r.atVersion("a", v).state(), "version " + v);
            }
            List<RecordedEvent> history = r.history("a");
            for (RecordedEvent e : history) {
                assertEquals(expected(e.version() - 1), r.asOf("a", e.timestamp()).orElseThrow().state(),
                        "as of version " + e.version());
            }
        }
    }

    @Test
    void deletedOrDamagedSnapshotsLoseNothing() throws Exception {
        ResourceType<Tally> type = tally(SnapshotPolicy.every(5));
        record(type, "a", 42);
        for (Path seg : segments()) {
            byte[] b = Files.readAllBytes(seg);
            for (int i = 64; i < Math.min(b.length, 1 << 16); i += 97) {
                b[i] ^= 0x5A;
            }
            Files.write(seg, b);
        }
        try (EventStore store = EventStore.builder(dir).resource(type).resourceCacheEntities(0).open()) {
            assertEquals(expected(42), store.resource(type).get("a").orElseThrow());
            assertEquals(expected(17), store.resource(type).atVersion("a", 18).state());
        }
        try (Stream<Path> all = Files.walk(dir.resolve("snapshots"))) {
            for (Path p : all.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
        try (EventStore store = EventStore.builder(dir).resource(type).resourceCacheEntities(0).open()) {
            assertEquals(expected(42), store.resource(type).get("a").orElseThrow());
        }
    }

    @Test
    void onDemandSnapshotsOnlyWhenAskedAndOffRefuses() throws Exception {
        ResourceType<Tally> onDemand = tally(SnapshotPolicy.onDemand());
        record(onDemand, "a", 30);
        try (EventStore store = EventStore.builder(dir).resource(onDemand).open()) {
            assertEquals(0, agent(store).storedCount(), "no automatic snapshots");
            store.resource(onDemand).snapshot("a");
            assertEquals(1, agent(store).storedCount());
            assertThrows(ResourceNotFoundException.class, () -> store.resource(onDemand).snapshot("nope"));
        }
        ResourceType<Tally> off = tally(SnapshotPolicy.off());
        try (EventStore store = EventStore.builder(dir).resource(off).open()) {
            assertEquals(expected(30), store.resource(off).get("a").orElseThrow());
            assertThrows(UnsupportedOperationException.class, () -> store.resource(off).snapshot("a"));
        }
    }

    @Test
    void anIdempotencyKeyUsedBeforeASnapshotIsStillRecognised() {
        ResourceType<Tally> type = tally(SnapshotPolicy.every(2));
        try (EventStore store = EventStore.builder(dir).resource(type).open()) {
            Resource<Tally> r = store.resource(type);
            r.create("a", new Tally("t", 0, 0));
            r.withIdempotencyKey("once").act("a", t -> List.of(new Counted(1)));
            for (int i = 0; i < 6; i++) {
                r.act("a", t -> List.of(new Counted(0)));
            }
            agent(store).awaitIdle();
        }
        try (EventStore store = EventStore.builder(dir).resource(type).resourceCacheEntities(0).open()) {
            ActionResult<Tally> again = store.resource(type).withIdempotencyKey("once").act("a", t -> List.of(new Counted(1)));
            assertTrue(again.duplicate());
            assertEquals(8, store.resource(type).find("a").orElseThrow().version());
        }
    }

    @Test
    void aReadOnlyStoreReadsThroughTheWritersSnapshots() {
        ResourceType<Tally> type = tally(SnapshotPolicy.every(10));
        record(type, "a", 55);
        try (EventStore ro = EventStore.builder(dir).resource(type).openReadOnly()) {
            assertEquals(expected(55), ro.resource(type).get("a").orElseThrow());
            assertThrows(UnsupportedOperationException.class, () -> ro.resource(type).snapshot("a"));
        }
    }
}
