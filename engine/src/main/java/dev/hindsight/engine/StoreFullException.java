package dev.hindsight.engine;

/** The journal's file system has too little free space to append safely; nothing was written. Immutable. */
public final class StoreFullException extends HindsightException {
    private static final long serialVersionUID = 1L;

    /** @param message where, how much is free and how much is needed */
    public StoreFullException(String message) {
        super(message);
    }
}
