package dev.hindsight.engine.internal.journal;

import dev.hindsight.codec.FrameFormat;
import dev.hindsight.engine.JournalRollCycle;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.impl.RollingResourcesCache;

import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * Reads the journal's Chronicle Queue cycle files ({@code *.cq4}) directly, with positional
 * {@link FileChannel} reads: never a memory map, never a write, no Chronicle code on the data path. This is
 * what offline inspection uses, because Chronicle's own reader trusts the files: on a truncated file it
 * faults on the mapped memory, on a damaged header it stops silently or fails to open the queue, and a
 * read-only queue cannot say where bytes are damaged.
 *
 * <p>The layout read here is Chronicle Queue's document framing, which our writer uses unchanged:
 *
 * <pre>
 * cycle file (e.g. 20261127F.cq4; the name gives the cycle, see the roll cycle's format)
 * +--------+------------------+--------+-------------+--------+-------------+-----+-------+---------
 * | header | SCQStore (meta)  | header | index (meta)| header | excerpt     | ... | 0 / EOF marker
 * +--------+------------------+--------+-------------+--------+-------------+-----+-------+---------
 * header: int32 little-endian, at a 4-byte aligned offset
 *   bit 31    NOT_COMPLETE  the document is being written (or a writer died while writing it)
 *   bit 30    META_DATA     Chronicle's own document (file header, index pages): skipped
 *   bits 0-29 length        bytes of the document after the header
 *   0x00000000               nothing written here yet: the end of the data
 *   0xC0000000               end of file: the writer rolled to the next cycle
 * the next header is at align4(header offset + 4 + length)
 * excerpt = data document; its Chronicle index is toIndex(cycle, n) for the n-th data document (0-based)
 * </pre>
 *
 * <p>Every length is checked against the file size and the largest valid append before a byte is buffered.
 * When a header is impossible (a length beyond the file or the largest append, a file that ends where a
 * header should be), the reader reports a {@link Item#DAMAGED} region and resynchronises on the next
 * 4-byte aligned header whose document starts with an event frame with a valid CRC32C; from there on the
 * file's Chronicle indices are unknown ({@code -1}) unless the resumed header is the one the damaged
 * excerpt's length pointed at.
 *
 * <p>A reader at the end returns {@code null} from {@link #next()}; calling it again later reads what a
 * live writer appended meanwhile, including new cycle files. Not thread-safe: one thread drives it.
 */
public final class RawJournalReader implements AutoCloseable {
    /** Chronicle's header flag: the document is not complete. */
    static final int NOT_COMPLETE = 0x80000000;
    /** Chronicle's header flag: a metadata document. */
    static final int META_DATA = 0x40000000;
    /** Chronicle's header length bits. */
    static final int LENGTH_MASK = 0x3FFFFFFF;
    /** Chronicle's end-of-file marker, written when the writer rolls to the next cycle. */
    static final int END_OF_DATA = 0xC0000000;
    private static final int CHUNK = 1 << 20;

    /** What {@link #next()} found. */
    public enum Item {
        /** A complete data excerpt (its frames are not validated here). */
        EXCERPT,
        /** An excerpt recovery cut from a torn tail (listed in {@code journal-cuts.bin}): readers skip it. */
        CUT,
        /** Bytes that cannot be read as Chronicle documents; see {@link #reason()} and {@link #resumedAt()}. */
        DAMAGED
    }

    /** How the data read so far ends. */
    public enum End {
        /** The last file ends with a zero header (nothing written yet) or Chronicle's end-of-file marker. */
        CLEAN,
        /** The last header is marked not complete: a writer is writing it, or died while writing it. */
        INCOMPLETE
    }

    /**
     * A cycle file of the journal.
     *
     * @param path  the file
     * @param cycle its Chronicle cycle, from its name
     */
    public record CycleFile(Path path, int cycle) {
    }

    private final Path directory;
    private final RollCycle rollCycle;
    private final RollingResourcesCache names;
    private final JournalCuts cuts;
    private final int maxExcerptBytes;
    private final CRC32C crc = new CRC32C();
    private final List<CycleFile> files = new ArrayList<>();
    private final List<Path> strayFiles = new ArrayList<>();

    private int fileIndex = -1;
    private FileChannel channel;
    private long fileSize;
    private long position;         // file offset of the next header
    private long sequence;         // data documents seen in this file
    private boolean sequenceKnown = true;

    private byte[] buf = new byte[CHUNK];
    private long bufStart;
    private int bufLen;

    // the item last returned
    private Item item;
    private long itemHeader = -1;
    private int itemOffset;
    private int itemLength;
    private long itemIndex = -1;
    private String reason = "";
    private long resumedAt = -1;
    private End end = End.CLEAN;
    private long endPosition;
    private boolean resyncRequested;
    private Path damagedFile;
    /** The file from which nothing more can be read (truncated, or nothing readable after damage); -1 if none. */
    private int exhaustedFile = -1;

    /**
     * @param journalDirectory the Chronicle Queue directory (may be missing: an empty journal)
     * @param rollCycle        the store's roll cycle, which names the files
     * @param cuts             excerpts recovery cut
     * @param maxExcerptBytes  the largest valid append; larger lengths are damage
     * @throws IOException if the directory cannot be listed
     */
    public RawJournalReader(Path journalDirectory, JournalRollCycle rollCycle, JournalCuts cuts, int maxExcerptBytes)
            throws IOException {
        this.directory = journalDirectory;
        this.rollCycle = Journal.chronicleCycle(rollCycle);
        this.names = new RollingResourcesCache(this.rollCycle, 0, n -> new File(journalDirectory.toFile(), n + ".cq4"),
                f -> f.getName().substring(0, f.getName().length() - 4));
        this.cuts = cuts;
        this.maxExcerptBytes = maxExcerptBytes;
        refreshFiles();
    }

    /** Lists the cycle files again (a live writer may have rolled); files already known keep their order. */
    private void refreshFiles() throws IOException {
        if (!Files.isDirectory(directory)) {
            return;
        }
        List<CycleFile> found = new ArrayList<>();
        List<Path> stray = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory)) {
            for (Path p : entries) {
                String name = p.getFileName().toString();
                if (name.endsWith(".cq4t") && Files.isRegularFile(p)) {
                    continue; // Chronicle's metadata table: not needed to read excerpts
                }
                Integer cycle = name.endsWith(".cq4") && Files.isRegularFile(p) ? parseCycle(name) : null;
                if (cycle == null) {
                    stray.add(p);
                } else {
                    found.add(new CycleFile(p, cycle));
                }
            }
        }
        found.sort(Comparator.comparingInt(CycleFile::cycle));
        stray.sort(Comparator.naturalOrder());
        strayFiles.clear();
        strayFiles.addAll(stray);
        if (fileIndex < 0) {
            files.clear();
            files.addAll(found);
            return;
        }
        // keep what was read; add newer cycles only
        int lastCycle = files.isEmpty() ? Integer.MIN_VALUE : files.get(files.size() - 1).cycle();
        for (CycleFile f : found) {
            if (f.cycle() > lastCycle) {
                files.add(f);
            }
        }
    }

    private Integer parseCycle(String fileName) {
        try {
            return names.parseCount(fileName.substring(0, fileName.length() - 4));
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** @return the cycle files, oldest first */
    public List<CycleFile> files() {
        return List.copyOf(files);
    }

    /** @return files in the journal directory that are neither cycle files of this roll cycle nor Chronicle's tables */
    public List<Path> strayFiles() {
        return List.copyOf(strayFiles);
    }

    /**
     * Positions the reader at the start of the {@code index}-th cycle file.
     *
     * @param index 0 to {@code files().size() - 1}
     * @throws IOException if the file cannot be opened
     */
    public void startAtFile(int index) throws IOException {
        if (index < 0 || index >= files.size()) {
            throw new IllegalArgumentException("file " + index + " of " + files.size());
        }
        openFile(index);
    }

    private void openFile(int index) throws IOException {
        closeChannel();
        fileIndex = index;
        channel = FileChannel.open(files.get(index).path(), StandardOpenOption.READ);
        fileSize = channel.size();
        position = 0;
        sequence = 0;
        sequenceKnown = true;
        bufLen = 0;
        bufStart = 0;
    }

    private void closeChannel() throws IOException {
        if (channel != null) {
            channel.close();
            channel = null;
        }
    }

    /**
     * Asks the reader to resynchronise after the excerpt it last returned: its frames do not fill it
     * exactly, so its header's length is not to be trusted. The next {@link #next()} returns a
     * {@link Item#DAMAGED} region from that excerpt on.
     */
    public void resyncAfterCurrent() {
        if (item == Item.EXCERPT || item == Item.CUT) {
            resyncRequested = true;
        }
    }

    /**
     * Re-reads the excerpt last returned straight from its file. A reader following a live writer may,
     * in one read, see an excerpt's completed header but bytes the writer wrote just before it only in a
     * second read; callers re-read before reporting a tail excerpt as damaged.
     *
     * @throws IOException if the file cannot be read
     */
    public void rereadCurrent() throws IOException {
        if (item != Item.EXCERPT && item != Item.CUT) {
            return;
        }
        long dataAt = itemHeader + 4;
        fill(dataAt, itemLength);
        itemOffset = (int) (dataAt - bufStart);
    }

    /**
     * Reads on.
     *
     * @return the next item, or null at the (current) end of the journal
     * @throws IOException if a file cannot be read
     */
    public Item next() throws IOException {
        item = null;
        if (resyncRequested) {
            resyncRequested = false;
            long expectedNext = align4(itemHeader + 4 + itemLength);
            return resync(itemHeader, "excerpt at byte " + (itemHeader + 4) + " is not " + itemLength
                    + " bytes of whole frames as its Chronicle header says", expectedNext, true);
        }
        if (fileIndex < 0) {
            if (files.isEmpty()) {
                refreshFiles();
                if (files.isEmpty()) {
                    return null;
                }
            }
            openFile(0);
        }
        while (true) {
            if (exhaustedFile == fileIndex) {
                // nothing more can be read from this file: only a newer cycle file can follow
                if (!nextFile()) {
                    return null;
                }
                continue;
            }
            if (position + 4 > fileSize) {
                fileSize = channel.size(); // a live writer may have grown it
            }
            if (position + 4 > fileSize) {
                exhaustedFile = fileIndex;
                end = End.CLEAN;
                endPosition = position;
                return damaged(position, "the file ends at byte " + fileSize + " where a Chronicle header should be"
                        + " (cycle files are pre-allocated, so it was cut short)", -1);
            }
            fill(position, 4);
            int header = intAt(position);
            if (position == 0 && header != 0 && ((header & (META_DATA | NOT_COMPLETE)) != META_DATA
                    || (header & LENGTH_MASK) == 0 || 4L + (header & LENGTH_MASK) > fileSize)) {
                // every cycle file starts with Chronicle's own header document (SCQStore)
                return resync(0, "the file does not start with Chronicle's file header (its first header is 0x"
                        + Integer.toHexString(header) + ")", -1, true);
            }
            if (header == 0 || header == END_OF_DATA) {
                if (fileIndex + 1 >= files.size()) {
                    refreshFiles();
                }
                if (fileIndex + 1 < files.size()) {
                    openFile(fileIndex + 1);
                    continue;
                }
                end = End.CLEAN;
                endPosition = position;
                bufLen = 0; // a live writer appends here: read it afresh next time
                return null;
            }
            if (header == NOT_COMPLETE) {
                // a document being written (its length is set when it completes), or one a dead writer left
                if (fileIndex + 1 >= files.size()) {
                    refreshFiles();
                }
                if (fileIndex + 1 < files.size()) {
                    long at = position;
                    exhaustedFile = fileIndex;
                    return damaged(at, "a document was left not complete (header 0x80000000) in a file the writer has"
                            + " left; Chronicle readers stop here", -1);
                }
                end = End.INCOMPLETE;
                endPosition = position;
                bufLen = 0;
                return null;
            }
            if ((header & NOT_COMPLETE) != 0) {
                // a writer never leaves a length with the not-complete flag: this header was damaged
                int len = header & LENGTH_MASK;
                long following = align4(position + 4 + len);
                if (len > 0 && len <= maxExcerptBytes && following <= fileSize
                        && ((following + 4 <= fileSize && plausibleFollower(following)) || looksLikeFrame(position + 4, len))) {
                    long at = position;
                    position = following;
                    if ((header & META_DATA) == 0) {
                        sequence++; // a data document: the writer counted it
                    }
                    return damaged(at, "Chronicle header 0x" + Integer.toHexString(header) + " marks this "
                            + len + "-byte document as not complete, but it is (and documents may follow it): Chronicle readers stop here", following);
                }
                return resync(position, "Chronicle header 0x" + Integer.toHexString(header) + " at byte " + position
                        + " is not a header a writer leaves", -1, false);
            }
            int len = header & LENGTH_MASK;
            boolean meta = (header & META_DATA) != 0;
            long after = position + 4 + len;
            if (after > fileSize) {
                return resync(position, "Chronicle header at byte " + position + " claims " + len
                        + " bytes but the file ends at byte " + fileSize, -1, false);
            }
            if (meta) {
                if (len >= FrameFormat.MIN_FRAME_BYTES && len <= maxExcerptBytes && looksLikeFrame(position + 4, len)) {
                    long at = position;
                    position = align4(after);
                    return damaged(at, "a " + len + "-byte document holding an event frame is flagged as Chronicle"
                            + " metadata (header 0x" + Integer.toHexString(header) + "): Chronicle readers skip it", position);
                }
                position = align4(after);
                continue;
            }
            if (len < FrameFormat.MIN_FRAME_BYTES || len > maxExcerptBytes) {
                return resync(position, "Chronicle header at byte " + position + " claims a " + len
                        + "-byte excerpt; a valid append is " + FrameFormat.MIN_FRAME_BYTES + " to " + maxExcerptBytes + " bytes", -1, false);
            }
            fill(position + 4, len);
            itemHeader = position;
            itemOffset = (int) (position + 4 - bufStart);
            itemLength = len;
            itemIndex = sequenceKnown ? rollCycle.toIndex(files.get(fileIndex).cycle(), sequence) : -1;
            sequence++;
            position = align4(after);
            item = itemIndex >= 0 && cuts.contains(itemIndex) ? Item.CUT : Item.EXCERPT;
            return item;
        }
    }

    private boolean nextFile() throws IOException {
        if (fileIndex + 1 >= files.size()) {
            refreshFiles();
        }
        if (fileIndex + 1 < files.size()) {
            openFile(fileIndex + 1);
            return true;
        }
        return false;
    }

    /** A header at {@code at} that starts a complete document with a plausible length. */
    private boolean plausibleFollower(long at) throws IOException {
        fill(at, 4);
        int h = intAt(at);
        if (h == 0 || (h & NOT_COMPLETE) != 0) {
            return false;
        }
        int len = h & LENGTH_MASK;
        return at + 4 + len <= fileSize && len <= maxExcerptBytes;
    }

    /**
     * Looks for the next readable excerpt after a damaged header at {@code bad}: a 4-byte aligned data header
     * whose document starts with an event frame with a valid CRC32C.
     */
    private Item resync(long bad, String why, long expectedNext, boolean counted) throws IOException {
        // where the whole frames at the damaged document's start end: if reading resumes right there, the
        // document was one excerpt with a wrong length, and the file's Chronicle indices stay known
        long tiledEnd = bad + 4;
        for (int n; tiledEnd + FrameFormat.MIN_FRAME_BYTES <= fileSize
                && (n = frameAt(tiledEnd, (int) Math.min(maxExcerptBytes, fileSize - tiledEnd))) > 0; ) {
            tiledEnd += n;
        }
        long p = align4(bad + 4);
        while (p + 4 + FrameFormat.MIN_FRAME_BYTES <= fileSize) {
            fill(p, 4);
            int h = intAt(p);
            if (h != 0 && (h & (NOT_COMPLETE | META_DATA)) == 0) {
                int len = h & LENGTH_MASK;
                if (len >= FrameFormat.MIN_FRAME_BYTES && len <= maxExcerptBytes && p + 4 + len <= fileSize
                        && looksLikeFrame(p + 4, len)) {
                    if (p == expectedNext || (tiledEnd > bad + 4 && p == align4(tiledEnd))) {
                        if (!counted) {
                            sequence++; // the damaged document was one excerpt
                        }
                    } else {
                        sequenceKnown = false;
                    }
                    position = p;
                    return damaged(bad, why, p);
                }
            }
            p += 4;
        }
        // nothing readable follows in this file
        exhaustedFile = fileIndex;
        return damaged(bad, why + "; nothing readable follows in this file", -1);
    }

    /** True if the {@code len} bytes at {@code at} start with a whole event frame whose CRC32C matches. */
    private boolean looksLikeFrame(long at, int len) throws IOException {
        return frameAt(at, len) > 0;
    }

    /** @return the length of the whole event frame with a matching CRC32C at {@code at} within {@code len} bytes, else -1 */
    private int frameAt(long at, int len) throws IOException {
        if (len < FrameFormat.MIN_FRAME_BYTES) {
            return -1;
        }
        fill(at, 8);
        int frameLength = intAt(at);
        if (frameLength < FrameFormat.MIN_FRAME_BYTES || frameLength > len
                || (buf[(int) (at - bufStart) + FrameFormat.FORMAT_VERSION_OFFSET] & 0xFF) != FrameFormat.FORMAT_VERSION) {
            return -1;
        }
        fill(at, frameLength);
        int off = (int) (at - bufStart);
        crc.reset();
        crc.update(buf, off, frameLength - FrameFormat.CRC_LENGTH);
        return (int) crc.getValue() == intAt(at + frameLength - FrameFormat.CRC_LENGTH) ? frameLength : -1;
    }

    private Item damaged(long at, String why, long resume) {
        return damaged(at, why, resume, fileIndex);
    }

    private Item damaged(long at, String why, long resume, int inFile) {
        item = Item.DAMAGED;
        itemHeader = at;
        itemIndex = -1;
        itemLength = 0;
        reason = why;
        resumedAt = resume;
        damagedFile = files.get(inFile).path();
        return item;
    }

    /** Makes bytes [at, at + n) of the current file available in {@link #buf}; n is at most the file's remainder. */
    private void fill(long at, int n) throws IOException {
        if (at >= bufStart && at + n <= bufStart + bufLen) {
            return;
        }
        int want = (int) Math.min(Math.max(CHUNK, n), Math.max(n, fileSize - at));
        if (buf.length < want) {
            buf = new byte[want];
        }
        ByteBuffer bb = ByteBuffer.wrap(buf, 0, want);
        long p = at;
        while (bb.hasRemaining()) {
            int r = channel.read(bb, p);
            if (r < 0) {
                break;
            }
            p += r;
        }
        bufStart = at;
        bufLen = bb.position();
        if (bufLen < n) {
            // the file shrank under us: treat the missing bytes as zero (no document)
            java.util.Arrays.fill(buf, bufLen, n, (byte) 0);
            bufLen = n;
        }
    }

    private int intAt(long at) {
        int i = (int) (at - bufStart);
        return (buf[i] & 0xFF) | (buf[i + 1] & 0xFF) << 8 | (buf[i + 2] & 0xFF) << 16 | (buf[i + 3] & 0xFF) << 24;
    }

    private static long align4(long p) {
        return (p + 3) & ~3L;
    }

    /** @return the buffer holding the last excerpt (valid until the next call) */
    public byte[] buffer() {
        return buf;
    }

    /** @return the last excerpt's offset in {@link #buffer()} */
    public int offset() {
        return itemOffset;
    }

    /** @return the last excerpt's length in bytes */
    public int length() {
        return itemLength;
    }

    /** @return the last excerpt's Chronicle index, -1 if unknown (after damage in its file) */
    public long excerptIndex() {
        return itemIndex;
    }

    /** @return the file of the last item */
    public Path file() {
        return item == Item.DAMAGED ? damagedFile : files.get(fileIndex).path();
    }

    /** @return the byte offset of the last excerpt's data in its file; for damage, of the first damaged byte */
    public long filePosition() {
        return item == Item.DAMAGED ? itemHeader : itemHeader + 4;
    }

    /** @return for {@link Item#DAMAGED}: what is wrong */
    public String reason() {
        return reason;
    }

    /** @return for {@link Item#DAMAGED}: where in the same file reading resumed, -1 if it did not */
    public long resumedAt() {
        return resumedAt;
    }

    /** @return how the data read so far ends (meaningful once {@link #next()} returned null) */
    public End end() {
        return end;
    }

    /** @return the file offset where the data read so far ends (the zero or incomplete header) */
    public long endPosition() {
        return endPosition;
    }

    /** @return the index in {@link #files()} of the file the reader is in, -1 before the first read */
    public int fileIndex() {
        return fileIndex;
    }

    /** @return the file the reader is in, null before the first read */
    public Path currentFile() {
        return fileIndex < 0 ? null : files.get(fileIndex).path();
    }

    @Override
    public void close() throws IOException {
        closeChannel();
    }
}
