package dev.hindsight.engine.internal.index;

import dev.hindsight.codec.CorruptFrameException;
import dev.hindsight.codec.FrameReader;
import dev.hindsight.engine.internal.journal.JournalReader;

/**
 * Follows the journal and writes the {@link EntityIndex}: the only writer of that index. Every
 * frame it reads is validated (CRC, gapless global positions), so following the journal from the
 * start is also how an index is rebuilt. Not thread-safe: driven by one thread at a time (the
 * opening thread during recovery, then the indexer thread); progress is published through
 * volatile fields that any thread may read.
 */
public final class IndexFollower {
    /** Excerpts read per {@link #poll()} before the index is flushed and progress published. */
    static final int BATCH_EXCERPTS = 4096;

    private final JournalReader reader;
    private final FrameReader frame;
    private final EntityIndex index;
    private long lastExcerptIndex;
    private long nextPositionLocal;
    private long lastTimestampLocal;
    private boolean unflushed;
    private volatile long indexedPosition;
    private volatile long lastTimestampNanos;

    /**
     * @param reader        a journal reader owned by this follower
     * @param maxFrameBytes the largest valid frame
     * @param index         the index to write
     * @param start         where the index stands; the follower resumes after {@code start.lastExcerptIndex()}
     */
    public IndexFollower(JournalReader reader, int maxFrameBytes, EntityIndex index, IndexState start) {
        this.reader = reader;
        this.frame = new FrameReader(maxFrameBytes);
        this.index = index;
        this.lastExcerptIndex = start.lastExcerptIndex();
        this.nextPositionLocal = start.nextPosition();
        this.lastTimestampLocal = start.lastTimestampNanos();
        this.indexedPosition = nextPositionLocal;
        this.lastTimestampNanos = lastTimestampLocal;
        if (lastExcerptIndex < 0) {
            reader.toStart();
        } else if (!reader.moveAfter(lastExcerptIndex)) {
            throw new IllegalStateException("index checkpoint names excerpt " + Long.toHexString(lastExcerptIndex)
                    + " which the journal does not have");
        }
    }

    /**
     * Indexes up to {@link #BATCH_EXCERPTS} excerpts, then flushes and publishes progress.
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
            if (unflushed) {
                index.flush();
                unflushed = false;
                lastTimestampNanos = lastTimestampLocal;
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
        while (offset < length) {
            frame.wrap(buf, offset, length - offset, reader.fileName(), reader.filePosition());
            if (frame.globalPosition() != position) {
                throw new CorruptFrameException(reader.fileName(), reader.filePosition() + offset,
                        "frame has global position " + frame.globalPosition() + " where " + position + " was expected");
            }
            position++;
            offset += frame.frameLength();
        }
        offset = 0;
        while (offset < length) {
            frame.wrap(buf, offset, length - offset, reader.fileName(), reader.filePosition());
            index.record(frame.resourceType(), frame.entityId(), frame.entityVersion(), excerpt, frame.timestampNanos());
            lastTimestampLocal = Math.max(lastTimestampLocal, frame.timestampNanos());
            offset += frame.frameLength();
        }
        nextPositionLocal = position;
        lastExcerptIndex = excerpt;
        unflushed = true;
    }

    /** @return the next position to index: events before it are indexed and visible */
    public long indexedPosition() {
        return indexedPosition;
    }

    /** @return the timestamp of the last indexed event */
    public long lastTimestampNanos() {
        return lastTimestampNanos;
    }

    /** @return the Chronicle index of the last indexed excerpt, -1 if none; for the follower's thread */
    public long lastExcerptIndex() {
        return lastExcerptIndex;
    }

    /** @return the reader, positioned after the last indexed excerpt; for the follower's thread */
    public JournalReader reader() {
        return reader;
    }

    /** @return the index this follower writes */
    public EntityIndex index() {
        return index;
    }

    /** @return the state to record at a clean close */
    public IndexState checkpoint() {
        return new IndexState(true, nextPositionLocal, lastExcerptIndex, lastTimestampLocal, index.entityCount());
    }
}
