package dev.hindsight.codec;

/**
 * Thrown when a schema cannot be recorded in a {@link SchemaCatalog} because it contradicts one already
 * there: the same event type id and schema version with different fields, the same id under a different
 * name, or the same name under a different id. Immutable and thread-safe.
 */
public class SchemaConflictException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    /** @param message what conflicts and how to resolve it */
    public SchemaConflictException(String message) {
        super(message);
    }
}
