package dev.hindsight.engine;

/**
 * Base of the exceptions Hindsight throws for conditions a caller can meet in normal operation.
 * Immutable once thrown.
 */
public class HindsightException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** @param message what happened, with the values involved */
    public HindsightException(String message) {
        super(message);
    }

    /**
     * @param message what happened, with the values involved
     * @param cause   the underlying failure
     */
    public HindsightException(String message, Throwable cause) {
        super(message, cause);
    }

    /** For expected, frequent conditions: no stack trace, so throwing is cheap. */
    protected HindsightException(String message, boolean cheap) {
        super(message, null, !cheap, !cheap);
    }
}
