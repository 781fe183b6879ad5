package dev.hindsight.engine.internal;

import dev.hindsight.codec.CorruptFrameException;
import dev.hindsight.codec.FrameReader;
import dev.hindsight.engine.internal.index.IndexState;
import dev.hindsight.engine.internal.index.LiveIndex;
import dev.hindsight.engine.internal.index.PersistedBlocks;
import dev.hindsight.engine.internal.journal.Journal;
import dev.hindsight.engine.internal.journal.JournalReader;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.stream.Stream;

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

    /**
     * @param layout        the store's files
     * @param journal       the journal (read-only view), or null if the store has none yet
     * @param maxFrameBytes frame bound for reading the checkpoint's excerpt
     * @return the plan
     */
    static IndexPlan decide(StoreLayout layout, Journal journal, int maxFrameBytes) {
        IndexState state;
        try {
            state = IndexState.read(layout.indexState());
        } catch (IndexState.OtherFormatException e) {
            return rebuild(e.clean(), "the index is in format " + e.version() + " and this version of Hindsight uses format "
                    + IndexState.FORMAT_VERSION + " (per version: excerpt, frame address, timestamp)");
        } catch (CorruptFrameException | IOException e) {
            return rebuild(false, "the index state is unreadable (" + e.getMessage() + ")");
        }
        long lastExcerpt = journal == null ? -1 : journal.lastExcerptIndex();
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
        if (state.lastExcerptIndex() >= 0 && (journal == null || !checkpointMatches(journal, state, maxFrameBytes))) {
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

    /** @param why the trusted index turned out unusable: rebuild it instead */
    void fallBackToRebuild(String why) {
        rebuilt = true;
        reason = why;
        start = IndexState.EMPTY;
    }

    /** @return how many entities the maps are sized for: the configured count, or 4x the last known */
    long capacity(long configuredEntities) {
        return Math.max(configuredEntities, Math.min(1_000_000_000L, 4 * knownEntities));
    }

    /**
     * Opens the persisted index the plan trusts and loads it into a live index, checking it
     * against the checkpoint; on any problem the plan falls back to a rebuild.
     *
     * @return the loaded index, or null if the plan is (now) a rebuild
     */
    LiveIndex openTrusted(StoreLayout layout, long configuredEntities) {
        if (rebuilt) {
            return null;
        }
        PersistedBlocks persisted = null;
        try {
            persisted = PersistedBlocks.open(layout.headsMap(), layout.blocksMap(), capacity(configuredEntities));
            LiveIndex index = new LiveIndex(persisted);
            String problem = index.loadPersisted(start.entityCount());
            if (problem == null) {
                return index;
            }
            fallBackToRebuild("the persisted index does not match its checkpoint: " + problem);
        } catch (IOException | RuntimeException e) {
            fallBackToRebuild("the persisted index could not be read (" + e.getMessage() + ")");
        }
        if (persisted != null) {
            persisted.close();
        }
        return null;
    }

    /**
     * A rebuild writes a fresh index beside the old one, so a failed recovery changes nothing.
     *
     * @return an empty live index over fresh maps in {@code index.rebuild/}
     * @throws IOException if they cannot be created
     */
    LiveIndex openForRebuild(StoreLayout layout, long configuredEntities) throws IOException {
        Path dir = layout.indexRebuild();
        deleteTree(dir);
        Files.createDirectories(dir);
        return new LiveIndex(PersistedBlocks.open(dir.resolve("heads.cm"), dir.resolve("blocks.cm"), capacity(configuredEntities)));
    }

    /**
     * After a successful rebuild: replaces the old index files with the rebuilt ones and reopens them.
     *
     * @return the rebuilt maps, now in {@code index/}
     * @throws IOException if the files cannot be moved
     */
    PersistedBlocks adoptRebuilt(StoreLayout layout, PersistedBlocks rebuiltMaps, long configuredEntities) throws IOException {
        rebuiltMaps.close();
        Files.createDirectories(layout.index());
        Files.deleteIfExists(layout.indexState());
        Path dir = layout.indexRebuild();
        Files.move(dir.resolve("heads.cm"), layout.headsMap(), StandardCopyOption.REPLACE_EXISTING);
        Files.move(dir.resolve("blocks.cm"), layout.blocksMap(), StandardCopyOption.REPLACE_EXISTING);
        deleteTree(dir);
        BinaryFiles.forceDirectory(layout.index());
        return PersistedBlocks.open(layout.headsMap(), layout.blocksMap(), capacity(configuredEntities));
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
