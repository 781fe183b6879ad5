package dev.hindsight.engine.internal;

import java.nio.file.Path;

/**
 * Where a store keeps its files. Immutable, thread-safe.
 *
 * <pre>
 * DIR/
 *   hindsight.store    store marker: format version, roll cycle, creation time, CRC (see StoreMarker)
 *   hindsight.lock     OS file lock held by the one writer process (contains its pid)
 *   catalog.bin        schema catalog: every event type, schema version and field (codec's SchemaCatalogFile)
 *   journal/           Chronicle Queue files: the source of truth (*.cq4, metadata.cq4t)
 *   journal-cuts.bin   excerpts cut from the journal's torn tail by recovery (see JournalCuts)
 *   index.rebuild/    a rebuild in progress; replaces index/ once recovery succeeds
 *   index/             derived, rebuilt from the journal when missing or suspect:
 *     heads.cm         Chronicle Map: entity -> head version, first and last timestamp
 *     blocks.cm        Chronicle Map: entity + block -> up to 32 (excerpt index, timestamp)
 *     index.state      indexer checkpoint and clean-shutdown flag (see IndexState)
 *   subscriptions/     durable subscriptions' checkpoints and parked events (see SubscriptionManager)
 *   snapshots/         derived, may be deleted at any time the store is closed (see SnapshotFormat):
 *     0000000000000000.snap  memory-mapped segments of snapshot records, named by sequence number
 *     snapshots.lock   OS file lock of the snapshot writer
 * </pre>
 *
 * @param root the store directory
 */
public record StoreLayout(Path root) {
    /** @return the store marker file */
    public Path marker() {
        return root.resolve("hindsight.store");
    }

    /** @return the writer lock file */
    public Path lockFile() {
        return root.resolve("hindsight.lock");
    }

    /** @return the schema catalog file */
    public Path catalog() {
        return root.resolve("catalog.bin");
    }

    /** @return the Chronicle Queue directory */
    public Path journal() {
        return root.resolve("journal");
    }

    /** @return the list of excerpts cut by recovery */
    public Path journalCuts() {
        return root.resolve("journal-cuts.bin");
    }

    /** @return the derived index directory */
    public Path index() {
        return root.resolve("index");
    }

    /** @return where a rebuilt index is written before it replaces {@link #index()} */
    public Path indexRebuild() {
        return root.resolve("index.rebuild");
    }

    /** @return the heads map file */
    public Path headsMap() {
        return index().resolve("heads.cm");
    }

    /** @return the blocks map file */
    public Path blocksMap() {
        return index().resolve("blocks.cm");
    }

    /** @return the derived snapshot directory (segments of memory-mapped entity state snapshots) */
    public Path snapshots() {
        return root.resolve("snapshots");
    }

    /** @return the indexer checkpoint file */
    public Path indexState() {
        return index().resolve("index.state");
    }

    /** @return the default directory of durable subscriptions' checkpoints and parked events */
    public Path subscriptions() {
        return root.resolve("subscriptions");
    }
}
