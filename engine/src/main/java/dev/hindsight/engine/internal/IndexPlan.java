package dev.hindsight.engine.internal;

import dev.hindsight.codec.CorruptFrameException;
import dev.hindsight.codec.FrameReader;
import dev.hindsight.engine.internal.index.IndexState;
import dev.hindsight.engine.internal.index.PersistedBlocks;
import dev.hindsight.engine.internal.journal.Journal;
import dev.hindsight.engine.internal.journal.JournalReader;

import java.io.IOException;
import java.nio.file.Files;

/**
 * Decides, when a writing store opens, whether the persisted entity index can be trusted and
 * caught up from its checkpoint, or must be rebuilt from the journal: it is trusted only after a
 * clean close whose checkpoint names the journal's excerpt and position exactly. Chronicle Map
 * promises nothing after a crash, so after one the index is always rebuilt. Not thread-safe; used
 * once by the opening thread.
 */
final class IndexPlan {
    final boolean clean;
    boolean rebuilt;
    String reason;
    IndexState start;
    /** Entities the index held when last checkpointed (even if dirty): a rebuild is sized for more. */
    long knownEntities;

    private IndexPlan(boolean clean, boolean rebuilt, String reason, IndexState start) {
        this.clean = clean;
        this.rebuilt = rebuilt;
        this.reason = reason;
        this.start = start;
    }

    static IndexPlan decide(StoreLayout layout, Journal journal, int maxFrameBytes) {
        IndexState state;
        try {
            state = IndexState.read(layout.indexState());
        } catch (CorruptFrameException | IOException e) {
            return rebuild(false, "the index state is unreadable (" + e.getMessage() + ")");
        }
        long lastExcerpt = journal.lastExcerptIndex();
        IndexPlan plan = decide(layout, journal, maxFrameBytes, state, lastExcerpt);
        plan.knownEntities = state == null ? 0 : state.entityCount();
        return plan;
    }

    private static IndexPlan decide(StoreLayout layout, Journal journal, int maxFrameBytes, IndexState state, long lastExcerpt) {
        if (state == null) {
            boolean fresh = lastExcerpt < 0 && !Files.exists(layout.headsMap());
            return rebuild(fresh, fresh ? "" : "the index state is missing");
        }
        if (!state.clean()) {
            return rebuild(false, "the store was not closed cleanly");
        }
        if (!Files.exists(layout.headsMap()) || !Files.exists(layout.blocksMap())) {
            return rebuild(true, "index files are missing");
        }
        if (state.lastExcerptIndex() > lastExcerpt) {
            return rebuild(true, "the index is ahead of the journal (checkpoint excerpt 0x"
                    + Long.toHexString(state.lastExcerptIndex()) + ", journal ends at 0x" + Long.toHexString(lastExcerpt) + ")");
        }
        if (state.lastExcerptIndex() >= 0 && !checkpointMatches(journal, state, maxFrameBytes)) {
            return rebuild(true, "the index checkpoint does not match the journal");
        }
        String reason = state.lastExcerptIndex() == lastExcerpt ? "" : "the index is behind the journal";
        return new IndexPlan(true, false, reason, state);
    }

    private static boolean checkpointMatches(Journal journal, IndexState state, int maxFrameBytes) {
        try (JournalReader reader = journal.createReader()) {
            if (!reader.moveTo(state.lastExcerptIndex()) || !reader.next()) {
                return false;
            }
            FrameReader frame = new FrameReader(maxFrameBytes);
            long lastPosition = -1;
            for (int off = 0; off < reader.length(); off += frame.frameLength()) {
                frame.wrap(reader.buffer(), off, reader.length() - off, reader.fileName(), reader.filePosition());
                lastPosition = frame.globalPosition();
            }
            return lastPosition + 1 == state.nextPosition();
        } catch (CorruptFrameException e) {
            return false;
        }
    }

    private static IndexPlan rebuild(boolean clean, String reason) {
        return new IndexPlan(clean, true, reason, IndexState.EMPTY);
    }

    /** Opens the index as planned; an index that fails to open is deleted and rebuilt. */
    PersistedBlocks openIndex(StoreLayout layout, long configuredEntities) throws IOException {
        long expectedEntities = Math.max(configuredEntities, Math.min(1_000_000_000L, 4 * knownEntities));
        if (rebuilt) {
            deleteIndexFiles(layout);
            return PersistedBlocks.open(layout.headsMap(), layout.blocksMap(), expectedEntities);
        }
        try {
            return PersistedBlocks.open(layout.headsMap(), layout.blocksMap(), expectedEntities);
        } catch (IOException | RuntimeException e) {
            rebuilt = true;
            reason = "the index files could not be opened (" + e.getMessage() + ")";
            start = IndexState.EMPTY;
            deleteIndexFiles(layout);
            return PersistedBlocks.open(layout.headsMap(), layout.blocksMap(), expectedEntities);
        }
    }

    private static void deleteIndexFiles(StoreLayout layout) throws IOException {
        Files.deleteIfExists(layout.headsMap());
        Files.deleteIfExists(layout.blocksMap());
        Files.deleteIfExists(layout.indexState());
    }
}
