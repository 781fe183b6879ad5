package dev.hindsight.engine.inspect;

import dev.hindsight.engine.internal.index.IndexMapsReader;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A private copy of a store's persisted entity index ({@code index/heads.cm} and {@code index/blocks.cm}),
 * opened for reading. Chronicle Map has no read-only mode: opening a map file writes to it (segment locks,
 * header), so inspection copies the files to a temporary directory and opens the copies; closing deletes
 * them. Made by {@link StoreInspector#copyIndex(Path)}. Not thread-safe: one thread reads it.
 *
 * <pre>
 * heads.cm   key "type/id"          value 24 bytes: head version | first timestamp | last timestamp
 * blocks.cm  key "type/id#block"    value 24..768 bytes: up to 32 x (excerpt index | frame address | timestamp);
 *                                   entry i of block b is version b*32 + i + 1   (int64, little-endian)
 *                                   (index format 2; the frame address is the frame's byte offset in its .cq4 file)
 * </pre>
 */
public final class PersistedIndexCopy implements AutoCloseable {
    /** Longs per block entry: excerpt index, frame address, timestamp. */
    public static final int ENTRY_LONGS = IndexMapsReader.ENTRY_LONGS;
    /** Versions per block of the blocks map. */
    public static final int BLOCK_SIZE = IndexMapsReader.BLOCK_SIZE;

    private final Path directory;
    private final IndexMapsReader maps;
    private final IndexCheckpoint checkpoint;

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
         * @param reason why it cannot be a valid entry
         */
        void malformed(String key, String reason);
    }

    /** Receives the blocks map's entries. */
    public interface BlockVisitor {
        /**
         * @param resourceType the entity's resource type
         * @param entityId     the entity's id
         * @param blockNo      the block; entry i is version {@code blockNo * 32 + i + 1}
         * @param entries      triples (Chronicle excerpt index, frame address, timestamp epoch ns), {@link #ENTRY_LONGS}
         *                     longs each; reused, valid during the call
         * @param count        how many entries
         */
        void block(String resourceType, String entityId, long blockNo, long[] entries, int count);

        /**
         * @param key    the raw key
         * @param reason why it cannot be a valid entry
         */
        void malformed(String key, String reason);
    }

    PersistedIndexCopy(Path directory, IndexMapsReader maps, IndexCheckpoint checkpoint) {
        this.directory = directory;
        this.maps = maps;
        this.checkpoint = checkpoint;
    }

    /** @return the checkpoint the copied maps belong to (read before and after copying: unchanged) */
    public IndexCheckpoint checkpoint() {
        return checkpoint;
    }

    /** @return how many heads the map holds */
    public long headCount() {
        return maps.headCount();
    }

    /** @return how many blocks the map holds */
    public long blockCount() {
        return maps.blockCount();
    }

    /** @param visitor receives every head */
    public void forEachHead(HeadVisitor visitor) {
        maps.forEachHead(new IndexMapsReader.HeadVisitor() {
            @Override
            public void head(String resourceType, String entityId, long headVersion, long firstTimestamp, long lastTimestamp) {
                visitor.head(resourceType, entityId, headVersion, firstTimestamp, lastTimestamp);
            }

            @Override
            public void malformed(String key, String reason) {
                visitor.malformed(key, reason);
            }
        });
    }

    /** @param visitor receives every block */
    public void forEachBlock(BlockVisitor visitor) {
        maps.forEachBlock(adapt(visitor));
    }

    /**
     * @param resourceType a resource type
     * @param entityId     an entity id
     * @param blockNo      a block number
     * @param visitor      receives the block if present
     * @return true if the map holds that block
     */
    public boolean block(String resourceType, String entityId, long blockNo, BlockVisitor visitor) {
        return maps.block(resourceType, entityId, blockNo, adapt(visitor));
    }

    /**
     * @param resourceType a resource type
     * @param entityId     an entity id
     * @return its head version in the heads map, -1 if absent
     */
    public long headVersion(String resourceType, String entityId) {
        return maps.headVersion(resourceType, entityId);
    }

    private static IndexMapsReader.BlockVisitor adapt(BlockVisitor visitor) {
        return new IndexMapsReader.BlockVisitor() {
            @Override
            public void block(String resourceType, String entityId, long blockNo, long[] entries, int count) {
                visitor.block(resourceType, entityId, blockNo, entries, count);
            }

            @Override
            public void malformed(String key, String reason) {
                visitor.malformed(key, reason);
            }
        };
    }

    /** Closes the maps and deletes the copies. */
    @Override
    public void close() {
        try {
            maps.close();
        } finally {
            deleteTree(directory);
        }
    }

    static void deleteTree(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete the index copy " + dir + ": " + e.getMessage(), e);
        }
    }
}
