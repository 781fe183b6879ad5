package dev.hindsight.engine;

/**
 * An append stated an expected version and the entity was at another one; nothing was written.
 * Expected under contention, so it is cheap to throw (no stack trace). Immutable.
 */
public final class WrongExpectedVersionException extends HindsightException {
    private static final long serialVersionUID = 1L;
    private final String resourceType;
    private final String entityId;
    private final long expectedVersion;
    private final long actualVersion;

    /**
     * @param resourceType    the entity's resource type
     * @param entityId        the entity's id
     * @param expectedVersion what the append expected ({@link ExpectedVersion#NO_STREAM} or a version)
     * @param actualVersion   the version the entity was at
     */
    public WrongExpectedVersionException(String resourceType, String entityId, long expectedVersion, long actualVersion) {
        super(null, true); // the message is built only if someone asks for it: conflicts are frequent, reading them is not
        this.resourceType = resourceType;
        this.entityId = entityId;
        this.expectedVersion = expectedVersion;
        this.actualVersion = actualVersion;
    }

    @Override
    public String getMessage() {
        return "expected " + ExpectedVersion.describe(expectedVersion) + " of " + resourceType + "/" + entityId
                + " but it is at " + (actualVersion == 0 ? "version 0 (no events)" : "version " + actualVersion);
    }

    /** @return the entity's resource type */
    public String resourceType() {
        return resourceType;
    }

    /** @return the entity's id */
    public String entityId() {
        return entityId;
    }

    /** @return the version the append expected */
    public long expectedVersion() {
        return expectedVersion;
    }

    /** @return the version the entity was at when the sequencer checked */
    public long actualVersion() {
        return actualVersion;
    }
}
