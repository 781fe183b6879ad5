package dev.hindsight.engine;

/** Another process (or another open store in this process) already writes to the directory. Immutable. */
public final class StoreLockedException extends HindsightException {
    private static final long serialVersionUID = 1L;

    /** @param message which directory and who holds it */
    public StoreLockedException(String message) {
        super(message);
    }
}
