package dev.hindsight.tools.internal;

import dev.hindsight.codec.CodecLimits;
import dev.hindsight.codec.CorruptFrameException;
import dev.hindsight.codec.EventCodec;
import dev.hindsight.codec.EventSchema;
import dev.hindsight.codec.SchemaCatalog;
import dev.hindsight.engine.inspect.SnapshotSegmentScanner;
import dev.hindsight.engine.inspect.SnapshotStates;
import dev.hindsight.engine.inspect.StoreInspector;
import dev.hindsight.tools.inspect.StateBaseline;

import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * A {@link StateBaseline} from the store's snapshots: the newest snapshot of the entity at or before the
 * version and instant asked for, of the resource type's current state shape, decoded generically. Segments are
 * read with positional reads; a damaged segment or record is skipped from there on, as the store skips it.
 * Not thread-safe.
 */
public final class SnapshotBaseline implements StateBaseline {
    private final StoreInspector store;
    private final SchemaCatalog catalog;

    /**
     * @param store   the store
     * @param catalog its catalog
     */
    public SnapshotBaseline(StoreInspector store, SchemaCatalog catalog) {
        this.store = store;
        this.catalog = catalog;
    }

    @Override
    public Optional<Baseline> latest(String resource, String id, long maxVersion, long maxTimestampNanos) {
        int createdId = catalog.idOf(resource + ".Created");
        EventSchema created = createdId < 0 ? null : catalog.latest(createdId).orElse(null);
        if (created == null) {
            return Optional.empty();
        }
        long fingerprint = SnapshotStates.fingerprintOf(created);
        long bestVersion = 0;
        long bestPosition = -1;
        long bestNanos = 0;
        byte[] bestState = null;
        String bestSource = "";
        long bestOffset = 0;
        List<Path> segments;
        try {
            segments = StoreInspector.filesEndingWith(store.snapshotsDirectory(), ".snap");
        } catch (UncheckedIOException e) {
            return Optional.empty();
        }
        for (Path file : segments) {
            try (SnapshotSegmentScanner segment = store.openSnapshotSegment(file)) {
                if (segment.storeId() != store.storeId()) {
                    continue;
                }
                while (segment.next()) {
                    if (segment.fingerprint() == fingerprint && segment.version() > bestVersion && segment.version() <= maxVersion
                            && segment.timestampNanos() <= maxTimestampNanos && segment.entityId().equals(id)
                            && segment.resourceType().equals(resource)) {
                        bestVersion = segment.version();
                        bestPosition = segment.globalPosition();
                        bestNanos = segment.timestampNanos();
                        bestState = Arrays.copyOfRange(segment.stateBuffer(), segment.stateOffset(), segment.stateOffset() + segment.stateLength());
                        bestSource = file.toString();
                        bestOffset = segment.offset();
                    }
                }
            } catch (CorruptFrameException | UncheckedIOException e) {
                // a damaged segment: what was read before the damage counts, as for the store
            }
        }
        if (bestState == null) {
            return Optional.empty();
        }
        try {
            SnapshotStates.State s = SnapshotStates.decode(new EventCodec(catalog, CodecLimits.defaults()), created, bestState, 0,
                    bestState.length, bestSource, bestOffset);
            return Optional.of(new Baseline(bestVersion, bestPosition, bestNanos, s.attributes(), s.deleted()));
        } catch (CorruptFrameException e) {
            return Optional.empty();
        }
    }
}
