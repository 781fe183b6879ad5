package dev.hindsight.engine.internal.journal;

import dev.hindsight.codec.CorruptFrameException;
import dev.hindsight.codec.FrameFormat;

import java.nio.MappedByteBuffer;

/**
 * Copies one frame at a known address out of the journal's mapped cycle files ({@link FrameFiles})
 * into a reused buffer, for the frame flyweight and the decoder. Only the frame's length is read
 * before it is bounded ({@link FrameFormat#MIN_FRAME_BYTES} to the store's maximum frame size and
 * the file's size); the caller validates the frame itself (CRC and structure) with the codec's
 * {@code FrameReader}. No allocation per frame once the buffer has grown to the largest frame read.
 *
 * <p>Not thread-safe: one per reading thread (the store pools them with its read contexts).
 */
public final class FrameFetcher {
    private final FrameFiles files;
    private final int maxFrameBytes;
    private byte[] buffer = new byte[1024];
    private FrameFiles.CycleFile file;
    private long address = -1;
    private int length;

    FrameFetcher(FrameFiles files, int maxFrameBytes) {
        this.files = files;
        this.maxFrameBytes = maxFrameBytes;
    }

    /**
     * Copies the frame at {@code address} of the cycle file holding excerpt {@code excerptIndex}
     * into {@link #buffer()}.
     *
     * @param excerptIndex the Chronicle index of the excerpt holding the frame (it names the cycle)
     * @param address      the frame's byte offset in that cycle's file
     * @return the frame's length, as its length field says (bounded, not yet validated further)
     * @throws CorruptFrameException naming the file and address if the length is out of bounds or the
     *                               file ends before the frame does
     */
    public int fetch(long excerptIndex, long address) {
        int cycle = files.cycleOf(excerptIndex);
        FrameFiles.CycleFile f = file;
        if (f == null || f.cycle != cycle) {
            f = files.cycle(cycle, address);
            file = f;
        }
        this.address = address;
        this.length = 0;
        if (address < 0) {
            throw new CorruptFrameException(f.name, address, "the entity index holds a negative address");
        }
        MappedByteBuffer segment = f.segment(address, 4);
        int at = (int) (address & FrameFiles.SEGMENT_MASK);
        int len = segment.getInt(at);
        if (len < FrameFormat.MIN_FRAME_BYTES || len > maxFrameBytes) {
            throw new CorruptFrameException(f.name, address, "frame length " + len + " is outside "
                    + FrameFormat.MIN_FRAME_BYTES + ".." + maxFrameBytes + " (no frame starts at this address of excerpt 0x"
                    + Long.toHexString(excerptIndex) + ")");
        }
        if (at + len > segment.capacity()) {
            segment = f.segment(address, len);
        }
        if (buffer.length < len) {
            buffer = new byte[Math.max(len, Math.min(maxFrameBytes, buffer.length * 2))];
        }
        segment.get(at, buffer, 0, len);
        length = len;
        return len;
    }

    /** @return the buffer holding the last frame fetched, from index 0 to {@link #length()} */
    public byte[] buffer() {
        return buffer;
    }

    /** @return the length of the last frame fetched */
    public int length() {
        return length;
    }

    /** @return the file of the last fetch, for messages */
    public String fileName() {
        FrameFiles.CycleFile f = file;
        return f == null ? "" : f.name;
    }

    /** @return the address of the last fetch */
    public long address() {
        return address;
    }

    /**
     * Explains a fault reading a mapping: the JVM turns a SIGBUS (the file was truncated under the
     * mapping) into an {@link InternalError}, delivered at the next safepoint check of the reading
     * thread, so callers catch it around the whole read, not just the copy.
     *
     * @param e the error caught while reading frames with this fetcher
     * @return a {@link CorruptFrameException} naming the file, the address and the file's size now,
     *         or {@code e} itself if it is not a fault of a mapped read
     */
    public RuntimeException fault(InternalError e) {
        FrameFiles.CycleFile f = file;
        String message = String.valueOf(e.getMessage());
        if (f == null || !message.contains("unsafe memory access")) {
            throw e;
        }
        return new CorruptFrameException(f.name, address, "reading the mapped journal file failed (" + message
                + "); the file now has " + f.sizeNow() + " bytes: it was truncated or damaged while the store was open", e);
    }
}
