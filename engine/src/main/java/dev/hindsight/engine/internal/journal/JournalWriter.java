package dev.hindsight.engine.internal.journal;

import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.wire.DocumentContext;

/**
 * Appends excerpts to the journal. Not thread-safe: owned by the sequencer thread, which alone may
 * call {@link #append} (asserted).
 */
public final class JournalWriter {
    private final ExcerptAppender appender;
    private Thread owner;
    private long lastAddress = -1;

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
     * whole or not at all. Afterwards {@link #lastAddress()} says where its bytes are in the cycle
     * file of the returned index.
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
                Bytes<?> bytes = dc.wire().bytes();
                // the excerpt's data starts here: Chronicle's positions are byte offsets in the
                // cycle file (its 4-byte header lies just before)
                lastAddress = bytes.writePosition();
                bytes.write(frames, 0, length);
            } catch (RuntimeException | Error e) {
                dc.rollbackOnClose();
                throw e;
            }
        }
        return appender.lastIndexAppended();
    }

    /**
     * @return the byte offset, in its cycle file, of the data of the excerpt last appended (its
     *         first frame); -1 before the first append
     */
    public long lastAddress() {
        return lastAddress;
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
