package dev.hindsight.jmh;

import dev.hindsight.engine.Durability;
import dev.hindsight.engine.EventStore;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Shared set-up: entity ids, temp directories, store opening. Stateless, thread-safe. */
final class BenchSupport {
    /** How many distinct entities the ANY-version benchmarks spread appends over. */
    static final int ENTITIES = 10_000;

    private BenchSupport() {
    }

    /** @return {@link #ENTITIES} pre-built entity ids, so the benchmark loop builds no strings */
    static String[] entityIds() {
        String[] ids = new String[ENTITIES];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = "order-" + (1_000_000 + i);
            ids[i].hashCode(); // cache the hash code, as a long-lived id would have it
        }
        return ids;
    }

    /** @return a fresh directory under java.io.tmpdir (override with -Djava.io.tmpdir to bench another file system) */
    static Path tempDir(String prefix) {
        try {
            return Files.createTempDirectory("hindsight-jmh-" + prefix + "-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static EventStore open(Path dir, Durability durability) {
        return EventStore.builder(dir)
                .register(OrderPlaced.class, OrderPlaced.TYPE_ID)
                .durability(durability)
                .open();
    }

    static void deleteRecursively(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
