package dev.hindsight.engine.internal.snapshot;

import dev.hindsight.codec.CorruptFrameException;
import dev.hindsight.engine.internal.BinaryFiles;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Locale;

/**
 * One memory-mapped segment file (layout in {@link SnapshotFormat}). The mapping is never unmapped
 * explicitly: it lives as long as something references this object or its buffer (a ladder's slot, a
 * reader's {@link SnapshotView}), so a reader can never touch unmapped memory, even while compaction
 * retires the segment.
 *
 * <p>Thread-safety: the buffer is read by any thread (records are immutable once written, and
 * published to readers through the store's volatile ladders after they are written); {@link #used},
 * {@link #liveBytes} and the append methods belong to the store's writer thread.
 */
final class Segment {
    /** Largest segment the store creates or maps. */
    static final int MAX_CAPACITY = 1 << 30;
    static final String SUFFIX = ".snap";

    final Path file;
    final long sequence;
    final int slot;
    final long storeId;
    /** The header's capacity. */
    final int capacity;
    /** Readable bytes: the capacity, or less if the file was truncated. */
    final int limit;
    final int creatorMaxRecord;
    final UnsafeBuffer buffer;
    final boolean writable;
    /** Writer only: where the next record goes (after a scan: the end of the valid records). */
    int used = SnapshotFormat.HEADER_BYTES;
    /** Writer only: bytes of records some ladder still points at, padding included. */
    long liveBytes;

    private Segment(Path file, long sequence, int slot, long storeId, int capacity, int limit, int creatorMaxRecord,
                    MappedByteBuffer map, boolean writable) {
        this.file = file;
        this.sequence = sequence;
        this.slot = slot;
        this.storeId = storeId;
        this.capacity = capacity;
        this.limit = limit;
        this.creatorMaxRecord = creatorMaxRecord;
        this.buffer = new UnsafeBuffer(map);
        this.writable = writable;
    }

    static String fileName(long sequence) {
        return String.format(Locale.ROOT, "%016x%s", sequence, SUFFIX);
    }

    /**
     * @param name a file name
     * @return the sequence number it names, or -1 if it is not a segment's name
     */
    static long sequenceOf(String name) {
        if (name.length() != 16 + SUFFIX.length() || !name.endsWith(SUFFIX)) {
            return -1;
        }
        long seq = 0;
        for (int i = 0; i < 16; i++) {
            int d = Character.digit(name.charAt(i), 16);
            if (d < 0 || Character.isUpperCase(name.charAt(i))) {
                return -1;
            }
            seq = (seq << 4) | d;
        }
        return seq < 0 ? -1 : seq;
    }

    /**
     * Creates a segment: written in full (zeros, so the file system has allocated every block and a
     * full disk shows up here as an {@link IOException}, not later as a SIGBUS on the mapping) under a
     * temporary name with its header, then renamed into place and mapped read-write.
     */
    static Segment create(Path dir, long sequence, int slot, int capacity, long storeId, int maxRecord) throws IOException {
        Path file = dir.resolve(fileName(sequence));
        Path tmp = dir.resolve(fileName(sequence) + ".tmp");
        ByteBuffer header = ByteBuffer.allocate(SnapshotFormat.HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        header.putLong(0, SnapshotFormat.MAGIC).putShort(SnapshotFormat.H_VERSION, (short) SnapshotFormat.FORMAT_VERSION)
                .putShort(SnapshotFormat.H_HEADER_LENGTH, (short) SnapshotFormat.HEADER_BYTES)
                .putInt(SnapshotFormat.H_CAPACITY, capacity).putLong(SnapshotFormat.H_SEQUENCE, sequence)
                .putLong(SnapshotFormat.H_STORE_ID, storeId).putLong(SnapshotFormat.H_CREATED, System.currentTimeMillis())
                .putInt(SnapshotFormat.H_MAX_RECORD, maxRecord);
        header.putInt(SnapshotFormat.HEADER_CRC_OFFSET, BinaryFiles.crc32c(header.array(), 0, SnapshotFormat.HEADER_CRC_OFFSET));
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE, StandardOpenOption.READ)) {
            ByteBuffer zeros = ByteBuffer.allocateDirect(Math.min(capacity, 1 << 20));
            long pos = 0;
            while (pos < capacity) {
                zeros.clear().limit((int) Math.min(zeros.capacity(), capacity - pos));
                while (zeros.hasRemaining()) {
                    pos += ch.write(zeros, pos);
                }
            }
            header.clear();
            while (header.hasRemaining()) {
                ch.write(header, header.position());
            }
        } catch (IOException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
        return map(file, sequence, slot, storeId, capacity, capacity, maxRecord, true);
    }

    /**
     * Opens an existing segment and checks its header.
     *
     * @param file     the file
     * @param slot     the slot it gets in this process
     * @param writable whether to map it read-write (the segment the writer resumes)
     * @return the segment; {@link #limit} is less than {@link #capacity} if the file was truncated
     * @throws CorruptFrameException naming the file and position if the header is damaged
     * @throws IOException           if it cannot be read
     */
    static Segment open(Path file, int slot, boolean writable) throws IOException {
        String name = file.toString();
        long size = Files.size(file);
        if (size < SnapshotFormat.HEADER_BYTES) {
            throw new CorruptFrameException(name, 0, "snapshot segment is " + size + " bytes, shorter than its "
                    + SnapshotFormat.HEADER_BYTES + "-byte header");
        }
        ByteBuffer header = ByteBuffer.allocate(SnapshotFormat.HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            while (header.hasRemaining() && ch.read(header, header.position()) > 0) {
                // read the header
            }
        }
        if (header.getLong(0) != SnapshotFormat.MAGIC) {
            throw new CorruptFrameException(name, 0, "not a snapshot segment (bad magic)");
        }
        int crc = BinaryFiles.crc32c(header.array(), 0, SnapshotFormat.HEADER_CRC_OFFSET);
        if (header.getInt(SnapshotFormat.HEADER_CRC_OFFSET) != crc) {
            throw new CorruptFrameException(name, SnapshotFormat.HEADER_CRC_OFFSET, "snapshot segment header checksum mismatch");
        }
        int version = Short.toUnsignedInt(header.getShort(SnapshotFormat.H_VERSION));
        if (version != SnapshotFormat.FORMAT_VERSION) {
            throw new CorruptFrameException(name, SnapshotFormat.H_VERSION, "unsupported snapshot segment format version "
                    + version + " (this code reads " + SnapshotFormat.FORMAT_VERSION + ")");
        }
        int headerLength = Short.toUnsignedInt(header.getShort(SnapshotFormat.H_HEADER_LENGTH));
        if (headerLength != SnapshotFormat.HEADER_BYTES) {
            throw new CorruptFrameException(name, SnapshotFormat.H_HEADER_LENGTH, "snapshot segment header length "
                    + headerLength + ", expected " + SnapshotFormat.HEADER_BYTES);
        }
        int capacity = header.getInt(SnapshotFormat.H_CAPACITY);
        if (capacity < SnapshotFormat.HEADER_BYTES || capacity > MAX_CAPACITY) {
            throw new CorruptFrameException(name, SnapshotFormat.H_CAPACITY, "snapshot segment capacity " + capacity
                    + " out of range [" + SnapshotFormat.HEADER_BYTES + ", " + MAX_CAPACITY + "]");
        }
        long sequence = header.getLong(SnapshotFormat.H_SEQUENCE);
        long named = sequenceOf(file.getFileName().toString());
        if (sequence != named) {
            throw new CorruptFrameException(name, SnapshotFormat.H_SEQUENCE, "snapshot segment sequence " + sequence
                    + " does not match its file name");
        }
        int maxRecord = header.getInt(SnapshotFormat.H_MAX_RECORD);
        if (maxRecord < SnapshotFormat.MIN_RECORD || maxRecord > capacity) {
            throw new CorruptFrameException(name, SnapshotFormat.H_MAX_RECORD, "snapshot segment max record bytes "
                    + maxRecord + " out of range [" + SnapshotFormat.MIN_RECORD + ", " + capacity + "]");
        }
        int limit = (int) Math.min(size, capacity);
        return map(file, sequence, slot, header.getLong(SnapshotFormat.H_STORE_ID), capacity, limit, maxRecord,
                writable && limit == capacity);
    }

    private static Segment map(Path file, long sequence, int slot, long storeId, int capacity, int limit, int maxRecord,
                               boolean writable) throws IOException {
        MappedByteBuffer map;
        if (writable) {
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                map = ch.map(FileChannel.MapMode.READ_WRITE, 0, limit);
            }
        } else {
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
                map = ch.map(FileChannel.MapMode.READ_ONLY, 0, limit);
            }
        }
        return new Segment(file, sequence, slot, storeId, capacity, limit, maxRecord, map, writable);
    }

    /** Receives each valid record of a scan, in file order. */
    interface RecordVisitor {
        /**
         * @param segment the segment
         * @param offset  the record's offset
         * @param record  the record, copied and checked, from offset 0 of its buffer
         * @param length  its length (without padding)
         */
        void record(Segment segment, int offset, RecordCopy record, int length);
    }

    /**
     * Visits every valid record from the header on, and stops at the end of the data or at the first
     * invalid record (whose offset and fault it then reports: nothing after it can be trusted). Sets
     * {@link #used} to where it stopped.
     *
     * @param visitor   receives each valid record
     * @param copy      the writer's (or opener's) record copy
     * @param maxLength the longest record accepted
     * @return 0 if it stopped at the end of the data, else the negative fault code of
     *         {@link SnapshotFormat#checkRecord} or {@link RecordCopy#load} for the record at {@link #used}
     */
    int scan(RecordVisitor visitor, RecordCopy copy, int maxLength) {
        int off = SnapshotFormat.HEADER_BYTES;
        while (true) {
            int r = copy.load(buffer, off, limit, maxLength, true);
            if (r <= 0) {
                used = off;
                return r;
            }
            visitor.record(this, off, copy, r);
            off += SnapshotFormat.aligned(r);
        }
    }

    /** @return whether the writer may append here: mapped read-write over the whole capacity */
    boolean appendable() {
        return writable;
    }

    /**
     * @param length a record length
     * @return whether a record that long fits after {@link #used}
     */
    boolean fits(int length) {
        return writable && (long) used + SnapshotFormat.aligned(length) <= capacity;
    }

    /**
     * Appends a record staged in {@code record[0, length)} (its length field is ignored; also how
     * compaction copies a record): every byte
     * but the length first, then the length with a release store, so a reader in another process that
     * sees the length sees the record. Writer only.
     *
     * @return the record's offset
     */
    int append(byte[] record, int length) {
        int off = used;
        buffer.putBytes(off + 4, record, 4, length - 4);
        buffer.putIntRelease(off, SnapshotFormat.littleEndian(length));
        used = off + SnapshotFormat.aligned(length);
        return off;
    }

    /**
     * Zeroes {@code [used, used + bytes)} (clipped to the capacity): what a writer killed mid-record
     * left behind a zero length, so that appending here again cannot leave stale bytes where a later
     * scan would look for a length.
     */
    void zeroAfterUsed(int bytes) {
        int end = (int) Math.min((long) capacity, (long) used + bytes);
        if (end > used) {
            buffer.setMemory(used, end - used, (byte) 0);
        }
    }

    /**
     * @return whether any byte of the record-sized stretch after {@link #used} (up to {@link #limit})
     *         is not zero: a record was being written there
     */
    boolean hasBytesAfterUsed() {
        int end = (int) Math.min((long) limit, (long) used + creatorMaxRecord + 8);
        for (int i = used; i < end; i++) {
            if (buffer.getByte(i) != 0) {
                return true;
            }
        }
        return false;
    }

    /**
     * @param offset a record's offset
     * @return the bytes it occupies, padding included, or 0 if no well-formed record is there
     */
    int footprint(int offset) {
        int length = SnapshotFormat.checkRecord(buffer, offset, limit, Integer.MAX_VALUE);
        return length > 0 ? SnapshotFormat.aligned(length) : 0;
    }

    @Override
    public String toString() {
        return file.toString();
    }
}
