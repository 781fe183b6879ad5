package dev.hindsight.engine.inspect;

import dev.hindsight.engine.internal.journal.RawJournalReader;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a store's journal excerpt by excerpt, in journal order, straight from its cycle files with
 * positional reads: no memory map, no write, no lock, and every excerpt and every damaged region comes
 * with its file and byte offset. An excerpt is one append: one or more event frames of one entity (the
 * codec's {@code FrameReader} reads them from {@link #buffer()}); frames are not validated here.
 *
 * <pre>{@code
 * try (JournalScanner journal = inspector.openJournal()) {
 *     for (JournalScanner.Item item; (item = journal.next()) != null; ) {
 *         switch (item) {
 *             case EXCERPT -> frames.wrap(journal.buffer(), journal.offset(), journal.length(),
 *                                         journal.file().toString(), journal.filePosition());
 *             case CUT -> { }      // a torn append recovery cut: readers skip it
 *             case DAMAGED -> report(journal.file(), journal.filePosition(), journal.reason());
 *         }
 *     }
 * }
 * }</pre>
 *
 * <p>At the end {@link #next()} returns null; called again later it returns what a live writer appended
 * meanwhile, including new cycle files, so the same scanner follows a store ({@code hindsight tail}).
 * See {@code RawJournalReader} (engine internal) for the file layout read and how damage is resynchronised.
 * Not thread-safe: one thread drives a scanner.
 */
public final class JournalScanner implements AutoCloseable {
    /** What {@link #next()} found. */
    public enum Item {
        /** A complete excerpt: one append of one entity, frames not yet validated. */
        EXCERPT,
        /** An excerpt recovery cut from a torn tail (listed in {@code journal-cuts.bin}); readers skip it. */
        CUT,
        /** Bytes that cannot be read as the journal's documents: see {@link #reason()}. */
        DAMAGED
    }

    /** How the data read so far ends. */
    public enum End {
        /** Nothing is being written after the last excerpt. */
        CLEAN,
        /** The last excerpt header is marked incomplete: a writer is writing it, or died while writing it. */
        INCOMPLETE
    }

    /**
     * One cycle file.
     *
     * @param path  the file
     * @param cycle its Chronicle cycle (from its name)
     * @param bytes its size when listed (cycle files are pre-allocated: this is not the data's size)
     */
    public record JournalFile(Path path, int cycle, long bytes) {
    }

    private final RawJournalReader reader;

    JournalScanner(RawJournalReader reader) {
        this.reader = reader;
    }

    /** @return the journal's cycle files, oldest first, as last listed */
    public List<JournalFile> files() {
        List<JournalFile> out = new ArrayList<>();
        for (RawJournalReader.CycleFile f : reader.files()) {
            long size;
            try {
                size = Files.size(f.path());
            } catch (IOException e) {
                size = -1;
            }
            out.add(new JournalFile(f.path(), f.cycle(), size));
        }
        return out;
    }

    /** @return files in the journal directory that are not part of the journal (not cycle files of its roll cycle) */
    public List<Path> strayFiles() {
        return reader.strayFiles();
    }

    /**
     * Starts reading at the beginning of a cycle file instead of the first.
     *
     * @param fileIndex 0 to {@code files().size() - 1}
     * @throws UncheckedIOException if the file cannot be opened
     */
    public void startAtFile(int fileIndex) {
        try {
            reader.startAtFile(fileIndex);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open journal file " + reader.files().get(fileIndex).path() + ": " + e.getMessage(), e);
        }
    }

    /**
     * @return the next item, or null at the journal's current end
     * @throws UncheckedIOException if a file cannot be read
     */
    public Item next() {
        RawJournalReader.Item item;
        try {
            item = reader.next();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read journal file " + reader.currentFile() + ": " + e.getMessage(), e);
        }
        if (item == null) {
            return null;
        }
        return switch (item) {
            case EXCERPT -> Item.EXCERPT;
            case CUT -> Item.CUT;
            case DAMAGED -> Item.DAMAGED;
        };
    }

    /**
     * The frames of the excerpt last returned do not fill it exactly, so its Chronicle header's length is
     * wrong: the next {@link #next()} returns a {@link Item#DAMAGED} region from it to the next readable excerpt.
     */
    public void resyncAfterCurrent() {
        reader.resyncAfterCurrent();
    }

    /**
     * Re-reads the excerpt last returned from its file: beside a live writer, check a newest excerpt that
     * fails validation once more before calling it damaged.
     *
     * @throws UncheckedIOException if the file cannot be read
     */
    public void rereadCurrent() {
        try {
            reader.rereadCurrent();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read journal file " + reader.currentFile() + ": " + e.getMessage(), e);
        }
    }

    /** @return the buffer holding the excerpt last returned; valid until the next call */
    public byte[] buffer() {
        return reader.buffer();
    }

    /** @return the excerpt's offset in {@link #buffer()} */
    public int offset() {
        return reader.offset();
    }

    /** @return the excerpt's length in bytes */
    public int length() {
        return reader.length();
    }

    /** @return the excerpt's Chronicle index (what the entity index and journal-cuts.bin record); -1 if unknown after damage in its file */
    public long excerptIndex() {
        return reader.excerptIndex();
    }

    /** @return the file of the item last returned */
    public Path file() {
        return reader.file();
    }

    /** @return the byte offset in {@link #file()} of the excerpt's data, or of the first damaged byte */
    public long filePosition() {
        return reader.filePosition();
    }

    /** @return for {@link Item#DAMAGED}: what is wrong, with values */
    public String reason() {
        return reader.reason();
    }

    /** @return for {@link Item#DAMAGED}: the byte offset in the same file where reading resumed, -1 if nothing there was readable */
    public long resumedAt() {
        return reader.resumedAt();
    }

    /** @return once {@link #next()} returned null: how the data ends */
    public End end() {
        return reader.end() == RawJournalReader.End.CLEAN ? End.CLEAN : End.INCOMPLETE;
    }

    /** @return once {@link #next()} returned null: the byte offset of the end in {@link #endFile()} */
    public long endPosition() {
        return reader.endPosition();
    }

    /** @return the index in {@link #files()} of the file the scanner is in, -1 before reading */
    public int fileIndex() {
        return reader.fileIndex();
    }

    /** @return the file the scanner is in (where the data ends once {@link #next()} returned null); null before reading */
    public Path endFile() {
        return reader.currentFile();
    }

    @Override
    public void close() {
        try {
            reader.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
