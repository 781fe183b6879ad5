package dev.hindsight.codec;

import java.util.Objects;

/**
 * The registrations of one resource type's standard events ({@link Created}, {@link Updated},
 * {@link Deleted}), bound to its state record. Immutable and thread-safe.
 */
public final class StandardEventTypes {
    private final String resourceType;
    private final Class<? extends Record> stateClass;
    private final Registration created;
    private final Registration updated;
    private final Registration deleted;

    StandardEventTypes(String resourceType, Class<? extends Record> stateClass, Registration created,
                       Registration updated, Registration deleted) {
        this.resourceType = resourceType;
        this.stateClass = stateClass;
        this.created = Objects.requireNonNull(created, "created");
        this.updated = Objects.requireNonNull(updated, "updated");
        this.deleted = Objects.requireNonNull(deleted, "deleted");
    }

    /** @return the resource type */
    public String resourceType() {
        return resourceType;
    }

    /** @return the state record */
    public Class<? extends Record> stateClass() {
        return stateClass;
    }

    /** @return the Created registration */
    public Registration created() {
        return created;
    }

    /** @return the Updated registration */
    public Registration updated() {
        return updated;
    }

    /** @return the Deleted registration */
    public Registration deleted() {
        return deleted;
    }

    /**
     * A fingerprint of the state record's shape (its fields, their types and order, and the schema version):
     * it changes whenever a snapshot of the old shape must not be decoded into the new one.
     *
     * @return the fingerprint
     */
    public long stateFingerprint() {
        return created.schema().fingerprint();
    }

    @Override
    public String toString() {
        return "StandardEventTypes{" + resourceType + ": " + stateClass.getName() + "}";
    }
}
