package dev.hindsight.tools.inspect;

import java.util.Map;
import java.util.Optional;

/**
 * Where {@code hindsight state} may start folding instead of version 1: a state already folded up to some
 * version by the application's own code, i.e. a snapshot ({@code SnapshotBaseline} reads the snapshot store).
 * {@link #NONE} makes {@code state} replay from the first event ({@code --no-snapshots}). A baseline is derived
 * data: {@code state} uses it only if the journal's event at its version has its position and timestamp.
 * Implementations must be read-only on the store; they need not be thread-safe.
 */
public interface StateBaseline {
    /** No baseline: fold from version 1. */
    StateBaseline NONE = (resource, id, maxVersion, maxTimestampNanos) -> Optional.empty();

    /**
     * A starting point.
     *
     * @param version        the version the state is at
     * @param globalPosition that version's global position
     * @param timestampNanos that version's timestamp, epoch ns
     * @param attributes     the state's attributes, as generic values (see {@code GenericEvent})
     * @param deleted        whether the entity was deleted at that version
     */
    record Baseline(long version, long globalPosition, long timestampNanos, Map<String, Object> attributes, boolean deleted) {
    }

    /**
     * @param resource          the resource type
     * @param id                the entity id
     * @param maxVersion        the baseline must be at this version or before
     * @param maxTimestampNanos and at this instant or before
     * @return the latest usable baseline, if any
     */
    Optional<Baseline> latest(String resource, String id, long maxVersion, long maxTimestampNanos);
}
