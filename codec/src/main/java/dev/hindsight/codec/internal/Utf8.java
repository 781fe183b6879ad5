package dev.hindsight.codec.internal;

import java.nio.charset.StandardCharsets;

/**
 * Allocation-free UTF-8 length calculation, encoding and comparison, and strict validation before decoding.
 * Stateless and thread-safe.
 */
public final class Utf8 {
    private Utf8() {
    }

    /**
     * @param s a string
     * @return the number of bytes of its UTF-8 encoding
     * @throws IllegalArgumentException if it contains an unpaired surrogate (which UTF-8 cannot represent)
     */
    public static int encodedLength(CharSequence s) {
        int n = s.length();
        int bytes = n;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                continue;
            }
            if (c < 0x800) {
                bytes += 1;
            } else if (Character.isSurrogate(c)) {
                if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                    bytes += 2; // 4 bytes for 2 chars
                    i++;
                } else {
                    throw new IllegalArgumentException("string contains an unpaired surrogate at index " + i);
                }
            } else {
                bytes += 2;
            }
        }
        return bytes;
    }

    /**
     * Encodes a string whose length was checked with {@link #encodedLength}.
     *
     * @param s   the string (no unpaired surrogates)
     * @param buf the destination
     * @param pos where to start writing
     * @return the position after the last byte written
     */
    public static int encode(CharSequence s, byte[] buf, int pos) {
        int n = s.length();
        int i = 0;
        while (i < n) { // ASCII fast path
            char c = s.charAt(i);
            if (c >= 0x80) {
                break;
            }
            buf[pos++] = (byte) c;
            i++;
        }
        for (; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                buf[pos++] = (byte) c;
            } else if (c < 0x800) {
                buf[pos++] = (byte) (0xC0 | (c >> 6));
                buf[pos++] = (byte) (0x80 | (c & 0x3F));
            } else if (Character.isHighSurrogate(c)) {
                int cp = Character.toCodePoint(c, s.charAt(++i));
                buf[pos++] = (byte) (0xF0 | (cp >> 18));
                buf[pos++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
                buf[pos++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
                buf[pos++] = (byte) (0x80 | (cp & 0x3F));
            } else {
                buf[pos++] = (byte) (0xE0 | (c >> 12));
                buf[pos++] = (byte) (0x80 | ((c >> 6) & 0x3F));
                buf[pos++] = (byte) (0x80 | (c & 0x3F));
            }
        }
        return pos;
    }

    /**
     * Strictly validates UTF-8: no overlong forms, no surrogates, nothing above U+10FFFF, no truncation.
     *
     * @param buf the bytes
     * @param off the first byte
     * @param len the number of bytes
     * @return -1 if valid, else the offset (relative to {@code off}) of the first invalid sequence
     */
    public static int invalidAt(byte[] buf, int off, int len) {
        int i = off;
        int end = off + len;
        while (i < end) {
            int b = buf[i];
            if (b >= 0) {
                i++;
                continue;
            }
            b &= 0xFF;
            int need;
            int min;
            if (b >= 0xC2 && b <= 0xDF) {
                need = 1;
                min = 0x80;
            } else if (b >= 0xE0 && b <= 0xEF) {
                need = 2;
                min = 0x800;
            } else if (b >= 0xF0 && b <= 0xF4) {
                need = 3;
                min = 0x10000;
            } else {
                return i - off;
            }
            if (end - i <= need) {
                return i - off;
            }
            int cp = b & (0x3F >> need);
            for (int k = 1; k <= need; k++) {
                int c = buf[i + k] & 0xFF;
                if ((c & 0xC0) != 0x80) {
                    return i - off;
                }
                cp = (cp << 6) | (c & 0x3F);
            }
            if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
                return i - off;
            }
            i += need + 1;
        }
        return -1;
    }

    /**
     * Decodes bytes already validated with {@link #invalidAt}.
     *
     * @param buf the bytes
     * @param off the first byte
     * @param len the number of bytes
     * @return the string
     */
    public static String decodeValid(byte[] buf, int off, int len) {
        return new String(buf, off, len, StandardCharsets.UTF_8);
    }

    /**
     * Compares a string with UTF-8 bytes without allocating.
     *
     * @param s   the string
     * @param buf the bytes
     * @param off the first byte
     * @param len the number of bytes
     * @return true if the bytes are exactly the UTF-8 encoding of {@code s}
     */
    public static boolean equals(String s, byte[] buf, int off, int len) {
        int n = s.length();
        int p = off;
        int end = off + len;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                if (p >= end || buf[p++] != (byte) c) {
                    return false;
                }
            } else if (c < 0x800) {
                if (end - p < 2 || buf[p] != (byte) (0xC0 | (c >> 6)) || buf[p + 1] != (byte) (0x80 | (c & 0x3F))) {
                    return false;
                }
                p += 2;
            } else if (Character.isSurrogate(c)) {
                if (!Character.isHighSurrogate(c) || i + 1 >= n || !Character.isLowSurrogate(s.charAt(i + 1))) {
                    return false;
                }
                int cp = Character.toCodePoint(c, s.charAt(++i));
                if (end - p < 4 || buf[p] != (byte) (0xF0 | (cp >> 18))
                        || buf[p + 1] != (byte) (0x80 | ((cp >> 12) & 0x3F))
                        || buf[p + 2] != (byte) (0x80 | ((cp >> 6) & 0x3F))
                        || buf[p + 3] != (byte) (0x80 | (cp & 0x3F))) {
                    return false;
                }
                p += 4;
            } else {
                if (end - p < 3 || buf[p] != (byte) (0xE0 | (c >> 12))
                        || buf[p + 1] != (byte) (0x80 | ((c >> 6) & 0x3F))
                        || buf[p + 2] != (byte) (0x80 | (c & 0x3F))) {
                    return false;
                }
                p += 3;
            }
        }
        return p == end;
    }
}
