package dev.hindsight.engine.internal.subscription;

import dev.hindsight.codec.FrameReader;
import dev.hindsight.engine.internal.journal.Journal;
import dev.hindsight.engine.internal.journal.JournalReader;

/**
 * Finds positions in the journal: the first event at or after an instant (binary search over
 * positions; timestamps never decrease with position) and the journal's end as a reader sees it.
 * Not thread-safe: one per call, on the calling thread.
 */
final class StartPositions implements AutoCloseable {
    private final JournalReader reader;
    private final FrameReader frame;

    StartPositions(Journal journal, int maxFrameBytes) {
        this.reader = journal.createReader();
        this.frame = new FrameReader(maxFrameBytes);
    }

    /**
     * @param timestampNanos an instant, epoch nanoseconds
     * @param end            the store's event count
     * @return the first position in [0, end) whose timestamp is at or after it, or {@code end}
     */
    long firstAtOrAfter(long timestampNanos, long end) {
        long lo = 0;
        long hi = end;
        while (lo < hi) {
            long mid = (lo + hi) >>> 1;
            if (timestampAt(mid) >= timestampNanos) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return lo;
    }

    /** @return the timestamp of the event at {@code position} (which must exist) */
    private long timestampAt(long position) {
        if (!reader.seekPosition(position)) {
            throw new IllegalStateException("the journal is empty; no event at position " + position);
        }
        while (reader.next()) {
            byte[] buf = reader.buffer();
            int len = reader.length();
            for (int off = 0; off < len; off += frame.frameLength()) {
                FrameReader f = frame.wrap(buf, off, len - off, reader.fileName(), reader.filePosition());
                if (f.globalPosition() >= position) {
                    return f.timestampNanos();
                }
            }
        }
        throw new IllegalStateException("the journal has no event at position " + position);
    }

    /** @return one past the position of the last frame in the journal, 0 if it is empty */
    long journalEnd(Journal journal) {
        long last = journal.lastExcerptIndex();
        if (last < 0 || journal.cuts().contains(last) || !reader.moveTo(last) || !reader.next()) {
            return -1;
        }
        byte[] buf = reader.buffer();
        int len = reader.length();
        long end = -1;
        for (int off = 0; off < len; off += frame.frameLength()) {
            end = frame.wrap(buf, off, len - off, reader.fileName(), reader.filePosition()).globalPosition() + 1;
        }
        return end;
    }

    @Override
    public void close() {
        reader.close();
    }
}
