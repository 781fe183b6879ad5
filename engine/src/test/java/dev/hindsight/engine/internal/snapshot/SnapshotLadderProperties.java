package dev.hindsight.engine.internal.snapshot;

import dev.hindsight.engine.internal.snapshot.SnapshotStore.PutResult;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.constraints.IntRange;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static dev.hindsight.engine.internal.snapshot.States.ts;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The store against a model of the retention policy kept as plain sorted sets: for any sequence of
 * puts (new versions, old versions, other fingerprints), reopens and compactions, every put's outcome
 * and every floor lookup by version and by timestamp is the model's, with the bytes that were put.
 */
class SnapshotLadderProperties {
    private static final int ENTITIES = 3;
    private static final int MAX = 200;

    enum Kind {
        /** a version after the entity's newest */
        NEXT,
        /** a random version at or below the newest */
        OLD,
        /** the next version, with the entity's next fingerprint */
        NEW_FINGERPRINT,
        REOPEN,
        COMPACT
    }

    record Op(Kind kind, int entity, int step) {
    }

    record Policy(int interval, int denseRungs, int thinFactor) {
    }

    @Provide
    Arbitrary<Policy> policies() {
        return Combinators.combine(Arbitraries.integers().between(1, 9),
                Arbitraries.integers().between(0, 4).map(d -> d <= 1 ? 0 : d - 1),
                Arbitraries.integers().between(2, 4)).as(Policy::new);
    }

    @Provide
    Arbitrary<List<Op>> operations() {
        Arbitrary<Kind> kind = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(60, Arbitraries.just(Kind.NEXT)),
                net.jqwik.api.Tuple.of(25, Arbitraries.just(Kind.OLD)),
                net.jqwik.api.Tuple.of(3, Arbitraries.just(Kind.NEW_FINGERPRINT)),
                net.jqwik.api.Tuple.of(3, Arbitraries.just(Kind.REOPEN)),
                net.jqwik.api.Tuple.of(3, Arbitraries.just(Kind.COMPACT)));
        return Combinators.combine(kind, Arbitraries.integers().between(0, ENTITIES - 1), Arbitraries.integers().between(1, 40))
                .as(Op::new).list().ofMinSize(1).ofMaxSize(400);
    }

    /** One entity of the model: its fingerprint and the versions kept (version -> fingerprint it was put with). */
    static final class ModelEntity {
        long fingerprint = States.FP;
        final TreeMap<Long, Long> kept = new TreeMap<>();
        long head;
    }

    @Property(tries = 80, shrinking = ShrinkingMode.BOUNDED)
    void everyPutOutcomeAndLookupIsTheModels(@ForAll("policies") Policy policy, @ForAll("operations") List<Op> ops) throws IOException {
        Path dir = Files.createTempDirectory("hindsight-snap-");
        try {
            run(dir, policy, ops);
        } finally {
            deleteTree(dir);
        }
    }

    private static SnapshotStore open(Path dir, Policy p) {
        return SnapshotStore.builder(dir).segmentBytes(64 << 10).maxStateBytes(1024).minFreeDiskBytes(0)
                .interval(p.interval()).thinning(p.denseRungs(), p.thinFactor()).open();
    }

    private static void run(Path dir, Policy p, List<Op> ops) {
        ModelEntity[] model = new ModelEntity[ENTITIES];
        for (int k = 0; k < ENTITIES; k++) {
            model[k] = new ModelEntity();
        }
        SnapshotStore store = open(dir, p);
        try {
            for (Op op : ops) {
                ModelEntity m = model[op.entity()];
                switch (op.kind()) {
                    case REOPEN:
                        store.close();
                        store = open(dir, p);
                        break;
                    case COMPACT:
                        store.compact();
                        break;
                    case NEXT:
                        put(store, p, op.entity(), m, m.head + 1 + op.step() % 7, m.fingerprint);
                        break;
                    case OLD:
                        if (m.head > 0) {
                            put(store, p, op.entity(), m, 1 + (op.step() * 7919L) % m.head, m.fingerprint);
                        }
                        break;
                    case NEW_FINGERPRINT:
                        m.fingerprint++;
                        put(store, p, op.entity(), m, m.head + 1, m.fingerprint);
                        break;
                    default:
                        throw new AssertionError(op);
                }
            }
            check(store, model);
            store.close();
            store = open(dir, p);
            check(store, model);
        } finally {
            store.close();
        }
    }

    private static void put(SnapshotStore store, Policy p, int k, ModelEntity m, long version, long fp) {
        String id = "e-" + k;
        byte[] b = States.state(id, version, fp, MAX);
        PutResult actual = store.put("order", id, version, States.pos(version, k, ENTITIES), ts(version), fp, b, 0, b.length);
        assertEquals(modelPut(p, m, version, fp), actual, () -> "put " + id + " v" + version + " fp " + fp + " to " + m.kept);
        m.head = Math.max(m.head, version);
    }

    /** The policy, stated on sets. */
    private static PutResult modelPut(Policy p, ModelEntity m, long v, long fp) {
        if (!m.kept.isEmpty() && m.kept.firstEntry().getValue() != fp) {
            m.kept.clear();
        }
        if (m.kept.containsKey(v)) {
            return PutResult.ALREADY_STORED;
        }
        int n = p.interval();
        boolean rung = v % n == 0;
        long newest = m.kept.isEmpty() ? 0 : m.kept.lastKey();
        if (!rung && v < newest) {
            return PutResult.NOT_RETAINED;
        }
        long newestRung = rung ? v : 0;
        for (long r : m.kept.keySet()) {
            if (r % n == 0) {
                newestRung = Math.max(newestRung, r);
            }
        }
        long denseFrom = newestRung - (long) p.denseRungs() * n;
        long sparse = (long) n * p.thinFactor();
        if (rung && p.denseRungs() > 0 && v < denseFrom && v % sparse != 0) {
            return PutResult.NOT_RETAINED;
        }
        if (v > newest && newest > 0 && newest % n != 0) {
            m.kept.remove(newest);
        }
        m.kept.put(v, fp);
        if (rung && p.denseRungs() > 0) {
            m.kept.keySet().removeIf(r -> r != v && r % n == 0 && r < denseFrom && r % sparse != 0);
        }
        return PutResult.STORED;
    }

    private static void check(SnapshotStore store, ModelEntity[] model) {
        SnapshotView view = new SnapshotView();
        for (int k = 0; k < ENTITIES; k++) {
            String id = "e-" + k;
            ModelEntity m = model[k];
            assertEquals(m.kept.size(), countOf(store, id, m), "snapshots of " + id);
            for (long v = 0; v <= m.head + 1; v++) {
                Map.Entry<Long, Long> expected = m.kept.floorEntry(v);
                boolean found = store.floorByVersion("order", id, v, m.fingerprint, view);
                assertEquals(expected != null, found, id + " floor of version " + v + " in " + m.kept);
                if (found) {
                    assertEquals(expected.getKey(), view.version(), id + " floor of version " + v + " in " + m.kept);
                    assertEquals(States.pos(view.version(), k, ENTITIES), view.position());
                    assertTrue(States.matches(view, id, m.fingerprint, MAX));
                }
                // by timestamp: the newest kept version whose timestamp is at or before ts(v)
                long t = ts(v);
                Long byTime = null;
                for (long kv : m.kept.keySet()) {
                    if (ts(kv) <= t) {
                        byTime = kv;
                    }
                }
                found = store.floorByTimestamp("order", id, t, m.fingerprint, view);
                assertEquals(byTime != null, found, id + " floor of ts(" + v + ") in " + m.kept);
                if (found) {
                    assertEquals(byTime.longValue(), view.version());
                    assertTrue(States.matches(view, id, m.fingerprint, MAX));
                }
            }
            assertTrue(!store.latest("order", id, m.fingerprint + 1, view), "another fingerprint finds nothing");
        }
    }

    private static int countOf(SnapshotStore store, String id, ModelEntity m) {
        SnapshotView view = new SnapshotView();
        int n = 0;
        long v = Long.MAX_VALUE;
        while (v > 0 && store.floorByVersion("order", id, v, m.fingerprint, view)) {
            n++;
            v = view.version() - 1;
        }
        return n;
    }

    /**
     * A follower that puts every rung, in order, among other versions: after any floor lookup at most
     * interval - 1 events remain to replay, whatever the entity's length.
     */
    @Property(tries = 40)
    void aFollowerThatPutsEveryRungBoundsReplayByTheInterval(@ForAll @IntRange(min = 1, max = 50) int interval,
                                                             @ForAll @IntRange(min = 1, max = 3000) int head,
                                                             @ForAll @IntRange(min = 1, max = 20) int every) throws IOException {
        Path dir = Files.createTempDirectory("hindsight-snap-");
        try (SnapshotStore s = SnapshotStore.builder(dir).segmentBytes(64 << 10).maxStateBytes(1024).minFreeDiskBytes(0)
                .interval(interval).open()) {
            for (long v = 1; v <= head; v++) {
                if (v % interval == 0 || v % every == 0 || v == head) {
                    byte[] b = States.state("e", v, States.FP, 64);
                    s.put("order", "e", v, v - 1, ts(v), States.FP, b, 0, b.length);
                }
            }
            SnapshotView view = new SnapshotView();
            for (long v = interval; v <= head; v++) {
                assertTrue(s.floorByVersion("order", "e", v, States.FP, view));
                assertTrue(v - view.version() < interval, "floor of " + v + " is " + view.version());
            }
            assertTrue(s.latest("order", "e", States.FP, view));
            assertEquals(head, view.version());
            assertEquals(head / interval + (head % interval == 0 ? 0 : 1), s.stats().snapshots());
        } finally {
            deleteTree(dir);
        }
    }

    static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }
}
