package dev.hindsight.engine;

/** The store was closed (or failed) before the operation could run; nothing was written. Immutable. */
public final class StoreClosedException extends HindsightException {
    private static final long serialVersionUID = 1L;

    /** @param message which store and why */
    public StoreClosedException(String message) {
        super(message);
    }
}
