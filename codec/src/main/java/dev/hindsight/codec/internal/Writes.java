package dev.hindsight.codec.internal;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

/** Payload writes shared by the value codecs. Stateless and thread-safe. */
public final class Writes {
    private Writes() {
    }

    /**
     * Writes a varint byte length and the UTF-8 bytes, without allocating.
     *
     * @param out the output
     * @param s   the string
     * @throws IllegalArgumentException if the string has an unpaired surrogate
     */
    public static void string(FrameOutput out, String s) {
        int n = Utf8.encodedLength(s);
        out.writeVarInt(n, true);
        out.ensure(n);
        out.setPosition(Utf8.encode(s, out.getBuffer(), out.position()));
    }

    /** @param out output @param utf8 pre-encoded UTF-8 bytes, written as a string */
    public static void utf8(FrameOutput out, byte[] utf8) {
        out.writeVarInt(utf8.length, true);
        out.writeBytes(utf8);
    }

    /** @param out output @param b bytes */
    public static void bytes(FrameOutput out, byte[] b) {
        out.writeVarInt(b.length, true);
        out.writeBytes(b);
    }

    /** @param out output @param t instant */
    public static void instant(FrameOutput out, Instant t) {
        out.writeVarLong(t.getEpochSecond(), false);
        out.writeVarInt(t.getNano(), true);
    }

    /** @param out output @param u uuid */
    public static void uuid(FrameOutput out, UUID u) {
        out.writeLong(u.getMostSignificantBits());
        out.writeLong(u.getLeastSignificantBits());
    }

    /** @param out output @param d decimal (allocates the unscaled byte array) */
    public static void bigDecimal(FrameOutput out, BigDecimal d) {
        out.writeVarInt(d.scale(), false);
        bytes(out, d.unscaledValue().toByteArray());
    }

    /**
     * Writes a collection count after checking it against the limit.
     *
     * @param out      output
     * @param n        the size
     * @param minWidth the element type's minimum width
     * @param what     what the collection is
     */
    public static void count(FrameOutput out, int n, int minWidth, String what) {
        if (n > out.maxCollectionSize()) {
            throw new IllegalArgumentException(what + " has " + n + " elements; the limit is "
                    + out.maxCollectionSize());
        }
        if (minWidth == 0) {
            out.addZeroWidthElements(n);
        }
        out.writeVarInt(n, true);
    }
}
