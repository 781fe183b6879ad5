package dev.hindsight.engine.internal.journal;

import dev.hindsight.codec.CorruptFrameException;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueStore;
import org.agrona.IoUtil;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * Direct access to the journal's frames: read-only memory mappings of its Chronicle cycle files,
 * so that a frame whose address the entity index knows (the excerpt's Chronicle index, which names
 * the cycle, and the frame's byte offset in that cycle's {@code .cq4} file) is read with one copy
 * out of the page cache instead of a Chronicle {@code moveToIndex} (microseconds: it walks
 * Chronicle's index pages). Reads go through a per-thread {@link FrameFetcher}.
 *
 * <pre>
 * cycle file (Chronicle, sparse, grows in chunks)      mapped by the store, read-only, per cycle:
 * +--------+-----+--------+----------------------+     segment k maps [k * 1 GiB, k * 1 GiB + 1 GiB
 * | header | ... | hdr(4) | frame | frame | ...  |       + maxFrameBytes) clipped to the file size,
 * +--------+-----+--------+----------------------+     so any frame starting in segment k lies wholly
 *                         ^ excerpt data address        inside it (a mapping is at most 2 GiB)
 *                         ^ version v's address = excerpt data address + frame offset in the excerpt
 * </pre>
 *
 * <p>Safety. A mapping never extends beyond the file's size when it was made, and a read beyond a
 * segment's end first re-reads the file's size and maps again; an address beyond the file's end is
 * a {@link CorruptFrameException} naming file and position, never an access past the end (which
 * would be a SIGBUS). A file truncated <em>after</em> it was mapped faults inside the JVM's
 * unsafe-access guard, which raises an {@link InternalError} instead of crashing; readers convert
 * it with {@link FrameFetcher#fault(InternalError)}. Chronicle never shrinks a cycle file, so that
 * takes outside interference.
 *
 * <p>Thread-safety: thread-safe. Cycle files and their segments are published through volatile
 * fields holding arrays that are never modified after publication (copy on write, under a lock);
 * readers look them up without locking or allocating. A segment replaced by a larger mapping is
 * not unmapped explicitly: the garbage collector unmaps it once no reader holds it, so no thread
 * can touch an unmapped region. {@link #close()} unmaps the current segments and must only be
 * called when no read is in progress (the store waits for its reads first).
 */
public final class FrameFiles implements AutoCloseable {
    /** Segments are 1 GiB apart. */
    static final int SEGMENT_SHIFT = 30;
    static final long SEGMENT_MASK = (1L << SEGMENT_SHIFT) - 1;

    private final SingleChronicleQueue queue;
    private final RollCycle rollCycle;
    private final Path directory;
    private final int maxFrameBytes;
    private final long segmentSpan;
    private final Object lock = new Object();
    private volatile CycleTable table = new CycleTable(new int[0], new CycleFile[0]);
    private volatile boolean closed;

    /** The cycle files mapped so far, sorted by cycle. Immutable. */
    private static final class CycleTable {
        final int[] cycles;
        final CycleFile[] files;

        CycleTable(int[] cycles, CycleFile[] files) {
            this.cycles = cycles;
            this.files = files;
        }
    }

    FrameFiles(Journal journal, int maxFrameBytes) {
        this.queue = journal.queue();
        this.rollCycle = queue.rollCycle();
        this.directory = journal.directory();
        this.maxFrameBytes = maxFrameBytes;
        this.segmentSpan = (1L << SEGMENT_SHIFT) + maxFrameBytes;
    }

    /** @return a new fetcher, for one thread at a time */
    public FrameFetcher newFetcher() {
        return new FrameFetcher(this, maxFrameBytes);
    }

    /** @return the largest frame a fetcher accepts */
    int maxFrameBytes() {
        return maxFrameBytes;
    }

    /**
     * @param excerptIndex a Chronicle index
     * @return the cycle it belongs to
     */
    int cycleOf(long excerptIndex) {
        return rollCycle.toCycle(excerptIndex);
    }

    /**
     * @param cycle   a cycle of the journal
     * @param address the address about to be read in it, for the error message
     * @return its file, mapped on first use
     * @throws CorruptFrameException if the journal has no file for the cycle
     */
    CycleFile cycle(int cycle, long address) {
        CycleTable t = table;
        int i = Arrays.binarySearch(t.cycles, cycle);
        return i >= 0 ? t.files[i] : add(cycle, address);
    }

    private CycleFile add(int cycle, long address) {
        synchronized (lock) {
            ensureOpen();
            CycleTable t = table;
            int i = Arrays.binarySearch(t.cycles, cycle);
            if (i >= 0) {
                return t.files[i];
            }
            CycleFile f = new CycleFile(cycle, fileOf(cycle, address));
            int at = -i - 1;
            int[] cycles = new int[t.cycles.length + 1];
            CycleFile[] files = new CycleFile[cycles.length];
            System.arraycopy(t.cycles, 0, cycles, 0, at);
            System.arraycopy(t.files, 0, files, 0, at);
            cycles[at] = cycle;
            files[at] = f;
            System.arraycopy(t.cycles, at, cycles, at + 1, t.cycles.length - at);
            System.arraycopy(t.files, at, files, at + 1, t.files.length - at);
            table = new CycleTable(cycles, files);
            return f;
        }
    }

    /** Asks Chronicle which file holds a cycle (its naming depends on the roll cycle). */
    private Path fileOf(int cycle, long address) {
        SingleChronicleQueueStore store = queue.storeForCycle(cycle, queue.epoch(), false, null);
        if (store == null) {
            throw new CorruptFrameException(directory.toString(), address, "the entity index points at byte " + address
                    + " of cycle " + cycle + " of the journal, which has no file for that cycle");
        }
        try {
            File file = store.file();
            return file.toPath();
        } finally {
            queue.closeStore(store);
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("the journal of " + directory + " is closed");
        }
    }

    /** Unmaps every current mapping. Only when no read is in progress. */
    @Override
    public void close() {
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            for (CycleFile f : table.files) {
                f.unmapAll();
            }
            table = new CycleTable(new int[0], new CycleFile[0]);
        }
    }

    /** One cycle file and its read-only mappings. Thread-safe (see {@link FrameFiles}). */
    final class CycleFile {
        final int cycle;
        final Path path;
        final String name;
        /** Segment k maps [k << SEGMENT_SHIFT, + capacity); null until first needed. Never modified once published. */
        private volatile MappedByteBuffer[] segments = new MappedByteBuffer[0];

        CycleFile(int cycle, Path path) {
            this.cycle = cycle;
            this.path = path;
            this.name = path.toString();
        }

        /**
         * @param address a byte offset in the file
         * @param length  how many bytes from it must be mapped ({@code <= maxFrameBytes})
         * @return the segment holding them; index it with {@code address & SEGMENT_MASK}
         * @throws CorruptFrameException if the file ends before {@code address + length}
         */
        MappedByteBuffer segment(long address, int length) {
            int k = (int) (address >>> SEGMENT_SHIFT);
            MappedByteBuffer[] segs = segments;
            if (k < segs.length) {
                MappedByteBuffer b = segs[k];
                if (b != null && (address & SEGMENT_MASK) + length <= b.capacity()) {
                    return b;
                }
            }
            return map(k, address, length);
        }

        private MappedByteBuffer map(int k, long address, int length) {
            synchronized (lock) {
                ensureOpen();
                MappedByteBuffer[] segs = segments;
                if (k < segs.length && segs[k] != null && (address & SEGMENT_MASK) + length <= segs[k].capacity()) {
                    return segs[k]; // another thread mapped it meanwhile
                }
                long base = (long) k << SEGMENT_SHIFT;
                MappedByteBuffer b;
                try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
                    long size = ch.size();
                    if (address + length > size) {
                        throw new CorruptFrameException(name, address, "the entity index points at bytes " + address + ".."
                                + (address + length - 1) + " but the file has " + size + " bytes");
                    }
                    b = ch.map(FileChannel.MapMode.READ_ONLY, base, Math.min(segmentSpan, size - base));
                } catch (NoSuchFileException e) {
                    throw new CorruptFrameException(name, address, "the journal file is missing", e);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot map " + name + " for reading: " + e.getMessage(), e);
                }
                b.order(ByteOrder.LITTLE_ENDIAN);
                MappedByteBuffer[] grown = Arrays.copyOf(segs, Math.max(segs.length, k + 1));
                grown[k] = b; // the segment it replaces (if any) is unmapped by the GC once no reader holds it
                segments = grown;
                return b;
            }
        }

        /** @return the file's size now, or -1 if it cannot be read (for error messages) */
        long sizeNow() {
            try {
                return Files.size(path);
            } catch (IOException e) {
                return -1;
            }
        }

        private void unmapAll() {
            for (MappedByteBuffer b : segments) {
                if (b != null) {
                    IoUtil.unmap(b);
                }
            }
            segments = new MappedByteBuffer[0];
        }
    }
}
