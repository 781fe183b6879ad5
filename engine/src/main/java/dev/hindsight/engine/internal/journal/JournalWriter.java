package dev.hindsight.engine.internal.journal;

import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.wire.DocumentContext;

/**
 * Appends excerpts to the journal. Not thread-safe: owned by the sequencer thread, which alone may
 * call {@link #append} (asserted).
 */
public final class JournalWriter {
    private final ExcerptAppender appender;
    private Thread owner;

    JournalWriter(ExcerptAppender appender) {
        this.appender = appender;
        appender.singleThreadedCheckDisabled(true);
    }

    /** Binds the writer to the calling thread: from now on only it may append. */
    public void bindToCurrentThread() {
        owner = Thread.currentThread();
    }

    /**
     * Appends one excerpt holding {@code length} bytes of {@code frames}: visible to readers as a
     * whole or not at all.
     *
     * @param frames the sealed frames
     * @param length how many bytes
     * @return the excerpt's Chronicle index
     */
    public long append(byte[] frames, int length) {
        assert Thread.currentThread() == owner : "journal append from " + Thread.currentThread().getName()
                + ", but only " + (owner == null ? "the sequencer" : owner.getName()) + " may append";
        try (DocumentContext dc = appender.writingDocument()) {
            try {
                dc.wire().bytes().write(frames, 0, length);
            } catch (RuntimeException | Error e) {
                dc.rollbackOnClose();
                throw e;
            }
        }
        return appender.lastIndexAppended();
    }

    /** Forces what was appended to the device (msync); used by {@code OS_CRASH} group commit. */
    public void sync() {
        assert Thread.currentThread() == owner : "journal sync off the sequencer thread";
        appender.sync();
    }

    void closeFromOwner() {
        appender.close();
    }
}
