package dev.hindsight.engine.internal.snapshot;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The ladder's floor searches (an interpolation guess, then a binary search) against a linear scan, on
 * ladders with any spacing: even, uneven, repeated timestamps, extreme values.
 */
class LadderProperties {
    @Provide
    Arbitrary<List<Long>> steps() {
        return Arbitraries.oneOf(
                Arbitraries.longs().between(1, 5).list().ofMaxSize(400),
                Arbitraries.longs().between(1, Long.MAX_VALUE / 500).list().ofMaxSize(400),
                Arbitraries.of(1L, 1L, 1L, 1_000_000_000L).list().ofMaxSize(400));
    }

    @Provide
    Arbitrary<Long> starts() {
        return Arbitraries.oneOf(Arbitraries.longs(), Arbitraries.longs().between(-3, 3),
                Arbitraries.of(Long.MIN_VALUE, Long.MIN_VALUE + 1, Long.MAX_VALUE / 2));
    }

    @Property(tries = 500)
    void floorsAreTheLastEntryAtOrBelowTheKey(@ForAll("steps") List<Long> steps, @ForAll("starts") long start,
                                              @ForAll("starts") long probeOffset) {
        int n = steps.size();
        long[] l = Ladder.empty(7);
        long v = 0;
        long ts = start;
        for (int i = 0; i < n; i++) {
            v += Math.max(1, steps.get(i) % 1000);       // versions strictly increase
            long step = steps.get(i) % 3 == 0 ? 0 : steps.get(i);
            ts = ts > Long.MAX_VALUE - step ? ts : ts + step; // timestamps never decrease, may repeat
            l = Ladder.insertGap(l, i);
            Ladder.set(l, i, v, ts, v - 1, i);
        }
        long[] keys = {Long.MIN_VALUE, Long.MAX_VALUE, start, start + probeOffset, probeOffset, 0, v, v / 2, ts, ts - 1, ts + 1};
        for (long key : keys) {
            assertEquals(linear(l, 0, key), Ladder.floorByVersion(l, key), "version key " + key);
            assertEquals(linear(l, 1, key), Ladder.floorByTimestamp(l, key), "timestamp key " + key);
        }
        for (int i = 0; i < n; i++) {
            for (long d = -1; d <= 1; d++) {
                long vk = Ladder.version(l, i) + d;
                long tk = Ladder.timestamp(l, i) + d;
                assertEquals(linear(l, 0, vk), Ladder.floorByVersion(l, vk), "version key " + vk);
                assertEquals(linear(l, 1, tk), Ladder.floorByTimestamp(l, tk), "timestamp key " + tk);
            }
        }
    }

    private static int linear(long[] l, int field, long key) {
        int found = -1;
        for (int i = 0; i < Ladder.count(l); i++) {
            if ((field == 0 ? Ladder.version(l, i) : Ladder.timestamp(l, i)) <= key) {
                found = i;
            }
        }
        return found;
    }
}
