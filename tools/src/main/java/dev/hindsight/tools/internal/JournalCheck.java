package dev.hindsight.tools.internal;

import dev.hindsight.codec.CorruptFrameException;
import dev.hindsight.codec.EventCodec;
import dev.hindsight.codec.EventSchema;
import dev.hindsight.codec.FrameFormat;
import dev.hindsight.codec.FrameReader;
import dev.hindsight.codec.SchemaCatalog;
import dev.hindsight.engine.inspect.ChronicleIndexCheck;
import dev.hindsight.engine.inspect.JournalScanner;
import dev.hindsight.engine.inspect.StoreInspector;
import dev.hindsight.tools.check.ArtifactCheck;
import dev.hindsight.tools.check.Entities;
import dev.hindsight.tools.check.Findings;
import dev.hindsight.tools.check.JournalEvent;
import dev.hindsight.tools.check.JournalSummary;
import org.agrona.collections.Long2LongHashMap;
import org.agrona.collections.Long2ObjectHashMap;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/**
 * One streaming pass over the whole journal that checks everything the journal alone can say about itself
 * and feeds every readable event to the derived-artifact checks: each frame's CRC32C and lengths (and, in
 * deep mode, its metadata and payload against the catalog), gapless global positions, gapless per-entity
 * versions, one entity per excerpt, timestamps that never go back, and event types the catalog knows.
 * Damage is reported with file and byte offset and the scan reads on; a gap that damage already explains is
 * a note, not a second problem. Memory is flat in the number of events: per-entity state
 * ({@link EntityTable}) and per-event-type counters only. Not thread-safe; run once.
 */
public final class JournalCheck implements JournalEvent {
    private final StoreInspector store;
    private final SchemaCatalog catalog;
    private final EventCodec codec;
    private final boolean deep;
    private final Findings findings;
    private final List<ArtifactCheck> checks;
    private final Progress progress;
    private final FrameReader frame = new FrameReader(StoreInspector.MAX_EXCERPT_BYTES);
    private final EntityTable entities = new EntityTable();
    private final Long2ObjectHashMap<EventSchema> schemas = new Long2ObjectHashMap<>();
    private final Long2LongHashMap typeCounts = new Long2LongHashMap(0);
    private final Long2LongHashMap unknownTypes = new Long2LongHashMap(0);
    private int[] damageEpochs = new int[256];

    private JournalScanner journal;
    private int current;
    private long expectedPosition;
    private long lastTimestamp = Long.MIN_VALUE;
    private long firstTimestamp;
    private long firstPosition = -1;
    private long events;
    private long excerpts;
    private long cutExcerpts;
    private long damagedRegions;
    private long damagedFrames;
    private long dataBytes;
    private int damageEpoch;
    private boolean damageSinceLastGood;
    private boolean indicesKnown = true;
    private int files;
    private List<Path> strayFiles = List.of();
    // the excerpts whose places Chronicle's index pages hold: checked against Chronicle after the scan
    private final long spacingMask;
    private long[] sampleIndices = new long[64];
    private long[] samplePositions = new long[64];
    private int[] sampleFiles = new int[64];
    private int samples;
    private long lastExcerptIndex = -1;

    /**
     * @param store    the store
     * @param catalog  its catalog, or null if unreadable (event types are then not checked)
     * @param deep     also decode every event's metadata and payload
     * @param findings where to report
     * @param checks   derived-artifact checks that receive the events
     * @param progress progress display
     */
    public JournalCheck(StoreInspector store, SchemaCatalog catalog, boolean deep, Findings findings,
                        List<ArtifactCheck> checks, Progress progress) {
        this.store = store;
        this.catalog = catalog;
        this.codec = catalog == null ? null : new EventCodec(catalog, dev.hindsight.codec.CodecLimits.defaults());
        this.deep = deep;
        this.findings = findings;
        this.checks = checks;
        this.progress = progress;
        this.spacingMask = Integer.highestOneBit(Math.max(1, ChronicleIndexCheck.defaultIndexSpacing(store))) - 1L;
    }

    /**
     * Reads the journal to its end.
     *
     * @param honourCuts skip the excerpts journal-cuts.bin lists (false when that file is unreadable)
     * @return what the scan found
     */
    public JournalSummary run(boolean honourCuts) {
        try (JournalScanner scanner = honourCuts ? store.openJournal() : store.openJournalIgnoringCuts()) {
            this.journal = scanner;
            files = scanner.files().size();
            strayFiles = scanner.strayFiles();
            for (JournalScanner.Item item; (item = scanner.next()) != null; ) {
                if (item != JournalScanner.Item.DAMAGED) {
                    sample(scanner);
                }
                switch (item) {
                    case EXCERPT -> excerpt();
                    case CUT -> {
                        cutExcerpts++;
                        findings.note(scanner.file(), scanner.filePosition(), "excerpt 0x" + Long.toHexString(scanner.excerptIndex())
                                + " (" + scanner.length() + " bytes) was cut by recovery: a torn append, never acknowledged; readers skip it");
                    }
                    case DAMAGED -> {
                        damaged();
                        findings.problem(scanner.file(), scanner.filePosition(), scanner.reason()
                                + (scanner.resumedAt() >= 0 ? " (reading resumed at byte " + scanner.resumedAt() + ")" : ""));
                    }
                }
                progress.tick(events, fileIndexOf(scanner), files);
            }
            if (scanner.end() == JournalScanner.End.INCOMPLETE) {
                findings.note(scanner.endFile(), scanner.endPosition(), "the journal ends with an excerpt whose header is not"
                        + " complete: a writer is appending it, or died while appending it (never acknowledged; invisible to readers)");
            }
        } finally {
            progress.done();
        }
        if (!unknownTypes.isEmpty()) {
            Long2LongHashMap.KeyIterator it = unknownTypes.keySet().iterator();
            while (it.hasNext()) {
                long key = it.nextValue();
                findings.problem(store.catalogFile(), -1, "the catalog has no event type " + (key >>> 16) + " schema version "
                        + (key & 0xFFFF) + ", which " + Text.count(unknownTypes.get(key)) + " events use");
            }
        }
        return summary();
    }

    private void sample(JournalScanner s) {
        long index = s.excerptIndex();
        if (index < 0) {
            return;
        }
        lastExcerptIndex = index;
        if ((ChronicleIndexCheck.sequenceOf(store, index) & spacingMask) != 0) {
            return;
        }
        if (samples == sampleIndices.length) {
            sampleIndices = java.util.Arrays.copyOf(sampleIndices, samples * 2);
            samplePositions = java.util.Arrays.copyOf(samplePositions, samples * 2);
            sampleFiles = java.util.Arrays.copyOf(sampleFiles, samples * 2);
        }
        sampleIndices[samples] = index;
        samplePositions[samples] = s.filePosition();
        sampleFiles[samples] = s.fileIndex();
        samples++;
    }

    /**
     * After a scan that found the journal whole: checks that Chronicle Queue itself, read-only, finds the
     * excerpts the scan found through its own metadata (file headers, index pages, metadata.cq4t), which the
     * raw scan skips; the engine reads an entity's events through that index. Any failure of Chronicle to open
     * or read is reported as damage. Costs one indexed lookup per {@code indexSpacing} excerpts.
     *
     * @return excerpts checked, -1 if not checked (damage found first)
     */
    public long checkChronicleIndex() {
        if (damage() > 0) {
            return -1;
        }
        List<JournalScanner.JournalFile> fileList;
        try (JournalScanner scanner = store.openJournalIgnoringCuts()) {
            fileList = scanner.files();
        }
        if (fileList.isEmpty()) {
            return 0;
        }
        try (ChronicleIndexCheck chronicle = ChronicleIndexCheck.open(store)) {
            for (int i = 0; i < samples; i++) {
                Path file = fileList.get(sampleFiles[i]).path();
                String wrong = chronicle.locate(sampleIndices[i], file, samplePositions[i]);
                if (wrong != null) {
                    findings.problem(file, samplePositions[i], wrong + ": Chronicle's metadata in this file is damaged, so the"
                            + " engine cannot find these events by entity");
                }
            }
            long last = chronicle.lastIndex();
            if (lastExcerptIndex >= 0 && last < lastExcerptIndex) { // (beside a live writer Chronicle may know more)
                findings.problem(store.journalDirectory(), -1, "Chronicle says the journal's last excerpt is 0x" + Long.toHexString(last)
                        + ", the files end with excerpt 0x" + Long.toHexString(lastExcerptIndex));
            }
        } catch (Exception | InternalError | LinkageError | AssertionError | StackOverflowError e) {
            // Chronicle throws checked exceptions unchecked (StreamCorruptedException), faults on mapped memory
            // as InternalError and may recurse on a damaged header: all of it is damage to report
            findings.problem(store.journalDirectory(), -1, "Chronicle Queue cannot read the journal (its own metadata is damaged,"
                    + " so the engine cannot open it): " + String.valueOf(e).replace('\n', ' '));
        }
        return samples;
    }

    private static int fileIndexOf(JournalScanner scanner) {
        return Math.max(0, scanner.fileIndex());
    }

    private void damaged() {
        damagedRegions++;
        damageEpoch++;
        damageSinceLastGood = true;
        indicesKnown = false;
    }

    /**
     * Validates and records the excerpt's frames in order. A frame that fails is first re-read from the file
     * (with the rest of the excerpt): beside a live writer the newest excerpt can be seen complete before all
     * its bytes are, and real damage reads the same twice. Frames already recorded are not read again.
     */
    private void excerpt() {
        JournalScanner s = journal;
        int length = s.length();
        boolean reread = false;
        boolean whole = true;
        int off = 0;
        int excerptEntity = -1;
        while (off < length) {
            long at = s.filePosition() + off;
            try {
                frame.wrap(s.buffer(), s.offset() + off, length - off, s.file().toString(), at);
            } catch (CorruptFrameException e) {
                if (!reread) {
                    reread = true;
                    s.rereadCurrent();
                    continue;
                }
                whole = false;
                damagedFrames++;
                damageEpoch++;
                damageSinceLastGood = true;
                byte[] buf = s.buffer();
                int base = s.offset();
                findings.problem(s.file(), at, "excerpt 0x" + Long.toHexString(s.excerptIndex()) + ", frame at excerpt byte " + off
                        + ": " + e.reason() + unverified(buf, base + off, length - off));
                int claimed = length - off >= 4 ? FrameReader.peekFrameLength(buf, base + off) : -1;
                if (claimed >= FrameFormat.MIN_FRAME_BYTES && claimed <= length - off) {
                    off += claimed; // the frame's own length is plausible: the next frame starts after it
                    continue;
                }
                s.resyncAfterCurrent(); // the frames do not tile the excerpt: its header's length is suspect
                return;
            }
            int entity = entities.findOrAdd(frame);
            if (excerptEntity < 0) {
                excerptEntity = entity;
            } else if (entity != excerptEntity) {
                findings.problem(s.file(), at, "excerpt 0x" + Long.toHexString(s.excerptIndex()) + " holds events of "
                        + name(excerptEntity) + " and " + name(entity) + "; an append is one entity's");
            }
            event(entity, at);
            off += frame.frameLength();
        }
        if (whole) {
            excerpts++;
            dataBytes += length;
        }
    }

    private void event(int entity, long at) {
        JournalScanner s = journal;
        long position = frame.globalPosition();
        long version = frame.entityVersion();
        long timestamp = frame.timestampNanos();
        if (position != expectedPosition) {
            if (position > expectedPosition) {
                String range = expectedPosition == position - 1 ? "position " + expectedPosition
                        : "positions " + expectedPosition + ".." + (position - 1);
                if (damageSinceLastGood) {
                    findings.note(s.file(), at, range + (expectedPosition == position - 1 ? " is" : " are")
                            + " in the damaged bytes reported above (the next readable event is position " + position + ")");
                } else {
                    findings.problem(s.file(), at, range + " missing: the event here is position " + position
                            + ", the one before it " + (expectedPosition - 1));
                }
            } else {
                findings.problem(s.file(), at, "position " + position + " again (or out of order): the journal already reached position "
                        + (expectedPosition - 1));
            }
        }
        expectedPosition = Math.max(expectedPosition, position + 1);
        if (timestamp < lastTimestamp) {
            findings.problem(s.file(), at, "position " + position + " has timestamp " + Text.iso(timestamp)
                    + ", before the previous event's " + Text.iso(lastTimestamp) + "; timestamps never go back");
        }
        long head = entities.headVersion(entity);
        if (version != head + 1) {
            if (version > head + 1) {
                String missing = head + 1 == version - 1 ? "version " + (head + 1) : "versions " + (head + 1) + ".." + (version - 1);
                String msg = name(entity) + " " + missing + " missing: position " + position + " is version " + version
                        + (head == 0 ? ", its first event" : ", the one before it version " + head);
                if (epochOf(entity) != damageEpoch) {
                    findings.note(s.file(), at, msg + " (probably in the damaged bytes reported above)");
                } else {
                    findings.problem(s.file(), at, msg);
                }
            } else {
                findings.problem(s.file(), at, name(entity) + " version " + version + " again at position " + position
                        + ": it is already at version " + head);
            }
        }
        long key = (long) frame.eventTypeId() << 16 | frame.schemaVersion();
        typeCounts.put(key, typeCounts.get(key) + 1);
        if (catalog != null) {
            EventSchema schema = schemas.get(key);
            if (schema == null) {
                schema = catalog.find(frame.eventTypeId(), frame.schemaVersion()).orElse(null);
                if (schema == null) {
                    unknownTypes.put(key, unknownTypes.get(key) + 1);
                } else {
                    schemas.put(key, schema);
                }
            }
            if (deep) {
                decode(schema, at);
            }
        } else if (deep) {
            decode(null, at);
        }
        for (int i = 0; i < checks.size(); i++) {
            current = entity;
            checks.get(i).event(this);
        }
        entities.record(entity, version, timestamp);
        setEpoch(entity, damageEpoch);
        if (firstPosition < 0) {
            firstPosition = position;
            firstTimestamp = timestamp;
        }
        lastTimestamp = Math.max(lastTimestamp, timestamp);
        events++;
        damageSinceLastGood = false;
    }

    private void decode(EventSchema schema, long at) {
        try {
            frame.metadata();
            if (schema != null) {
                codec.decodeGeneric(schema, frame.buffer(), frame.payloadOffset(), frame.payloadLength(), journal.file().toString(), at);
            }
        } catch (CorruptFrameException e) {
            findings.problem(journal.file(), at, "position " + frame.globalPosition() + ": " + e.reason());
        }
    }

    private int epochOf(int entity) {
        return entity < damageEpochs.length ? damageEpochs[entity] : 0;
    }

    private void setEpoch(int entity, int epoch) {
        if (entity >= damageEpochs.length) {
            damageEpochs = java.util.Arrays.copyOf(damageEpochs, Math.max(entity + 1, damageEpochs.length * 2));
        }
        damageEpochs[entity] = epoch;
    }

    private String name(int entity) {
        return Text.safe(entities.resourceType(entity)) + "/" + Text.safe(entities.entityId(entity));
    }

    /** Best effort: what a damaged frame's header says, marked unverified. */
    private static String unverified(byte[] b, int off, int avail) {
        if (avail < FrameFormat.HEADER_LENGTH) {
            return "";
        }
        long position = getLong(b, off + FrameFormat.POSITION_OFFSET);
        long version = getLong(b, off + FrameFormat.VERSION_OFFSET);
        int r = (b[off + FrameFormat.RESOURCE_TYPE_LENGTH_OFFSET] & 0xFF) | (b[off + FrameFormat.RESOURCE_TYPE_LENGTH_OFFSET + 1] & 0xFF) << 8;
        int e = (b[off + FrameFormat.ENTITY_ID_LENGTH_OFFSET] & 0xFF) | (b[off + FrameFormat.ENTITY_ID_LENGTH_OFFSET + 1] & 0xFF) << 8;
        String entity = "";
        if (r >= 1 && r <= FrameFormat.MAX_RESOURCE_TYPE_BYTES && e >= 1 && e <= FrameFormat.MAX_ENTITY_ID_BYTES
                && FrameFormat.HEADER_LENGTH + r + e <= avail) {
            entity = Text.safe(new String(b, off + FrameFormat.HEADER_LENGTH, r, StandardCharsets.UTF_8)) + "/"
                    + Text.safe(new String(b, off + FrameFormat.HEADER_LENGTH + r, e, StandardCharsets.UTF_8)) + " ";
        }
        return " (its unverified header says " + entity + "version " + version + ", position " + position + ")";
    }

    private static long getLong(byte[] b, int at) {
        long v = 0;
        for (int i = 7; i >= 0; i--) {
            v = v << 8 | (b[at + i] & 0xFF);
        }
        return v;
    }

    /** @return the summary of what was read so far */
    public JournalSummary summary() {
        return new JournalSummary(events, expectedPosition, damagedRegions > 0 || damagedFrames > 0, indicesKnown,
                lastTimestamp == Long.MIN_VALUE ? 0 : lastTimestamp, entities);
    }

    // ---------------------------------------------------------------- JournalEvent

    @Override
    public FrameReader frame() {
        return frame;
    }

    @Override
    public int entity() {
        return current;
    }

    @Override
    public Entities entities() {
        return entities;
    }

    @Override
    public long excerptIndex() {
        return journal.excerptIndex();
    }

    @Override
    public Path file() {
        return journal.file();
    }

    @Override
    public long filePosition() {
        return frame.sourcePosition();
    }

    // ---------------------------------------------------------------- statistics for info

    /** @return the entity table */
    public EntityTable entityTable() {
        return entities;
    }

    /** @return events per (event type id << 16 | schema version) */
    public Long2LongHashMap typeCounts() {
        return typeCounts;
    }

    /** @return readable events */
    public long events() {
        return events;
    }

    /** @return readable excerpts (appends) */
    public long excerpts() {
        return excerpts;
    }

    /** @return excerpts recovery cut */
    public long cutExcerpts() {
        return cutExcerpts;
    }

    /** @return damaged regions plus damaged frames */
    public long damage() {
        return damagedRegions + damagedFrames;
    }

    /** @return bytes of readable excerpts */
    public long dataBytes() {
        return dataBytes;
    }

    /** @return the first readable position, -1 if none */
    public long firstPosition() {
        return firstPosition;
    }

    /** @return the first readable event's timestamp */
    public long firstTimestamp() {
        return firstTimestamp;
    }

    /** @return the journal's cycle files */
    public int files() {
        return files;
    }

    /** @return files in the journal directory that are not part of it */
    public List<Path> strayFiles() {
        return strayFiles;
    }
}
