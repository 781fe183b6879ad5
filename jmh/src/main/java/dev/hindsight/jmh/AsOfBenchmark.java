package dev.hindsight.jmh;

import dev.hindsight.engine.EventStore;
import dev.hindsight.engine.RecordedEvent;
import dev.hindsight.engine.Resource;
import dev.hindsight.engine.ResourceState;
import dev.hindsight.engine.ResourceType;
import dev.hindsight.engine.internal.DefaultEventStore;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * Question: how long does an as-of read take on an entity with 10,000 versions, at a random instant of its
 * history (snapshots every 10 versions, state cache off)?
 *
 * <p>10 accounts of 10,000 versions each, recorded in 10 rounds so their histories interleave; the instants
 * are drawn uniformly between each account's first and last event. One store per fork.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class AsOfBenchmark {
    static final int ACCOUNTS = 10;
    static final int VERSIONS = 10_000;

    EventStore store;
    Resource<Account> accounts;
    String[] ids = new String[ACCOUNTS];
    long[] first = new long[ACCOUNTS];
    long[] last = new long[ACCOUNTS];
    Path dir;
    final SplittableRandom random = new SplittableRandom(42);

    /** Records the accounts' histories and waits for the snapshot thread. */
    @Setup(Level.Trial)
    public void setUp() {
        dir = BenchSupport.tempDir("asof");
        ResourceType<Account> type = Account.type(Account.policy("every10"));
        try (EventStore writer = EventStore.builder(dir).resource(type).open()) {
            Resource<Account> r = writer.resource(type);
            for (int i = 0; i < ACCOUNTS; i++) {
                ids[i] = "acct-" + i;
                r.create(ids[i], new Account("owner-" + i, 0, 0));
            }
            for (int round = 0; round < 10; round++) {
                for (int i = 0; i < ACCOUNTS; i++) {
                    for (int v = 0; v < VERSIONS / 10 - (round == 0 ? 1 : 0); v++) {
                        r.act(ids[i], a -> List.of(new Account.Deposited(1)));
                    }
                }
            }
            ((DefaultEventStore) writer).snapshotAgent().awaitIdle();
        }
        store = EventStore.builder(dir).resource(type).resourceCacheEntities(0).open();
        accounts = store.resource(type);
        for (int i = 0; i < ACCOUNTS; i++) {
            RecordedEvent a = store.readVersion("account", ids[i], 1);
            RecordedEvent b = store.readVersion("account", ids[i], VERSIONS);
            first[i] = a.timestampNanos();
            last[i] = b.timestampNanos();
        }
    }

    /** Closes the store and deletes its files. */
    @TearDown(Level.Trial)
    public void tearDown() {
        try {
            store.close();
        } finally {
            BenchSupport.deleteRecursively(dir);
        }
    }

    /** @return one account's state at a random instant of its history */
    @Benchmark
    public Optional<ResourceState<Account>> asOf() {
        int i = random.nextInt(ACCOUNTS);
        long at = first[i] + (long) (random.nextDouble() * (last[i] - first[i]));
        return accounts.asOf(ids[i], Instant.ofEpochSecond(0, at));
    }
}
