package dev.hindsight.engine.internal.subscription;

import dev.hindsight.codec.CorruptFrameException;
import dev.hindsight.engine.ParkedEvent;
import dev.hindsight.engine.internal.BinaryFiles;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * A durable subscription's parked events, {@code <name>.parked} in the subscription directory:
 * rewritten whole by atomic replace whenever an event is parked, retried or dropped (parking is
 * rare; the file holds at most {@value #MAX_EVENTS} events). Stateless, thread-safe.
 *
 * <pre>
 * offset size field (little-endian)
 *  0     8    magic "HSPARKD\0"
 *  8     2    format version (1)
 * 10     2    reserved, 0
 * 12     4    count N (0..10000)
 * 16     8    store id: the store marker's creation time, epoch ms
 * 24     ..   N entries, in increasing position order:
 *               8  position        int64 (>= 0)
 *               4  attempts        int32 (>= 1)
 *               8  first parked    epoch ms
 *               8  last attempt    epoch ms
 *               2  error length E  uint16 (0..4096)
 *               E  last error      UTF-8
 * end-4  4    CRC32C of bytes [0, end-4)
 * </pre>
 */
public final class ParkedEventsFile {
    /** The format version this code writes and reads. */
    public static final int FORMAT_VERSION = 1;
    /** The most events a subscription keeps parked; parking more fails the subscription. */
    public static final int MAX_EVENTS = 10_000;
    /** The longest error text kept, in UTF-8 bytes. */
    static final int MAX_ERROR_BYTES = 4096;
    static final int HEADER = 24;
    static final int ENTRY_FIXED = 30;
    private static final long MAGIC = BinaryFiles.magic("HSPARKD\0");

    private ParkedEventsFile() {
    }

    /**
     * @param file         the parked-events file
     * @param subscription the subscription's name, for the events
     * @param storeId      the store's id; a file of another store is rejected
     * @return the parked events in position order
     * @throws CorruptFrameException naming the file and byte position of the first problem, or if it belongs to another store
     * @throws IOException           if it cannot be read
     */
    public static List<ParkedEvent> read(Path file, String subscription, long storeId) throws IOException {
        ByteBuffer buf = BinaryFiles.readChecked(file, "parked-events file", MAGIC, HEADER + 4,
                HEADER + MAX_EVENTS * (ENTRY_FIXED + MAX_ERROR_BYTES) + 4);
        String src = file.toString();
        int version = Short.toUnsignedInt(buf.getShort(8));
        if (version != FORMAT_VERSION) {
            throw new CorruptFrameException(src, 8, "unsupported parked-events format version " + version
                    + " (this Hindsight reads version " + FORMAT_VERSION + ")");
        }
        if (buf.getShort(10) != 0) {
            throw new CorruptFrameException(src, 10, "reserved bytes are not 0");
        }
        int count = buf.getInt(12);
        int end = buf.capacity() - 4;
        if (count < 0 || count > MAX_EVENTS || (long) count * ENTRY_FIXED > end - HEADER) {
            throw new CorruptFrameException(src, 12, "count " + count + " does not fit a " + buf.capacity() + "-byte file"
                    + " (at most " + MAX_EVENTS + ")");
        }
        long id = buf.getLong(16);
        if (id != storeId) {
            throw new CorruptFrameException(src, 16, "belongs to the store created at " + id + " (epoch ms), not to this"
                    + " store created at " + storeId);
        }
        List<ParkedEvent> out = new ArrayList<>(count);
        int at = HEADER;
        long previous = -1;
        for (int i = 0; i < count; i++) {
            if (end - at < ENTRY_FIXED) {
                throw new CorruptFrameException(src, at, "entry " + i + " of " + count + " is truncated");
            }
            long position = buf.getLong(at);
            int attempts = buf.getInt(at + 8);
            long first = buf.getLong(at + 12);
            long last = buf.getLong(at + 20);
            int len = Short.toUnsignedInt(buf.getShort(at + 28));
            if (position <= previous) {
                throw new CorruptFrameException(src, at, "entry " + i + " has position " + position + " after " + previous
                        + " (positions must increase)");
            }
            if (attempts < 1) {
                throw new CorruptFrameException(src, at + 8, "entry " + i + " has " + attempts + " attempts");
            }
            if (len > MAX_ERROR_BYTES || len > end - at - ENTRY_FIXED) {
                throw new CorruptFrameException(src, at + 28, "entry " + i + " has an error of " + len + " bytes; "
                        + Math.min(MAX_ERROR_BYTES, end - at - ENTRY_FIXED) + " fit");
            }
            String error;
            try {
                error = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)
                        .decode(ByteBuffer.wrap(buf.array(), at + ENTRY_FIXED, len)).toString();
            } catch (CharacterCodingException e) {
                throw new CorruptFrameException(src, at + ENTRY_FIXED, "entry " + i + ": error text is not valid UTF-8");
            }
            out.add(new ParkedEvent(subscription, position, attempts, error, Instant.ofEpochMilli(first), Instant.ofEpochMilli(last)));
            previous = position;
            at += ENTRY_FIXED + len;
        }
        if (at != end) {
            throw new CorruptFrameException(src, at, (end - at) + " bytes follow the last entry");
        }
        return out;
    }

    /**
     * Writes the parked events atomically.
     *
     * @param file    the parked-events file
     * @param storeId the store's id
     * @param events  the events, in increasing position order, at most {@value #MAX_EVENTS}
     * @throws IOException if it cannot be written
     */
    public static void write(Path file, long storeId, Collection<ParkedEvent> events) throws IOException {
        if (events.size() > MAX_EVENTS) {
            throw new IllegalArgumentException(events.size() + " parked events; at most " + MAX_EVENTS + " are kept");
        }
        List<byte[]> errors = new ArrayList<>(events.size());
        int size = HEADER + 4;
        for (ParkedEvent e : events) {
            byte[] err = truncate(e.lastError());
            errors.add(err);
            size += ENTRY_FIXED + err.length;
        }
        ByteBuffer buf = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
        buf.putLong(MAGIC).putShort((short) FORMAT_VERSION).putShort((short) 0).putInt(events.size()).putLong(storeId);
        int i = 0;
        for (ParkedEvent e : events) {
            byte[] err = errors.get(i++);
            buf.putLong(e.position()).putInt(e.attempts()).putLong(e.firstParked().toEpochMilli())
                    .putLong(e.lastAttempt().toEpochMilli()).putShort((short) err.length).put(err);
        }
        byte[] bytes = buf.array();
        buf.putInt(size - 4, BinaryFiles.crc32c(bytes, 0, size - 4));
        BinaryFiles.writeAtomically(file, bytes);
    }

    /** @return the text's UTF-8 bytes, cut at a character boundary to at most {@link #MAX_ERROR_BYTES} */
    static byte[] truncate(String text) {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        if (b.length <= MAX_ERROR_BYTES) {
            return b;
        }
        int n = MAX_ERROR_BYTES;
        while (n > 0 && (b[n] & 0xC0) == 0x80) {
            n--; // do not cut a multi-byte character
        }
        return java.util.Arrays.copyOf(b, n);
    }
}
