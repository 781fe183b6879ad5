package dev.hindsight.codec;

import dev.hindsight.codec.internal.Corruption;
import dev.hindsight.codec.internal.LittleEndian;
import dev.hindsight.codec.internal.MetadataBlock;
import dev.hindsight.codec.internal.Utf8;
import java.util.zip.CRC32C;

/**
 * A reusable flyweight over one frame in a byte array (see {@link FrameFormat}). {@link #wrap} validates the
 * frame length, format version and CRC32C before trusting any other length field, then checks that the
 * section lengths add up. Accessors read straight from the buffer; {@link #resourceTypeEquals} and
 * {@link #entityIdEquals} compare without allocating.
 *
 * <p>Positions in the {@link CorruptFrameException}s it throws are always the {@code sourcePosition} given
 * to {@code wrap} (the frame's position in its source); the reason says which byte of the frame is at fault.
 *
 * <p>Not thread-safe: use one reader per thread and reuse it.
 */
public final class FrameReader {
    private final int maxFrameBytes;
    private final CRC32C crc = new CRC32C();
    private byte[] buf;
    private int offset;
    private int frameLength;
    private int resourceTypeLength;
    private int entityIdLength;
    private int metadataLength;
    private int payloadLength;
    private String source;
    private long sourcePosition;

    /** @param maxFrameBytes the largest frame accepted */
    public FrameReader(int maxFrameBytes) {
        if (maxFrameBytes < FrameFormat.MIN_FRAME_BYTES) {
            throw new IllegalArgumentException("maxFrameBytes " + maxFrameBytes + " is below the minimum frame size "
                    + FrameFormat.MIN_FRAME_BYTES);
        }
        this.maxFrameBytes = maxFrameBytes;
    }

    /**
     * Reads the frame length field.
     *
     * @param buf    the bytes
     * @param offset where the frame starts (at least 4 bytes must follow)
     * @return the frame length field (unvalidated)
     */
    public static int peekFrameLength(byte[] buf, int offset) {
        return FrameFormat.peekFrameLength(buf, offset);
    }

    /**
     * Points this reader at the frame starting at {@code buf[offset]} and validates it.
     *
     * @param buf            the bytes
     * @param offset         where the frame starts
     * @param available      how many bytes from {@code offset} may belong to the frame
     * @param source         where the bytes came from (a file name or description), for exceptions
     * @param sourcePosition the frame's position in the source (byte position or journal index)
     * @return this
     * @throws CorruptFrameException if the bytes are not a valid frame
     */
    public FrameReader wrap(byte[] buf, int offset, int available, String source, long sourcePosition) {
        if (offset < 0 || available < 0 || offset > buf.length || available > buf.length - offset) {
            throw new IllegalArgumentException("offset " + offset + " and available " + available
                    + " do not fit a buffer of " + buf.length + " bytes");
        }
        this.buf = null;
        this.source = source;
        this.sourcePosition = sourcePosition;
        if (available < 4) {
            throw corrupt("truncated frame: only " + available + " bytes available for the 4-byte frame length");
        }
        int len = LittleEndian.getInt(buf, offset + FrameFormat.LENGTH_OFFSET);
        if (len < FrameFormat.MIN_FRAME_BYTES || len > maxFrameBytes) {
            throw corrupt("frame length " + len + " is outside " + FrameFormat.MIN_FRAME_BYTES + ".." + maxFrameBytes);
        }
        if (len > available) {
            throw corrupt("truncated frame: frame length " + len + " exceeds the " + available + " bytes available");
        }
        int version = buf[offset + FrameFormat.FORMAT_VERSION_OFFSET] & 0xFF;
        if (version != FrameFormat.FORMAT_VERSION) {
            throw corrupt("unsupported frame format version " + version);
        }
        crc.reset();
        crc.update(buf, offset, len - FrameFormat.CRC_LENGTH);
        int stored = LittleEndian.getInt(buf, offset + len - FrameFormat.CRC_LENGTH);
        if ((int) crc.getValue() != stored) {
            throw corrupt(String.format("CRC32C mismatch: stored %08x, computed %08x over %d bytes", stored,
                    (int) crc.getValue(), len - FrameFormat.CRC_LENGTH));
        }
        int flags = buf[offset + FrameFormat.FLAGS_OFFSET] & 0xFF;
        if (flags != 0) {
            throw corrupt("unsupported flags 0x" + Integer.toHexString(flags) + " (frame byte 5)");
        }
        int schemaVersion = LittleEndian.getU16(buf, offset + FrameFormat.SCHEMA_VERSION_OFFSET);
        if (schemaVersion == 0) {
            throw corrupt("schema version 0 (frame byte 6)");
        }
        int eventTypeId = LittleEndian.getInt(buf, offset + FrameFormat.EVENT_TYPE_OFFSET);
        if (eventTypeId <= 0) {
            throw corrupt("event type id " + eventTypeId + " is not positive (frame byte 32)");
        }
        int r = LittleEndian.getU16(buf, offset + FrameFormat.RESOURCE_TYPE_LENGTH_OFFSET);
        int e = LittleEndian.getU16(buf, offset + FrameFormat.ENTITY_ID_LENGTH_OFFSET);
        int m = LittleEndian.getInt(buf, offset + FrameFormat.METADATA_LENGTH_OFFSET);
        int p = LittleEndian.getInt(buf, offset + FrameFormat.PAYLOAD_LENGTH_OFFSET);
        if (r < 1 || r > FrameFormat.MAX_RESOURCE_TYPE_BYTES) {
            throw corrupt("resource type length " + r + " is outside 1.." + FrameFormat.MAX_RESOURCE_TYPE_BYTES
                    + " (frame byte 36)");
        }
        if (e < 1 || e > FrameFormat.MAX_ENTITY_ID_BYTES) {
            throw corrupt("entity id length " + e + " is outside 1.." + FrameFormat.MAX_ENTITY_ID_BYTES
                    + " (frame byte 38)");
        }
        if (m < FrameFormat.MIN_METADATA_LENGTH || m > FrameFormat.MAX_METADATA_LENGTH) {
            throw corrupt("metadata length " + m + " is outside " + FrameFormat.MIN_METADATA_LENGTH + ".."
                    + FrameFormat.MAX_METADATA_LENGTH + " (frame byte 40)");
        }
        if (p < 0) {
            throw corrupt("payload length " + p + " is negative (frame byte 44)");
        }
        long total = (long) FrameFormat.HEADER_LENGTH + r + e + m + p + FrameFormat.CRC_LENGTH;
        if (total != len) {
            throw corrupt("section lengths add up to " + total + " bytes but the frame length is " + len);
        }
        this.buf = buf;
        this.offset = offset;
        this.frameLength = len;
        this.resourceTypeLength = r;
        this.entityIdLength = e;
        this.metadataLength = m;
        this.payloadLength = p;
        return this;
    }

    private CorruptFrameException corrupt(String reason) {
        return new CorruptFrameException(source, sourcePosition, reason);
    }

    private byte[] frame() {
        if (buf == null) {
            throw new IllegalStateException("no valid frame wrapped");
        }
        return buf;
    }

    /** @return the frame's length in bytes, including the CRC */
    public int frameLength() {
        frame();
        return frameLength;
    }

    /** @return the frame's offset in {@link #buffer()} */
    public int offset() {
        frame();
        return offset;
    }

    /** @return the frame format version (1) */
    public int formatVersion() {
        return frame()[offset + FrameFormat.FORMAT_VERSION_OFFSET] & 0xFF;
    }

    /** @return the payload's schema version */
    public int schemaVersion() {
        return LittleEndian.getU16(frame(), offset + FrameFormat.SCHEMA_VERSION_OFFSET);
    }

    /** @return the global position assigned by the sequencer */
    public long globalPosition() {
        return LittleEndian.getLong(frame(), offset + FrameFormat.POSITION_OFFSET);
    }

    /** @return the commit timestamp in epoch nanoseconds */
    public long timestampNanos() {
        return LittleEndian.getLong(frame(), offset + FrameFormat.TIMESTAMP_OFFSET);
    }

    /** @return the entity version after this event */
    public long entityVersion() {
        return LittleEndian.getLong(frame(), offset + FrameFormat.VERSION_OFFSET);
    }

    /** @return the event type id */
    public int eventTypeId() {
        return LittleEndian.getInt(frame(), offset + FrameFormat.EVENT_TYPE_OFFSET);
    }

    private int resourceTypeOffset() {
        return offset + FrameFormat.HEADER_LENGTH;
    }

    private int entityIdOffset() {
        return resourceTypeOffset() + resourceTypeLength;
    }

    private int metadataOffset() {
        return entityIdOffset() + entityIdLength;
    }

    /** @return the resource type (allocates) */
    public String resourceType() {
        return string(resourceTypeOffset(), resourceTypeLength, "resource type", FrameFormat.HEADER_LENGTH);
    }

    /** @return the entity id (allocates) */
    public String entityId() {
        return string(entityIdOffset(), entityIdLength, "entity id", FrameFormat.HEADER_LENGTH + resourceTypeLength);
    }

    private String string(int at, int len, String what, int frameByte) {
        byte[] b = frame();
        int bad = Utf8.invalidAt(b, at, len);
        if (bad >= 0) {
            throw corrupt(what + " is not valid UTF-8 (frame byte " + (frameByte + bad) + ")");
        }
        return Utf8.decodeValid(b, at, len);
    }

    /** @param s a resource type @return true if the frame's resource type is {@code s}; allocation-free */
    public boolean resourceTypeEquals(String s) {
        return Utf8.equals(s, frame(), resourceTypeOffset(), resourceTypeLength);
    }

    /** @param s an entity id @return true if the frame's entity id is {@code s}; allocation-free */
    public boolean entityIdEquals(String s) {
        return Utf8.equals(s, frame(), entityIdOffset(), entityIdLength);
    }

    /**
     * @return the decoded metadata ({@link EventMetadata#NONE} if empty)
     * @throws CorruptFrameException if the metadata block is malformed
     */
    public EventMetadata metadata() {
        try {
            return MetadataBlock.read(frame(), metadataOffset(), metadataLength);
        } catch (Corruption c) {
            throw corrupt("metadata: " + c.getMessage() + " (frame byte "
                    + (metadataOffset() - offset + c.offset()) + ")");
        }
    }

    /** @return the payload's offset in {@link #buffer()} */
    public int payloadOffset() {
        return metadataOffset() + metadataLength;
    }

    /** @return the payload's length in bytes */
    public int payloadLength() {
        frame();
        return payloadLength;
    }

    /** @return the wrapped buffer */
    public byte[] buffer() {
        return frame();
    }

    /** @return the source given to {@link #wrap} */
    public String source() {
        return source;
    }

    /** @return the source position given to {@link #wrap} */
    public long sourcePosition() {
        return sourcePosition;
    }

    /**
     * Decodes the payload into its registered record class.
     *
     * @param codec the codec the event class is registered with
     * @return the event
     */
    public Object decode(EventCodec codec) {
        return codec.decode(eventTypeId(), schemaVersion(), frame(), payloadOffset(), payloadLength, source,
                sourcePosition);
    }

    /**
     * Decodes the payload with only the codec's catalog.
     *
     * @param codec the codec whose catalog has the schema
     * @return the generic event
     */
    public GenericEvent decodeGeneric(EventCodec codec) {
        EventSchema schema = codec.catalog().require(eventTypeId(), schemaVersion(), source, sourcePosition);
        return codec.decodeGeneric(schema, frame(), payloadOffset(), payloadLength, source, sourcePosition);
    }
}
