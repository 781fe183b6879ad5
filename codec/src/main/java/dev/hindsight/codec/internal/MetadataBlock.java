package dev.hindsight.codec.internal;

import dev.hindsight.codec.EventMetadata;
import dev.hindsight.codec.FrameFormat;
import java.util.Map;

/** Encodes and decodes the metadata block of a frame (see {@link FrameFormat}). Stateless and thread-safe. */
public final class MetadataBlock {
    private static final String[] NAMES = {"actor", "correlationId", "causationId", "reason"};

    private MetadataBlock() {
    }

    /**
     * Writes the block; the caller has made room for {@link EventMetadata#encodedLength()} bytes.
     *
     * @param m   the metadata
     * @param buf the destination
     * @param pos where to start
     * @return the position after the block
     */
    public static int write(EventMetadata m, byte[] buf, int pos) {
        pos = writeNullable(m.actor(), buf, pos);
        pos = writeNullable(m.correlationId(), buf, pos);
        pos = writeNullable(m.causationId(), buf, pos);
        pos = writeNullable(m.reason(), buf, pos);
        Map<String, String> attributes = m.attributes();
        buf[pos++] = (byte) attributes.size();
        if (!attributes.isEmpty()) {
            for (Map.Entry<String, String> e : attributes.entrySet()) {
                pos = writeString(e.getKey(), buf, pos);
                pos = writeString(e.getValue(), buf, pos);
            }
        }
        return pos;
    }

    private static int writeNullable(String s, byte[] buf, int pos) {
        if (s == null) {
            LittleEndian.putU16(buf, pos, FrameFormat.NULL_STRING_LENGTH);
            return pos + 2;
        }
        return writeString(s, buf, pos);
    }

    private static int writeString(String s, byte[] buf, int pos) {
        int end = Utf8.encode(s, buf, pos + 2);
        LittleEndian.putU16(buf, pos, end - pos - 2);
        return end;
    }

    /**
     * Decodes and validates a block.
     *
     * @param buf the bytes
     * @param off where the block starts
     * @param len the block's declared length
     * @return the metadata
     * @throws Corruption with an offset relative to {@code off}
     */
    public static EventMetadata read(byte[] buf, int off, int len) {
        if (len == FrameFormat.MIN_METADATA_LENGTH && isEmptyBlock(buf, off)) {
            return EventMetadata.NONE; // the common case, without the general path's per-call arrays
        }
        int end = off + len;
        int[] cursor = {off};
        String[] strings = new String[4];
        for (int i = 0; i < 4; i++) {
            strings[i] = readString(buf, cursor, end, NAMES[i], true, FrameFormat.MAX_METADATA_STRING_BYTES, off);
        }
        if (cursor[0] >= end) {
            throw new Corruption("metadata block ends before the attribute count", cursor[0] - off);
        }
        int count = buf[cursor[0]++] & 0xFF;
        if (count > FrameFormat.MAX_ATTRIBUTES) {
            throw new Corruption("metadata has " + count + " attributes; the limit is " + FrameFormat.MAX_ATTRIBUTES,
                    cursor[0] - 1 - off);
        }
        if (count == 0 && strings[0] == null && strings[1] == null && strings[2] == null && strings[3] == null) {
            checkEnd(cursor[0], end, off);
            return EventMetadata.NONE;
        }
        EventMetadata.Builder b = EventMetadata.builder().actor(strings[0]).correlationId(strings[1])
                .causationId(strings[2]).reason(strings[3]);
        java.util.HashSet<String> seen = new java.util.HashSet<>();
        for (int i = 0; i < count; i++) {
            int at = cursor[0] - off;
            String key = readString(buf, cursor, end, "attribute key", false, FrameFormat.MAX_ATTRIBUTE_KEY_BYTES, off);
            if (key.isEmpty()) {
                throw new Corruption("attribute key is empty", at);
            }
            if (!seen.add(key)) {
                throw new Corruption("attribute key '" + key + "' appears twice", at);
            }
            String value = readString(buf, cursor, end, "attribute value", false,
                    FrameFormat.MAX_METADATA_STRING_BYTES, off);
            b.attribute(key, value);
        }
        checkEnd(cursor[0], end, off);
        try {
            return b.build();
        } catch (IllegalArgumentException e) {
            throw new Corruption("invalid metadata: " + e.getMessage(), 0);
        }
    }

    /** @return true if the 9 bytes at {@code off} are the empty block: four null strings and no attribute */
    private static boolean isEmptyBlock(byte[] buf, int off) {
        return LittleEndian.getLong(buf, off) == -1L && buf[off + 8] == 0;
    }

    private static void checkEnd(int pos, int end, int off) {
        if (pos != end) {
            throw new Corruption("metadata block has " + (end - pos) + " trailing bytes", pos - off);
        }
    }

    private static String readString(byte[] buf, int[] cursor, int end, String what, boolean nullable, int max,
                                     int off) {
        int pos = cursor[0];
        if (end - pos < 2) {
            throw new Corruption("metadata block ends inside the length of " + what, pos - off);
        }
        int len = LittleEndian.getU16(buf, pos);
        pos += 2;
        if (len == FrameFormat.NULL_STRING_LENGTH && nullable) {
            cursor[0] = pos;
            return null;
        }
        if (len > max) {
            throw new Corruption(what + " is " + len + " bytes; the limit is " + max, pos - 2 - off);
        }
        if (len > end - pos) {
            throw new Corruption(what + " length " + len + " exceeds the " + (end - pos)
                    + " bytes left in the metadata block", pos - 2 - off);
        }
        int bad = Utf8.invalidAt(buf, pos, len);
        if (bad >= 0) {
            throw new Corruption(what + " is not valid UTF-8", pos + bad - off);
        }
        cursor[0] = pos + len;
        return Utf8.decodeValid(buf, pos, len);
    }
}
