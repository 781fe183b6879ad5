package dev.hindsight.engine;

/**
 * {@code create} named an entity that already exists (or existed: a destroyed entity keeps its id). Nothing
 * was recorded. Immutable.
 */
public final class ResourceExistsException extends HindsightException {
    private static final long serialVersionUID = 1L;

    /** @param message which entity, at which version */
    public ResourceExistsException(String message) {
        super(message);
    }
}
