package dev.hindsight.codec;

import dev.hindsight.codec.internal.Utf8;

/**
 * The layout of one event frame: constants and validation helpers. All integers are little-endian.
 *
 * <pre>
 * offset size  field
 *  0     4     frameLength      int32, total bytes of this frame including the trailing CRC
 *  4     1     formatVersion    uint8, currently 1
 *  5     1     flags            uint8, reserved, 0
 *  6     2     schemaVersion    uint16 (1..65535)
 *  8     8     globalPosition   int64, assigned by the sequencer (0-based, gapless)
 * 16     8     timestamp        int64, epoch nanoseconds, assigned by the sequencer
 * 24     8     entityVersion    int64, 1-based, assigned by the sequencer
 * 32     4     eventTypeId      int32 (&gt; 0)
 * 36     2     resourceTypeLen  uint16 R  (1..64 bytes UTF-8)
 * 38     2     entityIdLen      uint16 E  (1..256 bytes UTF-8)
 * 40     4     metadataLen      int32 M
 * 44     4     payloadLen       int32 P
 * 48     R     resource type    UTF-8
 * 48+R   E     entity id        UTF-8
 * ..     M     metadata block   (see below)
 * ..     P     payload          Kryo-encoded event (see EventCodec)
 * end-4  4     crc32c           java.util.zip.CRC32C over bytes [0, frameLength-4)
 * </pre>
 *
 * <p>Metadata block: four optional strings in order actor, correlationId, causationId, reason, each
 * {@code uint16 length} + UTF-8 bytes, with length 0xFFFF meaning null (max 1024 bytes each); then
 * {@code uint8 count} (max 16) of attributes, each key and value as {@code uint16 length + UTF-8} (non-null;
 * key 1..128 bytes, value max 1024 bytes).
 *
 * <p>This class has no state and is thread-safe.
 */
public final class FrameFormat {
    /** The only frame format version this code reads and writes. */
    public static final int FORMAT_VERSION = 1;
    /** Bytes before the resource type. */
    public static final int HEADER_LENGTH = 48;
    /** Bytes of the trailing CRC32C. */
    public static final int CRC_LENGTH = 4;

    /** Offset of the int32 frame length. */
    public static final int LENGTH_OFFSET = 0;
    /** Offset of the uint8 format version. */
    public static final int FORMAT_VERSION_OFFSET = 4;
    /** Offset of the uint8 flags. */
    public static final int FLAGS_OFFSET = 5;
    /** Offset of the uint16 schema version. */
    public static final int SCHEMA_VERSION_OFFSET = 6;
    /** Offset of the int64 global position. */
    public static final int POSITION_OFFSET = 8;
    /** Offset of the int64 timestamp in epoch nanoseconds. */
    public static final int TIMESTAMP_OFFSET = 16;
    /** Offset of the int64 entity version. */
    public static final int VERSION_OFFSET = 24;
    /** Offset of the int32 event type id. */
    public static final int EVENT_TYPE_OFFSET = 32;
    /** Offset of the uint16 resource type length. */
    public static final int RESOURCE_TYPE_LENGTH_OFFSET = 36;
    /** Offset of the uint16 entity id length. */
    public static final int ENTITY_ID_LENGTH_OFFSET = 38;
    /** Offset of the int32 metadata block length. */
    public static final int METADATA_LENGTH_OFFSET = 40;
    /** Offset of the int32 payload length. */
    public static final int PAYLOAD_LENGTH_OFFSET = 44;

    /** Maximum resource type length in UTF-8 bytes. */
    public static final int MAX_RESOURCE_TYPE_BYTES = 64;
    /** Maximum entity id length in UTF-8 bytes. */
    public static final int MAX_ENTITY_ID_BYTES = 256;
    /** Default maximum frame size. */
    public static final int DEFAULT_MAX_FRAME_BYTES = 1 << 20;

    /** Length value of an absent (null) metadata string. */
    public static final int NULL_STRING_LENGTH = 0xFFFF;
    /** Maximum length of each metadata string and attribute value in UTF-8 bytes. */
    public static final int MAX_METADATA_STRING_BYTES = 1024;
    /** Maximum length of an attribute key in UTF-8 bytes. */
    public static final int MAX_ATTRIBUTE_KEY_BYTES = 128;
    /** Maximum number of attributes. */
    public static final int MAX_ATTRIBUTES = 16;
    /** Size of a metadata block with no strings and no attributes. */
    public static final int MIN_METADATA_LENGTH = 4 * 2 + 1;
    /** Size of the largest valid metadata block. */
    public static final int MAX_METADATA_LENGTH = 4 * (2 + MAX_METADATA_STRING_BYTES) + 1
            + MAX_ATTRIBUTES * (2 + MAX_ATTRIBUTE_KEY_BYTES + 2 + MAX_METADATA_STRING_BYTES);

    /** Smallest valid frame: header, one-byte resource type and entity id, empty metadata, empty payload, CRC. */
    public static final int MIN_FRAME_BYTES = HEADER_LENGTH + 1 + 1 + MIN_METADATA_LENGTH + CRC_LENGTH;

    private FrameFormat() {
    }

    /**
     * Checks a resource type: non-null and matching {@code [a-z][a-z0-9_-]{0,63}}. Does not allocate when valid.
     *
     * @param resourceType the resource type, e.g. {@code order}
     * @throws IllegalArgumentException naming the problem and the value
     */
    public static void validateResourceType(String resourceType) {
        if (resourceType == null) {
            throw new IllegalArgumentException("resource type is null");
        }
        int n = resourceType.length();
        if (n == 0 || n > MAX_RESOURCE_TYPE_BYTES) {
            throw new IllegalArgumentException("resource type '" + printable(resourceType) + "' is " + n
                    + " characters; it must be 1.." + MAX_RESOURCE_TYPE_BYTES);
        }
        char first = resourceType.charAt(0);
        if (first < 'a' || first > 'z') {
            throw new IllegalArgumentException("resource type '" + printable(resourceType)
                    + "' must start with a lower-case letter a-z (pattern [a-z][a-z0-9_-]{0,63})");
        }
        for (int i = 1; i < n; i++) {
            char c = resourceType.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-')) {
                throw new IllegalArgumentException("resource type '" + printable(resourceType)
                        + "' has character '" + printable(String.valueOf(c)) + "' at index " + i
                        + "; only a-z, 0-9, '_' and '-' are allowed (pattern [a-z][a-z0-9_-]{0,63})");
            }
        }
    }

    /**
     * Checks an entity id: non-null, non-empty, at most 256 bytes in UTF-8, no ISO control characters and
     * no unpaired surrogates. Does not allocate when valid.
     *
     * @param entityId the entity id
     * @throws IllegalArgumentException naming the problem and the value
     */
    public static void validateEntityId(String entityId) {
        entityIdLength(entityId);
    }

    /**
     * Validates an entity id as {@link #validateEntityId} does and returns its UTF-8 length.
     *
     * @param entityId the entity id
     * @return its length in UTF-8 bytes
     */
    static int entityIdLength(String entityId) {
        if (entityId == null) {
            throw new IllegalArgumentException("entity id is null");
        }
        if (entityId.isEmpty()) {
            throw new IllegalArgumentException("entity id is empty");
        }
        for (int i = 0; i < entityId.length(); i++) {
            char c = entityId.charAt(i);
            if (Character.isISOControl(c)) {
                throw new IllegalArgumentException("entity id '" + printable(entityId)
                        + "' contains the control character U+" + String.format("%04X", (int) c) + " at index " + i);
            }
        }
        int bytes;
        try {
            bytes = Utf8.encodedLength(entityId);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("entity id '" + printable(entityId) + "': " + e.getMessage(), e);
        }
        if (bytes > MAX_ENTITY_ID_BYTES) {
            throw new IllegalArgumentException("entity id is " + bytes + " bytes in UTF-8; the limit is "
                    + MAX_ENTITY_ID_BYTES);
        }
        return bytes;
    }

    /**
     * Reads the frame length field.
     *
     * @param buf    the bytes
     * @param offset where the frame starts
     * @return the frame length field (unvalidated)
     */
    public static int peekFrameLength(byte[] buf, int offset) {
        return dev.hindsight.codec.internal.LittleEndian.getInt(buf, offset + LENGTH_OFFSET);
    }

    static String printable(String s) {
        StringBuilder sb = new StringBuilder();
        int n = Math.min(s.length(), 80);
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (Character.isISOControl(c) || Character.isSurrogate(c)) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        if (s.length() > n) {
            sb.append("...");
        }
        return sb.toString();
    }
}
