package dev.hindsight.engine.internal.index;

import net.openhft.chronicle.map.ChronicleMap;
import net.openhft.chronicle.map.ChronicleMapBuilder;

import dev.hindsight.codec.CorruptFrameException;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Map;

/**
 * Reads the persisted entity index maps ({@code heads.cm}, {@code blocks.cm}; layout in
 * {@link PersistedBlocks}, index format 2: block entries of excerpt index, frame address and timestamp) for
 * inspection. Chronicle Map has no read-only mode (it maps its file read-write
 * and takes segment locks in it even to read), so this is only ever opened on <em>copies</em> of the
 * store's files. Entries are decoded defensively: a key or value that a writer cannot have produced is
 * reported to the visitor, never trusted. Not thread-safe: one thread iterates.
 */
public final class IndexMapsReader implements AutoCloseable {
    private static final VarHandle LONG_LE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    /** Versions per block. */
    public static final int BLOCK_SIZE = EntityKeys.BLOCK_SIZE;

    private final ChronicleMap<String, byte[]> heads;
    private final ChronicleMap<String, byte[]> blocks;
    private final long[] entries = new long[EntityKeys.ENTRY_LONGS * EntityKeys.BLOCK_SIZE];
    /** Longs per block entry: excerpt index, frame address, timestamp. */
    public static final int ENTRY_LONGS = EntityKeys.ENTRY_LONGS;

    /** Receives the heads map's entries. */
    public interface HeadVisitor {
        /**
         * @param resourceType   the entity's resource type
         * @param entityId       the entity's id
         * @param headVersion    its head version
         * @param firstTimestamp its first event's timestamp, epoch ns
         * @param lastTimestamp  its last event's timestamp, epoch ns
         */
        void head(String resourceType, String entityId, long headVersion, long firstTimestamp, long lastTimestamp);

        /**
         * @param key    the raw key
         * @param reason why the entry cannot be a valid one
         */
        void malformed(String key, String reason);
    }

    /** Receives the blocks map's entries. */
    public interface BlockVisitor {
        /**
         * @param resourceType the entity's resource type
         * @param entityId     the entity's id
         * @param blockNo      the block number; entry i is version {@code blockNo * 32 + i + 1}
         * @param entries      triples of (Chronicle excerpt index, frame address, timestamp epoch ns); reused, valid
         *                     during the call
         * @param count        how many triples
         */
        void block(String resourceType, String entityId, long blockNo, long[] entries, int count);

        /**
         * @param key    the raw key
         * @param reason why the entry cannot be a valid one
         */
        void malformed(String key, String reason);
    }

    private IndexMapsReader(ChronicleMap<String, byte[]> heads, ChronicleMap<String, byte[]> blocks) {
        this.heads = heads;
        this.blocks = blocks;
    }

    /**
     * Opens existing map files (copies, never the store's own: opening writes to the file).
     *
     * @param headsCopy    a copy of {@code heads.cm}
     * @param blocksCopy   a copy of {@code blocks.cm}
     * @param headsName    the original's name, for messages
     * @param blocksName   the original's name, for messages
     * @return the reader
     * @throws CorruptFrameException naming the original file if Chronicle Map cannot open its copy
     */
    public static IndexMapsReader openCopies(Path headsCopy, Path blocksCopy, String headsName, String blocksName) {
        ChronicleMap<String, byte[]> heads;
        try {
            heads = ChronicleMapBuilder.of(String.class, byte[].class)
                    .name("hindsight-heads-inspect").entries(1_000).averageKeySize(32)
                    .constantValueSizeBySample(new byte[PersistedBlocks.HEAD_BYTES])
                    .createPersistedTo(headsCopy.toFile());
        } catch (IOException | RuntimeException e) {
            throw new CorruptFrameException(headsName, 0, "Chronicle Map cannot open it: " + e, e);
        }
        try {
            ChronicleMap<String, byte[]> blocks = ChronicleMapBuilder.of(String.class, byte[].class)
                    .name("hindsight-blocks-inspect").entries(1_000).averageKeySize(36)
                    .averageValueSize(EntityKeys.BLOCK_SIZE * EntityKeys.ENTRY_BYTES)
                    .createPersistedTo(blocksCopy.toFile());
            return new IndexMapsReader(heads, blocks);
        } catch (IOException | RuntimeException e) {
            heads.close();
            throw new CorruptFrameException(blocksName, 0, "Chronicle Map cannot open it: " + e, e);
        }
    }

    /** @return how many heads the map holds */
    public long headCount() {
        return heads.longSize();
    }

    /** @return how many blocks the map holds */
    public long blockCount() {
        return blocks.longSize();
    }

    /** @param visitor receives every head, in the map's order */
    public void forEachHead(HeadVisitor visitor) {
        for (Map.Entry<String, byte[]> e : heads.entrySet()) {
            String key = e.getKey();
            byte[] v = e.getValue();
            int slash = key.indexOf('/');
            if (slash <= 0 || slash == key.length() - 1) {
                visitor.malformed(key, "key is not \"type/id\"");
            } else if (v == null || v.length != PersistedBlocks.HEAD_BYTES) {
                visitor.malformed(key, "value is " + (v == null ? "missing" : v.length + " bytes") + ", not " + PersistedBlocks.HEAD_BYTES);
            } else {
                visitor.head(key.substring(0, slash), key.substring(slash + 1), (long) LONG_LE.get(v, 0),
                        (long) LONG_LE.get(v, 8), (long) LONG_LE.get(v, 16));
            }
        }
    }

    /** @param visitor receives every block, in the map's order */
    public void forEachBlock(BlockVisitor visitor) {
        for (Map.Entry<String, byte[]> e : blocks.entrySet()) {
            String key = e.getKey();
            int slash = key.indexOf('/');
            int hash = key.lastIndexOf('#');
            long blockNo = -1;
            if (slash > 0 && hash > slash + 1 && hash < key.length() - 1) {
                try {
                    blockNo = Long.parseLong(key, hash + 1, key.length(), 10);
                } catch (NumberFormatException ignored) {
                    blockNo = -1;
                }
            }
            if (blockNo < 0) {
                visitor.malformed(key, "key is not \"type/id#block\"");
                continue;
            }
            if (decode(e.getValue(), visitor, key) < 0) {
                continue;
            }
            visitor.block(key.substring(0, slash), key.substring(slash + 1, hash), blockNo, entries, e.getValue().length / EntityKeys.ENTRY_BYTES);
        }
    }

    /**
     * @param resourceType a resource type
     * @param entityId     an entity id
     * @param blockNo      a block number
     * @param visitor      receives the block if present and well-formed
     * @return true if the map holds that block
     */
    public boolean block(String resourceType, String entityId, long blockNo, BlockVisitor visitor) {
        String key = EntityKeys.block(EntityKeys.entity(resourceType, entityId), blockNo);
        byte[] v = blocks.get(key);
        if (v == null) {
            return false;
        }
        if (decode(v, visitor, key) >= 0) {
            visitor.block(resourceType, entityId, blockNo, entries, v.length / EntityKeys.ENTRY_BYTES);
        }
        return true;
    }

    /**
     * @param resourceType a resource type
     * @param entityId     an entity id
     * @return the head version the heads map holds for it, -1 if none
     */
    public long headVersion(String resourceType, String entityId) {
        byte[] v = heads.get(EntityKeys.entity(resourceType, entityId));
        return v == null || v.length != PersistedBlocks.HEAD_BYTES ? -1 : (long) LONG_LE.get(v, 0);
    }

    private int decode(byte[] v, BlockVisitor visitor, String key) {
        if (v == null || v.length == 0 || v.length % EntityKeys.ENTRY_BYTES != 0 || v.length > entries.length * 8L) {
            visitor.malformed(key, "value is " + (v == null ? "missing" : v.length + " bytes") + "; a block is 1 to "
                    + EntityKeys.BLOCK_SIZE + " entries of " + EntityKeys.ENTRY_BYTES + " bytes");
            return -1;
        }
        for (int i = 0; i < v.length / 8; i++) {
            entries[i] = (long) LONG_LE.get(v, i * 8);
        }
        return v.length / EntityKeys.ENTRY_BYTES;
    }

    @Override
    public void close() {
        try {
            heads.close();
        } finally {
            blocks.close();
        }
    }
}
