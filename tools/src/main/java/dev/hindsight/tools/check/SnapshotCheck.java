package dev.hindsight.tools.check;

import dev.hindsight.codec.CodecLimits;
import dev.hindsight.codec.CorruptFrameException;
import dev.hindsight.codec.EventCodec;
import dev.hindsight.codec.EventSchema;
import dev.hindsight.codec.FrameReader;
import dev.hindsight.codec.SchemaCatalog;
import dev.hindsight.engine.inspect.SnapshotSegmentScanner;
import dev.hindsight.engine.inspect.SnapshotStates;
import dev.hindsight.engine.inspect.StoreInspector;
import dev.hindsight.tools.internal.Text;
import org.agrona.collections.Long2LongHashMap;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks the snapshot store ({@code snapshots/*.snap}) against the journal. Each segment is read with
 * positional reads (never mapped): its header, then every record's structure and CRC32C, as the store reads
 * them. Each record claims that the journal's event at its global position is its entity's version at its
 * timestamp; the claims are kept in a primitive map (about 40 bytes per record, never per event) and checked
 * as the journal scan passes each position. A record whose state schema (fingerprint) is the resource type's
 * current one must decode with it. Snapshots are derived data, so what the store would silently skip is
 * still reported: a damaged header or record is a problem (it means the disk changed bytes), another store's
 * segment or an old state shape is a note. Not thread-safe.
 */
public final class SnapshotCheck implements ArtifactCheck {
    private final SchemaCatalog catalog;
    private final EventCodec codec;
    private Path directory;
    private List<Path> segments = List.of();
    private final Long2LongHashMap claims = new Long2LongHashMap(0);
    private final Long2LongHashMap claimedAt = new Long2LongHashMap(-1);
    private final Map<String, EventSchema> stateSchemas = new HashMap<>();
    private long records;
    private long verified;
    private long oldShapes;
    private long problemsBefore;
    private Findings findings;
    private String summary = "";

    /** @param catalog the store's catalog (to decode states), or null if unreadable */
    public SnapshotCheck(SchemaCatalog catalog) {
        this.catalog = catalog;
        this.codec = catalog == null ? null : new EventCodec(catalog, CodecLimits.defaults());
    }

    @Override
    public String name() {
        return "snapshots";
    }

    @Override
    public String describe(StoreInspector store) {
        Path dir = store.snapshotsDirectory();
        if (!Files.isDirectory(dir)) {
            return "no snapshots (no snapshots/ directory)";
        }
        List<Path> files = StoreInspector.filesEndingWith(dir, ".snap");
        long bytes = 0;
        for (Path p : files) {
            try {
                bytes += Files.size(p);
            } catch (IOException ignored) {
                // counted without its size
            }
        }
        return files.size() + " segment" + (files.size() == 1 ? "" : "s") + ", " + Text.bytes(bytes) + " (derived: deleting snapshots/ loses nothing)";
    }

    @Override
    public boolean begin(StoreInspector store, Findings findings) {
        this.findings = findings;
        this.problemsBefore = findings.problems();
        directory = store.snapshotsDirectory();
        if (!Files.isDirectory(directory)) {
            summary = "no snapshots (no snapshots/ directory)";
            return false;
        }
        try {
            segments = StoreInspector.filesEndingWith(directory, ".snap");
        } catch (UncheckedIOException e) {
            findings.problem(directory, -1, e.getMessage());
            summary = "unreadable";
            return false;
        }
        for (Path tmp : StoreInspector.filesEndingWith(directory, ".tmp")) {
            findings.note(tmp, -1, "a segment a writer was creating when it stopped; the next writer deletes it");
        }
        for (int i = 0; i < segments.size(); i++) {
            readSegment(store, i, findings);
        }
        return !claims.isEmpty();
    }

    private void readSegment(StoreInspector store, int index, Findings findings) {
        Path file = segments.get(index);
        try (SnapshotSegmentScanner segment = store.openSnapshotSegment(file)) {
            if (segment.storeId() != store.storeId()) {
                findings.note(file, 24, "a segment of another store (id " + segment.storeId() + ", this store's is " + store.storeId()
                        + "); the store discards it");
                return;
            }
            if (segment.truncated()) {
                findings.note(file, -1, "the segment is shorter than its capacity " + segment.capacity() + "; its records are read up to its end");
            }
            while (segment.next()) {
                records++;
                record(segment, index, findings);
            }
        } catch (CorruptFrameException e) {
            findings.problem(file, e.position(), e.reason() + " (derived data: the store ignores this"
                    + (e.position() < 64 ? " segment" : " record and the rest of the segment") + ")");
        } catch (UncheckedIOException e) {
            findings.problem(file, -1, e.getMessage());
        }
    }

    private void record(SnapshotSegmentScanner r, int segment, Findings findings) {
        String type = r.resourceType();
        String id = r.entityId();
        long position = r.globalPosition();
        long claim = Hashing.tuple(Entities.hash(type, id), r.version(), r.timestampNanos(), 0);
        long previous = claims.get(position);
        if (previous == 0) {
            claims.put(position, claim);
            claimedAt.put(position, (long) segment << 40 | r.offset());
        } else if (previous != claim) {
            findings.problem(r.file(), r.offset(), "this snapshot of " + Text.safe(type) + "/" + Text.safe(id) + " version " + r.version()
                    + " claims position " + position + ", which another snapshot claims for a different event");
        }
        EventSchema schema = stateSchema(type);
        if (schema == null || SnapshotStates.fingerprintOf(schema) != r.fingerprint()) {
            oldShapes++; // a state shape the application no longer has: the store ignores it
            return;
        }
        try {
            SnapshotStates.decode(codec, schema, r.stateBuffer(), r.stateOffset(), r.stateLength(), r.file().toString(), r.offset());
        } catch (CorruptFrameException e) {
            findings.problem(r.file(), r.offset(), "the state of " + Text.safe(type) + "/" + Text.safe(id) + " version " + r.version()
                    + " does not decode with its schema: " + e.reason());
        }
    }

    /** @return the schema states of this resource type are encoded with: its latest {@code R.Created} */
    private EventSchema stateSchema(String type) {
        if (catalog == null) {
            return null;
        }
        return stateSchemas.computeIfAbsent(type, t -> {
            int id = catalog.idOf(t + ".Created");
            return id < 0 ? null : catalog.latest(id).orElse(null);
        });
    }

    @Override
    public void event(JournalEvent event) {
        FrameReader f = event.frame();
        long position = f.globalPosition();
        long claim = claims.get(position);
        if (claim == 0) {
            return;
        }
        long actual = Hashing.tuple(event.entities().hash(event.entity()), f.entityVersion(), f.timestampNanos(), 0);
        if (actual == claim) {
            verified++;
        } else {
            long at = claimedAt.get(position);
            pendingMismatch(position, at, f, event);
        }
        claims.remove(position);
        claimedAt.remove(position);
    }

    private void pendingMismatch(long position, long at, FrameReader f, JournalEvent event) {
        findings.problem(segments.get((int) (at >>> 40)), at & ((1L << 40) - 1), "a snapshot claims position " + position
                + " for another event than the journal's there: " + Text.safe(f.resourceType()) + "/" + Text.safe(f.entityId())
                + " version " + f.entityVersion() + " at " + Text.iso(f.timestampNanos()) + " (" + Text.where(directory.getParent(), event.file())
                + " byte " + event.filePosition() + ")");
    }

    @Override
    public void finish(JournalSummary journal, Findings findings) {
        long beyond = 0;
        Long2LongHashMap.KeyIterator it = claims.keySet().iterator();
        while (it.hasNext()) {
            long position = it.nextValue();
            long at = claimedAt.get(position);
            if (position >= journal.nextPosition()) {
                beyond++;
            } else {
                findings.problem(segments.get((int) (at >>> 40)), at & ((1L << 40) - 1), "a snapshot claims position " + position
                        + ", which the journal does not have");
            }
        }
        if (beyond > 0) {
            findings.note(directory, -1, Text.count(beyond) + " snapshot" + (beyond == 1 ? " is" : "s are") + " of events after the journal's"
                    + " last readable one (a writer appending, or events lost); the store ignores them");
        }
        long problems = findings.problems() - problemsBefore;
        summary = segments.size() + " segment" + (segments.size() == 1 ? "" : "s") + ", " + Text.count(records) + " records; "
                + Text.count(verified) + " positions they claim agree with the journal"
                + (oldShapes == 0 ? "" : "; " + Text.count(oldShapes) + " of an old state shape (ignored by the store)")
                + (problems == 0 ? "" : "; " + Text.count(problems) + " problem" + (problems == 1 ? "" : "s"));
    }

    @Override
    public String summary() {
        if (summary.isEmpty() && directory != null) {
            return segments.size() + " segment" + (segments.size() == 1 ? "" : "s") + ", " + Text.count(records) + " records"
                    + (records == 0 ? "" : ", not compared with the journal");
        }
        return summary;
    }

    @Override
    public void close() {
        // holds no file between calls
    }
}
