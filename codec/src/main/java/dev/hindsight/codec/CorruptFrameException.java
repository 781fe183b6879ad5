package dev.hindsight.codec;

/**
 * Thrown when bytes read from storage (a frame, a payload, a metadata block or the schema catalog file)
 * are not what a Hindsight writer produces: a bad length, a CRC mismatch, malformed UTF-8, a value out of
 * bounds, trailing bytes, and so on.
 *
 * <p>The {@linkplain #source() source} names where the bytes came from (a file name or a description) and
 * the {@linkplain #position() position} says where in it (a byte position or a journal index: whatever the
 * caller passed). Instances are immutable and therefore thread-safe.
 */
public class CorruptFrameException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String source;
    private final long position;
    private final String reason;

    /**
     * @param source   the file name or description of where the bytes came from
     * @param position the byte position or journal index of the corrupt data
     * @param reason   what is wrong with the bytes
     */
    public CorruptFrameException(String source, long position, String reason) {
        this(source, position, reason, null);
    }

    /**
     * @param source   the file name or description of where the bytes came from
     * @param position the byte position or journal index of the corrupt data
     * @param reason   what is wrong with the bytes
     * @param cause    the underlying failure, may be null
     */
    public CorruptFrameException(String source, long position, String reason, Throwable cause) {
        super("corrupt frame in " + source + " at position " + position + ": " + reason, cause);
        this.source = source;
        this.position = position;
        this.reason = reason;
    }

    /** @return the file name or description of where the corrupt bytes came from */
    public String source() {
        return source;
    }

    /** @return the byte position or journal index the caller associated with the corrupt bytes */
    public long position() {
        return position;
    }

    /** @return what is wrong with the bytes */
    public String reason() {
        return reason;
    }
}
