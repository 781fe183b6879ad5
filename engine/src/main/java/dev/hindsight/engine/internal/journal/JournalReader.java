package dev.hindsight.engine.internal.journal;

import dev.hindsight.codec.CorruptFrameException;
import dev.hindsight.codec.FrameFormat;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.wire.DocumentContext;

import java.io.File;

/**
 * Reads journal excerpts into a reused buffer: sequentially, at a known Chronicle index, or at the
 * excerpt holding a global position (binary search, no scan). Excerpts cut by recovery are skipped.
 * Not thread-safe: one per reading thread.
 */
public final class JournalReader implements AutoCloseable {
    private final Journal journal;
    private final ExcerptTailer tailer;
    private final int maxExcerptBytes;
    private byte[] buffer = new byte[4096];
    private int length;
    private long excerptIndex = -1;
    private String fileName = "";
    private long filePosition;
    private boolean closed;

    JournalReader(Journal journal, ExcerptTailer tailer, int maxExcerptBytes) {
        this.journal = journal;
        this.tailer = tailer;
        this.maxExcerptBytes = maxExcerptBytes;
        tailer.singleThreadedCheckDisabled(true);
    }

    /** Moves before the first excerpt. */
    public void toStart() {
        tailer.toStart();
    }

    /**
     * Positions the reader so that {@link #next()} reads the excerpt at {@code index}.
     *
     * @param index a Chronicle index
     * @return false if there is no such excerpt
     */
    public boolean moveTo(long index) {
        return tailer.moveToIndex(index);
    }

    /**
     * Positions the reader so that {@link #next()} reads the excerpt after {@code index}.
     *
     * @param index a Chronicle index of an existing excerpt
     * @return false if there is no such excerpt
     */
    public boolean moveAfter(long index) {
        if (!tailer.moveToIndex(index)) {
            return false;
        }
        try (DocumentContext dc = tailer.readingDocument()) {
            return dc.isPresent();
        }
    }

    /**
     * Reads the next excerpt, if one is complete.
     *
     * @return false if there is none (yet)
     * @throws CorruptFrameException if the excerpt is larger than any valid append
     */
    public boolean next() {
        while (true) {
            try (DocumentContext dc = tailer.readingDocument()) {
                if (!dc.isPresent()) {
                    return false;
                }
                long index = dc.index();
                if (journal.cuts().contains(index)) {
                    continue;
                }
                Bytes<?> bytes = dc.wire().bytes();
                long start = bytes.readPosition();
                long remaining = bytes.readRemaining();
                File file = tailer.currentFile();
                fileName = file == null ? journal.directory().toString() : file.getPath();
                filePosition = start;
                excerptIndex = index;
                length = 0;
                if (remaining < FrameFormat.MIN_FRAME_BYTES || remaining > maxExcerptBytes) {
                    throw new CorruptFrameException(fileName, start, "excerpt at index " + Long.toHexString(index)
                            + " is " + remaining + " bytes; a valid append is " + FrameFormat.MIN_FRAME_BYTES + " to "
                            + maxExcerptBytes + " bytes");
                }
                int len = (int) remaining;
                if (buffer.length < len) {
                    buffer = new byte[Math.max(len, Math.min(maxExcerptBytes, buffer.length * 2))];
                }
                bytes.read(buffer, 0, len);
                length = len;
                return true;
            }
        }
    }

    /**
     * Positions the reader at the excerpt holding global {@code position}, by binary search over the
     * journal's cycles, then over the excerpts of one cycle (sequence numbers are contiguous within a
     * cycle, and each excerpt's first frame says its first position): no scan.
     *
     * @param position a global position, 0 or more
     * @return false if the journal is empty; else {@link #next()} reads the excerpt holding
     *         {@code position} or, if the journal ends before it, nothing or the excerpts after
     */
    public boolean seekPosition(long position) {
        SingleChronicleQueue queue = journal.queue();
        long first = queue.firstIndex();
        long last = queue.lastIndex();
        if (first == Long.MAX_VALUE || last == Long.MIN_VALUE || last < 0) {
            return false;
        }
        RollCycle rollCycle = queue.rollCycle();
        Long[] cycles = queue.listCyclesBetween(rollCycle.toCycle(first), rollCycle.toCycle(last)).toArray(new Long[0]);
        int lo = 0;
        int hi = cycles.length - 1;
        int found = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            long p = tailer.excerptsInCycle(cycles[mid].intValue()) > 0
                    ? firstPositionAt(rollCycle.toIndex(cycles[mid].intValue(), 0)) : Long.MAX_VALUE;
            if (p <= position) {
                found = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        if (found < 0) {
            tailer.toStart();
            return true;
        }
        int cycle = cycles[found].intValue();
        long seqLo = 0;
        long seqHi = tailer.excerptsInCycle(cycle) - 1;
        while (seqLo < seqHi) {
            long mid = (seqLo + seqHi + 1) >>> 1;
            if (firstPositionAt(rollCycle.toIndex(cycle, mid)) <= position) {
                seqLo = mid;
            } else {
                seqHi = mid - 1;
            }
        }
        return tailer.moveToIndex(rollCycle.toIndex(cycle, seqLo));
    }

    /** @return the first frame's global position in the excerpt at {@code index}; MAX_VALUE if unreadable or cut */
    private long firstPositionAt(long index) {
        if (journal.cuts().contains(index) || !tailer.moveToIndex(index)) {
            return Long.MAX_VALUE;
        }
        try (DocumentContext dc = tailer.readingDocument()) {
            if (!dc.isPresent()) {
                return Long.MAX_VALUE;
            }
            Bytes<?> bytes = dc.wire().bytes();
            if (bytes.readRemaining() < FrameFormat.HEADER_LENGTH) {
                return Long.MAX_VALUE;
            }
            return bytes.readLong(bytes.readPosition() + FrameFormat.POSITION_OFFSET);
        }
    }

    /** @return the buffer holding the last excerpt read (valid up to {@link #length()}) */
    public byte[] buffer() {
        return buffer;
    }

    /** @return the length of the last excerpt read */
    public int length() {
        return length;
    }

    /** @return the Chronicle index of the last excerpt read (or rejected as corrupt) */
    public long excerptIndex() {
        return excerptIndex;
    }

    /** @return the file the last excerpt was read from, for error messages */
    public String fileName() {
        return fileName;
    }

    /**
     * @return the byte offset in its cycle file of the last excerpt's data (its first frame; Chronicle's
     *         4-byte header lies just before): the excerpt's direct address, and the position error
     *         messages name
     */
    public long filePosition() {
        return filePosition;
    }

    void closeFromOwner() {
        if (!closed) {
            closed = true;
            tailer.close();
        }
    }

    @Override
    public void close() {
        closeFromOwner();
        journal.released(this);
    }
}
