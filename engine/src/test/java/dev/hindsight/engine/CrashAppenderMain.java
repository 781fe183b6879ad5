package dev.hindsight.engine;

import dev.hindsight.codec.EventMetadata;
import dev.hindsight.engine.TestEvents.Counter;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Child JVM for crash tests: appends batches of 1 to 5 events to ten entities with exact expected
 * versions until killed, printing "ACK entity firstVersion count firstPosition" after each
 * acknowledged append. Each event says which batch it belongs to and the batch's size.
 */
public final class CrashAppenderMain {
    private CrashAppenderMain() {
    }

    public static void main(String[] args) {
        Path dir = Path.of(args[0]);
        long seed = Long.parseLong(args[1]);
        Durability durability = Durability.valueOf(args[2]);
        Random random = new Random(seed);
        PrintStream out = System.out;
        try (EventStore store = TestEvents.builder(dir).durability(durability).open()) {
            out.println("OPEN " + store.eventCount() + " " + store.recoveryReport().indexRebuilt());
            out.flush();
            long batch = 0;
            while (true) {
                String entity = "e-" + random.nextInt(10);
                long head = store.headVersion("crash", entity);
                int size = 1 + random.nextInt(5);
                String batchId = seed + ":" + batch++;
                List<Counter> events = new ArrayList<>(size);
                for (int i = 0; i < size; i++) {
                    events.add(new Counter("w" + seed, i, List.of(batchId, Integer.toString(size))));
                }
                AppendResult r = store.appendAll("crash", entity, head, events, EventMetadata.NONE);
                out.println("ACK " + entity + " " + r.firstVersion() + " " + r.count() + " " + r.firstPosition());
                out.flush();
            }
        }
    }
}
