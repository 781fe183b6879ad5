package dev.hindsight.codec.internal;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.UUID;

/**
 * Bounds-checked payload reads: every length and count is checked against the bytes remaining before
 * anything is allocated. Failures throw {@link Corruption}. Stateless and thread-safe.
 */
public final class Reads {
    private static final long MIN_INSTANT_SECOND = Instant.MIN.getEpochSecond();
    private static final long MAX_INSTANT_SECOND = Instant.MAX.getEpochSecond();

    private Reads() {
    }

    private static void need(PayloadInput in, int n, String what) {
        if (in.remaining() < n) {
            throw in.corrupt("payload ends inside " + what + " (" + n + " bytes needed, " + in.remaining() + " left)");
        }
    }

    /** @param in input @return true if a value follows, false for null */
    public static boolean present(PayloadInput in) {
        need(in, 1, "a presence byte");
        int b = in.readByte();
        if (b == 1) {
            return true;
        }
        if (b == 0) {
            return false;
        }
        throw new Corruption("presence byte is " + (b & 0xFF) + "; only 0 and 1 are valid", in.offset() - 1);
    }

    /** @param in input @return the boolean */
    public static boolean bool(PayloadInput in) {
        need(in, 1, "a boolean");
        int b = in.readByte();
        if (b != 0 && b != 1) {
            throw new Corruption("boolean byte is " + (b & 0xFF) + "; only 0 and 1 are valid", in.offset() - 1);
        }
        return b == 1;
    }

    /** @param in input @return the byte */
    public static byte int8(PayloadInput in) {
        need(in, 1, "a byte");
        return in.readByte();
    }

    /** @param in input @return the short */
    public static short int16(PayloadInput in) {
        need(in, 2, "a short");
        return in.readShort();
    }

    /** @param in input @return the char */
    public static char char16(PayloadInput in) {
        need(in, 2, "a char");
        return in.readChar();
    }

    /** @param in input @return the zigzag varint */
    public static int varint(PayloadInput in) {
        if (!in.canReadVarInt()) {
            throw in.corrupt("payload ends inside a varint");
        }
        return in.readVarInt(false);
    }

    /** @param in input @return the unsigned varint (negative if the encoding overflows) */
    public static int uvarint(PayloadInput in) {
        if (!in.canReadVarInt()) {
            throw in.corrupt("payload ends inside a varint");
        }
        return in.readVarInt(true);
    }

    /** @param in input @return the zigzag varlong */
    public static long varlong(PayloadInput in) {
        if (!in.canReadVarLong()) {
            throw in.corrupt("payload ends inside a varlong");
        }
        return in.readVarLong(false);
    }

    /** @param in input @return the float */
    public static float float32(PayloadInput in) {
        need(in, 4, "a float");
        return in.readFloat();
    }

    /** @param in input @return the double */
    public static double float64(PayloadInput in) {
        need(in, 8, "a double");
        return in.readDouble();
    }

    /** @param in input @return the long */
    public static long int64(PayloadInput in) {
        need(in, 8, "a long");
        return in.readLong();
    }

    /**
     * @param in   input
     * @param what what the length is of
     * @return a varint length checked against the bytes remaining
     */
    public static int length(PayloadInput in, String what) {
        int at = in.offset();
        int n = uvarint(in);
        if (n < 0 || n > in.remaining()) {
            throw new Corruption(what + " length " + Integer.toUnsignedString(n) + " exceeds the " + in.remaining()
                    + " bytes left in the payload", at);
        }
        return n;
    }

    /**
     * @param in       input
     * @param minWidth the fewest bytes one element can take (0 for zero-width records)
     * @param what     "list" or "map"
     * @return a varint element count checked against the bytes remaining and the collection limit
     */
    public static int count(PayloadInput in, int minWidth, String what) {
        int at = in.offset();
        int n = uvarint(in);
        if (n < 0 || n > in.maxCollectionSize()) {
            throw new Corruption(what + " count " + Integer.toUnsignedString(n) + " exceeds the limit of "
                    + in.maxCollectionSize(), at);
        }
        if (minWidth > 0) {
            if ((long) n * minWidth > in.remaining()) {
                throw new Corruption(what + " count " + n + " needs at least " + (long) n * minWidth
                        + " bytes but " + in.remaining() + " are left", at);
            }
        } else {
            in.addZeroWidthElements(n);
        }
        return n;
    }

    /** @param in input @return the UTF-8 string */
    public static String string(PayloadInput in) {
        int n = length(in, "string");
        int p = in.position();
        byte[] buf = in.getBuffer();
        int bad = Utf8.invalidAt(buf, p, n);
        if (bad >= 0) {
            throw new Corruption("string is not valid UTF-8", in.offset() + bad);
        }
        in.setPosition(p + n);
        return Utf8.decodeValid(buf, p, n);
    }

    /** @param in input @return the byte array */
    public static byte[] bytes(PayloadInput in) {
        int n = length(in, "byte array");
        return in.readBytes(n);
    }

    /** @param in input @return the instant */
    public static Instant instant(PayloadInput in) {
        int at = in.offset();
        long seconds = varlong(in);
        int nanos = uvarint(in);
        if (seconds < MIN_INSTANT_SECOND || seconds > MAX_INSTANT_SECOND) {
            throw new Corruption("instant epoch second " + seconds + " is out of range", at);
        }
        if (nanos < 0 || nanos > 999_999_999) {
            throw new Corruption("instant nanos " + Integer.toUnsignedString(nanos) + " is outside 0..999999999", at);
        }
        return Instant.ofEpochSecond(seconds, nanos);
    }

    /** @param in input @return the UUID */
    public static UUID uuid(PayloadInput in) {
        need(in, 16, "a UUID");
        return new UUID(in.readLong(), in.readLong());
    }

    /** @param in input @return the decimal */
    public static BigDecimal bigDecimal(PayloadInput in) {
        int scale = varint(in);
        int at = in.offset();
        int n = length(in, "decimal");
        if (n == 0) {
            throw new Corruption("decimal has no unscaled bytes", at);
        }
        return new BigDecimal(new BigInteger(in.readBytes(n)), scale);
    }
}
