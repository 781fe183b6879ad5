package dev.hindsight.engine.internal.journal;

import dev.hindsight.codec.CorruptFrameException;
import dev.hindsight.engine.internal.BinaryFiles;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The excerpts recovery cut from the journal's tail because a frame in them failed validation
 * (a torn or corrupted write that was never acknowledged). Chronicle Queue cannot shorten a file, so
 * the bytes stay and every reader skips the listed excerpts. Thread-safe: an immutable snapshot
 * replaced on change.
 *
 * <pre>
 * journal-cuts.bin (little-endian)
 * offset      size field
 *  0          8    magic "HSCUTS\0\0"
 *  8          2    format version (1)
 * 10          2    reserved, 0
 * 12          4    count N (0..65536)
 * 16          16*N N x (int64 Chronicle excerpt index, int64 cut time epoch ms)
 * 16+16N      4    CRC32C of bytes [0, 16+16N)
 * </pre>
 */
public final class JournalCuts {
    private static final int MAX_CUTS = 65536;
    private static final long MAGIC = BinaryFiles.magic("HSCUTS\0\0");
    // insertion order, as persisted
    private long[] indices;
    private long[] times;
    // sorted copy for lookups by readers on any thread
    private volatile long[] sorted;

    private JournalCuts(long[] indices, long[] times) {
        this.indices = indices;
        this.times = times;
        this.sorted = sortedCopy(indices);
    }

    private static long[] sortedCopy(long[] values) {
        long[] copy = values.clone();
        Arrays.sort(copy);
        return copy;
    }

    /** @return an empty list */
    public static JournalCuts none() {
        return new JournalCuts(new long[0], new long[0]);
    }

    /**
     * @param file the cuts file; a missing file means no cuts
     * @return the cuts it lists
     * @throws CorruptFrameException naming the file and position if it is damaged
     * @throws IOException           if it cannot be read
     */
    public static JournalCuts read(Path file) throws IOException {
        if (!Files.exists(file)) {
            return none();
        }
        ByteBuffer buf = BinaryFiles.readChecked(file, "journal cuts file", MAGIC, 20, 20 + 16 * MAX_CUTS);
        String name = file.toString();
        int version = Short.toUnsignedInt(buf.getShort(8));
        if (version != 1) {
            throw new CorruptFrameException(name, 8, "unsupported journal cuts format version " + version);
        }
        int count = buf.getInt(12);
        if (count < 0 || count > MAX_CUTS || buf.capacity() != 16 + 16L * count + 4) {
            throw new CorruptFrameException(name, 12, "journal cuts count " + count + " does not match the file length " + buf.capacity());
        }
        long[] indices = new long[count];
        long[] times = new long[count];
        for (int i = 0; i < count; i++) {
            indices[i] = buf.getLong(16 + 16 * i);
            times[i] = buf.getLong(24 + 16 * i);
        }
        return new JournalCuts(indices, times);
    }

    /**
     * @param index a Chronicle excerpt index
     * @return true if recovery cut that excerpt
     */
    public boolean contains(long index) {
        long[] snapshot = sorted;
        return snapshot.length != 0 && Arrays.binarySearch(snapshot, index) >= 0;
    }

    /** @return how many excerpts were cut */
    public int count() {
        return sorted.length;
    }

    /** @return the cut excerpt indices, sorted */
    public long[] indices() {
        return sorted.clone();
    }

    /**
     * Adds a cut and persists the list atomically.
     *
     * @param file  the cuts file
     * @param index the excerpt to cut
     * @throws IOException if the file cannot be written
     */
    public synchronized void add(Path file, long index) throws IOException {
        if (contains(index)) {
            return;
        }
        if (indices.length >= MAX_CUTS) {
            throw new IOException("journal " + file + " already has " + MAX_CUTS + " cut excerpts; refusing to cut more");
        }
        long[] newIndices = Arrays.copyOf(indices, indices.length + 1);
        long[] newTimes = Arrays.copyOf(times, times.length + 1);
        newIndices[newIndices.length - 1] = index;
        newTimes[newTimes.length - 1] = System.currentTimeMillis();
        int n = newIndices.length;
        ByteBuffer buf = ByteBuffer.allocate(16 + 16 * n + 4).order(ByteOrder.LITTLE_ENDIAN);
        buf.putLong(0, MAGIC).putShort(8, (short) 1).putShort(10, (short) 0).putInt(12, n);
        for (int i = 0; i < n; i++) {
            buf.putLong(16 + 16 * i, newIndices[i]).putLong(24 + 16 * i, newTimes[i]);
        }
        buf.putInt(16 + 16 * n, BinaryFiles.crc32c(buf.array(), 0, 16 + 16 * n));
        BinaryFiles.writeAtomically(file, buf.array());
        times = newTimes;
        indices = newIndices;
        sorted = sortedCopy(newIndices);
    }
}
