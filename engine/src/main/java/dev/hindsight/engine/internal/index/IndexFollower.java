package dev.hindsight.engine.internal.index;

import dev.hindsight.codec.CorruptFrameException;
import dev.hindsight.codec.FrameReader;
import dev.hindsight.engine.internal.journal.JournalReader;

/**
 * Follows the journal and records every append in a {@link LiveIndex}. Every frame it reads is
 * validated (CRC, gapless global positions) before any of its excerpt is recorded, so following
 * the journal from the start is also how an index is rebuilt. A writing store runs it on the
 * opening thread to recover (then the sequencer takes over the index); a read-only store runs it
 * on its indexer thread to follow a writer. Not thread-safe: one driving thread at a time;
 * progress is published through volatile fields any thread may read.
 */
public final class IndexFollower {
    /** Excerpts read per {@link #poll()} before progress is published. */
    static final int BATCH_EXCERPTS = 4096;

    private final JournalReader reader;
    private final FrameReader frame;
    private final LiveIndex index;
    private long lastExcerptIndex;
    private long nextPositionLocal;
    private long lastTimestampLocal;
    private boolean unpublished;
    /** Each frame's offset in the excerpt being indexed; grows to the largest append seen. */
    private int[] frameOffsets = new int[64];
    private volatile long indexedPosition;

    /**
     * @param reader        a journal reader owned by this follower
     * @param maxFrameBytes the largest valid frame
     * @param index         the index to write
     * @param start         where the index stands; the follower resumes after {@code start.lastExcerptIndex()}
     */
    public IndexFollower(JournalReader reader, int maxFrameBytes, LiveIndex index, IndexState start) {
        this.reader = reader;
        this.frame = new FrameReader(maxFrameBytes);
        this.index = index;
        this.lastExcerptIndex = start.lastExcerptIndex();
        this.nextPositionLocal = start.nextPosition();
        this.lastTimestampLocal = start.lastTimestampNanos();
        this.indexedPosition = nextPositionLocal;
        if (lastExcerptIndex < 0) {
            reader.toStart();
        } else if (!reader.moveAfter(lastExcerptIndex)) {
            throw new IllegalStateException("index checkpoint names excerpt " + Long.toHexString(lastExcerptIndex)
                    + " which the journal does not have");
        }
    }

    /**
     * Indexes up to {@link #BATCH_EXCERPTS} excerpts, then publishes progress.
     *
     * @return how many excerpts were indexed; 0 when the follower is at the journal's end
     * @throws CorruptFrameException if a frame fails validation; nothing of that excerpt is indexed
     */
    public int poll() {
        int excerpts = 0;
        try {
            while (excerpts < BATCH_EXCERPTS && reader.next()) {
                indexExcerpt();
                excerpts++;
            }
        } finally {
            // what was indexed before a corrupt excerpt is published all the same
            if (unpublished) {
                unpublished = false;
                indexedPosition = nextPositionLocal;
            }
        }
        return excerpts;
    }

    private void indexExcerpt() {
        byte[] buf = reader.buffer();
        int length = reader.length();
        long excerpt = reader.excerptIndex();
        // validate the whole excerpt before recording any of it: an append is all or nothing
        int offset = 0;
        long position = nextPositionLocal;
        frame.wrap(buf, 0, length, reader.fileName(), reader.filePosition());
        String resourceType = frame.resourceType();
        String entityId = frame.entityId();
        long firstVersion = frame.entityVersion();
        long head = index.headVersion(resourceType, entityId);
        if (firstVersion != head + 1) {
            throw new CorruptFrameException(reader.fileName(), reader.filePosition(), "frame has version " + firstVersion
                    + " of " + resourceType + "/" + entityId + " where version " + (head + 1) + " was expected");
        }
        while (offset < length) {
            frame.wrap(buf, offset, length - offset, reader.fileName(), reader.filePosition());
            if (frame.globalPosition() != position) {
                throw new CorruptFrameException(reader.fileName(), reader.filePosition() + offset,
                        "frame has global position " + frame.globalPosition() + " where " + position + " was expected");
            }
            long k = position - nextPositionLocal;
            if (frame.entityVersion() != firstVersion + k || !frame.entityIdEquals(entityId)
                    || !frame.resourceTypeEquals(resourceType)) {
                throw new CorruptFrameException(reader.fileName(), reader.filePosition() + offset,
                        "frame " + k + " of an append of " + resourceType + "/" + entityId + " from version " + firstVersion
                                + " is " + frame.resourceType() + "/" + frame.entityId() + " version " + frame.entityVersion());
            }
            if (k == frameOffsets.length) {
                frameOffsets = java.util.Arrays.copyOf(frameOffsets, frameOffsets.length * 2);
            }
            frameOffsets[(int) k] = offset;
            position++;
            offset += frame.frameLength();
        }
        // an excerpt is one append: one entity, contiguous versions, one timestamp
        int count = (int) (position - nextPositionLocal);
        // the tailer's read position is the excerpt data's byte offset in its cycle file
        index.recordAppend(null, resourceType, entityId, firstVersion, count, excerpt, reader.filePosition(), frameOffsets,
                frame.timestampNanos());
        lastTimestampLocal = Math.max(lastTimestampLocal, frame.timestampNanos());
        nextPositionLocal = position;
        lastExcerptIndex = excerpt;
        unpublished = true;
    }

    /** @return the next position to index: events before it are indexed and visible */
    public long indexedPosition() {
        return indexedPosition;
    }

    /** @return the reader, positioned after the last indexed excerpt; for the follower's thread */
    public JournalReader reader() {
        return reader;
    }

    /** @return the index this follower writes */
    public LiveIndex index() {
        return index;
    }

    /** @return the state to record at a clean close */
    public IndexState checkpoint() {
        return new IndexState(true, nextPositionLocal, lastExcerptIndex, lastTimestampLocal, index.entityCount());
    }
}
