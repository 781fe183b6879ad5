package dev.hindsight.jmh;

import dev.hindsight.engine.EventStore;
import dev.hindsight.engine.Resource;
import dev.hindsight.engine.ResourceType;
import dev.hindsight.engine.internal.DefaultEventStore;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Question: how long does {@code Resource.get} take to rebuild an entity's state that is not cached, from the
 * newest snapshot plus the events after it, and without snapshots (a replay from the first event)?
 *
 * <p>1,000 accounts; account {@code i} has {@code 50 + i % 10} versions, so with snapshots every 10 versions
 * the tail after the newest snapshot is 0 to 9 events, evenly. The state cache is off
 * ({@code resourceCacheEntities(0)}), so every {@code get} rehydrates. One store per fork, in a temp directory.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class RehydrateBenchmark {
    static final int ACCOUNTS = 1_000;

    /** The snapshot policy: {@code every10} or {@code off}. */
    @Param({"every10", "off"})
    public String snapshots;

    EventStore store;
    Resource<Account> accounts;
    String[] ids;
    Path dir;
    int next;

    /** Records the accounts' events and waits for the snapshot thread. */
    @Setup(Level.Trial)
    public void setUp() {
        dir = BenchSupport.tempDir("rehydrate");
        ResourceType<Account> type = Account.type(Account.policy(snapshots));
        try (EventStore writer = EventStore.builder(dir).resource(type).open()) {
            Resource<Account> r = writer.resource(type);
            for (int i = 0; i < ACCOUNTS; i++) {
                String id = "acct-" + i;
                r.create(id, new Account("owner-" + i, 0, 0));
                for (int v = 2; v <= 50 + i % 10; v++) {
                    r.act(id, a -> List.of(new Account.Deposited(100)));
                }
            }
            if (((DefaultEventStore) writer).snapshotAgent() != null) {
                ((DefaultEventStore) writer).snapshotAgent().awaitIdle();
            }
        }
        store = EventStore.builder(dir).resource(type).resourceCacheEntities(0).open();
        accounts = store.resource(type);
        ids = new String[ACCOUNTS];
        for (int i = 0; i < ACCOUNTS; i++) {
            ids[i] = "acct-" + i;
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

    /** @return one account's state, rehydrated */
    @Benchmark
    public Optional<Account> get() {
        int i = next;
        next = i + 7 >= ACCOUNTS ? (i + 7) % ACCOUNTS : i + 7; // walk all accounts, tails 0..9 evenly
        return accounts.get(ids[i]);
    }
}
