package dev.hindsight.tools.internal;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * Text the commands print: values made safe for a terminal (control characters escaped, so a hostile
 * payload cannot move the cursor or clear the screen) and for JSON. Stateless, thread-safe.
 */
public final class Text {
    /** Table timestamps: UTC with microseconds. */
    public static final DateTimeFormatter TABLE_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS").withZone(ZoneOffset.UTC);

    private Text() {
    }

    /**
     * @param s any string, may be null
     * @return the string with ISO control characters, DEL, C1 controls, line/paragraph separators and bidi
     *     controls written as {@code \n}, {@code \t}, {@code \x1b} or a backslash-u escape (U+202E); backslashes doubled;
     *     "-" for null
     */
    public static String safe(String s) {
        if (s == null) {
            return "-";
        }
        int i = 0;
        while (i < s.length() && !needsEscape(s.charAt(i))) {
            i++;
        }
        if (i == s.length()) {
            return s;
        }
        StringBuilder sb = new StringBuilder(s.length() + 16).append(s, 0, i);
        for (; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!needsEscape(c)) {
                sb.append(c);
            } else if (c == '\\') {
                sb.append("\\\\");
            } else if (c == '\n') {
                sb.append("\\n");
            } else if (c == '\r') {
                sb.append("\\r");
            } else if (c == '\t') {
                sb.append("\\t");
            } else if (c < 0x100) {
                sb.append(String.format("\\x%02x", (int) c));
            } else {
                sb.append(String.format("\\u%04x", (int) c));
            }
        }
        return sb.toString();
    }

    /**
     * Like {@link #safe}, but leaves backslashes alone: for messages that may quote stored or user-supplied
     * text (file names, payload values in a decoding error) but are already readable text.
     *
     * @param s a message, may be null
     * @return the message with control, line-separator and bidi characters escaped
     */
    public static String controls(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder sb = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '\\' && needsEscape(c)) {
                if (sb == null) {
                    sb = new StringBuilder(s.length() + 16).append(s, 0, i);
                }
                sb.append(c == '\n' ? "\\n" : c == '\r' ? "\\r" : c == '\t' ? "\\t"
                        : c < 0x100 ? String.format("\\x%02x", (int) c) : String.format("\\u%04x", (int) c));
            } else if (sb != null) {
                sb.append(c);
            }
        }
        return sb == null ? s : sb.toString();
    }

    private static boolean needsEscape(char c) {
        return c < 0x20 || (c >= 0x7F && c < 0xA0) || c == '\\' || c == '\u2028' || c == '\u2029'
                || (c >= '\u200E' && c <= '\u200F') || (c >= '\u202A' && c <= '\u202E') || (c >= '\u2066' && c <= '\u2069');
    }

    /**
     * Writes a JSON string. Besides what JSON requires, DEL, C1 controls, line and paragraph separators and
     * bidi controls are written as backslash-u escapes, so JSON printed to a terminal is safe too.
     *
     * @param sb where to write
     * @param s  a string, may be null
     */
    public static void jsonString(StringBuilder sb, String s) {
        if (s == null) {
            sb.append("null");
            return;
        }
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (needsEscape(c)) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }

    /**
     * Writes a generically decoded value (see {@code dev.hindsight.codec.GenericEvent}) as JSON, as the codec
     * does for events: byte arrays base64, instants ISO-8601, UUIDs and chars as strings, non-finite numbers as
     * strings, maps and nested records as objects.
     *
     * @param sb    where to write
     * @param value the value
     */
    public static void json(StringBuilder sb, Object value) {
        if (value == null) {
            sb.append("null");
        } else if (value instanceof String s) {
            jsonString(sb, s);
        } else if (value instanceof Boolean || value instanceof Byte || value instanceof Short
                || value instanceof Integer || value instanceof Long || value instanceof BigDecimal) {
            sb.append(value);
        } else if (value instanceof Float f) {
            if (f.isNaN() || f.isInfinite()) {
                jsonString(sb, f.toString());
            } else {
                sb.append(f);
            }
        } else if (value instanceof Double d) {
            if (d.isNaN() || d.isInfinite()) {
                jsonString(sb, d.toString());
            } else {
                sb.append(d);
            }
        } else if (value instanceof byte[] b) {
            jsonString(sb, Base64.getEncoder().encodeToString(b));
        } else if (value instanceof Map<?, ?> m) {
            sb.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if (!first) {
                    sb.append(',');
                }
                first = false;
                jsonString(sb, String.valueOf(e.getKey()));
                sb.append(':');
                json(sb, e.getValue());
            }
            sb.append('}');
        } else if (value instanceof List<?> l) {
            sb.append('[');
            for (int i = 0; i < l.size(); i++) {
                if (i > 0) {
                    sb.append(',');
                }
                json(sb, l.get(i));
            }
            sb.append(']');
        } else {
            jsonString(sb, value.toString());
        }
    }

    /** @param value a generic value @return it as JSON */
    public static String json(Object value) {
        StringBuilder sb = new StringBuilder();
        json(sb, value);
        return sb.toString();
    }

    /** @param epochNanos a timestamp @return it as an instant */
    public static Instant instant(long epochNanos) {
        return Instant.ofEpochSecond(Math.floorDiv(epochNanos, 1_000_000_000L), Math.floorMod(epochNanos, 1_000_000_000L));
    }

    /** @param epochNanos a timestamp @return ISO-8601 UTC */
    public static String iso(long epochNanos) {
        return instant(epochNanos).toString();
    }

    /** @param epochNanos a timestamp @return UTC with microseconds, for tables */
    public static String tableTime(long epochNanos) {
        return TABLE_TIME.format(instant(epochNanos));
    }

    /**
     * @param store the store directory
     * @param file  a file, maybe inside it
     * @return the file relative to the store when inside it (journal/20261127F.cq4), else as given
     */
    public static String where(Path store, Path file) {
        if (file == null) {
            return "";
        }
        Path f = file.toAbsolutePath().normalize();
        return f.startsWith(store) ? store.relativize(f).toString() : f.toString();
    }

    /** @param n a count @return it with thousands separators (1,234,567) */
    public static String count(long n) {
        return String.format("%,d", n);
    }

    /** @param bytes a size @return it in B, KiB, MiB or GiB */
    public static String bytes(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        double v = bytes;
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format("%.1f %s", v, units[u]);
    }
}
