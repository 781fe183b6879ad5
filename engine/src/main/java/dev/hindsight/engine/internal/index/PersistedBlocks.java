package dev.hindsight.engine.internal.index;

import net.openhft.chronicle.map.ChronicleMap;
import net.openhft.chronicle.map.ChronicleMapBuilder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;

/**
 * The persisted part of the entity index, in two Chronicle Maps: each entity's completed blocks of
 * 32 locations (written once, when the block fills) and, at a clean close, every entity's head and
 * last partial block. Readers on any thread (Chronicle Map is thread-safe); one writer at a time,
 * the thread that owns the {@link LiveIndex} (writes are not thread-safe: they stage bytes in a
 * reused array). Layout of index format 2 (see {@link IndexState#FORMAT_VERSION}):
 *
 * <pre>
 * heads.cm   key "type/id"          value 24 bytes: head version | first timestamp | last timestamp
 * blocks.cm  key "type/id#block"    value 24..768 bytes: 1 to 32 entries, entry i is version b*32 + i + 1:
 *
 *            entry (24 bytes)
 *            +----------------------+----------------------+----------------------+
 *            | excerpt index        | frame address        | timestamp            |
 *            | int64: Chronicle     | int64: byte offset   | int64: epoch ns, as  |
 *            | index of the excerpt | of this version's    | in the frame         |
 *            | (cycle, sequence)    | frame in the cycle's |                      |
 *            |                      | .cq4 file            |                      |
 *            +----------------------+----------------------+----------------------+
 * (all int64, little-endian)
 * </pre>
 *
 * Format 1 had 16-byte entries (excerpt index | timestamp); an index in format 1 is rebuilt.
 */
public final class PersistedBlocks implements AutoCloseable {
    static final int HEAD_BYTES = 24;
    private static final VarHandle LONG_LE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private final Path headsFile;
    private final Path blocksFile;
    private final ChronicleMap<String, byte[]> heads;
    private final ChronicleMap<String, byte[]> blocks;
    private final long expectedEntities;
    private final byte[] fullBlock = new byte[EntityKeys.BLOCK_SIZE * EntityKeys.ENTRY_BYTES];

    /** Receives a persisted head. */
    @FunctionalInterface
    public interface HeadVisitor {
        /**
         * @param entityKey      "type/id"
         * @param headVersion    the entity's head version
         * @param firstTimestamp its first event's timestamp
         * @param lastTimestamp  its last event's timestamp
         */
        void visit(String entityKey, long headVersion, long firstTimestamp, long lastTimestamp);
    }

    private PersistedBlocks(Path headsFile, Path blocksFile, ChronicleMap<String, byte[]> heads,
                            ChronicleMap<String, byte[]> blocks, long expectedEntities) {
        this.headsFile = headsFile;
        this.blocksFile = blocksFile;
        this.heads = heads;
        this.blocks = blocks;
        this.expectedEntities = expectedEntities;
    }

    /**
     * Opens (or creates) the maps.
     *
     * @param headsFile        heads map file
     * @param blocksFile       blocks map file
     * @param expectedEntities sizing; each map takes up to ten times as many entries
     * @return the open maps
     * @throws IOException if the files cannot be opened
     */
    public static PersistedBlocks open(Path headsFile, Path blocksFile, long expectedEntities) throws IOException {
        ChronicleMap<String, byte[]> heads = ChronicleMapBuilder.of(String.class, byte[].class)
                .name("hindsight-heads")
                .entries(expectedEntities)
                .averageKeySize(32)
                .constantValueSizeBySample(new byte[HEAD_BYTES])
                .maxBloatFactor(10)
                .createPersistedTo(headsFile.toFile());
        try {
            ChronicleMap<String, byte[]> blocks = ChronicleMapBuilder.of(String.class, byte[].class)
                    .name("hindsight-blocks")
                    .entries(expectedEntities * 2)
                    .averageKeySize(36)
                    .averageValueSize(EntityKeys.BLOCK_SIZE * EntityKeys.ENTRY_BYTES) // full blocks: puts 2x faster than sized for less
                    .maxBloatFactor(10)
                    .createPersistedTo(blocksFile.toFile());
            return new PersistedBlocks(headsFile, blocksFile, heads, blocks, expectedEntities);
        } catch (IOException | RuntimeException e) {
            heads.close();
            throw e;
        }
    }

    /**
     * @param entityKey "type/id"
     * @param blockNo   block number
     * @param using     an array to read into if the block has its length (a full block), or null
     * @return the block's bytes ({@code using} or a new array), null if not persisted
     * @throws IllegalStateException if the value is not 1 to 32 whole entries (a damaged or foreign map)
     */
    byte[] block(String entityKey, long blockNo, byte[] using) {
        String key = EntityKeys.block(entityKey, blockNo);
        byte[] bytes = blocks.getUsing(key, using);
        if (bytes != null && (bytes.length == 0 || bytes.length % EntityKeys.ENTRY_BYTES != 0
                || bytes.length > EntityKeys.BLOCK_SIZE * EntityKeys.ENTRY_BYTES)) {
            throw new IllegalStateException("the entity index block " + key + " in " + blocksFile + " has " + bytes.length
                    + " bytes, not 1 to " + EntityKeys.BLOCK_SIZE + " entries of " + EntityKeys.ENTRY_BYTES
                    + " bytes; reopen the store to rebuild the index");
        }
        return bytes;
    }

    /** @return entry {@code slot}'s excerpt index in a block's bytes */
    static long excerpt(byte[] block, int slot) {
        return (long) LONG_LE.get(block, slot * EntityKeys.ENTRY_BYTES);
    }

    /** @return entry {@code slot}'s frame address in a block's bytes */
    static long address(byte[] block, int slot) {
        return (long) LONG_LE.get(block, slot * EntityKeys.ENTRY_BYTES + 8);
    }

    /** @return entry {@code slot}'s timestamp in a block's bytes */
    static long timestamp(byte[] block, int slot) {
        return (long) LONG_LE.get(block, slot * EntityKeys.ENTRY_BYTES + 16);
    }

    /**
     * @param block    a block's bytes
     * @param capacity entries the result has room for (at least the block's)
     * @return the block's entries as longs (triples), zero beyond them
     */
    static long[] entries(byte[] block, int capacity) {
        long[] out = new long[capacity * EntityKeys.ENTRY_LONGS];
        for (int i = 0; i < block.length / 8; i++) {
            out[i] = (long) LONG_LE.get(block, i * 8);
        }
        return out;
    }

    /**
     * @param entityKey "type/id"
     * @param blockNo   block number
     * @param entries   triples of excerpt index, frame address and timestamp
     * @param count     how many triples
     */
    void putBlock(String entityKey, long blockNo, long[] entries, int count) {
        // a full block is the common case: its bytes are staged in one reused array (the map copies them)
        byte[] bytes = count == EntityKeys.BLOCK_SIZE ? fullBlock : new byte[count * EntityKeys.ENTRY_BYTES];
        for (int i = 0; i < count * EntityKeys.ENTRY_LONGS; i++) {
            LONG_LE.set(bytes, i * 8, entries[i]);
        }
        try {
            blocks.put(EntityKeys.block(entityKey, blockNo), bytes);
        } catch (IllegalStateException e) {
            throw full(e);
        }
    }

    void putHead(String entityKey, long head, long firstTimestamp, long lastTimestamp) {
        byte[] bytes = new byte[HEAD_BYTES];
        LONG_LE.set(bytes, 0, head);
        LONG_LE.set(bytes, 8, firstTimestamp);
        LONG_LE.set(bytes, 16, lastTimestamp);
        try {
            heads.put(entityKey, bytes);
        } catch (IllegalStateException e) {
            throw full(e);
        }
    }

    private IllegalStateException full(IllegalStateException e) {
        return new IllegalStateException("the persisted entity index " + headsFile.getParent() + " is full ("
                + heads.longSize() + " entities, " + blocks.longSize() + " blocks, sized for " + expectedEntities
                + " entities); reopen the store with a larger EventStoreBuilder.expectedEntities to rebuild it: " + e.getMessage(), e);
    }

    /** @param visitor receives every persisted head */
    void forEachHead(HeadVisitor visitor) {
        for (Map.Entry<String, byte[]> e : heads.entrySet()) {
            byte[] v = e.getValue();
            visitor.visit(e.getKey(), (long) LONG_LE.get(v, 0), (long) LONG_LE.get(v, 8), (long) LONG_LE.get(v, 16));
        }
    }

    /** @return how many heads are persisted */
    long headCount() {
        return heads.longSize();
    }

    /** @return how many blocks are persisted */
    long blockCount() {
        return blocks.longSize();
    }

    /** Forces both map files to the device, so a clean state written after it can be trusted after an OS crash. */
    public void force() {
        forceFile(headsFile);
        forceFile(blocksFile);
    }

    private static void forceFile(Path file) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.force(true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot force " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        heads.close();
        blocks.close();
    }
}
