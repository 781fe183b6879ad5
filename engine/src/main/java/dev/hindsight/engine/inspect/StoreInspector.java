package dev.hindsight.engine.inspect;

import dev.hindsight.codec.CorruptFrameException;
import dev.hindsight.codec.SchemaCatalog;
import dev.hindsight.codec.SchemaCatalogFile;
import dev.hindsight.engine.EventStoreBuilder;
import dev.hindsight.engine.HindsightException;
import dev.hindsight.engine.JournalRollCycle;
import dev.hindsight.engine.internal.StoreLayout;
import dev.hindsight.engine.internal.StoreMarker;
import dev.hindsight.engine.internal.index.IndexMapsReader;
import dev.hindsight.engine.internal.index.IndexState;
import dev.hindsight.engine.internal.journal.JournalCuts;
import dev.hindsight.engine.internal.journal.RawJournalReader;
import dev.hindsight.engine.internal.snapshot.SegmentFileReader;
import dev.hindsight.engine.internal.subscription.CheckpointFile;
import dev.hindsight.engine.internal.subscription.ParkedEventsFile;
import dev.hindsight.engine.ParkedEvent;
import java.util.List;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.stream.Stream;

/**
 * Read-only access to a store directory's files for offline inspection: the marker, the schema catalog, the
 * journal (through {@link JournalScanner}), the journal cuts, the index checkpoint and a private copy of the
 * persisted index. It never takes the writer lock, never writes, creates or memory-maps a file in the store,
 * and reads every file defensively (sizes checked before a byte is buffered), so it may be used on a damaged
 * store, on a copy with a stale lock file, and beside a live writer. It holds no file open between calls.
 * Immutable and thread-safe; the scanners and copies it hands out are not.
 *
 * <pre>{@code
 * StoreInspector store = StoreInspector.open(Path.of("data"));
 * SchemaCatalog catalog = store.readCatalog();
 * try (JournalScanner journal = store.openJournal()) { ... }
 * }</pre>
 */
public final class StoreInspector {
    /** The largest excerpt a valid store can hold: one append of at most 64 MiB of frames. */
    public static final int MAX_EXCERPT_BYTES = EventStoreBuilder.MAX_MAX_EVENT_BYTES;
    private static final int MAX_CUTS_FILE_BYTES = 20 + 16 * 65536;
    private static final int INDEX_STATE_BYTES = 52;
    private static final int MARKER_BYTES = 28;

    private final StoreLayout layout;
    private final StoreMarker marker;

    private StoreInspector(StoreLayout layout, StoreMarker marker) {
        this.layout = layout;
        this.marker = marker;
    }

    /**
     * Opens a store directory for inspection: checks it exists and has a valid store marker.
     *
     * @param directory the store directory
     * @return the inspector
     * @throws HindsightException with a one-line message naming the path if it is missing, not a directory,
     *                            empty, not a store, or its marker is damaged
     */
    public static StoreInspector open(Path directory) {
        Objects.requireNonNull(directory, "directory");
        Path dir = directory.toAbsolutePath().normalize();
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS) && !Files.exists(dir)) {
            throw new HindsightException(dir + ": no such file or directory");
        }
        if (!Files.isDirectory(dir)) {
            throw new HindsightException(dir + " is a file, not a store directory");
        }
        StoreLayout layout = new StoreLayout(dir);
        Path markerFile = layout.marker();
        if (!Files.exists(markerFile)) {
            boolean empty;
            try (Stream<Path> entries = Files.list(dir)) {
                empty = entries.findAny().isEmpty();
            } catch (IOException e) {
                throw new HindsightException("cannot list " + dir + ": " + e.getMessage(), e);
            }
            throw new HindsightException(dir + (empty ? " is an empty directory, not a Hindsight store"
                    : " is not a Hindsight store (it has no hindsight.store file)"));
        }
        try {
            if (!Files.isRegularFile(markerFile)) {
                throw new HindsightException(markerFile + " is not a regular file; " + dir + " is not a readable Hindsight store");
            }
            long size = Files.size(markerFile);
            if (size != MARKER_BYTES) {
                throw new CorruptFrameException(markerFile.toString(), 0, "the store marker is " + size + " bytes, not " + MARKER_BYTES);
            }
            return new StoreInspector(layout, StoreMarker.read(markerFile));
        } catch (CorruptFrameException e) {
            throw new HindsightException(dir + " is not a readable Hindsight store: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new HindsightException("cannot read " + markerFile + ": " + e.getMessage(), e);
        }
    }

    /** @return the store directory (absolute) */
    public Path directory() {
        return layout.root();
    }

    /** @return the store format version from the marker */
    public int formatVersion() {
        return marker.formatVersion();
    }

    /** @return the journal's roll cycle from the marker */
    public JournalRollCycle rollCycle() {
        return marker.rollCycle();
    }

    /** @return when the store was created, from the marker */
    public Instant created() {
        return Instant.ofEpochMilli(marker.createdMillis());
    }

    /** @return the schema catalog file */
    public Path catalogFile() {
        return layout.catalog();
    }

    /** @return the journal directory */
    public Path journalDirectory() {
        return layout.journal();
    }

    /** @return the derived index directory */
    public Path indexDirectory() {
        return layout.index();
    }

    /** @return the writer lock file */
    public Path lockFile() {
        return layout.lockFile();
    }

    /** @return the journal cuts file */
    public Path journalCutsFile() {
        return layout.journalCuts();
    }

    /**
     * @return the schema catalog; empty if the file is missing
     * @throws CorruptFrameException naming the file and byte position if it is damaged
     * @throws UncheckedIOException  if it cannot be read
     */
    public SchemaCatalog readCatalog() {
        return SchemaCatalogFile.read(layout.catalog());
    }

    /**
     * @return the Chronicle indices of the excerpts recovery cut, sorted; empty if there is no cuts file
     * @throws CorruptFrameException naming the file and byte position if it is damaged
     * @throws UncheckedIOException  if it cannot be read
     */
    public long[] readCuts() {
        return cuts().indices();
    }

    private JournalCuts cuts() {
        Path file = layout.journalCuts();
        try {
            if (Files.exists(file) && Files.size(file) > MAX_CUTS_FILE_BYTES) {
                throw new CorruptFrameException(file.toString(), 0, "journal cuts file is " + Files.size(file)
                        + " bytes; the largest valid one is " + MAX_CUTS_FILE_BYTES);
            }
            return JournalCuts.read(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * @return the index checkpoint, or null if {@code index/index.state} does not exist; an intact state of
     *     another index format version gives a checkpoint with that {@link IndexCheckpoint#formatVersion()}
     * @throws CorruptFrameException naming the file and byte position if it is damaged
     * @throws UncheckedIOException  if it cannot be read
     */
    public IndexCheckpoint readIndexCheckpoint() {
        Path file = layout.indexState();
        try {
            if (!Files.exists(file)) {
                return null;
            }
            long size = Files.size(file);
            if (size != INDEX_STATE_BYTES) {
                throw new CorruptFrameException(file.toString(), 0, "index state is " + size + " bytes, not " + INDEX_STATE_BYTES);
            }
            IndexState s = IndexState.read(file);
            return s == null ? null : new IndexCheckpoint(IndexCheckpoint.CURRENT_FORMAT, s.clean(), s.nextPosition(),
                    s.lastExcerptIndex(), s.lastTimestampNanos(), s.entityCount());
        } catch (IndexState.OtherFormatException e) {
            return new IndexCheckpoint(e.version(), e.clean(), -1, -1, 0, 0);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * @return the pid recorded in the writer lock file (the last writer's; it may be stale), if readable
     */
    public OptionalLong lockHolderPid() {
        Path file = layout.lockFile();
        try {
            if (!Files.isRegularFile(file) || Files.size(file) > 64) {
                return OptionalLong.empty();
            }
            String text = new String(Files.readAllBytes(file), StandardCharsets.US_ASCII).trim();
            return text.matches("[0-9]{1,18}") ? OptionalLong.of(Long.parseLong(text)) : OptionalLong.empty();
        } catch (IOException e) {
            return OptionalLong.empty();
        }
    }

    /**
     * Opens the journal for reading from its first excerpt, skipping what recovery cut.
     *
     * @return a scanner; close it
     * @throws CorruptFrameException if the journal cuts file is damaged (see {@link #openJournalIgnoringCuts()})
     * @throws UncheckedIOException  if the journal directory cannot be listed
     */
    public JournalScanner openJournal() {
        return openJournal(cuts());
    }

    /**
     * Opens the journal without reading the cuts file: cut excerpts appear as ordinary excerpts (torn
     * appends whose frames fail validation). For a store whose cuts file is damaged.
     *
     * @return a scanner; close it
     */
    public JournalScanner openJournalIgnoringCuts() {
        return openJournal(JournalCuts.none());
    }

    private JournalScanner openJournal(JournalCuts cuts) {
        try {
            return new JournalScanner(new RawJournalReader(layout.journal(), marker.rollCycle(), cuts, MAX_EXCERPT_BYTES));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list journal " + layout.journal() + ": " + e.getMessage(), e);
        }
    }

    /** @return the store's id: its marker's creation time, epoch ms (what snapshot and subscription files record) */
    public long storeId() {
        return marker.createdMillis();
    }

    /** @return the snapshot directory (derived; may be absent) */
    public Path snapshotsDirectory() {
        return layout.snapshots();
    }

    /** @return the default durable-subscription directory (derived; may be absent) */
    public Path subscriptionsDirectory() {
        return layout.subscriptions();
    }

    /**
     * @param directory a directory
     * @param suffix    a file name suffix
     * @return the regular files in it with that suffix, sorted by name; empty if it does not exist
     * @throws UncheckedIOException if it cannot be listed
     */
    public static List<Path> filesEndingWith(Path directory, String suffix) {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(p -> p.getFileName().toString().endsWith(suffix) && Files.isRegularFile(p)).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + directory + ": " + e.getMessage(), e);
        }
    }

    /**
     * Opens a snapshot segment for reading and checks its header.
     *
     * @param segment a {@code <16 hex digits>.snap} file
     * @return a scanner before its first record; close it
     * @throws CorruptFrameException naming the file and byte offset if the header is damaged
     * @throws UncheckedIOException  if it cannot be read
     */
    public SnapshotSegmentScanner openSnapshotSegment(Path segment) {
        try {
            return new SnapshotSegmentScanner(SegmentFileReader.open(segment));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + segment + ": " + e.getMessage(), e);
        }
    }

    /**
     * @param file a {@code NAME.ckpt} file
     * @return the checkpoint
     * @throws CorruptFrameException naming the file and byte offset if it is damaged
     * @throws UncheckedIOException  if it cannot be read
     */
    public SubscriptionCheckpoint readSubscriptionCheckpoint(Path file) {
        try {
            long size = Files.size(file);
            if (size > 1024) {
                throw new CorruptFrameException(file.toString(), 0, "subscription checkpoint is " + size + " bytes; at most 108 are valid");
            }
            CheckpointFile c = CheckpointFile.read(file);
            return new SubscriptionCheckpoint(file, c.name(), c.storeId(), c.position(), c.writtenAtMillis());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * @param file         a {@code NAME.parked} file
     * @param subscription the subscription's name
     * @return its parked events, in position order
     * @throws CorruptFrameException naming the file and byte offset if it is damaged or another store's
     * @throws UncheckedIOException  if it cannot be read
     */
    public List<ParkedEvent> readParkedEvents(Path file, String subscription) {
        try {
            long size = Files.size(file);
            long max = 28L + ParkedEventsFile.MAX_EVENTS * (30L + 4096);
            if (size > max) {
                throw new CorruptFrameException(file.toString(), 0, "parked-events file is " + size + " bytes; at most " + max + " are valid");
            }
            return ParkedEventsFile.read(file, subscription, storeId());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** @return true if both index map files exist */
    public boolean hasIndexMaps() {
        return Files.isRegularFile(layout.headsMap()) && Files.isRegularFile(layout.blocksMap());
    }

    /** @return the bytes the index map files take (their lengths), 0 if absent */
    public long indexMapBytes() {
        return size(layout.headsMap()) + size(layout.blocksMap());
    }

    private static long size(Path p) {
        try {
            return Files.isRegularFile(p) ? Files.size(p) : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    /**
     * Copies {@code heads.cm} and {@code blocks.cm} into a new directory under {@code workDirectory} (zero
     * regions are left as holes) and opens the copies. The index checkpoint and the map files' sizes and
     * modification times are read before and after copying; if they changed (a writer is at work), the copy
     * is deleted and an exception thrown.
     *
     * @param workDirectory where to create the temporary copy (not inside the store)
     * @return the opened copy; closing it deletes it
     * @throws HindsightException    if the maps are missing, changed while copied, or there is not enough free space
     * @throws CorruptFrameException naming the map file if Chronicle Map cannot open (the copy of) it
     * @throws IOException           if copying fails
     */
    public PersistedIndexCopy copyIndex(Path workDirectory) throws IOException {
        Path heads = layout.headsMap();
        Path blocks = layout.blocksMap();
        if (!hasIndexMaps()) {
            throw new HindsightException("the store " + layout.root() + " has no index maps (" + heads.getFileName() + ", "
                    + blocks.getFileName() + ")");
        }
        Path work = workDirectory.toAbsolutePath().normalize();
        if (work.startsWith(layout.root())) {
            throw new HindsightException("the work directory " + work + " is inside the store " + layout.root()
                    + "; inspection never writes there");
        }
        Files.createDirectories(work);
        long needed = Files.size(heads) + Files.size(blocks);
        long free = Files.getFileStore(work).getUsableSpace();
        if (free < needed) {
            throw new HindsightException("copying the index needs up to " + needed + " bytes in " + work + ", which has "
                    + free + " free");
        }
        IndexCheckpoint before = readIndexCheckpoint();
        String filesBefore = fingerprint(heads) + fingerprint(blocks);
        Path dir = Files.createTempDirectory(work, "hindsight-index-");
        try {
            Path headsCopy = dir.resolve("heads.cm");
            Path blocksCopy = dir.resolve("blocks.cm");
            copySparse(heads, headsCopy);
            copySparse(blocks, blocksCopy);
            if (!Objects.equals(before, readIndexCheckpoint()) || !filesBefore.equals(fingerprint(heads) + fingerprint(blocks))) {
                throw new HindsightException("the index of " + layout.root() + " changed while it was copied (a writer is running)");
            }
            IndexMapsReader maps = IndexMapsReader.openCopies(headsCopy, blocksCopy, heads.toString(), blocks.toString());
            return new PersistedIndexCopy(dir, maps, before);
        } catch (IOException | RuntimeException | Error e) {
            try {
                PersistedIndexCopy.deleteTree(dir);
            } catch (RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    private static String fingerprint(Path file) throws IOException {
        BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
        return a.size() + "@" + a.lastModifiedTime().toMillis() + ";";
    }

    /** Copies a file, leaving 64 KiB runs of zeros as holes (Chronicle Map files are mostly unused space). */
    private static void copySparse(Path from, Path to) throws IOException {
        final int run = 64 << 10;
        ByteBuffer buf = ByteBuffer.allocate(1 << 20);
        try (FileChannel in = FileChannel.open(from, StandardOpenOption.READ);
             FileChannel out = FileChannel.open(to, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            long size = in.size();
            long pos = 0;
            while (pos < size) {
                buf.clear();
                int n = 0;
                while (buf.hasRemaining()) {
                    int r = in.read(buf, pos + n);
                    if (r < 0) {
                        break;
                    }
                    n += r;
                }
                if (n == 0) {
                    break;
                }
                byte[] a = buf.array();
                for (int off = 0; off < n; off += run) {
                    int len = Math.min(run, n - off);
                    if (!allZero(a, off, len)) {
                        ByteBuffer slice = ByteBuffer.wrap(a, off, len);
                        long at = pos + off;
                        while (slice.hasRemaining()) {
                            at += out.write(slice, at);
                        }
                    }
                }
                pos += n;
            }
            if (out.size() < pos) {
                // extend to the full length: the tail is a hole
                out.write(ByteBuffer.wrap(new byte[1]), pos - 1);
            }
        }
    }

    private static boolean allZero(byte[] a, int off, int len) {
        for (int i = off; i < off + len; i++) {
            if (a[i] != 0) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return "StoreInspector[" + layout.root() + "]";
    }
}
