package dev.hindsight.engine.internal.resource;

import dev.hindsight.codec.EventCodec;
import dev.hindsight.codec.EventSchema;
import dev.hindsight.codec.Registration;
import dev.hindsight.codec.SchemaCatalog;
import dev.hindsight.codec.StandardEventTypes;
import dev.hindsight.engine.HindsightException;
import dev.hindsight.engine.ResourceType;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Binds resource types to a store's codec when it opens: maps each resource type to a block of global event
 * type ids and registers its standard and custom events.
 *
 * <p>Id blocks: resource type number {@code k} (in order of first appearance in the store) owns the ids
 * {@code 100,000 + 1,000 k} to {@code 100,999 + 1,000 k}: Created is {@code base + 1}, Updated {@code base + 2},
 * Deleted {@code base + 3}, and the custom event with resource-local id {@code n} is {@code base + 10 + n}.
 * A block is recorded by the schema catalog itself (the id of {@code <name>.Created}), so it is found again on
 * every later open; a new resource type takes the lowest block no recorded event type id falls in.
 *
 * <p>Not thread-safe; used once, while the store opens.
 */
public final class ResourceBinder {
    /** The first id of the first block. */
    public static final int FIRST_BLOCK = 100_000;
    /** Ids per block. */
    public static final int BLOCK_SIZE = 1_000;
    /** Offset of custom event ids within a block. */
    public static final int CUSTOM_OFFSET = 10;

    private ResourceBinder() {
    }

    /**
     * @param codec         the store's codec (its catalog loaded from the store)
     * @param types         the resource types the application registered, by name
     * @param cacheCapacity folds cached per resource type
     * @return the bound resource types by name
     * @throws HindsightException if the catalog records a resource's ids outside the blocks, or no block is free
     */
    public static Map<String, BoundResource<?>> bind(EventCodec codec, List<ResourceType<?>> types, int cacheCapacity) {
        Map<String, BoundResource<?>> bound = new LinkedHashMap<>();
        for (ResourceType<?> t : types) {
            if (bound.containsKey(t.name())) {
                throw new IllegalArgumentException("resource type '" + t.name() + "' is registered twice");
            }
            bound.put(t.name(), bindOne(codec, t, cacheCapacity));
        }
        return bound;
    }

    private static <S extends Record> BoundResource<S> bindOne(EventCodec codec, ResourceType<S> t, int cacheCapacity) {
        int base = blockOf(codec.catalog(), t.name());
        StandardEventTypes standard = codec.registerStandardEvents(t.name(), t.stateClass(), base + 1, base + 2,
                base + 3, t.schemaVersion());
        Map<Class<?>, Registration> custom = new HashMap<>();
        for (ResourceType.EventDefinition<S, ?> d : t.events()) {
            codec.register(d.eventClass(), base + CUSTOM_OFFSET + d.id(), t.name() + "." + d.name(), d.schemaVersion());
            custom.put(d.eventClass(), codec.lookup(d.eventClass()));
        }
        return new BoundResource<>(t, standard, custom, cacheCapacity);
    }

    static int blockOf(SchemaCatalog catalog, String name) {
        int created = catalog.idOf(name + ".Created");
        if (created > 0) {
            int base = created - 1;
            if (base < FIRST_BLOCK || base % BLOCK_SIZE != 0) {
                throw new HindsightException("the schema catalog records '" + name + ".Created' as event type "
                        + created + ", which is not the first id of a resource block (" + FIRST_BLOCK + " + "
                        + BLOCK_SIZE + "k + 1)");
            }
            return base;
        }
        boolean[] taken = new boolean[(EventSchema.MAX_EVENT_TYPE_ID - FIRST_BLOCK) / BLOCK_SIZE];
        for (EventSchema s : catalog.all()) {
            int k = (s.eventTypeId() - FIRST_BLOCK) / BLOCK_SIZE;
            if (s.eventTypeId() >= FIRST_BLOCK && k < taken.length) {
                taken[k] = true;
            }
        }
        for (int k = 0; k < taken.length; k++) {
            if (!taken[k]) {
                return FIRST_BLOCK + k * BLOCK_SIZE;
            }
        }
        throw new HindsightException("no free block of event type ids is left for resource type '" + name + "'");
    }
}
