package dev.hindsight.engine.inspect;

import dev.hindsight.codec.CorruptFrameException;
import dev.hindsight.engine.internal.snapshot.SegmentFileReader;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * Reads one snapshot segment ({@code snapshots/<16 hex digits>.snap}, layout in docs/format.md) record by
 * record with positional file reads: never a memory map or a write. The header is checked when it is opened
 * ({@link StoreInspector#openSnapshotSegment}); each record's structure, CRC32C and key when it is read. The
 * first damaged record ends the scan, as it does for the store. Not thread-safe.
 */
public final class SnapshotSegmentScanner implements AutoCloseable {
    private final SegmentFileReader reader;

    SnapshotSegmentScanner(SegmentFileReader reader) {
        this.reader = reader;
    }

    /** @return the segment's sequence number */
    public long sequence() {
        return reader.header().sequence();
    }

    /** @return the id of the store that wrote it (its marker's creation time, epoch ms) */
    public long storeId() {
        return reader.header().storeId();
    }

    /** @return true if the file is shorter than the capacity its header gives (cut short) */
    public boolean truncated() {
        return reader.truncated();
    }

    /** @return the capacity its header gives */
    public int capacity() {
        return reader.header().capacity();
    }

    /**
     * @return false at the end of the segment's data
     * @throws CorruptFrameException naming the file and the record's byte offset if the record is damaged (the scan ends)
     * @throws UncheckedIOException  if the file cannot be read
     */
    public boolean next() {
        try {
            return reader.next();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + reader.file() + ": " + e.getMessage(), e);
        }
    }

    /** @return the byte offset of the current record */
    public long offset() {
        return reader.offset();
    }

    /** @return the current record's resource type */
    public String resourceType() {
        return reader.resourceType();
    }

    /** @return the current record's entity id */
    public String entityId() {
        return reader.entityId();
    }

    /** @return the entity version the state includes */
    public long version() {
        return reader.version();
    }

    /** @return the global position of that version's event */
    public long globalPosition() {
        return reader.globalPosition();
    }

    /** @return that event's timestamp, epoch ns */
    public long timestampNanos() {
        return reader.timestampNanos();
    }

    /** @return the fingerprint of the state's schema (the resource type's {@code R.Created} schema) */
    public long fingerprint() {
        return reader.fingerprint();
    }

    /** @return the buffer holding the encoded state (valid until the next call) */
    public byte[] stateBuffer() {
        return reader.stateBuffer();
    }

    /** @return the state's offset in {@link #stateBuffer()} */
    public int stateOffset() {
        return reader.stateOffset();
    }

    /** @return the state's length in bytes */
    public int stateLength() {
        return reader.stateLength();
    }

    /** @return the segment file */
    public Path file() {
        return reader.file();
    }

    @Override
    public void close() {
        try {
            reader.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
