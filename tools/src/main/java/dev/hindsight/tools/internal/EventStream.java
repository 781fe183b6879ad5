package dev.hindsight.tools.internal;

import dev.hindsight.codec.CorruptFrameException;
import dev.hindsight.codec.FrameReader;
import dev.hindsight.engine.inspect.JournalScanner;
import dev.hindsight.engine.inspect.StoreInspector;

import java.io.PrintWriter;
import java.nio.file.Path;

/**
 * The journal's readable events in order, one validated frame at a time, for the commands that list or fold
 * events. Cut excerpts are skipped (as every reader does). Damage stops the command with a one-line error
 * naming file and byte offset (exit 2), or, with {@code skipDamaged}, is reported on stderr and read past.
 * At the end {@link #next()} returns null; called again later it returns what a live writer appended.
 * Not thread-safe.
 */
public final class EventStream implements AutoCloseable {
    private final StoreInspector store;
    private final JournalScanner journal;
    private final boolean skipDamaged;
    private final PrintWriter err;
    private final FrameReader frame = new FrameReader(StoreInspector.MAX_EXCERPT_BYTES);
    private boolean inExcerpt;
    private boolean reread;
    private int offset;
    private long damage;

    /**
     * @param store       the store
     * @param skipDamaged report damage on {@code err} and read on, instead of failing
     * @param err         standard error
     */
    public EventStream(StoreInspector store, boolean skipDamaged, PrintWriter err) {
        this.store = store;
        this.skipDamaged = skipDamaged;
        this.err = err;
        JournalScanner scanner;
        try {
            scanner = store.openJournal();
        } catch (CorruptFrameException e) {
            throw new CliException(CliException.UNUSABLE, "cannot read " + store.journalCutsFile() + ": " + e.getMessage());
        }
        this.journal = scanner;
    }

    /**
     * Skips whole cycle files that end before {@code from}: a file is skipped when the next file's first
     * event is already at or before the bound (positions and timestamps never decrease along the journal).
     *
     * @param from the first event wanted
     */
    public void skipFilesBefore(Bound from) {
        int files = journal.files().size();
        int start = 0;
        for (int i = 1; i < files; i++) {
            long[] first = firstEventOf(i);
            // file i-1 ends before the bound if file i already starts at or before it
            if (first == null || (from.isPosition() ? first[0] > from.position() : first[1] >= from.epochNanos())) {
                break;
            }
            start = i;
        }
        if (start > 0) {
            journal.startAtFile(start);
        }
    }

    /** @return {position, timestamp} of the first readable event of cycle file {@code i}, or null */
    private long[] firstEventOf(int i) {
        try (JournalScanner peek = store.openJournal()) {
            peek.startAtFile(i);
            for (JournalScanner.Item item; (item = peek.next()) != null; ) {
                if (peek.fileIndex() != i) {
                    return null;
                }
                if (item == JournalScanner.Item.EXCERPT) {
                    try {
                        frame.wrap(peek.buffer(), peek.offset(), peek.length(), "", 0);
                        return new long[] {frame.globalPosition(), frame.timestampNanos()};
                    } catch (CorruptFrameException e) {
                        return null;
                    }
                }
            }
            return null;
        }
    }

    /**
     * @return the next readable event's frame (valid until the next call), or null at the journal's current end
     * @throws CliException (exit 2) on damage, unless damage is skipped
     */
    public FrameReader next() {
        while (true) {
            if (inExcerpt) {
                if (offset < journal.length()) {
                    long at = journal.filePosition() + offset;
                    try {
                        frame.wrap(journal.buffer(), journal.offset() + offset, journal.length() - offset, journal.file().toString(), at);
                        offset += frame.frameLength();
                        return frame;
                    } catch (CorruptFrameException e) {
                        if (!reread) {
                            reread = true; // beside a live writer the newest excerpt may need a second read
                            journal.rereadCurrent();
                            continue;
                        }
                        damaged(journal.file(), at, e.reason());
                        int claimed = journal.length() - offset >= 4 ? FrameReader.peekFrameLength(journal.buffer(), journal.offset() + offset) : -1;
                        if (claimed >= dev.hindsight.codec.FrameFormat.MIN_FRAME_BYTES && claimed <= journal.length() - offset) {
                            offset += claimed;
                            continue;
                        }
                        journal.resyncAfterCurrent();
                    }
                }
                inExcerpt = false;
            }
            JournalScanner.Item item = journal.next();
            if (item == null) {
                return null;
            }
            if (item == JournalScanner.Item.DAMAGED) {
                damaged(journal.file(), journal.filePosition(), journal.reason());
                continue;
            }
            if (item == JournalScanner.Item.CUT) {
                continue;
            }
            reread = false;
            inExcerpt = true;
            offset = 0;
        }
    }

    private void damaged(Path file, long at, String reason) {
        String where = Text.where(store.directory(), file) + " byte " + at;
        if (!skipDamaged) {
            throw new CliException(CliException.UNUSABLE, "the journal is damaged at " + where + ": " + reason
                    + "; `hindsight verify " + store.directory() + "` lists all damage, --skip-damaged reads past it");
        }
        damage++;
        err.println("hindsight: skipping damaged journal bytes at " + where + ": " + reason);
        err.flush();
    }

    /** @return damaged places skipped so far */
    public long damageSkipped() {
        return damage;
    }

    /** @return the file of the last event */
    public Path file() {
        return journal.file();
    }

    /** @return the Chronicle index of the last event's excerpt */
    public long excerptIndex() {
        return journal.excerptIndex();
    }

    /** @return the journal's cycle files */
    public int fileCount() {
        return journal.files().size();
    }

    /** @return the index of the cycle file being read */
    public int fileIndex() {
        return Math.max(0, journal.fileIndex());
    }

    /**
     * Restarts at a cycle file (for {@code tail}, which reads only the newest files first).
     *
     * @param fileIndex the file
     */
    public void startAtFile(int fileIndex) {
        inExcerpt = false;
        journal.startAtFile(fileIndex);
    }

    @Override
    public void close() {
        journal.close();
    }
}
