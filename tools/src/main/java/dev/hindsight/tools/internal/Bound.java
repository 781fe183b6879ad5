package dev.hindsight.tools.internal;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * A {@code --from} or {@code --to} value: a global position (digits) or an instant (ISO-8601:
 * {@code 2026-11-27T10:15:30Z}, with an offset, without a zone meaning UTC, or a date meaning its start in UTC).
 * Immutable.
 *
 * @param position   the position, or -1 for an instant
 * @param epochNanos the instant in epoch nanoseconds (when {@code position} is -1)
 * @param text       what the user wrote
 */
public record Bound(long position, long epochNanos, String text) {
    /**
     * @param option the option's name, for the message
     * @param text   what the user wrote
     * @return the bound
     * @throws CliException (exit 2) naming the option and the accepted forms
     */
    public static Bound parse(String option, String text) {
        String t = text.trim();
        if (t.matches("[0-9]{1,18}")) {
            return new Bound(Long.parseLong(t), 0, text);
        }
        Instant instant = instant(t);
        if (instant == null) {
            throw new CliException(CliException.UNUSABLE, option + ": '" + Text.safe(text) + "' is neither a position (0, 1, 2, ...)"
                    + " nor an instant (2026-11-27T10:15:30Z, 2026-11-27T10:15:30+01:00, 2026-11-27)");
        }
        return new Bound(-1, nanos(instant), text);
    }

    /**
     * @param t text
     * @return the instant it denotes, or null
     */
    public static Instant instant(String t) {
        try {
            return Instant.parse(t);
        } catch (DateTimeException ignored) {
            // try the other forms
        }
        try {
            return OffsetDateTime.parse(t).toInstant();
        } catch (DateTimeException ignored) {
            // try the other forms
        }
        try {
            return LocalDateTime.parse(t).toInstant(ZoneOffset.UTC);
        } catch (DateTimeException ignored) {
            // try the other forms
        }
        try {
            return LocalDate.parse(t).atStartOfDay().toInstant(ZoneOffset.UTC);
        } catch (DateTimeException ignored) {
            return null;
        }
    }

    /** @param instant an instant @return epoch nanoseconds, saturated */
    public static long nanos(Instant instant) {
        long s = instant.getEpochSecond();
        if (s >= Long.MAX_VALUE / 1_000_000_000L) {
            return Long.MAX_VALUE;
        }
        if (s <= Long.MIN_VALUE / 1_000_000_000L) {
            return Long.MIN_VALUE;
        }
        return s * 1_000_000_000L + instant.getNano();
    }

    /** @return true for a position, false for an instant */
    public boolean isPosition() {
        return position >= 0;
    }

    /**
     * @param eventPosition an event's position
     * @param eventNanos    its timestamp
     * @return true if the event is not before this bound (it passes a {@code --from})
     */
    public boolean notBefore(long eventPosition, long eventNanos) {
        return isPosition() ? position <= eventPosition : epochNanos <= eventNanos;
    }

    /**
     * @param eventPosition an event's position
     * @param eventNanos    its timestamp
     * @return true if the event is not after this bound (it passes a {@code --to})
     */
    public boolean notAfter(long eventPosition, long eventNanos) {
        return isPosition() ? position >= eventPosition : epochNanos >= eventNanos;
    }
}
