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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The entity index persisted in two Chronicle Maps. Readers on any thread (Chronicle Map is
 * thread-safe); one writer, the indexer thread, which stages {@link #record} calls on-heap and
 * writes each touched entry once per {@link #flush()}, so a burst on one entity costs one map write.
 *
 * <pre>
 * heads.cm   key "type/id"          value 24 bytes: head version | first timestamp | last timestamp
 * blocks.cm  key "type/id#block"    value 16..512 bytes: up to 32 x (excerpt index | timestamp),
 *                                   entry i of block b is version b*32 + i + 1
 * (all int64, little-endian)
 * </pre>
 */
public final class PersistentEntityIndex implements EntityIndex {
    private static final int HEAD_BYTES = 24;
    private static final VarHandle LONG_LE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private final Path headsFile;
    private final Path blocksFile;
    private final ChronicleMap<String, byte[]> heads;
    private final ChronicleMap<String, byte[]> blocks;
    private final Map<String, Staged> staged = new HashMap<>();
    private final List<Staged> stagedOrder = new ArrayList<>();
    private final long expectedEntities;

    /** Pending entries of one entity since the last flush. */
    private static final class Staged {
        final String key;
        long head;
        long firstTimestamp;
        long lastTimestamp;
        final long firstStagedVersion;
        long[] excerpts = new long[4];
        long[] timestamps = new long[4];
        int count;

        Staged(String key, long firstStagedVersion) {
            this.key = key;
            this.firstStagedVersion = firstStagedVersion;
        }

        void add(long excerpt, long ts) {
            if (count == excerpts.length) {
                excerpts = java.util.Arrays.copyOf(excerpts, count * 2);
                timestamps = java.util.Arrays.copyOf(timestamps, count * 2);
            }
            excerpts[count] = excerpt;
            timestamps[count] = ts;
            count++;
        }
    }

    private PersistentEntityIndex(Path headsFile, Path blocksFile, ChronicleMap<String, byte[]> heads,
                                  ChronicleMap<String, byte[]> blocks, long expectedEntities) {
        this.expectedEntities = expectedEntities;
        this.headsFile = headsFile;
        this.blocksFile = blocksFile;
        this.heads = heads;
        this.blocks = blocks;
    }

    /**
     * Opens (or creates) the maps.
     *
     * @param headsFile        heads map file
     * @param blocksFile       blocks map file
     * @param expectedEntities sizing
     * @return the index
     * @throws IOException if the files cannot be opened
     */
    public static PersistentEntityIndex open(Path headsFile, Path blocksFile, long expectedEntities) throws IOException {
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
                    .averageValueSize(64)
                    .maxBloatFactor(10)
                    .createPersistedTo(blocksFile.toFile());
            return new PersistentEntityIndex(headsFile, blocksFile, heads, blocks, expectedEntities);
        } catch (IOException | RuntimeException e) {
            heads.close();
            throw e;
        }
    }

    @Override
    public long headVersion(String resourceType, String entityId) {
        byte[] head = heads.get(EntityKeys.entity(resourceType, entityId));
        return head == null ? 0 : longAt(head, 0);
    }

    @Override
    public long excerptIndex(String resourceType, String entityId, long version) {
        if (version < 1) {
            return -1;
        }
        byte[] block = blocks.get(EntityKeys.block(EntityKeys.entity(resourceType, entityId), EntityKeys.blockOf(version)));
        int off = EntityKeys.slotOf(version) * EntityKeys.ENTRY_BYTES;
        return block == null || off + EntityKeys.ENTRY_BYTES > block.length ? -1 : longAt(block, off);
    }

    @Override
    public void record(String resourceType, String entityId, long version, long excerptIndex, long timestampNanos) {
        String key = EntityKeys.entity(resourceType, entityId);
        Staged s = staged.get(key);
        if (s == null) {
            s = new Staged(key, version);
            staged.put(key, s);
            stagedOrder.add(s);
            s.firstTimestamp = version == 1 ? timestampNanos : -1;
        }
        s.head = version;
        s.lastTimestamp = timestampNanos;
        s.add(excerptIndex, timestampNanos);
    }

    @Override
    public void flush() {
        try {
            for (int i = 0; i < stagedOrder.size(); i++) {
                flushEntity(stagedOrder.get(i));
            }
        } catch (IllegalStateException e) {
            throw new IllegalStateException("the persisted entity index " + headsFile.getParent() + " is full ("
                    + heads.longSize() + " entities, sized for " + expectedEntities + "); close and reopen the store"
                    + " (with a larger EventStoreBuilder.expectedEntities) to rebuild it from the journal: " + e.getMessage(), e);
        }
        staged.clear();
        stagedOrder.clear();
    }

    private void flushEntity(Staged s) {
        long version = s.firstStagedVersion;
        int i = 0;
        while (i < s.count) {
            long blockNo = EntityKeys.blockOf(version);
            String blockKey = EntityKeys.block(s.key, blockNo);
            int slot = EntityKeys.slotOf(version);
            int run = Math.min(s.count - i, EntityKeys.BLOCK_SIZE - slot);
            byte[] old = slot == 0 ? null : blocks.get(blockKey);
            int oldLen = old == null ? 0 : Math.min(old.length, slot * EntityKeys.ENTRY_BYTES);
            byte[] block = new byte[(slot + run) * EntityKeys.ENTRY_BYTES];
            if (oldLen > 0) {
                System.arraycopy(old, 0, block, 0, oldLen);
            }
            for (int k = 0; k < run; k++) {
                int off = (slot + k) * EntityKeys.ENTRY_BYTES;
                putLong(block, off, s.excerpts[i + k]);
                putLong(block, off + 8, s.timestamps[i + k]);
            }
            blocks.put(blockKey, block);
            i += run;
            version += run;
        }
        byte[] head = new byte[HEAD_BYTES];
        long firstTs = s.firstTimestamp;
        if (firstTs < 0) {
            byte[] old = heads.get(s.key);
            firstTs = old == null ? 0 : longAt(old, 8);
        }
        putLong(head, 0, s.head);
        putLong(head, 8, firstTs);
        putLong(head, 16, s.lastTimestamp);
        heads.put(s.key, head);
    }

    @Override
    public void forEachHead(HeadVisitor visitor) {
        for (Map.Entry<String, byte[]> e : heads.entrySet()) {
            String key = e.getKey();
            visitor.visit(EntityKeys.typeOf(key), EntityKeys.idOf(key), longAt(e.getValue(), 0));
        }
    }

    @Override
    public long entityCount() {
        return heads.longSize();
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

    private static long longAt(byte[] b, int off) {
        return (long) LONG_LE.get(b, off);
    }

    private static void putLong(byte[] b, int off, long v) {
        LONG_LE.set(b, off, v);
    }
}
