package dev.hindsight.engine.internal.resource;

import dev.hindsight.engine.ResourceState;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * An entity's state folded from its events up to {@link #version}: immutable, so a cached fold stays valid
 * for ever (events never change). Version 0 means the entity has no events. Immutable and thread-safe if the
 * state is.
 *
 * @param <S> the state record
 */
final class Folded<S extends Record> {
    /** Where the events recorded under one idempotency key are: {@code count} versions from {@code firstVersion}. */
    record KeyedAction(long firstVersion, int count) {
    }

    final String resourceType;
    final String entityId;
    final long version;
    final S state;
    final boolean deleted;
    final long createdAtNanos;
    final long lastChangedNanos;
    /** The global position of the event at {@link #version}, -1 if unknown (no event, or not yet appended). */
    final long position;
    /** Idempotency key to the events recorded under it; copied on write, shared otherwise. */
    final Map<String, KeyedAction> keys;
    /** False for a fold restored from a snapshot: keys used before the snapshot are not in {@link #keys}. */
    final boolean keysComplete;

    Folded(String resourceType, String entityId, long version, S state, boolean deleted, long createdAtNanos,
           long lastChangedNanos, long position, Map<String, KeyedAction> keys, boolean keysComplete) {
        this.position = position;
        this.keysComplete = keysComplete;
        this.resourceType = resourceType;
        this.entityId = entityId;
        this.version = version;
        this.state = state;
        this.deleted = deleted;
        this.createdAtNanos = createdAtNanos;
        this.lastChangedNanos = lastChangedNanos;
        this.keys = keys;
    }

    static <S extends Record> Folded<S> empty(String resourceType, String entityId) {
        return new Folded<>(resourceType, entityId, 0, null, false, 0, 0, -1, Map.of(), true);
    }

    boolean exists() {
        return version > 0;
    }

    boolean live() {
        return version > 0 && !deleted;
    }

    Folded<S> next(S nextState, boolean nextDeleted, long timestampNanos, long eventPosition, String key) {
        Map<String, KeyedAction> nextKeys = keys;
        long v = version + 1;
        if (key != null) {
            KeyedAction prior = keys.get(key);
            nextKeys = new HashMap<>(keys);
            // the events of one action are contiguous: extend the run if the key's last event is the previous one
            nextKeys.put(key, prior != null && prior.firstVersion() + prior.count() == v
                    ? new KeyedAction(prior.firstVersion(), prior.count() + 1) : new KeyedAction(v, 1));
        }
        return new Folded<>(resourceType, entityId, v, nextState, nextDeleted,
                version == 0 ? timestampNanos : createdAtNanos, timestampNanos, eventPosition, nextKeys, keysComplete);
    }

    ResourceState<S> toState() {
        return new ResourceState<>(resourceType, entityId, state, version, deleted,
                Instant.ofEpochSecond(0, createdAtNanos), Instant.ofEpochSecond(0, lastChangedNanos));
    }
}
