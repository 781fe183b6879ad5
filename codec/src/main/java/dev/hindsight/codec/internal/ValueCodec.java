package dev.hindsight.codec.internal;

/**
 * Encodes and decodes one non-null value of one field type. Implementations are immutable and thread-safe;
 * per-encode state lives in {@link FrameOutput} and {@link PayloadInput}.
 */
public abstract class ValueCodec {
    /**
     * @param out the output
     * @param value the value, never null
     */
    public abstract void write(FrameOutput out, Object value);

    /**
     * @param in the input
     * @return the decoded value, never null
     */
    public abstract Object read(PayloadInput in);

    /** @return the fewest bytes an encoded value takes */
    public int minWidth() {
        return 1;
    }
}
