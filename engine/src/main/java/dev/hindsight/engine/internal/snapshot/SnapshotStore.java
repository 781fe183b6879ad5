package dev.hindsight.engine.internal.snapshot;

import dev.hindsight.codec.CorruptFrameException;
import dev.hindsight.codec.internal.Utf8;
import org.agrona.collections.LongArrayList;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.CRC32C;

import static dev.hindsight.engine.internal.snapshot.SnapshotFormat.LE;

/**
 * Memory-mapped snapshots of entity states: per entity, a ladder of encoded states at spaced versions
 * plus the newest one, so that "the newest snapshot at or before version V" and "... at or before
 * timestamp T" are a hash lookup and a binary search, and at most N - 1 events (N = the ladder interval)
 * remain to replay after them. The store keeps the state bytes opaque; a lookup names the state schema's
 * fingerprint it can decode, and snapshots with another fingerprint are never returned.
 *
 * <p><b>Derived data.</b> Everything here can be rebuilt by replaying the journal; deleting the
 * directory loses nothing. A torn, corrupt or foreign record is skipped (logged, counted in
 * {@link #stats()}), and the caller replays the journal instead. Records are on disk as described in
 * {@link SnapshotFormat}; on open the store scans every segment and rebuilds the per-entity ladders in
 * memory (nothing else is persisted), dropping snapshots of events at or after the journal's end and
 * segments of another store.
 *
 * <p><b>Threads.</b> One writer thread ({@link #put}, {@link #compact}; the opening thread until
 * {@link #bindWriterToCurrentThread()}, asserted) and any number of concurrent readers
 * ({@link #floorByVersion}, {@link #floorByTimestamp}, {@link #latest}), which take no lock and
 * allocate nothing. The writer writes a record into the mapped segment before it publishes the entity's
 * new ladder in the entity map (a {@link ConcurrentHashMap}, whose put and get order them), so a reader
 * that finds a snapshot finds all of it.
 *
 * <p><b>Space.</b> Segments are preallocated files of {@code segmentBytes}, appended to in order and
 * never rewritten. A record no ladder references (a superseded newest snapshot, a thinned rung, another
 * fingerprint's ladder) is garbage; once a full segment is at most half live, the writer copies its live
 * records to the current segment, a few per {@code put}, and deletes it. So the files hold at most about
 * twice the live bytes plus two segments.
 */
public final class SnapshotStore implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("dev.hindsight");

    /** Default rung interval: a snapshot at every 32nd version is kept. */
    public static final int DEFAULT_INTERVAL = 32;
    /** Default segment file size. */
    public static final int DEFAULT_SEGMENT_BYTES = 32 << 20;
    /** Default largest encoded state. */
    public static final int DEFAULT_MAX_STATE_BYTES = 1 << 20;
    /** Default free space the store leaves on the file system when it creates a segment. */
    public static final long DEFAULT_MIN_FREE_DISK_BYTES = 256L << 20;
    /** The lock file a writing store holds in its directory. */
    public static final String LOCK_FILE = "snapshots.lock";
    /** A segment is compacted once its live bytes are at most this fraction of its capacity. */
    static final double COMPACT_BELOW = 0.5;
    private static final int MAX_LOGGED_SKIPS = 10;

    /** What {@link #put} did. */
    public enum PutResult {
        /** Written and added to the entity's ladder. */
        STORED,
        /** The ladder already holds a snapshot of this version with this fingerprint: nothing written. */
        ALREADY_STORED,
        /** The retention policy would not keep it (an older version that is not a rung, or a thinned rung): nothing written. */
        NOT_RETAINED,
        /** No segment could take it (disk full or an I/O error, logged): nothing written. */
        NOT_WRITTEN
    }

    private final Path dir;
    private final boolean readOnly;
    private final long storeId;
    private final long journalEnd;
    private final int defaultInterval;
    private final Map<String, Integer> intervals;
    private final int denseRungs;
    private final int thinFactor;
    private final int segmentBytes;
    private final int maxStateBytes;
    private final long minFreeDiskBytes;
    private final boolean verifyOnRead;
    /** The longest record this store writes or reads. */
    private final int maxRecord;

    /** Resource type -> entity id -> the entity's ladder (replaced, never modified, by the writer). */
    private final ConcurrentHashMap<String, ConcurrentHashMap<String, long[]>> byType = new ConcurrentHashMap<>();
    /** Slot -> segment; a retired segment's slot is null. Copied on write, read by any thread. */
    private volatile Segment[] slots = new Segment[8];
    private volatile boolean closed;
    private volatile long entityCount;
    private volatile long snapshotCount;
    private final AtomicLong corruptReads = new AtomicLong();
    private final ConcurrentLinkedQueue<CorruptRead> corruptQueue = new ConcurrentLinkedQueue<>();
    private final Set<Long> reportedLocations = ConcurrentHashMap.newKeySet();

    // writer state
    private Thread owner;
    private final List<Segment> sealed = new ArrayList<>();
    private Segment active;
    private int nextSlot;
    private long nextSequence;
    private byte[] scratch = new byte[4096];
    private final CRC32C crc = new CRC32C();
    private final LadderUpdate update = new LadderUpdate();
    private final RecordCopy writerCopy = new RecordCopy();
    private Segment victim;
    private int victimCursor;
    private boolean victimSearch = true;
    private boolean writeFailureLogged;
    private long skippedRecords;
    private long discardedSegments;
    private long retiredSegments;
    private final FileChannel lockChannel;
    private final FileLock lock;

    private record CorruptRead(String resourceType, String entityId, long version, long location) {
    }

    /**
     * @param dir the snapshot directory ({@code <store>/snapshots})
     * @return a builder with the defaults
     */
    public static Builder builder(Path dir) {
        return new Builder(dir);
    }

    private SnapshotStore(Builder b, boolean readOnly) throws IOException {
        this.dir = b.dir;
        this.readOnly = readOnly;
        this.storeId = b.storeId;
        this.journalEnd = b.journalEnd;
        this.defaultInterval = b.interval;
        this.intervals = Map.copyOf(b.intervals);
        this.denseRungs = b.denseRungs;
        this.thinFactor = b.thinFactor;
        this.segmentBytes = b.segmentBytes;
        this.maxStateBytes = b.maxStateBytes;
        this.minFreeDiskBytes = b.minFreeDiskBytes;
        this.verifyOnRead = b.verifyOnRead;
        this.maxRecord = SnapshotFormat.aligned(SnapshotFormat.recordLength(SnapshotFormat.MAX_TYPE_BYTES,
                SnapshotFormat.MAX_ID_BYTES, maxStateBytes));
        this.owner = Thread.currentThread();
        if (readOnly) {
            lockChannel = null;
            lock = null;
        } else {
            Files.createDirectories(dir);
            lockChannel = FileChannel.open(dir.resolve(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock l;
            try {
                l = lockChannel.tryLock();
            } catch (OverlappingFileLockException e) {
                l = null;
            }
            if (l == null) {
                lockChannel.close();
                throw new IllegalStateException("snapshot directory " + dir + " is already open for writing (lock "
                        + dir.resolve(LOCK_FILE) + " is held)");
            }
            lock = l;
        }
        try {
            load();
        } catch (IOException | RuntimeException | Error e) {
            releaseLock();
            throw e;
        }
    }

    // ------------------------------------------------------------------ open: scan and rebuild

    private void load() throws IOException {
        if (!Files.isDirectory(dir)) {
            return; // read-only, nothing written yet
        }
        TreeMap<Long, Path> files = new TreeMap<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                String name = p.getFileName().toString();
                long seq = Segment.sequenceOf(name);
                if (seq >= 0) {
                    files.put(seq, p);
                } else if (name.endsWith(Segment.SUFFIX + ".tmp") && !readOnly) {
                    Files.deleteIfExists(p); // a segment whose creation did not finish
                } else if (!name.equals(LOCK_FILE)) {
                    LOG.log(System.Logger.Level.DEBUG, "snapshot directory {0}: ignoring {1}", dir, name);
                }
            }
        }
        List<Segment> opened = new ArrayList<>();
        for (Map.Entry<Long, Path> f : files.entrySet()) {
            nextSequence = Math.max(nextSequence, f.getKey() + 1);
            Segment s = openSegment(f.getValue(), opened.size(), false);
            if (s != null) {
                opened.add(s);
            }
        }
        Segment last = opened.isEmpty() ? null : opened.get(opened.size() - 1);
        if (!readOnly && last != null && last.limit == last.capacity) {
            // the writer may resume the newest segment: map it read-write
            Segment rw = openSegment(last.file, last.slot, true);
            if (rw == null) {
                opened.remove(last);
                last = null;
            } else {
                opened.set(opened.size() - 1, rw);
                last = rw;
            }
        }
        Scanner scanner = new Scanner();
        boolean lastClean = false;
        for (Segment s : opened) {
            addSlot(s);
            int fault = s.scan(scanner, writerCopy, maxRecord);
            if (fault < 0) {
                skippedRecords++;
                LOG.log(System.Logger.Level.WARNING, "snapshot segment {0}: {1} at position {2}; the records from there"
                        + " to the end of the segment are ignored (derived data: the journal is replayed instead)",
                        s.file, SnapshotFormat.describe(fault), s.used);
            }
            if (fault == 0 && s.limit < s.capacity) {
                if (s.hasBytesAfterUsed()) {
                    skippedRecords++; // a record cut short, too short even for a length check
                }
                LOG.log(System.Logger.Level.WARNING, "snapshot segment {0} was truncated to {1} of its {2} bytes;"
                        + " the records from position {3} on are lost (derived data: the journal is replayed instead)",
                        s.file, s.limit, s.capacity, s.used);
            }
            sealed.add(s);
            lastClean = fault == 0;
        }
        if (scanner.inconsistent > MAX_LOGGED_SKIPS) {
            LOG.log(System.Logger.Level.WARNING, "snapshot directory {0}: {1} snapshots contradicted their entity's"
                    + " other snapshots and were ignored", dir, scanner.inconsistent);
        }
        if (scanner.beyondJournal > 0) {
            LOG.log(System.Logger.Level.INFO, "snapshot directory {0}: {1} snapshots of events at or after the journal''s"
                    + " end (position {2}) were ignored", dir, scanner.beyondJournal, journalEnd);
        }
        if (!readOnly && last != null && lastClean && last.appendable()) {
            // resume the last segment: clear what a writer killed mid-record may have left after the end
            last.zeroAfterUsed(last.creatorMaxRecord + 8);
            sealed.remove(last);
            active = last;
        }
        if (!readOnly) {
            for (Segment s : new ArrayList<>(sealed)) {
                if (s.liveBytes == 0) {
                    retire(s);
                }
            }
        }
    }

    private Segment openSegment(Path file, int slot, boolean writable) {
        Segment s;
        try {
            s = Segment.open(file, slot, writable);
        } catch (CorruptFrameException e) {
            discardedSegments++;
            LOG.log(System.Logger.Level.WARNING, "{0}; {1}", e.getMessage(), readOnly ? "ignored" : "deleted");
            deleteQuietly(file);
            return null;
        } catch (NoSuchFileException e) {
            return null; // a writer in another process retired it meanwhile
        } catch (IOException e) {
            discardedSegments++;
            LOG.log(System.Logger.Level.WARNING, "snapshot segment {0} cannot be read ({1}); ignored", file, e.toString());
            return null;
        }
        if (s.storeId != storeId) {
            discardedSegments++;
            LOG.log(System.Logger.Level.INFO, "snapshot segment {0} belongs to store {1}, not {2}; {3}", file,
                    Long.toString(s.storeId), Long.toString(storeId), readOnly ? "ignored" : "deleted");
            deleteQuietly(file);
            return null;
        }
        return s;
    }

    private void deleteQuietly(Path file) {
        if (readOnly) {
            return;
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "could not delete snapshot segment {0}: {1}", file, e.toString());
        }
    }

    /** Replays the records of a scan through the retention policy, in the order they were written. */
    private final class Scanner implements Segment.RecordVisitor {
        private final byte[] key = new byte[SnapshotFormat.MAX_TYPE_BYTES + SnapshotFormat.MAX_ID_BYTES];
        private final HashMap<String, String> typeNames = new HashMap<>();
        long inconsistent;
        long beyondJournal;

        @Override
        public void record(Segment segment, int offset, RecordCopy record, int length) {
            UnsafeBuffer buf = record.buffer;
            int r = SnapshotFormat.typeLength(buf, 0);
            int e = SnapshotFormat.idLength(buf, 0);
            buf.getBytes(SnapshotFormat.RECORD_FIXED, key, 0, r + e);
            if (Utf8.invalidAt(key, 0, r) >= 0 || Utf8.invalidAt(key, r, e) >= 0) {
                skip(segment, offset, "resource type or entity id is not valid UTF-8");
                return;
            }
            long position = SnapshotFormat.position(buf, 0);
            if (position >= journalEnd) {
                beyondJournal++;
                skippedRecords++;
                return;
            }
            String type = Utf8.decodeValid(key, 0, r);
            type = typeNames.computeIfAbsent(type, t -> t);
            String id = Utf8.decodeValid(key, r, e);
            long version = SnapshotFormat.version(buf, 0);
            long[] ladder = ladder(type, id);
            LadderUpdate.Outcome o = update.apply(ladder, SnapshotFormat.fingerprint(buf, 0),
                    version, SnapshotFormat.timestamp(buf, 0), position, interval(type), denseRungs, thinFactor, true);
            switch (o) {
                case INSERTED:
                case REPLACED:
                    install(ladder == null, type, id, Ladder.location(segment.slot, offset), SnapshotFormat.aligned(length), segment);
                    break;
                case INCONSISTENT:
                    inconsistent++;
                    skip(segment, offset, update.inconsistency);
                    break;
                default:
                    break; // superseded by what was written before it: garbage
            }
        }

        private void skip(Segment segment, int offset, String why) {
            skippedRecords++;
            if (skippedRecords <= MAX_LOGGED_SKIPS) {
                LOG.log(System.Logger.Level.WARNING, "snapshot segment {0}: record at position {1} ignored: {2}",
                        segment.file, offset, why);
            }
        }
    }

    // ------------------------------------------------------------------ reads (any thread)

    /**
     * Finds the newest snapshot of an entity at or before a version. Allocates nothing.
     *
     * @param resourceType the entity's resource type
     * @param entityId     its id
     * @param version      the version (a snapshot of exactly this version qualifies)
     * @param fingerprint  the state schema fingerprint the caller can decode; others are ignored
     * @param into         filled with the snapshot, or cleared
     * @return whether a snapshot was found
     * @throws IllegalStateException if the store is closed
     */
    public boolean floorByVersion(String resourceType, String entityId, long version, long fingerprint, SnapshotView into) {
        return read(resourceType, entityId, false, version, fingerprint, into);
    }

    /**
     * Finds the newest snapshot of an entity whose event's timestamp is at or before {@code nanos}: the
     * state to replay from for "as of" that instant (events with exactly that timestamp are included).
     * Allocates nothing.
     *
     * @param resourceType the entity's resource type
     * @param entityId     its id
     * @param nanos        the instant, epoch nanoseconds
     * @param fingerprint  the state schema fingerprint the caller can decode; others are ignored
     * @param into         filled with the snapshot, or cleared
     * @return whether a snapshot was found
     * @throws IllegalStateException if the store is closed
     */
    public boolean floorByTimestamp(String resourceType, String entityId, long nanos, long fingerprint, SnapshotView into) {
        return read(resourceType, entityId, true, nanos, fingerprint, into);
    }

    /**
     * Finds the newest snapshot of an entity. Allocates nothing.
     *
     * @param resourceType the entity's resource type
     * @param entityId     its id
     * @param fingerprint  the state schema fingerprint the caller can decode; others are ignored
     * @param into         filled with the snapshot, or cleared
     * @return whether a snapshot was found
     * @throws IllegalStateException if the store is closed
     */
    public boolean latest(String resourceType, String entityId, long fingerprint, SnapshotView into) {
        return read(resourceType, entityId, false, Long.MAX_VALUE, fingerprint, into);
    }

    private boolean read(String resourceType, String entityId, boolean byTime, long key, long fingerprint, SnapshotView into) {
        if (closed) {
            throw new IllegalStateException("snapshot store " + dir + " is closed");
        }
        into.clear();
        ConcurrentHashMap<String, long[]> entities = byType.get(resourceType);
        if (entities == null) {
            return false;
        }
        for (int attempt = 0; attempt < 8; attempt++) {
            long[] l = entities.get(entityId);
            if (l == null) {
                return false;
            }
            if (Ladder.fingerprint(l) != fingerprint) {
                return false;
            }
            int i = byTime ? Ladder.floorByTimestamp(l, key) : Ladder.floorByVersion(l, key);
            boolean retired = false;
            for (; i >= 0; i--) {
                long loc = Ladder.location(l, i);
                Segment[] t = slots;
                int slot = Ladder.slotOf(loc);
                Segment s = slot < t.length ? t[slot] : null;
                if (s == null) {
                    retired = true; // compaction moved it after we read the ladder: read the ladder again
                    break;
                }
                if (readRecord(s, Ladder.offsetOf(loc), l, i, into, byTime)) {
                    return true;
                }
                reportCorrupt(resourceType, entityId, l, i, s);
            }
            if (!retired || entities.get(entityId) == l) {
                return false;
            }
        }
        return false;
    }

    private boolean readRecord(Segment s, int offset, long[] l, int i, SnapshotView into, boolean byTime) {
        RecordCopy copy = into.record;
        int length = copy.load(s.buffer, offset, s.limit, maxRecord, verifyOnRead);
        if (length <= 0) {
            return false;
        }
        UnsafeBuffer buf = copy.buffer;
        long version = SnapshotFormat.version(buf, 0);
        long position = SnapshotFormat.position(buf, 0);
        long timestamp = SnapshotFormat.timestamp(buf, 0);
        long fingerprint = SnapshotFormat.fingerprint(buf, 0);
        if (version != Ladder.version(l, i) || position != Ladder.position(l, i) || timestamp != Ladder.timestamp(l, i)
                || fingerprint != Ladder.fingerprint(l)) {
            return false;
        }
        int stateOffset = SnapshotFormat.RECORD_FIXED + SnapshotFormat.typeLength(buf, 0) + SnapshotFormat.idLength(buf, 0);
        into.set(version, position, timestamp, fingerprint, stateOffset, SnapshotFormat.stateLength(buf, 0));
        return true;
    }

    private void reportCorrupt(String resourceType, String entityId, long[] l, int i, Segment s) {
        long loc = Ladder.location(l, i);
        corruptReads.incrementAndGet();
        if (reportedLocations.size() < 10_000 && reportedLocations.add(loc)) {
            LOG.log(System.Logger.Level.WARNING, "snapshot segment {0}: the snapshot of {1}/{2} version {3} at position {4}"
                    + " is damaged; ignored (the journal is replayed instead)", s.file, resourceType, entityId,
                    Ladder.version(l, i), Ladder.offsetOf(loc));
            corruptQueue.offer(new CorruptRead(resourceType, entityId, Ladder.version(l, i), loc));
        }
    }

    private long[] ladder(String resourceType, String entityId) {
        ConcurrentHashMap<String, long[]> m = byType.get(resourceType);
        return m == null ? null : m.get(entityId);
    }

    private void setLadder(String resourceType, String entityId, long[] ladder) {
        byType.get(resourceType).put(entityId, ladder);
    }

    // ------------------------------------------------------------------ writes (the writer thread)

    /** Makes the calling thread the store's only writer (the previous writer must have stopped). */
    public void bindWriterToCurrentThread() {
        owner = Thread.currentThread();
    }

    private void checkWriter() {
        assert Thread.currentThread() == owner : "snapshot store written by " + Thread.currentThread().getName()
                + ", but only " + owner.getName() + " may write";
        if (readOnly) {
            throw new IllegalStateException("snapshot store " + dir + " is open read-only");
        }
        if (closed) {
            throw new IllegalStateException("snapshot store " + dir + " is closed");
        }
    }

    /**
     * Stores the state of an entity at a version, if the retention policy keeps it (see
     * {@link LadderUpdate}): rungs (versions that are multiples of the resource type's interval) and the
     * newest snapshot. A snapshot with a fingerprint other than the entity's ladder's replaces the whole
     * ladder. Writer thread only; may also move a few records for compaction.
     *
     * @param resourceType   the entity's resource type (1..64 UTF-8 bytes)
     * @param entityId       its id (1..256 UTF-8 bytes)
     * @param version        the entity version the state includes (&gt;= 1)
     * @param position       the global position of that version's event (&gt;= version - 1)
     * @param timestampNanos that event's sequencer timestamp
     * @param fingerprint    the state schema's fingerprint
     * @param state          the encoded state
     * @param offset         where it starts in {@code state}
     * @param length         its length (0..maxStateBytes)
     * @return what happened
     * @throws IllegalArgumentException if an argument is out of range, or the version's timestamp or
     *                                  position contradicts the entity's other snapshots; nothing is written
     * @throws IllegalStateException    if the store is closed or read-only
     */
    public PutResult put(String resourceType, String entityId, long version, long position, long timestampNanos,
                         long fingerprint, byte[] state, int offset, int length) {
        checkWriter();
        int r = keyLength(resourceType, "resource type", SnapshotFormat.MAX_TYPE_BYTES);
        int e = keyLength(entityId, "entity id", SnapshotFormat.MAX_ID_BYTES);
        if (version < 1) {
            throw new IllegalArgumentException("snapshot version must be >= 1, got " + version);
        }
        if (position < version - 1) {
            throw new IllegalArgumentException("global position " + position + " cannot hold version " + version
                    + " (positions are 0-based and gapless, so version v is at position >= v - 1)");
        }
        Objects.checkFromIndexSize(offset, length, state.length);
        if (length > maxStateBytes) {
            throw new IllegalArgumentException("encoded state of " + resourceType + "/" + entityId + " version " + version
                    + " is " + length + " bytes; the limit (maxStateBytes) is " + maxStateBytes);
        }
        drainCorruptReports();
        long[] ladder = ladder(resourceType, entityId);
        LadderUpdate.Outcome o = update.apply(ladder, fingerprint, version, timestampNanos,
                position, interval(resourceType), denseRungs, thinFactor, false);
        switch (o) {
            case DUPLICATE:
                return PutResult.ALREADY_STORED;
            case NOT_RETAINED:
                return PutResult.NOT_RETAINED;
            case INCONSISTENT:
                throw new IllegalArgumentException("snapshot of " + resourceType + "/" + entityId + ": " + update.inconsistency);
            default:
                break;
        }
        int recordLength = SnapshotFormat.recordLength(r, e, length);
        Segment s = segmentFor(recordLength);
        if (s == null) {
            return PutResult.NOT_WRITTEN;
        }
        stage(resourceType, r, entityId, e, version, position, timestampNanos, fingerprint, state, offset, length, recordLength);
        int at = s.append(scratch, recordLength);
        install(ladder == null, resourceType, entityId, Ladder.location(s.slot, at), SnapshotFormat.aligned(recordLength), s);
        compactStep(4L * SnapshotFormat.aligned(recordLength) + 4096);
        return PutResult.STORED;
    }

    /** Publishes {@code update.result} (its new entry at {@code location}) as the entity's ladder. */
    private void install(boolean newEntity, String type, String id, long location, int footprint, Segment s) {
        Ladder.setLocation(update.result, update.index, location);
        s.liveBytes += footprint;
        long delta = 1 - update.dropped.size();
        if (newEntity) {
            byType.computeIfAbsent(type, t -> new ConcurrentHashMap<>()).put(id, update.result);
            entityCount = entityCount + 1;
        } else {
            setLadder(type, id, update.result);
        }
        snapshotCount = snapshotCount + delta;
        release(update.dropped);
    }

    private static int keyLength(String s, String what, int max) {
        int n;
        try {
            n = Utf8.encodedLength(s);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(what + " " + s + ": " + e.getMessage(), e);
        }
        if (n < 1 || n > max) {
            throw new IllegalArgumentException(what + " must be 1 to " + max + " UTF-8 bytes, got " + n + ": " + s);
        }
        return n;
    }

    private void stage(String type, int r, String id, int e, long version, long position, long timestamp, long fingerprint,
                       byte[] state, int offset, int length, int recordLength) {
        if (scratch.length < recordLength) {
            scratch = new byte[Math.max(recordLength, scratch.length * 2)];
        }
        UnsafeBuffer b = stagingBuffer();
        b.putInt(SnapshotFormat.R_LENGTH, recordLength, LE);
        b.putByte(SnapshotFormat.R_KIND, SnapshotFormat.KIND_SNAPSHOT);
        b.putByte(SnapshotFormat.R_FLAGS, (byte) 0);
        b.putShort(SnapshotFormat.R_RESERVED, (short) 0, LE);
        b.putShort(SnapshotFormat.R_TYPE_LEN, (short) r, LE);
        b.putShort(SnapshotFormat.R_ID_LEN, (short) e, LE);
        b.putInt(SnapshotFormat.R_STATE_LEN, length, LE);
        b.putLong(SnapshotFormat.R_VERSION, version, LE);
        b.putLong(SnapshotFormat.R_POSITION, position, LE);
        b.putLong(SnapshotFormat.R_TIMESTAMP, timestamp, LE);
        b.putLong(SnapshotFormat.R_FINGERPRINT, fingerprint, LE);
        int p = Utf8.encode(type, scratch, SnapshotFormat.RECORD_FIXED);
        p = Utf8.encode(id, scratch, p);
        System.arraycopy(state, offset, scratch, p, length);
        crc.reset();
        crc.update(scratch, 4, recordLength - 8);
        b.putInt(recordLength - 4, (int) crc.getValue(), LE);
    }

    private final UnsafeBuffer staging = new UnsafeBuffer(new byte[0]);

    private UnsafeBuffer stagingBuffer() {
        if (staging.byteArray() != scratch) {
            staging.wrap(scratch);
        }
        return staging;
    }

    /** @return the segment to append a record of {@code length} bytes to, rolling to a new one if needed; null if none can be had */
    private Segment segmentFor(int length) {
        if (active != null && active.fits(length)) {
            return active;
        }
        if (active != null) {
            sealed.add(active);
            active = null;
            victimSearch = true;
        }
        try {
            long usable = Files.getFileStore(dir).getUsableSpace();
            if (usable - segmentBytes < minFreeDiskBytes) {
                logWriteFailure("only " + usable + " bytes are free; a new " + segmentBytes + "-byte segment would leave less than "
                        + minFreeDiskBytes + " (minFreeDiskBytes)");
                return null;
            }
            Segment s = Segment.create(dir, nextSequence, nextSlot, segmentBytes, storeId, maxRecord);
            nextSequence++;
            addSlot(s);
            active = s;
            writeFailureLogged = false;
            return s;
        } catch (IOException | UncheckedIOException e) {
            logWriteFailure("cannot create segment " + Segment.fileName(nextSequence) + ": " + e);
            return null;
        }
    }

    private void logWriteFailure(String why) {
        if (!writeFailureLogged) {
            writeFailureLogged = true;
            LOG.log(System.Logger.Level.WARNING, "snapshot directory {0}: snapshots are not being written: {1}", dir, why);
        }
    }

    private void addSlot(Segment s) {
        Segment[] t = slots;
        if (s.slot >= t.length) {
            t = Arrays.copyOf(t, Math.max(t.length * 2, s.slot + 1));
        } else {
            t = t.clone();
        }
        t[s.slot] = s;
        nextSlot = s.slot + 1;
        slots = t;
    }

    /** Records that no ladder references {@code locations} any more. */
    private void release(LongArrayList locations) {
        Segment[] t = slots;
        for (int k = 0, n = locations.size(); k < n; k++) {
            long loc = locations.getLong(k);
            Segment s = t[Ladder.slotOf(loc)];
            if (s != null) {
                s.liveBytes -= Math.min(s.liveBytes, s.footprint(Ladder.offsetOf(loc)));
                if (s != active) {
                    victimSearch = true;
                }
            }
        }
    }

    private void drainCorruptReports() {
        CorruptRead c;
        while ((c = corruptQueue.poll()) != null) {
            long[] l = ladder(c.resourceType, c.entityId);
            int i = l == null ? -1 : Ladder.search(l, c.version);
            if (i < 0 || Ladder.location(l, i) != c.location) {
                continue;
            }
            long[] keep = new long[(Ladder.count(l) + 63) >>> 6];
            for (int k = 0; k < Ladder.count(l); k++) {
                if (k != i) {
                    keep[k >>> 6] |= 1L << k;
                }
            }
            setLadder(c.resourceType, c.entityId, Ladder.retain(l, keep, Ladder.count(l) - 1));
            snapshotCount = snapshotCount - 1;
            update.dropped.clear();
            update.dropped.addLong(c.location);
            release(update.dropped);
        }
    }

    // ------------------------------------------------------------------ compaction (the writer thread)

    /**
     * Compacts until no full segment is at most half live: copies the live records of such segments
     * to the current one and deletes them. {@link #put} does this a little at a time; this does it all
     * now. Writer thread only.
     */
    public void compact() {
        checkWriter();
        drainCorruptReports();
        while (compactStep(Long.MAX_VALUE)) {
            // until nothing is left to compact
        }
    }

    /**
     * Scans up to {@code budget} bytes of the current victim segment, copying its live records.
     *
     * @return whether there may be more to compact
     */
    private boolean compactStep(long budget) {
        if (victim == null) {
            if (!victimSearch) {
                return false;
            }
            victim = pickVictim();
            victimSearch = false;
            if (victim == null) {
                return false;
            }
            victimCursor = SnapshotFormat.HEADER_BYTES;
        }
        long scanned = 0;
        Segment v = victim;
        while (scanned < budget && v.liveBytes > 0 && victimCursor < v.used) {
            int off = victimCursor;
            int length = writerCopy.load(v.buffer, off, v.used, maxRecord, true);
            if (length <= 0) {
                LOG.log(System.Logger.Level.WARNING, "snapshot segment {0}: {1} at position {2} while compacting;"
                        + " the rest of the segment is dropped", v.file, SnapshotFormat.describe(length), off);
                dropReferencesTo(v);
                break;
            }
            if (!relocateIfLive(v, off, length)) {
                return false; // no room to copy to: try again on a later put
            }
            victimCursor = off + SnapshotFormat.aligned(length);
            scanned += SnapshotFormat.aligned(length);
        }
        if (v.liveBytes > 0 && victimCursor < v.used) {
            return true; // budget used up
        }
        if (v.liveBytes > 0) {
            dropReferencesTo(v); // accounting drifted (a damaged record): make sure no ladder points here
        }
        retire(v);
        victim = null;
        victimSearch = true;
        return true;
    }

    private Segment pickVictim() {
        Segment best = null;
        for (Segment s : sealed) {
            if (s.liveBytes <= s.capacity * COMPACT_BELOW && (best == null || s.liveBytes < best.liveBytes)) {
                best = s;
            }
        }
        return best;
    }

    private final byte[] keyScratch = new byte[SnapshotFormat.MAX_TYPE_BYTES + SnapshotFormat.MAX_ID_BYTES];

    /**
     * Copies the record at {@code off} of the victim (loaded into {@link #writerCopy}) to the current
     * segment if a ladder still references it there, and points the ladder at the copy.
     *
     * @return false if the record is live but there is no room to copy it
     */
    private boolean relocateIfLive(Segment v, int off, int length) {
        UnsafeBuffer buf = writerCopy.buffer;
        int r = SnapshotFormat.typeLength(buf, 0);
        int e = SnapshotFormat.idLength(buf, 0);
        buf.getBytes(SnapshotFormat.RECORD_FIXED, keyScratch, 0, r + e);
        if (Utf8.invalidAt(keyScratch, 0, r) >= 0 || Utf8.invalidAt(keyScratch, r, e) >= 0) {
            return true; // never indexed
        }
        String type = Utf8.decodeValid(keyScratch, 0, r);
        String id = Utf8.decodeValid(keyScratch, r, e);
        long[] l = ladder(type, id);
        if (l == null) {
            return true;
        }
        int i = Ladder.search(l, SnapshotFormat.version(buf, 0));
        if (i < 0 || Ladder.location(l, i) != Ladder.location(v.slot, off)) {
            return true; // garbage
        }
        Segment to = segmentFor(length);
        if (to == null) {
            return false;
        }
        int at = to.append(writerCopy.bytes(), length);
        setLadder(type, id, Ladder.withLocation(l, i, Ladder.location(to.slot, at)));
        int footprint = SnapshotFormat.aligned(length);
        to.liveBytes += footprint;
        v.liveBytes -= Math.min(v.liveBytes, footprint);
        return true;
    }

    /** Removes every ladder entry that points into {@code s} (after damage stopped its compaction). */
    private void dropReferencesTo(Segment s) {
        for (ConcurrentHashMap<String, long[]> m : byType.values()) {
            for (Map.Entry<String, long[]> entity : m.entrySet()) {
                long[] l = entity.getValue();
                int n = Ladder.count(l);
                long[] keep = null;
                int kept = n;
                for (int i = 0; i < n; i++) {
                    if (Ladder.slotOf(Ladder.location(l, i)) == s.slot) {
                        if (keep == null) {
                            keep = new long[(n + 63) >>> 6];
                            Arrays.fill(keep, -1L);
                        }
                        keep[i >>> 6] &= ~(1L << i);
                        kept--;
                    }
                }
                if (keep != null) {
                    entity.setValue(Ladder.retain(l, keep, kept));
                    snapshotCount = snapshotCount - (n - kept);
                }
            }
        }
        s.liveBytes = 0;
    }

    private void retire(Segment s) {
        sealed.remove(s);
        Segment[] t = slots.clone();
        t[s.slot] = null;
        slots = t;
        retiredSegments++;
        deleteQuietly(s.file);
        // the mapping is released by the GC once no reader's view or old ladder refers to it
    }

    private int interval(String resourceType) {
        Integer n = intervals.get(resourceType);
        return n == null ? defaultInterval : n;
    }

    // ------------------------------------------------------------------ state

    /** @return the store's counters (see {@link SnapshotStats}) */
    public SnapshotStats stats() {
        int segments = 0;
        long fileBytes = 0;
        long live = 0;
        for (Segment s : slots) {
            if (s != null) {
                segments++;
                fileBytes += s.limit;
                live += s.liveBytes;
            }
        }
        return new SnapshotStats(entityCount, snapshotCount, segments, fileBytes, live, skippedRecords, discardedSegments,
                retiredSegments, corruptReads.get());
    }

    /** @return the snapshot directory */
    public Path directory() {
        return dir;
    }

    /**
     * @param resourceType a resource type
     * @return its rung interval N: snapshots at multiples of N are kept
     */
    public int intervalOf(String resourceType) {
        return interval(resourceType);
    }

    /**
     * Closes the store: no more puts or lookups, the writer lock is released. Segment mappings are
     * released by the GC once unreferenced (a lookup racing with close still reads mapped memory).
     * Idempotent; any thread, once the writer has stopped.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        releaseLock();
    }

    private void releaseLock() {
        try {
            if (lock != null) {
                lock.release();
            }
            if (lockChannel != null) {
                lockChannel.close();
            }
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "snapshot directory {0}: could not release the lock: {1}", dir, e.toString());
        }
    }

    @Override
    public String toString() {
        return "SnapshotStore[" + dir + (readOnly ? ", read-only" : "") + "]";
    }

    /**
     * Configures and opens a {@link SnapshotStore}. Every setting is validated when set. Not
     * thread-safe.
     */
    public static final class Builder {
        private final Path dir;
        private long storeId;
        private long journalEnd = Long.MAX_VALUE;
        private int interval = DEFAULT_INTERVAL;
        private final Map<String, Integer> intervals = new HashMap<>();
        private int denseRungs;
        private int thinFactor = 1;
        private int segmentBytes = DEFAULT_SEGMENT_BYTES;
        private int maxStateBytes = DEFAULT_MAX_STATE_BYTES;
        private long minFreeDiskBytes = DEFAULT_MIN_FREE_DISK_BYTES;
        private boolean verifyOnRead = true;

        private Builder(Path dir) {
            this.dir = Objects.requireNonNull(dir, "dir");
        }

        /**
         * @param id the store's identity (its marker's creation time): segments written for another
         *           store id are discarded at open. Default 0.
         * @return this builder
         */
        public Builder storeId(long id) {
            this.storeId = id;
            return this;
        }

        /**
         * @param nextPosition the journal's next global position after recovery: snapshots of events at
         *                     or after it (lost with a torn journal tail) are ignored at open. Default:
         *                     no limit.
         * @return this builder
         */
        public Builder journalEnd(long nextPosition) {
            if (nextPosition < 0) {
                throw new IllegalArgumentException("journal end must be >= 0, got " + nextPosition);
            }
            this.journalEnd = nextPosition;
            return this;
        }

        /**
         * @param n the default rung interval (1..1,048,576): a snapshot at every version that is a
         *          multiple of {@code n} is kept, so at most {@code n - 1} events are replayed after a
         *          floor lookup. Default {@value #DEFAULT_INTERVAL}.
         * @return this builder
         */
        public Builder interval(int n) {
            this.interval = checkInterval(n, "default");
            return this;
        }

        /**
         * @param resourceType a resource type
         * @param n            its rung interval (1..1,048,576)
         * @return this builder
         */
        public Builder interval(String resourceType, int n) {
            keyLength(Objects.requireNonNull(resourceType, "resourceType"), "resource type", SnapshotFormat.MAX_TYPE_BYTES);
            intervals.put(resourceType, checkInterval(n, resourceType));
            return this;
        }

        private static int checkInterval(int n, String what) {
            if (n < 1 || n > 1 << 20) {
                throw new IllegalArgumentException("rung interval (" + what + ") must be 1 to 1048576, got " + n);
            }
            return n;
        }

        /**
         * Thins old rungs: rungs more than {@code denseRungs} intervals below an entity's newest rung
         * are kept only at multiples of {@code factor} intervals. Replay after a floor lookup is then at
         * most {@code factor x N - 1} events for those old versions. Default: off (every rung kept).
         *
         * @param denseRungs rungs kept at the full interval (1..1,000,000), or 0 to turn thinning off
         * @param factor     the older rungs' spacing, in intervals (2..1,024; ignored when off)
         * @return this builder
         */
        public Builder thinning(int denseRungs, int factor) {
            if (denseRungs < 0 || denseRungs > 1_000_000) {
                throw new IllegalArgumentException("dense rungs must be 0 (off) to 1000000, got " + denseRungs);
            }
            if (denseRungs > 0 && (factor < 2 || factor > 1024)) {
                throw new IllegalArgumentException("thinning factor must be 2 to 1024, got " + factor);
            }
            this.denseRungs = denseRungs;
            this.thinFactor = denseRungs == 0 ? 1 : factor;
            return this;
        }

        /**
         * @param bytes segment file size, 64 KiB to 1 GiB; must hold at least two records of
         *              {@code maxStateBytes}. Default 32 MiB.
         * @return this builder
         */
        public Builder segmentBytes(int bytes) {
            if (bytes < 64 << 10 || bytes > Segment.MAX_CAPACITY) {
                throw new IllegalArgumentException("segment size must be 65536 to " + Segment.MAX_CAPACITY + " bytes, got " + bytes);
            }
            this.segmentBytes = bytes;
            return this;
        }

        /**
         * @param bytes the largest encoded state stored, 0 to 64 MiB. Default 1 MiB.
         * @return this builder
         */
        public Builder maxStateBytes(int bytes) {
            if (bytes < 0 || bytes > 64 << 20) {
                throw new IllegalArgumentException("max state size must be 0 to " + (64 << 20) + " bytes, got " + bytes);
            }
            this.maxStateBytes = bytes;
            return this;
        }

        /**
         * @param bytes free space to leave on the file system: no segment is created that would leave
         *              less (puts return {@link PutResult#NOT_WRITTEN}). Default 256 MiB.
         * @return this builder
         */
        public Builder minFreeDiskBytes(long bytes) {
            if (bytes < 0) {
                throw new IllegalArgumentException("min free disk bytes must be >= 0, got " + bytes);
            }
            this.minFreeDiskBytes = bytes;
            return this;
        }

        /**
         * @param verify whether every lookup checks the record's CRC32C (a damaged record is then skipped
         *               rather than returned). Default true.
         * @return this builder
         */
        public Builder verifyOnRead(boolean verify) {
            this.verifyOnRead = verify;
            return this;
        }

        private void checkSizes() {
            long maxRecord = SnapshotFormat.aligned(SnapshotFormat.recordLength(SnapshotFormat.MAX_TYPE_BYTES,
                    SnapshotFormat.MAX_ID_BYTES, maxStateBytes));
            if (SnapshotFormat.HEADER_BYTES + 2 * maxRecord > segmentBytes) {
                throw new IllegalArgumentException("segment size " + segmentBytes + " cannot hold two records of "
                        + maxRecord + " bytes (maxStateBytes " + maxStateBytes + "); raise segmentBytes or lower maxStateBytes");
            }
        }

        /**
         * Opens the store for writing: creates the directory if needed, takes its lock, scans the
         * segments and rebuilds the ladders (deleting damaged and foreign segment files).
         *
         * @return the store; the calling thread is its writer
         * @throws IllegalStateException if another writer holds the directory
         * @throws UncheckedIOException  if the directory cannot be read or written
         */
        public SnapshotStore open() {
            checkSizes();
            try {
                return new SnapshotStore(this, false);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot open snapshot directory " + dir + ": " + e.getMessage(), e);
            }
        }

        /**
         * Opens the store for lookups only: scans what is there now (a missing directory is an empty
         * store), writes and deletes nothing, takes no lock, and does not follow a writer's later puts.
         *
         * @return the store
         * @throws UncheckedIOException if the directory cannot be read
         */
        public SnapshotStore openReadOnly() {
            try {
                return new SnapshotStore(this, true);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot open snapshot directory " + dir + ": " + e.getMessage(), e);
            }
        }
    }
}
