package dev.hindsight.engine.internal;

import dev.hindsight.codec.CorruptFrameException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/**
 * Small helpers for the store's own fixed-layout files: atomic replace with fsync, and CRC32C.
 * Stateless, thread-safe.
 */
public final class BinaryFiles {
    private BinaryFiles() {
    }

    /**
     * Writes {@code bytes} to {@code file} atomically: a temporary file, forced, renamed over the
     * target, then the directory forced, so a crash leaves either the old or the new content.
     *
     * @param file  the target
     * @param bytes the content
     * @throws IOException if writing fails
     */
    public static void writeAtomically(Path file, byte[] bytes) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer buf = ByteBuffer.wrap(bytes);
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            ch.force(true);
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        forceDirectory(file.getParent());
    }

    /** @param dir a directory to fsync; file systems that cannot are ignored */
    public static void forceDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException ignored) {
            // not every platform can fsync a directory; the rename is still atomic
        }
    }

    /**
     * Reads one of the store's small fixed-layout files defensively: length, magic, then the trailing
     * CRC32C over everything before it, before any other field is trusted.
     *
     * @param file      the file
     * @param what      what it is, for messages ("store marker")
     * @param magic     the expected first 8 bytes, as a little-endian long
     * @param minLength the shortest valid file
     * @param maxLength the longest valid file
     * @return the content, little-endian, CRC checked
     * @throws CorruptFrameException naming the file and position of the first problem
     * @throws IOException           if it cannot be read
     */
    public static ByteBuffer readChecked(Path file, String what, long magic, int minLength, int maxLength) throws IOException {
        String name = file.toString();
        long size = Files.size(file);
        if (size > maxLength) { // before reading it: a huge file must not exhaust the heap
            throw new CorruptFrameException(name, 0, what + " is " + size + " bytes; expected at most " + maxLength);
        }
        byte[] bytes = Files.readAllBytes(file);
        if (bytes.length < minLength || bytes.length > maxLength) {
            throw new CorruptFrameException(name, 0, what + " is " + bytes.length + " bytes; expected "
                    + (minLength == maxLength ? Integer.toString(minLength) : minLength + " to " + maxLength));
        }
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        if (buf.getLong(0) != magic) {
            throw new CorruptFrameException(name, 0, "not a " + what + " (bad magic)");
        }
        int end = bytes.length - 4;
        if (buf.getInt(end) != crc32c(bytes, 0, end)) {
            throw new CorruptFrameException(name, end, what + " checksum mismatch");
        }
        return buf;
    }

    /**
     * @param text 8 ASCII characters
     * @return them as a little-endian long, the magic of a file
     */
    public static long magic(String text) {
        return ByteBuffer.wrap(text.getBytes(StandardCharsets.US_ASCII)).order(ByteOrder.LITTLE_ENDIAN).getLong();
    }

    /**
     * @param bytes the data
     * @param off   first byte
     * @param len   how many bytes
     * @return their CRC32C
     */
    public static int crc32c(byte[] bytes, int off, int len) {
        CRC32C crc = new CRC32C();
        crc.update(bytes, off, len);
        return (int) crc.getValue();
    }
}
