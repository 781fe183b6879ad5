package dev.hindsight.engine;

import dev.hindsight.codec.EventMetadata;
import dev.hindsight.engine.TestEvents.Counter;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The sequencer against an in-memory model: for any sequence of appends and batches to a few
 * entities, with expected versions that are right, ANY, NO_STREAM or wrong, and with the store
 * reopened at random points, every outcome (positions and versions assigned, or the conflict and
 * the actual version it names) is the model's, and at the end every read path agrees with it.
 */
class SequencingProperties {
    /** Two entities share an id under different resource types: they must never be confused. */
    private static final String[][] ENTITIES = {{"order", "e-0"}, {"order", "e-1"}, {"payment", "e-0"}};

    enum Expect {
        CORRECT, ANY, NO_STREAM, WRONG
    }

    /**
     * @param entity       which of {@link #ENTITIES}
     * @param size         events in the append
     * @param viaAppendAll use appendAll even for one event
     * @param expect       how the expected version is chosen
     * @param wrongBy      distance of a wrong expected version from the head (never 0)
     * @param reopenFirst  close and reopen the store before this operation
     */
    record Op(int entity, int size, boolean viaAppendAll, Expect expect, int wrongBy, boolean reopenFirst) {
        @Override
        public String toString() {
            return (reopenFirst ? "reopen; " : "") + (viaAppendAll || size > 1 ? "appendAll(" + size + ")" : "append")
                    + " " + ENTITIES[entity][0] + "/" + ENTITIES[entity][1] + " " + expect + (expect == Expect.WRONG ? "(" + wrongBy + ")" : "");
        }
    }

    @Provide
    Arbitrary<List<Op>> operations() {
        Arbitrary<Integer> size = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, Arbitraries.just(1)),
                net.jqwik.api.Tuple.of(3, Arbitraries.integers().between(2, 5)),
                net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(30, 70)));
        Arbitrary<Op> op = Combinators.combine(
                Arbitraries.integers().between(0, ENTITIES.length - 1),
                size,
                Arbitraries.of(true, false),
                Arbitraries.of(Expect.class),
                Arbitraries.integers().between(-3, 3).filter(d -> d != 0),
                Arbitraries.integers().between(0, 14).map(i -> i == 0)
        ).as(Op::new);
        return op.list().ofMinSize(1).ofMaxSize(30);
    }

    @Property(tries = 60, shrinking = ShrinkingMode.BOUNDED)
    void everyOutcomeAndEveryReadAgreesWithTheModel(@ForAll("operations") List<Op> ops) throws Exception {
        Path dir = Files.createTempDirectory("hindsight-seq-");
        try {
            run(dir, ops);
        } finally {
            StoreFiles.deleteTree(dir);
        }
    }

    private static EventStore open(Path dir) {
        return TestEvents.builder(dir).expectedEntities(1_000).open();
    }

    private static void run(Path dir, List<Op> ops) {
        StoreModel model = new StoreModel();
        EventStore store = open(dir);
        try {
            long lastTimestamp = Long.MIN_VALUE;
            for (int i = 0; i < ops.size(); i++) {
                Op op = ops.get(i);
                String step = "step " + i + " " + op;
                if (op.reopenFirst()) {
                    store.close();
                    store = open(dir);
                    assertTrue(store.recoveryReport().wasClean(), step + ": reopen after a clean close is clean: " + store.recoveryReport());
                    assertEquals(model.count(), store.eventCount(), step + ": eventCount after reopen");
                }
                String type = ENTITIES[op.entity()][0];
                String id = ENTITIES[op.entity()][1];
                long head = model.head(type, id);
                long expected = switch (op.expect()) {
                    case CORRECT -> ExpectedVersion.exactly(head);
                    case ANY -> ExpectedVersion.ANY;
                    case NO_STREAM -> ExpectedVersion.NO_STREAM;
                    case WRONG -> head + op.wrongBy() >= 0 ? head + op.wrongBy() : head - op.wrongBy();
                };
                boolean accept = expected == ExpectedVersion.ANY || expected == head;
                List<Counter> batch = new ArrayList<>();
                for (int k = 0; k < op.size(); k++) {
                    batch.add(new Counter("op-" + i, k, List.of(type, id)));
                }
                AppendResult result;
                try {
                    result = op.viaAppendAll() || op.size() > 1
                            ? store.appendAll(type, id, expected, batch, EventMetadata.NONE)
                            : store.append(type, id, expected, batch.get(0));
                } catch (WrongExpectedVersionException e) {
                    if (accept) {
                        fail(step + ": refused with " + e.getMessage() + " but the model is at " + head + " and expected " + expected);
                    }
                    assertEquals(head, e.actualVersion(), step + ": the conflict names the actual version");
                    assertEquals(expected, e.expectedVersion(), step + ": the conflict names the expected version");
                    assertEquals(type, e.resourceType(), step);
                    assertEquals(id, e.entityId(), step);
                    assertEquals(model.count(), store.eventCount(), step + ": a refused append writes nothing");
                    assertEquals(head, store.headVersion(type, id), step + ": a refused append moves no head");
                    continue;
                }
                if (!accept) {
                    fail(step + ": accepted as " + result + " but the model is at " + head + " and expected " + expected);
                }
                model.acknowledged(result, type, id, batch, EventMetadata.NONE);
                assertTrue(result.timestampNanos() >= lastTimestamp, step + ": timestamps never decrease");
                lastTimestamp = result.timestampNanos();
                assertEquals(model.count(), store.eventCount(), step + ": eventCount");
                assertEquals(model.head(type, id), store.headVersion(type, id), step + ": headVersion");
            }
            model.assertMatches(store);
            store.close();
            store = open(dir);
            model.assertMatches(store);
            if (model.count() > 0) {
                model.assertAppendsContinue(store);
                model.assertMatches(store);
            }
        } finally {
            store.close();
        }
    }
}
