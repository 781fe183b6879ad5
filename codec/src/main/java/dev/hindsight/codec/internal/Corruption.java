package dev.hindsight.codec.internal;

/**
 * Internal signal that decoded bytes are invalid; the public classes turn it into a
 * {@link dev.hindsight.codec.CorruptFrameException} naming the source and position. Carries no stack trace.
 * Immutable and thread-safe.
 */
public final class Corruption extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final long offset;

    /**
     * @param reason what is wrong
     * @param offset where, relative to the start of the block being decoded
     */
    public Corruption(String reason, long offset) {
        super(reason, null, false, false);
        this.offset = offset;
    }

    /** @return where, relative to the start of the block being decoded */
    public long offset() {
        return offset;
    }
}
