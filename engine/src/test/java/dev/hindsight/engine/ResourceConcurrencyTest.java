package dev.hindsight.engine;

import dev.hindsight.codec.Updated;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLongArray;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ResourceConcurrencyTest {
    record Account(String owner, long balance, long deposits) {}
    record Deposited(long amount) {}

    static final ResourceType<Account> ACCOUNT = ResourceType.define("account", Account.class)
            .event(Deposited.class, 1, (a, e) -> new Account(a.owner(), a.balance() + e.amount(), a.deposits() + 1))
            .build();

    @TempDir
    Path dir;

    @Test
    @Timeout(120)
    void threadsActingOnTheSameAndOnDifferentEntitiesLoseNoUpdate() throws Exception {
        int threads = 6;
        int perThread = 300;
        int accounts = 3;
        try (EventStore store = EventStore.builder(dir).resource(ACCOUNT).actionRetries(10_000).open()) {
            Resource<Account> all = store.resource(ACCOUNT);
            for (int a = 0; a < accounts; a++) {
                all.create("acc-" + a, new Account("owner-" + a, 0, 0));
            }
            AtomicLongArray expectedBalance = new AtomicLongArray(accounts);
            AtomicLongArray expectedDeposits = new AtomicLongArray(accounts);
            ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
            CountDownLatch start = new CountDownLatch(1);
            List<Thread> workers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                long seed = 1000 + t;
                Thread w = new Thread(() -> {
                    Random r = new Random(seed);
                    try {
                        start.await();
                        for (int i = 0; i < perThread; i++) {
                            int a = r.nextInt(accounts);
                            long amount = 1 + r.nextInt(100);
                            if (r.nextBoolean()) {
                                all.act("acc-" + a, acc -> List.of(new Deposited(amount)));
                                expectedDeposits.incrementAndGet(a);
                            } else {
                                all.update("acc-" + a, acc -> new Account(acc.owner(), acc.balance() + amount, acc.deposits()));
                            }
                            expectedBalance.addAndGet(a, amount);
                        }
                    } catch (Throwable e) {
                        failures.add(e);
                    }
                }, "actor-" + t);
                w.start();
                workers.add(w);
            }
            start.countDown();
            for (Thread w : workers) {
                w.join();
            }
            assertTrue(failures.isEmpty(), () -> "failures: " + failures);
            long updates = 0;
            for (int a = 0; a < accounts; a++) {
                ResourceState<Account> now = all.find("acc-" + a).orElseThrow();
                assertEquals(expectedBalance.get(a), now.state().balance(), "no lost update on acc-" + a);
                assertEquals(expectedDeposits.get(a), now.state().deposits());
                assertEquals(all.rebuild("acc-" + a).orElseThrow(), now, "the state equals the replay of the history");
                List<RecordedEvent> history = all.history("acc-" + a);
                assertEquals(now.version(), history.size());
                updates += history.stream().filter(e -> e.event() instanceof Updated).count();
            }
            assertEquals((long) threads * perThread + accounts, store.eventCount());
            assertTrue(updates > 0);
        }
    }
}
