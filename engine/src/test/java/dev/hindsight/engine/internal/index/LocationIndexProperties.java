package dev.hindsight.engine.internal.index;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The entity index against a plain list of what was recorded: for any sequence of appends (1 to 40
 * versions each, timestamps that stay equal, creep or jump), every version's location (excerpt and
 * frame address) and the version as of any instant (with or without a hint at or before it) are the
 * model's, whether the locations are in
 * the on-heap window, in persisted blocks, reloaded after a clean close, or all on-heap (read-only).
 */
class LocationIndexProperties {
    private static final String TYPE = "order";
    private static final String[] IDS = {"e-0", "e-1"};

    /** One append: which entity, how many versions, how far the clock moved since the previous append. */
    record Append(int entity, int count, long step) {
    }

    enum Where {
        LIVE, RELOADED, ON_HEAP
    }

    @Provide
    Arbitrary<List<Append>> appends() {
        Arbitrary<Integer> count = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, Arbitraries.just(1)),
                net.jqwik.api.Tuple.of(3, Arbitraries.integers().between(2, 5)),
                net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(20, 40)));
        Arbitrary<Long> step = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(2, Arbitraries.just(0L)),
                net.jqwik.api.Tuple.of(6, Arbitraries.longs().between(1, 1_000)),
                net.jqwik.api.Tuple.of(1, Arbitraries.longs().between(1_000_000, 1_000_000_000_000L)));
        return Combinators.combine(Arbitraries.integers().between(0, IDS.length - 1), count, step)
                .as(Append::new).list().ofMinSize(1).ofMaxSize(120);
    }

    /** What the model knows of one version. */
    record Recorded(long excerpt, long address, long timestamp) {
    }

    @Property(tries = 40, shrinking = ShrinkingMode.BOUNDED)
    void locationsAndVersionsAsOfAnyInstantAreWhatWasRecorded(@ForAll("appends") List<Append> appends,
                                                              @ForAll Where where) throws IOException {
        Path dir = Files.createTempDirectory("hindsight-index-");
        PersistedBlocks maps = null;
        try {
            if (where != Where.ON_HEAP) {
                maps = PersistedBlocks.open(dir.resolve("heads.cm"), dir.resolve("blocks.cm"), 100);
            }
            LiveIndex index = new LiveIndex(maps);
            List<List<Recorded>> model = List.of(new ArrayList<>(), new ArrayList<>());
            long ts = 1_700_000_000_000_000_000L;
            int[] offsets = new int[64];
            for (int a = 0; a < appends.size(); a++) {
                Append op = appends.get(a);
                ts += op.step();
                List<Recorded> versions = model.get(op.entity());
                long excerpt = 0x5000_0000_0000L + a;
                long excerptAddress = 4096L + 10_000L * a;
                for (int k = 0; k < op.count(); k++) {
                    offsets[k] = 100 * k;
                    versions.add(new Recorded(excerpt, excerptAddress + 100L * k, ts));
                }
                index.recordAppend(index.entity(TYPE, IDS[op.entity()]), TYPE, IDS[op.entity()], versions.size() - op.count() + 1,
                        op.count(), excerpt, excerptAddress, offsets, ts);
            }
            if (where == Where.RELOADED) {
                assertTrue(index.persistAll());
                long entities = index.entityCount();
                index = new LiveIndex(maps);
                assertEquals(null, index.loadPersisted(entities));
            }
            Locations out = new Locations();
            for (int e = 0; e < IDS.length; e++) {
                List<Recorded> versions = model.get(e);
                assertEquals(versions.size(), index.headVersion(TYPE, IDS[e]));
                if (versions.isEmpty()) {
                    assertEquals(0, index.versionAt(TYPE, IDS[e], Long.MAX_VALUE, 0, out));
                    continue;
                }
                // every version, located in runs of every length up to 7 and as one run
                for (int run : new int[]{1, 7, versions.size()}) {
                    for (int from = 1; from <= versions.size(); from += run) {
                        int to = Math.min(versions.size(), from + run - 1);
                        assertTrue(index.locate(TYPE, IDS[e], from, to, out));
                        assertEquals(to - from + 1, out.count());
                        for (int v = from; v <= to; v++) {
                            Recorded r = versions.get(v - 1);
                            assertEquals(r.excerpt(), out.excerpt(v - from), IDS[e] + " version " + v + " excerpt");
                            assertEquals(r.address(), out.address(v - from), IDS[e] + " version " + v + " address");
                        }
                    }
                }
                // the version as of: before the first, at and around every recorded timestamp, after the last
                List<Long> instants = new ArrayList<>(List.of(Long.MIN_VALUE, Long.MAX_VALUE));
                for (Recorded r : versions) {
                    instants.add(r.timestamp() - 1);
                    instants.add(r.timestamp());
                    instants.add(r.timestamp() + 1);
                }
                for (long t : instants) {
                    long expected = naiveVersionAt(versions, t);
                    assertEquals(expected, index.versionAt(TYPE, IDS[e], t, 0, out), IDS[e] + " as of " + t);
                    // with a hint: any version known to be at or before the instant
                    for (long hint : new long[]{1, expected / 2, expected - 33, expected - 1, expected}) {
                        if (hint >= 1 && hint <= expected) {
                            assertEquals(expected, index.versionAt(TYPE, IDS[e], t, hint, out),
                                    IDS[e] + " as of " + t + " from hint " + hint);
                        }
                    }
                }
            }
        } finally {
            if (maps != null) {
                maps.close();
            }
            try (Stream<Path> paths = Files.walk(dir)) {
                for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    private static long naiveVersionAt(List<Recorded> versions, long t) {
        long v = 0;
        for (int i = 0; i < versions.size(); i++) {
            if (versions.get(i).timestamp() <= t) {
                v = i + 1;
            }
        }
        return v;
    }
}
