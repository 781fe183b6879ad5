package dev.hindsight.engine;

import dev.hindsight.codec.EventMetadata;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a store must hold, kept in memory independently of the engine: every event in global order
 * and every entity's head version. Tests feed it what they appended and then compare every read
 * path of a real store against it. Not thread-safe.
 */
final class StoreModel {
    record Expected(long position, String resourceType, String entityId, long version, Object event, EventMetadata metadata) {
    }

    private final List<Expected> events = new ArrayList<>();
    private final Map<String, Long> heads = new LinkedHashMap<>();

    static String key(String resourceType, String entityId) {
        return resourceType + "/" + entityId;
    }

    long count() {
        return events.size();
    }

    long head(String resourceType, String entityId) {
        return heads.getOrDefault(key(resourceType, entityId), 0L);
    }

    List<Expected> events() {
        return List.copyOf(events);
    }

    Expected last() {
        return events.get(events.size() - 1);
    }

    /** Appends to the model only, assigning the next position and versions. */
    void add(String resourceType, String entityId, List<?> batch, EventMetadata metadata) {
        long version = head(resourceType, entityId);
        for (Object e : batch) {
            version++;
            events.add(new Expected(events.size(), resourceType, entityId, version, e, metadata));
        }
        heads.put(key(resourceType, entityId), version);
    }

    /** Checks what the store assigned against the model, then records the append in the model. */
    void acknowledged(AppendResult r, String resourceType, String entityId, List<?> batch, EventMetadata metadata) {
        String what = "append of " + batch.size() + " to " + key(resourceType, entityId);
        assertEquals(count(), r.firstPosition(), what + ": first position");
        assertEquals(head(resourceType, entityId) + 1, r.firstVersion(), what + ": first version");
        assertEquals(batch.size(), r.count(), what + ": count");
        add(resourceType, entityId, batch, metadata);
    }

    /** Appends through the store with the exact expected version, checks and records the result. */
    AppendResult append(EventStore store, String resourceType, String entityId, Object event) {
        return appendAll(store, resourceType, entityId, List.of(event), EventMetadata.NONE);
    }

    AppendResult appendAll(EventStore store, String resourceType, String entityId, List<?> batch, EventMetadata metadata) {
        long expected = ExpectedVersion.exactly(head(resourceType, entityId));
        AppendResult r = batch.size() == 1
                ? store.append(resourceType, entityId, expected, batch.get(0), metadata)
                : store.appendAll(resourceType, entityId, expected, batch, metadata);
        acknowledged(r, resourceType, entityId, batch, metadata);
        return r;
    }

    /** Forgets the last event (as a cut torn tail takes it away). */
    Expected removeLast() {
        Expected e = events.remove(events.size() - 1);
        long head = heads.get(key(e.resourceType(), e.entityId())) - 1;
        if (head == 0) {
            heads.remove(key(e.resourceType(), e.entityId()));
        } else {
            heads.put(key(e.resourceType(), e.entityId()), head);
        }
        return e;
    }

    static void assertSameEvent(Expected want, RecordedEvent got, String context) {
        String where = context + " at position " + want.position();
        assertEquals(want.position(), got.position(), where + ": position");
        assertEquals(want.resourceType(), got.resourceType(), where + ": resource type");
        assertEquals(want.entityId(), got.entityId(), where + ": entity id");
        assertEquals(want.version(), got.version(), where + ": version");
        assertEquals(want.event(), got.event(), where + ": event");
        assertEquals(want.metadata(), got.metadata(), where + ": metadata");
    }

    /**
     * Compares every read path of {@code store} with the model: eventCount, readAll (from the start,
     * from the middle, past the end), and per entity headVersion, readEntity (from 1 and from the
     * middle), readVersion of every version and reads past the head.
     */
    void assertMatches(EventStore store) {
        long n = count();
        assertEquals(n, store.eventCount(), "eventCount");
        List<RecordedEvent> all = store.readAll(0, (int) n + 10);
        assertEquals(n, all.size(), "readAll from 0 returns every event and nothing more");
        for (int i = 0; i < n; i++) {
            assertSameEvent(events.get(i), all.get(i), "readAll");
            if (i > 0) {
                assertTrue(all.get(i).timestampNanos() >= all.get(i - 1).timestampNanos(), "timestamps never decrease at " + i);
            }
        }
        if (n > 0) {
            int mid = (int) (n / 2);
            List<RecordedEvent> some = store.readAll(mid, 7);
            assertEquals(Math.min(7, n - mid), some.size(), "readAll from the middle");
            for (int i = 0; i < some.size(); i++) {
                assertSameEvent(events.get(mid + i), some.get(i), "readAll from " + mid);
            }
            List<RecordedEvent> lastOne = store.readAll(n - 1, 10);
            assertEquals(1, lastOne.size(), "readAll from the last position");
            assertSameEvent(events.get((int) n - 1), lastOne.get(0), "readAll from the last position");
        }
        assertTrue(store.readAll(n, 10).isEmpty(), "readAll at eventCount is empty");

        for (Map.Entry<String, Long> h : heads.entrySet()) {
            String[] k = h.getKey().split("/", 2);
            String type = k[0];
            String id = k[1];
            long head = h.getValue();
            List<Expected> mine = events.stream().filter(e -> e.resourceType().equals(type) && e.entityId().equals(id)).toList();
            assertEquals(head, mine.size(), "model is consistent for " + h.getKey());
            assertEquals(head, store.headVersion(type, id), "headVersion of " + h.getKey());
            List<RecordedEvent> read = store.readEntity(type, id, 1);
            assertEquals(head, read.size(), "readEntity of " + h.getKey());
            for (int i = 0; i < head; i++) {
                assertSameEvent(mine.get(i), read.get(i), "readEntity " + h.getKey());
                assertSameEvent(mine.get(i), store.readVersion(type, id, i + 1), "readVersion " + h.getKey() + " v" + (i + 1));
            }
            long from = head / 2 + 1;
            List<RecordedEvent> tail = store.readEntity(type, id, from);
            assertEquals(head - from + 1, tail.size(), "readEntity of " + h.getKey() + " from " + from);
            assertEquals(from, tail.get(0).version(), "readEntity of " + h.getKey() + " from " + from);
            assertTrue(store.readEntity(type, id, head + 1).isEmpty(), "readEntity past the head of " + h.getKey());
            assertThrows(IllegalArgumentException.class, () -> store.readVersion(type, id, head + 1),
                    "readVersion past the head of " + h.getKey());
        }
        assertEquals(0, store.headVersion("order", "never-appended"), "an entity never appended to has no head");
    }

    /**
     * Checks that the sequencer's idea of every head agrees with the model: NO_STREAM and a stale
     * version are refused with the model's head, the exact head is accepted at the next position.
     */
    void assertAppendsContinue(EventStore store) {
        for (String k : List.copyOf(heads.keySet())) {
            String[] parts = k.split("/", 2);
            long head = heads.get(k);
            WrongExpectedVersionException e = assertThrows(WrongExpectedVersionException.class,
                    () -> store.append(parts[0], parts[1], ExpectedVersion.NO_STREAM, new TestEvents.Shipped("dup")),
                    "NO_STREAM to existing " + k);
            assertEquals(head, e.actualVersion(), "actual version of " + k);
            if (head > 1) {
                assertThrows(WrongExpectedVersionException.class,
                        () -> store.append(parts[0], parts[1], head - 1, new TestEvents.Shipped("stale")), "stale version to " + k);
            }
            append(store, parts[0], parts[1], new TestEvents.Shipped("after-" + k + "-" + head));
        }
    }
}
