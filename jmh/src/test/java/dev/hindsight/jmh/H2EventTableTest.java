package dev.hindsight.jmh;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The H2 baseline answers the reads the benchmarks compare: streams, and events up to a version or an instant. */
class H2EventTableTest {
    @TempDir
    Path dir;

    private static long ts(long v) {
        return 1_000_000L + (v / 2) * 10; // versions 2k and 2k+1 share a timestamp
    }

    private static byte[] payload(String id, long v) {
        return (id + "#" + v).getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    private static List<Long> versions(List<long[]> rows) {
        List<Long> vs = new ArrayList<>();
        rows.forEach(r -> vs.add(r[0]));
        return vs;
    }

    @Test
    void readsReturnAnEntitysRowsInVersionOrderBoundedByVersionOrInstantInclusive() {
        try (H2EventTable t = H2EventTable.open(dir)) {
            for (long v = 50; v >= 1; v--) { // inserted backwards: the order comes from the query
                for (String id : new String[]{"a", "b"}) {
                    t.append("order", id, v, ts(v), 7, payload(id, v));
                }
            }
            t.append("invoice", "a", 1, ts(1), 8, payload("x", 1));
            t.commit();
            assertEquals(101, t.count());
            List<long[]> rows = new ArrayList<>();
            List<byte[]> payloads = new ArrayList<>();
            assertEquals(50, t.loadStream("order", "a", (v, ts, type, p) -> {
                rows.add(new long[]{v, ts, type});
                payloads.add(p);
            }));
            for (int i = 0; i < 50; i++) {
                assertEquals(i + 1, rows.get(i)[0]);
                assertEquals(ts(i + 1), rows.get(i)[1]);
                assertEquals(7, rows.get(i)[2]);
                assertArrayEquals(payload("a", i + 1), payloads.get(i));
            }
            rows.clear();
            assertEquals(11, t.loadUpToTimestamp("order", "a", ts(10), (v, ts, type, p) -> rows.add(new long[]{v})));
            assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L, 11L), versions(rows), "11 shares 10's timestamp");
            rows.clear();
            assertEquals(0, t.loadUpToTimestamp("order", "a", ts(1) - 1, (v, ts, type, p) -> rows.add(new long[]{v})));
            assertEquals(20, t.loadUpToVersion("order", "b", 20, (v, ts, type, p) -> rows.add(new long[]{v})));
            rows.clear();
            assertEquals(3, t.loadAfterVersionUpToTimestamp("order", "b", 32, 64, ts(35), (v, ts, type, p) -> rows.add(new long[]{v})));
            assertEquals(List.of(33L, 34L, 35L), versions(rows));
            rows.clear();
            assertEquals(2, t.loadAfterVersionUpToTimestamp("order", "b", 32, 34, ts(40), (v, ts, type, p) -> rows.add(new long[]{v})));
            assertEquals(List.of(33L, 34L), versions(rows), "bounded by the version too");
            assertEquals(1, t.loadStream("invoice", "a", (v, ts, type, p) -> { }));
            assertEquals(0, t.loadStream("order", "c", (v, ts, type, p) -> { }));
        }
        try (H2EventTable t = H2EventTable.open(dir)) {
            assertEquals(101, t.count(), "the table is on disk");
        }
    }
}
