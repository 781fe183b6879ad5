package dev.hindsight.jmh;

import dev.hindsight.engine.Durability;
import dev.hindsight.engine.EventStore;
import dev.hindsight.engine.ExpectedVersion;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.ThreadParams;

import java.nio.file.Path;

/**
 * The store every append benchmark measures: one per fork (trial), in a fresh temp directory
 * deleted at tear-down, with 10,000 pre-built entity ids. Subclasses choose the durability.
 * JMH state: one instance shared by the benchmark's threads; the store itself is thread-safe.
 */
@State(Scope.Benchmark)
public abstract class StoreBenchmarkBase {
    EventStore store;
    String[] ids;
    private Path dir;

    /** @return the durability the benchmark measures */
    abstract Durability durability();

    /** Opens the store for the trial. */
    @Setup(Level.Trial)
    public void open() {
        dir = BenchSupport.tempDir(getClass().getSimpleName());
        store = BenchSupport.open(dir, durability());
        ids = BenchSupport.entityIds();
    }

    /** Closes the store and deletes its files. */
    @TearDown(Level.Trial)
    public void close() {
        try {
            if (store != null) {
                store.close();
            }
        } finally {
            BenchSupport.deleteRecursively(dir);
        }
    }

    /** One producer thread's position in the entity ids (and its own entity, for exact versions). */
    @State(Scope.Thread)
    public static class Producer {
        int next;
        String ownEntity;
        long version;

        /** @param params which thread this is, so threads start at different entities */
        @Setup(Level.Trial)
        public void setup(ThreadParams params) {
            next = params.getThreadIndex() * (BenchSupport.ENTITIES / Math.max(1, params.getThreadCount()));
            ownEntity = "producer-" + params.getThreadIndex() + "-" + System.nanoTime();
            version = 0;
        }
    }

    /** Appends with {@link ExpectedVersion#ANY} to the producer's next entity. */
    Object appendAny(Producer p) {
        int i = p.next;
        p.next = i + 1 == BenchSupport.ENTITIES ? 0 : i + 1;
        return store.append(OrderPlaced.RESOURCE_TYPE, ids[i], ExpectedVersion.ANY, OrderPlaced.SAMPLE);
    }
}
