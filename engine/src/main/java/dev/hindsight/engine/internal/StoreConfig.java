package dev.hindsight.engine.internal;

import dev.hindsight.engine.ResourceType;
import dev.hindsight.codec.CodecLimits;
import dev.hindsight.engine.Durability;
import dev.hindsight.engine.JournalRollCycle;

import java.nio.file.Path;
import java.util.List;

/**
 * A validated store configuration, as built by {@link dev.hindsight.engine.EventStoreBuilder}. Immutable.
 *
 * @param directory        the store's directory
 * @param readOnly         open without the writer lock and without writing a byte
 * @param durability       when appends are acknowledged
 * @param limits           codec bounds (max frame size, depth, collection size)
 * @param rollCycle        journal file roll cycle for a new store
 * @param expectedEntities persisted index sizing
 * @param minFreeDiskBytes appends fail below this much free space
 * @param registrations    the application's event records
 * @param resources        the application's resource types
 * @param actionRetries    how many times a resource action is re-run after a version conflict
 * @param resourceCache    entity states cached per resource type
 * @param subscriptionDirectory where durable subscriptions keep their files; null for the default
 *                         (a writing store's {@code subscriptions/}; none for a read-only store)
 */
public record StoreConfig(Path directory, boolean readOnly, Durability durability, CodecLimits limits,
                          JournalRollCycle rollCycle, long expectedEntities, long minFreeDiskBytes,
                          List<EventRegistration> registrations, List<ResourceType<?>> resources,
                          int actionRetries, int resourceCache, Path subscriptionDirectory) {

    /**
     * One event record to register.
     *
     * @param eventClass    the record class
     * @param eventTypeId   stable id
     * @param name          catalog name
     * @param schemaVersion schema version
     */
    public record EventRegistration(Class<? extends Record> eventClass, int eventTypeId, String name, int schemaVersion) {
    }
}
