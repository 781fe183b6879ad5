package dev.hindsight.engine;

import dev.hindsight.engine.internal.snapshot.SnapshotStore;
import dev.hindsight.engine.internal.snapshot.SnapshotView;
import dev.hindsight.engine.internal.snapshot.States;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Random;

/**
 * Child JVM for snapshot crash tests: puts snapshots of eight entities, each at its next version (so
 * every rung is put), with small segments so it rolls and compacts, until killed. Prints "OPEN" once
 * open, then "PUT entity version" after each put has returned.
 */
public final class SnapshotWriterMain {
    static final int ENTITIES = 8;
    static final int INTERVAL = 10;
    static final int MAX = 600;

    private SnapshotWriterMain() {
    }

    static SnapshotStore.Builder builder(Path dir) {
        return SnapshotStore.builder(dir).segmentBytes(256 << 10).maxStateBytes(4096).minFreeDiskBytes(0).interval(INTERVAL)
                .storeId(77);
    }

    public static void main(String[] args) {
        Path dir = Path.of(args[0]);
        Random random = new Random(Long.parseLong(args[1]));
        PrintStream out = System.out;
        try (SnapshotStore store = builder(dir).open()) {
            long[] heads = new long[ENTITIES];
            SnapshotView view = new SnapshotView();
            for (int k = 0; k < ENTITIES; k++) {
                heads[k] = store.latest("crash", "e-" + k, States.FP, view) ? view.version() : 0;
            }
            out.println("OPEN");
            out.flush();
            while (true) {
                int k = random.nextInt(ENTITIES);
                String id = "e-" + k;
                long v = ++heads[k];
                byte[] b = States.state(id, v, States.FP, MAX);
                store.put("crash", id, v, States.pos(v, k, ENTITIES), States.ts(v), States.FP, b, 0, b.length);
                out.println("PUT " + k + " " + v);
            }
        }
    }
}
