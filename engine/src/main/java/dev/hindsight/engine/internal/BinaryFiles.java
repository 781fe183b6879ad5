package dev.hindsight.engine.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
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
