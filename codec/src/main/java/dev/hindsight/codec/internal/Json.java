package dev.hindsight.codec.internal;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * Writes generically decoded values as JSON: strings escaped (including control characters), byte arrays
 * as base64 strings, instants as ISO-8601 strings, UUIDs and chars as strings, integers and decimals as
 * numbers, non-finite floats as the strings "NaN", "Infinity", "-Infinity". Stateless and thread-safe.
 */
public final class Json {
    private Json() {
    }

    /**
     * @param sb    where to write
     * @param value a value produced by {@link GenericDecoder}
     */
    public static void write(StringBuilder sb, Object value) {
        if (value == null) {
            sb.append("null");
        } else if (value instanceof String s) {
            string(sb, s);
        } else if (value instanceof Boolean || value instanceof Byte || value instanceof Short
                || value instanceof Integer || value instanceof Long) {
            sb.append(value);
        } else if (value instanceof Float f) {
            number(sb, f.isNaN() || f.isInfinite(), f.toString());
        } else if (value instanceof Double d) {
            number(sb, d.isNaN() || d.isInfinite(), d.toString());
        } else if (value instanceof BigDecimal d) {
            sb.append(d); // scientific notation for extreme scales keeps this short
        } else if (value instanceof byte[] b) {
            string(sb, Base64.getEncoder().encodeToString(b));
        } else if (value instanceof Instant || value instanceof Character || value instanceof java.util.UUID) {
            string(sb, value.toString());
        } else if (value instanceof Map<?, ?> m) {
            sb.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if (!first) {
                    sb.append(',');
                }
                first = false;
                string(sb, String.valueOf(e.getKey()));
                sb.append(':');
                write(sb, e.getValue());
            }
            sb.append('}');
        } else if (value instanceof List<?> l) {
            sb.append('[');
            for (int i = 0; i < l.size(); i++) {
                if (i > 0) {
                    sb.append(',');
                }
                write(sb, l.get(i));
            }
            sb.append(']');
        } else {
            string(sb, value.toString());
        }
    }

    private static void number(StringBuilder sb, boolean special, String text) {
        if (special) {
            string(sb, text);
        } else {
            sb.append(text);
        }
    }

    /**
     * @param sb where to write
     * @param s  the string to quote and escape
     */
    public static void string(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                default -> {
                    if (c < 0x20 || c == 0x7F || c == '\u2028' || c == '\u2029') {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }
}
