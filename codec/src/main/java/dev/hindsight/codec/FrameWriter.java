package dev.hindsight.codec;

import dev.hindsight.codec.internal.CodecKryo;
import dev.hindsight.codec.internal.FrameOutput;
import dev.hindsight.codec.internal.FrameOverflow;
import dev.hindsight.codec.internal.LittleEndian;
import dev.hindsight.codec.internal.MetadataBlock;
import java.util.Arrays;
import java.util.Objects;
import java.util.zip.CRC32C;

/**
 * Builds a batch of frames back to back in one reusable, growable byte array (see {@link FrameFormat}).
 * The sequencer later {@linkplain #seal seals} each frame with its position, timestamp, entity version and
 * CRC. In steady state {@link #addFrame} allocates nothing for events without {@code BigDecimal}, map or
 * non-{@code RandomAccess} list fields: the payload is Kryo-encoded straight into the batch buffer through
 * this writer's own Kryo instance and strings are encoded to UTF-8 in place.
 *
 * <p>Not thread-safe: use one writer per producer thread and reuse it.
 */
public final class FrameWriter {
    private static final int MAX_ARRAY = Integer.MAX_VALUE - 16;

    private final EventCodec codec;
    private final int maxFrameBytes;
    private final CodecKryo kryo;
    private final FrameOutput output;
    private byte[] buffer;
    private int length;
    private int[] offsets = new int[16];
    private int frameCount;

    /**
     * @param codec         the codec events are registered with
     * @param maxFrameBytes the largest frame this writer produces ({@link FrameFormat#MIN_FRAME_BYTES} or more)
     */
    public FrameWriter(EventCodec codec, int maxFrameBytes) {
        this.codec = Objects.requireNonNull(codec, "codec");
        if (maxFrameBytes < FrameFormat.MIN_FRAME_BYTES || maxFrameBytes > CodecLimits.MAX_FRAME_BYTES_LIMIT) {
            throw new IllegalArgumentException("maxFrameBytes " + maxFrameBytes + " is outside "
                    + FrameFormat.MIN_FRAME_BYTES + ".." + CodecLimits.MAX_FRAME_BYTES_LIMIT);
        }
        this.maxFrameBytes = maxFrameBytes;
        this.kryo = codec.newKryo();
        this.output = new FrameOutput(codec.limits().maxCollectionSize());
        this.buffer = new byte[Math.min(4096, maxFrameBytes)];
    }

    /** Starts a new batch: forgets all frames (the buffer is kept). */
    public void reset() {
        length = 0;
        frameCount = 0;
    }

    /**
     * Appends one frame with the sequencer fields (position, timestamp, entity version) and CRC left 0.
     *
     * @param resourceType the resource type, e.g. {@code order}
     * @param entityId     the entity id
     * @param event        a record instance of a registered class
     * @param metadata     the metadata (null means {@link EventMetadata#NONE})
     * @return the frame's offset in {@link #buffer()}
     * @throws IllegalArgumentException if the class is not registered, an argument is invalid or a value
     *                                  cannot be encoded
     * @throws EventTooLargeException   if the frame would exceed {@code maxFrameBytes}; the writer is unchanged
     */
    public int addFrame(String resourceType, String entityId, Object event, EventMetadata metadata) {
        return addFrame(resourceType, entityId, codec.require(event), event, metadata);
    }

    /**
     * Appends one frame for an event whose registration the caller names, as for a resource type's standard
     * events (see {@link EventCodec#registerStandardEvents}). See {@link #addFrame(String, String, Object,
     * EventMetadata)}.
     *
     * @param resourceType the resource type
     * @param entityId     the entity id
     * @param reg          a registration of this writer's codec
     * @param event        an instance of {@code reg.eventClass()}
     * @param metadata     the metadata (null means {@link EventMetadata#NONE})
     * @return the frame's offset in {@link #buffer()}
     */
    public int addFrame(String resourceType, String entityId, Registration reg, Object event,
                        EventMetadata metadata) {
        Objects.requireNonNull(event, "event");
        if (codec.lookup(reg.eventTypeId(), reg.schemaVersion()) != reg) {
            throw new IllegalArgumentException(reg + " is not a registration of this writer's codec");
        }
        if (!reg.eventClass().isInstance(event)) {
            throw new IllegalArgumentException("event " + event.getClass().getName() + " is not a "
                    + reg.eventClass().getName() + " (" + reg.name() + ")");
        }
        FrameFormat.validateResourceType(resourceType);
        int e = FrameFormat.entityIdLength(entityId);
        EventMetadata m = metadata == null ? EventMetadata.NONE : metadata;
        int r = resourceType.length(); // ASCII
        int start = length;
        int fixed = FrameFormat.HEADER_LENGTH + r + e + m.encodedLength();
        long frameLimit = (long) start + maxFrameBytes - FrameFormat.CRC_LENGTH;
        if ((long) start + fixed + FrameFormat.CRC_LENGTH + 16 > MAX_ARRAY) {
            throw new IllegalStateException("batch buffer is full (" + start + " bytes); seal and reset it");
        }
        ensureCapacity(start + fixed + 16);
        byte[] b = buffer;
        Arrays.fill(b, start, start + FrameFormat.HEADER_LENGTH, (byte) 0);
        b[start + FrameFormat.FORMAT_VERSION_OFFSET] = FrameFormat.FORMAT_VERSION;
        LittleEndian.putU16(b, start + FrameFormat.SCHEMA_VERSION_OFFSET, reg.schemaVersion());
        LittleEndian.putInt(b, start + FrameFormat.EVENT_TYPE_OFFSET, reg.eventTypeId());
        LittleEndian.putU16(b, start + FrameFormat.RESOURCE_TYPE_LENGTH_OFFSET, r);
        LittleEndian.putU16(b, start + FrameFormat.ENTITY_ID_LENGTH_OFFSET, e);
        LittleEndian.putInt(b, start + FrameFormat.METADATA_LENGTH_OFFSET, m.encodedLength());
        int p = dev.hindsight.codec.internal.Utf8.encode(resourceType, b, start + FrameFormat.HEADER_LENGTH);
        p = dev.hindsight.codec.internal.Utf8.encode(entityId, b, p);
        p = MetadataBlock.write(m, b, p);
        int payloadStart = p;

        codec.sync(kryo);
        output.begin(buffer, payloadStart, (int) Math.min(frameLimit, MAX_ARRAY));
        int end;
        try {
            codec.writePayload(kryo, output, reg, event);
            end = output.position();
        } catch (FrameOverflow overflow) {
            buffer = output.getBuffer();
            throw tooLarge(reg, resourceType, entityId, event, fixed);
        } finally {
            buffer = output.getBuffer();
            output.setBuffer(EMPTY, -1);
        }
        if (end > frameLimit) {
            throw tooLarge(reg, resourceType, entityId, event, fixed);
        }
        int payloadLength = end - payloadStart;
        ensureCapacity(end + FrameFormat.CRC_LENGTH);
        b = buffer;
        int frameLength = fixed + payloadLength + FrameFormat.CRC_LENGTH;
        LittleEndian.putInt(b, start + FrameFormat.LENGTH_OFFSET, frameLength);
        LittleEndian.putInt(b, start + FrameFormat.PAYLOAD_LENGTH_OFFSET, payloadLength);
        LittleEndian.putInt(b, end, 0);
        if (frameCount == offsets.length) {
            offsets = Arrays.copyOf(offsets, offsets.length * 2);
        }
        offsets[frameCount++] = start;
        length = start + frameLength;
        return start;
    }

    private static final byte[] EMPTY = new byte[0];

    private EventTooLargeException tooLarge(Registration reg, String resourceType, String entityId, Object event,
                                            int fixed) {
        long size = fixed + codec.measurePayload(kryo, reg, event) + FrameFormat.CRC_LENGTH;
        return new EventTooLargeException("event " + reg.name() + " for " + resourceType + "/" + entityId
                + " encodes to " + size + " bytes; the limit is " + maxFrameBytes, size, maxFrameBytes);
    }

    private void ensureCapacity(int needed) {
        if (needed > buffer.length) {
            int n = (int) Math.min(MAX_ARRAY, Math.max(needed, (long) buffer.length * 2));
            buffer = Arrays.copyOf(buffer, n);
        }
    }

    /** @return the batch buffer (replaced when it grows; call again after {@link #addFrame}) */
    public byte[] buffer() {
        return buffer;
    }

    /** @return the number of bytes of frames in the batch */
    public int length() {
        return length;
    }

    /** @return the number of frames in the batch */
    public int frameCount() {
        return frameCount;
    }

    /**
     * @param i a frame index, 0..frameCount()-1
     * @return the frame's offset in {@link #buffer()}
     */
    public int frameOffset(int i) {
        Objects.checkIndex(i, frameCount);
        return offsets[i];
    }

    /** @return the largest frame this writer produces */
    public int maxFrameBytes() {
        return maxFrameBytes;
    }

    /**
     * Fills in the sequencer fields of a frame and writes its CRC32C. Allocation-free.
     *
     * @param buf             the buffer holding the frame
     * @param frameOffset     where the frame starts
     * @param globalPosition  the frame's global position (0-based, gapless)
     * @param timestampNanos  the commit time in epoch nanoseconds
     * @param entityVersion   the entity's version after this event (1-based)
     * @param crc             a CRC32C instance to reuse (reset here)
     */
    public static void seal(byte[] buf, int frameOffset, long globalPosition, long timestampNanos,
                            long entityVersion, CRC32C crc) {
        int frameLength = LittleEndian.getInt(buf, frameOffset + FrameFormat.LENGTH_OFFSET);
        if (frameLength < FrameFormat.MIN_FRAME_BYTES || frameLength > buf.length - frameOffset) {
            throw new IllegalArgumentException("no frame at offset " + frameOffset + " (length field " + frameLength
                    + ", buffer " + buf.length + " bytes)");
        }
        LittleEndian.putLong(buf, frameOffset + FrameFormat.POSITION_OFFSET, globalPosition);
        LittleEndian.putLong(buf, frameOffset + FrameFormat.TIMESTAMP_OFFSET, timestampNanos);
        LittleEndian.putLong(buf, frameOffset + FrameFormat.VERSION_OFFSET, entityVersion);
        crc.reset();
        crc.update(buf, frameOffset, frameLength - FrameFormat.CRC_LENGTH);
        LittleEndian.putInt(buf, frameOffset + frameLength - FrameFormat.CRC_LENGTH, (int) crc.getValue());
    }
}
