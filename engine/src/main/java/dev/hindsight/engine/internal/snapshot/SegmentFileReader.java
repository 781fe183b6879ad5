package dev.hindsight.engine.internal.snapshot;

import dev.hindsight.codec.CorruptFrameException;
import dev.hindsight.engine.internal.BinaryFiles;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/**
 * Reads a snapshot segment file (layout in {@link SnapshotFormat}) record by record with positional file reads,
 * for offline inspection: never a memory map, never a write. The header is checked as {@code Segment.open}
 * checks it; each record's structure with {@link SnapshotFormat#checkRecord}, then its CRC32C and the UTF-8 of
 * its key. The first record that fails ends the scan (as it does for the store: nothing after it can be
 * trusted) and is reported as a {@link CorruptFrameException} naming the file and byte offset. Records are
 * buffered one at a time, at most {@link #MAX_RECORD_BYTES}. Not thread-safe.
 */
public final class SegmentFileReader implements AutoCloseable {
    /** The largest record this reader buffers (the store's default is 1 MiB of state). */
    public static final int MAX_RECORD_BYTES = 64 << 20;
    private static final int CHUNK = 1 << 20;

    /**
     * A segment's header.
     *
     * @param sequence       its sequence number (also its file name)
     * @param storeId        the store it belongs to (the store marker's creation time)
     * @param createdMillis  when it was created
     * @param capacity       its length when complete
     * @param maxRecordBytes the largest record its writer wrote
     */
    public record Header(long sequence, long storeId, long createdMillis, int capacity, int maxRecordBytes) {
    }

    private final Path file;
    private final String name;
    private final FileChannel channel;
    private final Header header;
    private final int limit;
    private final CRC32C crc = new CRC32C();
    private final UnsafeBuffer view = new UnsafeBuffer(new byte[0]);
    private byte[] buf = new byte[CHUNK];
    private long bufStart;
    private int bufLen;
    private long next = SnapshotFormat.HEADER_BYTES;
    private int at; // offset of the current record in buf
    private long recordOffset;

    private SegmentFileReader(Path file, FileChannel channel, Header header, int limit) {
        this.file = file;
        this.name = file.toString();
        this.channel = channel;
        this.header = header;
        this.limit = limit;
    }

    /**
     * Opens a segment and checks its header.
     *
     * @param file a {@code <16 hex digits>.snap} file
     * @return the reader, before the first record
     * @throws CorruptFrameException naming the file and byte offset if the header is damaged or does not match the name
     * @throws IOException           if it cannot be read
     */
    public static SegmentFileReader open(Path file) throws IOException {
        String name = file.toString();
        long size = Files.size(file);
        if (size < SnapshotFormat.HEADER_BYTES) {
            throw new CorruptFrameException(name, 0, "snapshot segment is " + size + " bytes, shorter than its "
                    + SnapshotFormat.HEADER_BYTES + "-byte header");
        }
        FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
        try {
            ByteBuffer h = ByteBuffer.allocate(SnapshotFormat.HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
            while (h.hasRemaining() && ch.read(h, h.position()) > 0) {
                // read the header
            }
            if (h.getLong(0) != SnapshotFormat.MAGIC) {
                throw new CorruptFrameException(name, 0, "not a snapshot segment (bad magic)");
            }
            if (h.getInt(SnapshotFormat.HEADER_CRC_OFFSET) != BinaryFiles.crc32c(h.array(), 0, SnapshotFormat.HEADER_CRC_OFFSET)) {
                throw new CorruptFrameException(name, SnapshotFormat.HEADER_CRC_OFFSET, "snapshot segment header checksum mismatch");
            }
            int version = Short.toUnsignedInt(h.getShort(SnapshotFormat.H_VERSION));
            if (version != SnapshotFormat.FORMAT_VERSION) {
                throw new CorruptFrameException(name, SnapshotFormat.H_VERSION, "unsupported snapshot segment format version " + version);
            }
            int headerLength = Short.toUnsignedInt(h.getShort(SnapshotFormat.H_HEADER_LENGTH));
            if (headerLength != SnapshotFormat.HEADER_BYTES) {
                throw new CorruptFrameException(name, SnapshotFormat.H_HEADER_LENGTH, "snapshot segment header length " + headerLength
                        + ", expected " + SnapshotFormat.HEADER_BYTES);
            }
            int capacity = h.getInt(SnapshotFormat.H_CAPACITY);
            if (capacity < SnapshotFormat.HEADER_BYTES || capacity > Segment.MAX_CAPACITY) {
                throw new CorruptFrameException(name, SnapshotFormat.H_CAPACITY, "snapshot segment capacity " + capacity
                        + " out of range [" + SnapshotFormat.HEADER_BYTES + ", " + Segment.MAX_CAPACITY + "]");
            }
            long sequence = h.getLong(SnapshotFormat.H_SEQUENCE);
            String fileName = file.getFileName().toString();
            if (!fileName.equals(String.format("%016x.snap", sequence))) {
                throw new CorruptFrameException(name, SnapshotFormat.H_SEQUENCE, "snapshot segment sequence " + sequence
                        + " does not match its file name");
            }
            int maxRecord = h.getInt(SnapshotFormat.H_MAX_RECORD);
            if (maxRecord < SnapshotFormat.MIN_RECORD || maxRecord > capacity) {
                throw new CorruptFrameException(name, SnapshotFormat.H_MAX_RECORD, "snapshot segment max record bytes " + maxRecord
                        + " out of range [" + SnapshotFormat.MIN_RECORD + ", " + capacity + "]");
            }
            Header header = new Header(sequence, h.getLong(SnapshotFormat.H_STORE_ID), h.getLong(SnapshotFormat.H_CREATED), capacity, maxRecord);
            return new SegmentFileReader(file, ch, header, (int) Math.min(size, capacity));
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    /** @return the segment's header */
    public Header header() {
        return header;
    }

    /** @return true if the file is shorter than its header's capacity (cut short) */
    public boolean truncated() {
        return limit < header.capacity();
    }

    /** @return the bytes of the file that are read (its length, at most its capacity) */
    public int limit() {
        return limit;
    }

    /**
     * Reads the next record.
     *
     * @return false at the end of the data (a zero length, or no room for a record)
     * @throws CorruptFrameException naming the file and the record's byte offset if it is damaged; the scan ends
     * @throws IOException           if the file cannot be read
     */
    public boolean next() throws IOException {
        long offset = next;
        if (limit - offset < 4) {
            return false;
        }
        fill(offset, 4);
        int length = new UnsafeBuffer(buf).getInt((int) (offset - bufStart), ByteOrder.LITTLE_ENDIAN);
        if (length == 0) {
            return false;
        }
        int maxLength = Math.min(header.maxRecordBytes(), MAX_RECORD_BYTES);
        if (length < 0 || length > maxLength || length > limit - offset) {
            throw new CorruptFrameException(name, offset, "snapshot record length " + length + " is out of range (at most "
                    + Math.min(maxLength, limit - offset) + " here)");
        }
        fill(offset, length);
        view.wrap(buf);
        int o = (int) (offset - bufStart);
        int checked = SnapshotFormat.checkRecord(view, o, o + length, length);
        if (checked <= 0) {
            throw new CorruptFrameException(name, offset, checked == SnapshotFormat.END ? "snapshot record too short"
                    : SnapshotFormat.describe(checked));
        }
        crc.reset();
        crc.update(buf, o + 4, length - 8);
        if (view.getInt(o + length - 4, ByteOrder.LITTLE_ENDIAN) != (int) crc.getValue()) {
            throw new CorruptFrameException(name, offset, SnapshotFormat.describe(SnapshotFormat.BAD_CRC));
        }
        at = o;
        recordOffset = offset;
        resourceType(); // strict UTF-8 of the key, or the record is damaged
        entityId();
        next = offset + SnapshotFormat.aligned(length);
        return true;
    }

    private void fill(long offset, int n) throws IOException {
        if (offset >= bufStart && offset + n <= bufStart + bufLen) {
            return;
        }
        int want = (int) Math.min(Math.max(CHUNK, n), Math.max(n, limit - offset));
        if (buf.length < want) {
            buf = new byte[want];
        }
        ByteBuffer bb = ByteBuffer.wrap(buf, 0, want);
        long p = offset;
        while (bb.hasRemaining()) {
            int r = channel.read(bb, p);
            if (r < 0) {
                break;
            }
            p += r;
        }
        bufStart = offset;
        bufLen = bb.position();
        if (bufLen < n) {
            throw new CorruptFrameException(name, offset, "the file ends at byte " + (offset + bufLen) + " inside a record");
        }
    }

    private String utf8(int from, int length, String what) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(buf, from, length)).toString();
        } catch (CharacterCodingException e) {
            throw new CorruptFrameException(name, recordOffset, "snapshot record " + what + " is not valid UTF-8");
        }
    }

    /** @return the byte offset of the current record in the file */
    public long offset() {
        return recordOffset;
    }

    /** @return the current record's resource type */
    public String resourceType() {
        return utf8(at + SnapshotFormat.RECORD_FIXED, SnapshotFormat.typeLength(view, at), "resource type");
    }

    /** @return the current record's entity id */
    public String entityId() {
        int r = SnapshotFormat.typeLength(view, at);
        return utf8(at + SnapshotFormat.RECORD_FIXED + r, SnapshotFormat.idLength(view, at), "entity id");
    }

    /** @return the version the current record's state includes */
    public long version() {
        return SnapshotFormat.version(view, at);
    }

    /** @return the global position of that version's event */
    public long globalPosition() {
        return SnapshotFormat.position(view, at);
    }

    /** @return that event's timestamp, epoch ns */
    public long timestampNanos() {
        return SnapshotFormat.timestamp(view, at);
    }

    /** @return the state schema's fingerprint */
    public long fingerprint() {
        return SnapshotFormat.fingerprint(view, at);
    }

    /** @return the buffer holding the current record's state (valid until the next call) */
    public byte[] stateBuffer() {
        return buf;
    }

    /** @return the state's offset in {@link #stateBuffer()} */
    public int stateOffset() {
        return at + SnapshotFormat.RECORD_FIXED + SnapshotFormat.typeLength(view, at) + SnapshotFormat.idLength(view, at);
    }

    /** @return the state's length */
    public int stateLength() {
        return SnapshotFormat.stateLength(view, at);
    }

    /** @return the file */
    public Path file() {
        return file;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
