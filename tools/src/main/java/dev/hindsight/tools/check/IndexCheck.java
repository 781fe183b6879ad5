package dev.hindsight.tools.check;

import dev.hindsight.codec.CorruptFrameException;
import dev.hindsight.codec.FrameReader;
import dev.hindsight.engine.HindsightException;
import dev.hindsight.engine.inspect.IndexCheckpoint;
import dev.hindsight.engine.inspect.JournalScanner;
import dev.hindsight.engine.inspect.PersistedIndexCopy;
import dev.hindsight.engine.inspect.StoreInspector;
import dev.hindsight.tools.internal.Text;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Checks the persisted entity index ({@code index/}: {@code index.state}, {@code heads.cm},
 * {@code blocks.cm}) against the journal. Only an index whose checkpoint says it was closed cleanly is
 * compared (a writer trusts nothing else: a dirty or missing index is rebuilt at the next open, which is a
 * note, not a problem). The maps are copied to a work directory first (Chronicle Map writes to any file it
 * opens) and compared with flat memory:
 *
 * <ul>
 *   <li>the checkpoint: the journal holds at least its positions, and its excerpt ends at its position;</li>
 *   <li>heads: every entity's head version and first and last timestamps as of the checkpoint, both ways;</li>
 *   <li>blocks: each block has exactly the versions the entity's head implies, and the (entity, version,
 *       excerpt index, frame address, timestamp) of every entry equals the journal's: compared as an order-independent
 *       fingerprint (a sum of 64-bit tuple hashes) over the journal and over the map; only if the two differ
 *       is the journal read a second time to name each disagreeing version with its file and offset.</li>
 * </ul>
 *
 * Not thread-safe.
 */
public final class IndexCheck implements ArtifactCheck {
    private final Path workDirectory;
    private final boolean enabled;

    private StoreInspector store;
    private IndexCheckpoint checkpoint;
    private PersistedIndexCopy copy;
    private String summary = "";
    private long journalDigest;
    private long journalTuples;
    private long lastPositionInCheckpointExcerpt = -1;
    private long[] heads;
    private long[] firsts;
    private long[] lasts;
    private long problemsBefore;

    /**
     * @param workDirectory where to copy the index maps (outside the store)
     * @param enabled       false to skip the comparison (say so in the summary)
     */
    public IndexCheck(Path workDirectory, boolean enabled) {
        this.workDirectory = workDirectory;
        this.enabled = enabled;
    }

    @Override
    public String name() {
        return "index";
    }

    @Override
    public String describe(StoreInspector store) {
        IndexCheckpoint cp;
        try {
            cp = store.readIndexCheckpoint();
        } catch (CorruptFrameException | UncheckedIOException e) {
            return "index.state unreadable (" + e.getMessage() + "); the next writer open rebuilds the index";
        }
        if (cp == null) {
            return Files.isDirectory(store.indexDirectory()) ? "no index.state; the next writer open rebuilds the index"
                    : "none (index/ is missing); the next writer open rebuilds it from the journal";
        }
        if (cp.formatVersion() != IndexCheckpoint.CURRENT_FORMAT) {
            return "format " + cp.formatVersion() + " (another version of Hindsight); the next writer open rebuilds it";
        }
        String maps = store.hasIndexMaps() ? "maps " + Text.bytes(store.indexMapBytes()) : "maps missing";
        return (cp.clean() ? "clean" : "dirty (a writer has the store open, or did not close it)") + ", checkpoint at position "
                + Text.count(cp.nextPosition()) + ", " + Text.count(cp.entityCount()) + " entities, " + maps;
    }

    @Override
    public boolean begin(StoreInspector store, Findings findings) {
        this.store = store;
        if (!enabled) {
            summary = "not compared (--no-index)";
            return false;
        }
        Path stateFile = store.indexDirectory().resolve("index.state");
        try {
            checkpoint = store.readIndexCheckpoint();
        } catch (CorruptFrameException e) {
            findings.problem(stateFile, e.position(), e.reason() + " (derived data: the next writer open rebuilds the index)");
            summary = "index.state unreadable";
            return false;
        } catch (UncheckedIOException e) {
            findings.problem(stateFile, -1, e.getMessage());
            summary = "index.state unreadable";
            return false;
        }
        if (checkpoint == null) {
            boolean dir = Files.isDirectory(store.indexDirectory());
            findings.note(dir ? stateFile : store.indexDirectory(), -1, (dir ? "index.state is missing" : "there is no index")
                    + ": the next writer open rebuilds the index from the journal");
            summary = dir ? "no index.state (rebuilt at the next writer open)" : "none (index/ missing; rebuilt at the next writer open)";
            return false;
        }
        if (checkpoint.formatVersion() != IndexCheckpoint.CURRENT_FORMAT) {
            findings.note(stateFile, 8, "the index is in format " + checkpoint.formatVersion() + " (another version of Hindsight wrote it);"
                    + " this version uses format " + IndexCheckpoint.CURRENT_FORMAT + " and the next writer open rebuilds it");
            summary = "format " + checkpoint.formatVersion() + ", not compared (rebuilt at the next writer open)";
            return false;
        }
        if (!checkpoint.clean()) {
            findings.note(stateFile, -1, "index not compared: its state is dirty, so a writer has the store open or did not"
                    + " close it; the next writer open rebuilds the index");
            summary = "dirty, not compared (rebuilt at the next writer open)";
            return false;
        }
        if (!store.hasIndexMaps()) {
            findings.note(store.indexDirectory(), -1, "the index maps are missing: the next writer open rebuilds them");
            summary = "maps missing (rebuilt at the next writer open)";
            return false;
        }
        try {
            copy = store.copyIndex(workDirectory);
        } catch (CorruptFrameException e) {
            findings.problem(Path.of(e.source()), -1, e.reason() + " (derived data: the next writer open rebuilds the index)");
            summary = "maps unreadable";
            return false;
        } catch (HindsightException | IOException | UncheckedIOException e) {
            findings.note(store.indexDirectory(), -1, "index not compared: " + e.getMessage());
            summary = "not compared (" + e.getMessage() + ")";
            return false;
        }
        return true;
    }

    @Override
    public void event(JournalEvent event) {
        FrameReader f = event.frame();
        long position = f.globalPosition();
        if (position < checkpoint.nextPosition()) {
            long excerpt = event.excerptIndex();
            journalDigest += Hashing.tuple(event.entities().hash(event.entity()), f.entityVersion(), excerpt, event.filePosition(),
                    f.timestampNanos());
            journalTuples++;
            if (excerpt == checkpoint.lastExcerptIndex()) {
                lastPositionInCheckpointExcerpt = Math.max(lastPositionInCheckpointExcerpt, position);
            }
        } else if (heads == null) {
            snapshot(event.entities()); // the heads as of the checkpoint: every event before this one
        }
    }

    private void snapshot(Entities entities) {
        int n = entities.count();
        heads = new long[n];
        firsts = new long[n];
        lasts = new long[n];
        for (int o = 0; o < n; o++) {
            heads[o] = entities.headVersion(o);
            firsts[o] = entities.firstTimestamp(o);
            lasts[o] = entities.lastTimestamp(o);
        }
    }

    @Override
    public void finish(JournalSummary journal, Findings findings) {
        if (copy == null) {
            return;
        }
        problemsBefore = findings.problems();
        Entities entities = journal.entities();
        if (heads == null) {
            snapshot(entities);
        }
        Path stateFile = store.indexDirectory().resolve("index.state");
        Path headsFile = store.indexDirectory().resolve("heads.cm");
        Path blocksFile = store.indexDirectory().resolve("blocks.cm");
        long next = checkpoint.nextPosition();
        if (journal.nextPosition() < next) {
            findings.problem(stateFile, -1, "the index checkpoint covers positions 0.." + (next - 1) + " but the journal's events "
                    + (journal.nextPosition() == 0 ? "are all unreadable" : "end at position " + (journal.nextPosition() - 1))
                    + ": events are missing from the journal (cut short?), or the index is another journal's");
        } else if (checkpoint.lastExcerptIndex() >= 0 && journal.excerptIndicesKnown() && lastPositionInCheckpointExcerpt != next - 1) {
            findings.problem(stateFile, -1, "the index checkpoint says excerpt 0x" + Long.toHexString(checkpoint.lastExcerptIndex())
                    + " ends at position " + (next - 1) + ", but in the journal " + (lastPositionInCheckpointExcerpt < 0
                    ? "no excerpt with that index holds an event before the checkpoint" : "it ends at position " + lastPositionInCheckpointExcerpt));
        }
        long headsAgreeing = compareHeads(entities, findings, headsFile);
        String blocks = compareBlocks(journal, entities, findings, blocksFile);
        long problems = findings.problems() - problemsBefore;
        summary = "clean checkpoint at position " + Text.count(next) + "; " + Text.count(headsAgreeing) + " of "
                + Text.count(copy.headCount()) + " heads agree with the journal; " + blocks
                + (problems == 0 ? "" : "; " + Text.count(problems) + " problem" + (problems == 1 ? "" : "s"));
    }

    private long compareHeads(Entities entities, Findings findings, Path headsFile) {
        int n = heads.length;
        long[] agreeing = new long[1];
        long[] listed = new long[1];
        copy.forEachHead(new PersistedIndexCopy.HeadVisitor() {
            @Override
            public void head(String type, String id, long version, long first, long last) {
                int o = entities.find(type, id);
                String name = Text.safe(type) + "/" + Text.safe(id);
                if (o < 0 || o >= n || heads[o] == 0) {
                    findings.problem(headsFile, -1, "heads.cm has " + name + " at version " + version
                            + ", but the journal has no event of it before the checkpoint");
                    return;
                }
                listed[0]++;
                if (heads[o] != version) {
                    findings.problem(headsFile, -1, "heads.cm has " + name + " at version " + version + "; the journal has it at version " + heads[o]);
                } else if (firsts[o] != first || lasts[o] != last) {
                    findings.problem(headsFile, -1, "heads.cm has " + name + " with first and last timestamps " + Text.iso(first) + ", "
                            + Text.iso(last) + "; the journal has " + Text.iso(firsts[o]) + ", " + Text.iso(lasts[o]));
                } else {
                    agreeing[0]++;
                }
            }

            @Override
            public void malformed(String key, String reason) {
                findings.problem(headsFile, -1, "heads.cm entry \"" + Text.safe(key) + "\": " + reason);
            }
        });
        long expected = 0;
        for (int o = 0; o < n; o++) {
            if (heads[o] > 0) {
                expected++;
            }
        }
        if (listed[0] < expected) {
            for (int o = 0; o < n; o++) {
                if (heads[o] > 0 && copy.headVersion(entities.resourceType(o), entities.entityId(o)) < 0) {
                    findings.problem(headsFile, -1, "heads.cm lacks " + Text.safe(entities.resourceType(o)) + "/"
                            + Text.safe(entities.entityId(o)) + ", which the journal has at version " + heads[o]);
                }
            }
        }
        return agreeing[0];
    }

    private String compareBlocks(JournalSummary journal, Entities entities, Findings findings, Path blocksFile) {
        if (journal.damaged() || !journal.excerptIndicesKnown()) {
            findings.note(blocksFile, -1, "blocks.cm not compared: the journal is damaged, so it cannot say where every version is");
            return "blocks not compared (journal damaged)";
        }
        int n = heads.length;
        long[] digest = new long[2]; // sum, tuples
        long[] shapeProblems = new long[1];
        long[] validBlocks = new long[1];
        copy.forEachBlock(new PersistedIndexCopy.BlockVisitor() {
            @Override
            public void block(String type, String id, long blockNo, long[] entries, int count) {
                int o = entities.find(type, id);
                String name = Text.safe(type) + "/" + Text.safe(id);
                if (o < 0 || o >= n || heads[o] == 0) {
                    findings.problem(blocksFile, -1, "blocks.cm has block " + blockNo + " of " + name
                            + ", but the journal has no event of it before the checkpoint");
                    shapeProblems[0]++;
                    return;
                }
                long head = heads[o];
                long blocks = (head + PersistedIndexCopy.BLOCK_SIZE - 1) / PersistedIndexCopy.BLOCK_SIZE;
                if (blockNo >= blocks) {
                    findings.problem(blocksFile, -1, "blocks.cm has block " + blockNo + " (versions " + (blockNo * PersistedIndexCopy.BLOCK_SIZE + 1)
                            + "..) of " + name + ", which the journal has at version " + head);
                    shapeProblems[0]++;
                    return;
                }
                validBlocks[0]++;
                long want = Math.min(PersistedIndexCopy.BLOCK_SIZE, head - blockNo * PersistedIndexCopy.BLOCK_SIZE);
                if (count != want) {
                    findings.problem(blocksFile, -1, "blocks.cm block " + blockNo + " of " + name + " holds " + count
                            + " versions; the journal's head version " + head + " means " + want);
                    shapeProblems[0]++;
                }
                long h = entities.hash(o);
                for (int i = 0; i < count; i++) {
                    int e = PersistedIndexCopy.ENTRY_LONGS * i;
                    digest[0] += Hashing.tuple(h, blockNo * PersistedIndexCopy.BLOCK_SIZE + i + 1, entries[e], entries[e + 1], entries[e + 2]);
                    digest[1]++;
                }
            }

            @Override
            public void malformed(String key, String reason) {
                findings.problem(blocksFile, -1, "blocks.cm entry \"" + Text.safe(key) + "\": " + reason);
                shapeProblems[0]++;
            }
        });
        long expectedBlocks = 0;
        for (int o = 0; o < n; o++) {
            expectedBlocks += (heads[o] + PersistedIndexCopy.BLOCK_SIZE - 1) / PersistedIndexCopy.BLOCK_SIZE;
        }
        if (validBlocks[0] < expectedBlocks) {
            findings.problem(blocksFile, -1, "blocks.cm holds " + Text.count(validBlocks[0]) + " of the " + Text.count(expectedBlocks)
                    + " blocks the journal's heads need");
            reportMissingBlocks(entities, findings, blocksFile);
        }
        if (digest[0] == journalDigest && digest[1] == journalTuples) {
            return Text.count(copy.blockCount()) + " blocks locate all " + Text.count(journalTuples) + " versions exactly";
        }
        if (shapeProblems[0] == 0) {
            locateDisagreements(findings);
        }
        return "blocks disagree with the journal";
    }

    private void reportMissingBlocks(Entities entities, Findings findings, Path blocksFile) {
        PersistedIndexCopy.BlockVisitor ignore = new PersistedIndexCopy.BlockVisitor() {
            @Override
            public void block(String type, String id, long blockNo, long[] entries, int count) {
            }

            @Override
            public void malformed(String key, String reason) {
            }
        };
        for (int o = 0; o < heads.length; o++) {
            long blocks = (heads[o] + PersistedIndexCopy.BLOCK_SIZE - 1) / PersistedIndexCopy.BLOCK_SIZE;
            for (long b = 0; b < blocks; b++) {
                if (!copy.block(entities.resourceType(o), entities.entityId(o), b, ignore)) {
                    findings.problem(blocksFile, -1, "blocks.cm lacks block " + b + " (versions " + (b * PersistedIndexCopy.BLOCK_SIZE + 1) + ".."
                            + Math.min(heads[o], (b + 1) * PersistedIndexCopy.BLOCK_SIZE) + ") of " + Text.safe(entities.resourceType(o))
                            + "/" + Text.safe(entities.entityId(o)));
                }
            }
        }
    }

    /** A second pass over the journal, naming each version whose block entry differs (only when the fingerprints differ). */
    private void locateDisagreements(Findings findings) {
        Path blocksFile = store.indexDirectory().resolve("blocks.cm");
        FrameReader frame = new FrameReader(StoreInspector.MAX_EXCERPT_BYTES);
        long[] entry = new long[PersistedIndexCopy.ENTRY_LONGS];
        boolean[] found = new boolean[1];
        try (JournalScanner journal = store.openJournal()) {
            for (JournalScanner.Item item; (item = journal.next()) != null; ) {
                if (item != JournalScanner.Item.EXCERPT) {
                    continue;
                }
                for (int off = 0; off < journal.length(); off += frame.frameLength()) {
                    frame.wrap(journal.buffer(), journal.offset() + off, journal.length() - off, journal.file().toString(), journal.filePosition() + off);
                    if (frame.globalPosition() >= checkpoint.nextPosition()) {
                        return;
                    }
                    long version = frame.entityVersion();
                    long blockNo = (version - 1) / PersistedIndexCopy.BLOCK_SIZE;
                    int slot = (int) ((version - 1) % PersistedIndexCopy.BLOCK_SIZE);
                    found[0] = false;
                    copy.block(frame.resourceType(), frame.entityId(), blockNo, new PersistedIndexCopy.BlockVisitor() {
                        @Override
                        public void block(String type, String id, long b, long[] entries, int count) {
                            if (slot < count) {
                                System.arraycopy(entries, PersistedIndexCopy.ENTRY_LONGS * slot, entry, 0, PersistedIndexCopy.ENTRY_LONGS);
                                found[0] = true;
                            }
                        }

                        @Override
                        public void malformed(String key, String reason) {
                        }
                    });
                    long address = journal.filePosition() + off;
                    if (found[0] && (entry[0] != journal.excerptIndex() || entry[1] != address || entry[2] != frame.timestampNanos())) {
                        findings.problem(journal.file(), address, "blocks.cm locates " + Text.safe(frame.resourceType()) + "/"
                                + Text.safe(frame.entityId()) + " version " + version + " in excerpt 0x" + Long.toHexString(entry[0])
                                + " at byte " + entry[1] + ", timestamp " + Text.iso(entry[2]) + "; the journal has it here, in excerpt 0x"
                                + Long.toHexString(journal.excerptIndex()) + ", timestamp " + Text.iso(frame.timestampNanos()));
                    }
                }
            }
        } catch (CorruptFrameException e) {
            findings.note(blocksFile, -1, "could not name every disagreeing block entry: " + e.getMessage());
        }
    }

    @Override
    public String summary() {
        return summary;
    }

    @Override
    public void close() {
        if (copy != null) {
            copy.close();
            copy = null;
        }
    }
}
