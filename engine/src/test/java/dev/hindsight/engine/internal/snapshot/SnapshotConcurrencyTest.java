package dev.hindsight.engine.internal.snapshot;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

import static dev.hindsight.engine.internal.snapshot.States.FP;
import static dev.hindsight.engine.internal.snapshot.States.ts;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One writer putting snapshots (rolling segments and compacting as it goes) while readers look them up:
 * a reader always finds at least what the writer had published before the lookup, never a torn or
 * mixed-up record, and never waits.
 */
class SnapshotConcurrencyTest {
    private static final int ENTITIES = 16;
    private static final int INTERVAL = 8;
    private static final int MAX = 400;
    private static final int READERS = 3;

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void readersSeeEveryPublishedSnapshotWholeWhileTheWriterRollsAndCompacts() throws Exception {
        AtomicLongArray heads = new AtomicLongArray(ENTITIES);
        AtomicBoolean stop = new AtomicBoolean();
        Queue<String> errors = new ConcurrentLinkedQueue<>();
        AtomicLong reads = new AtomicLong();
        try (SnapshotStore store = States.small(dir, INTERVAL).open()) {
            Thread writer = new Thread(() -> {
                store.bindWriterToCurrentThread();
                SplittableRandom r = new SplittableRandom(1);
                try {
                    for (int n = 0; n < 60_000 && errors.isEmpty(); n++) {
                        int k = r.nextInt(ENTITIES);
                        String id = "e-" + k;
                        long v = heads.get(k) + 1;
                        byte[] b = States.state(id, v, FP, MAX);
                        store.put("order", id, v, States.pos(v, k, ENTITIES), ts(v), FP, b, 0, b.length);
                        heads.set(k, v); // published after the put returned
                        if (n % 5_000 == 4_999) {
                            store.compact();
                        }
                    }
                } catch (Throwable t) {
                    errors.add("writer: " + t);
                } finally {
                    stop.set(true);
                }
            }, "snapshot-writer");
            List<Thread> readers = new ArrayList<>();
            for (int t = 0; t < READERS; t++) {
                int seed = t;
                readers.add(new Thread(() -> read(store, heads, stop, errors, reads, seed), "reader-" + t));
            }
            readers.forEach(Thread::start);
            writer.start();
            writer.join();
            for (Thread t : readers) {
                t.join();
            }
            assertTrue(errors.isEmpty(), () -> errors.size() + " errors, first: " + errors.peek());
            assertTrue(reads.get() > 1_000, "readers ran: " + reads.get());
            SnapshotStats st = store.stats();
            assertTrue(st.retiredSegments() > 0, "the writer compacted while readers read: " + st);
            assertEquals(0, st.corruptReads());
        }
    }

    private static void read(SnapshotStore store, AtomicLongArray heads, AtomicBoolean stop, Queue<String> errors,
                             AtomicLong reads, int seed) {
        SplittableRandom r = new SplittableRandom(100 + seed);
        SnapshotView view = new SnapshotView();
        long n = 0;
        try {
            while (!stop.get() && errors.size() < 10) {
                int k = r.nextInt(ENTITIES);
                String id = "e-" + k;
                long head = heads.get(k);
                if (head == 0) {
                    continue;
                }
                if (!store.latest("order", id, FP, view) || view.version() < head) {
                    errors.add(id + ": latest " + view + " is older than the published head " + head);
                    continue;
                }
                check(view, id, k, errors);
                long v = 1 + r.nextLong(head);
                if (store.floorByVersion("order", id, v, FP, view)) {
                    if (view.version() > v || v - view.version() >= INTERVAL) {
                        errors.add(id + ": floor of " + v + " is " + view);
                    }
                    check(view, id, k, errors);
                } else if (v >= INTERVAL) {
                    errors.add(id + ": no floor for " + v + " (head " + head + ")");
                }
                if (store.floorByTimestamp("order", id, ts(v), FP, view)) {
                    if (view.timestampNanos() > ts(v) || view.version() < v - INTERVAL) {
                        errors.add(id + ": floor of ts(" + v + ") is " + view);
                    }
                    check(view, id, k, errors);
                }
                n++;
            }
        } catch (Throwable t) {
            errors.add(Thread.currentThread().getName() + ": " + t);
        } finally {
            reads.addAndGet(n);
        }
    }

    private static void check(SnapshotView view, String id, int k, Queue<String> errors) {
        if (view.position() != States.pos(view.version(), k, ENTITIES) || view.timestampNanos() != ts(view.version())
                || !States.matches(view, id, FP, MAX)) {
            errors.add(id + ": " + view + " does not hold what was put for its version");
        }
    }
}
