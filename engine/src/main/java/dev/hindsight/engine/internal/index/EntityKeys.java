package dev.hindsight.engine.internal.index;

/**
 * The string keys of the persisted index. Resource types cannot contain {@code '/'}, so the first
 * {@code '/'} separates type and id. Stateless, thread-safe.
 */
final class EntityKeys {
    /** Versions per block of the persisted location index. */
    static final int BLOCK_SIZE = 32;
    /** Longs per location entry: excerpt index, frame address, timestamp. */
    static final int ENTRY_LONGS = 3;
    /** Bytes per persisted block entry. */
    static final int ENTRY_BYTES = ENTRY_LONGS * 8;

    private EntityKeys() {
    }

    static String entity(String resourceType, String entityId) {
        return resourceType + '/' + entityId;
    }

    static String block(String entityKey, long blockNo) {
        return entityKey + '#' + blockNo;
    }

    static long blockOf(long version) {
        return (version - 1) / BLOCK_SIZE;
    }

    static int slotOf(long version) {
        return (int) ((version - 1) % BLOCK_SIZE);
    }

    static String typeOf(String entityKey) {
        return entityKey.substring(0, entityKey.indexOf('/'));
    }

    static String idOf(String entityKey) {
        return entityKey.substring(entityKey.indexOf('/') + 1);
    }
}
