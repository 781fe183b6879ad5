package dev.hindsight.engine;

/**
 * A resource action named an entity that does not exist or was destroyed. Nothing was recorded. Immutable.
 */
public final class ResourceNotFoundException extends HindsightException {
    private static final long serialVersionUID = 1L;

    /** @param message what was asked of which entity, and why it cannot be done */
    public ResourceNotFoundException(String message) {
        super(message);
    }
}
