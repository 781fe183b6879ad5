package dev.hindsight.codec;

import dev.hindsight.codec.internal.CatalogCodec;
import dev.hindsight.codec.internal.Corruption;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Reads and writes a {@link SchemaCatalog} file. All integers little-endian; strings are
 * {@code uint16 length + UTF-8}.
 *
 * <pre>
 * offset size  field
 *  0     8     magic            "HSCATLG\0"
 *  8     2     formatVersion    uint16, currently 1
 * 10     4     entryCount       int32 (&gt;= 0)
 * 14     ..    entries          entryCount times:
 *                 4   eventTypeId    int32 (1..1000000)
 *                 2   schemaVersion  uint16 (1..65535)
 *                 8   fingerprint    int64, EventSchema.fingerprint(), checked on read
 *                 ..  name           string
 *                 ..  javaClassName  string
 *                 ..  fields         uint16 count, then count times: string name, type
 *              type:
 *                 1   kind           uint8 FieldKind.code() (1 BOOLEAN .. 17 RECORD)
 *                 1   nullable       uint8 0 or 1
 *                 ENUM:      string name, uint16 count, count strings (constant names)
 *                 RECORD:    string name, fields (as above)
 *                 LIST, MAP: type (element, or map value; keys are String)
 * end-4  4     crc32c           CRC32C over bytes [0, end-4)
 * </pre>
 *
 * <p>Reading is defensive: the CRC is checked first, then every count and length is bounded by the bytes
 * remaining and nesting by {@link CatalogCodec#MAX_NESTING_DEPTH}; files over 64 MiB are refused. Writing is
 * atomic: {@code <file>.tmp} is written and forced, renamed over the file with {@code ATOMIC_MOVE}, and the
 * directory is forced where the platform allows it.
 *
 * <p>Static methods only; thread-safe, but concurrent writers of the same file must coordinate.
 */
public final class SchemaCatalogFile {
    /** The largest catalog file read. */
    public static final long MAX_FILE_BYTES = 64L << 20;

    private SchemaCatalogFile() {
    }

    /**
     * @param file the catalog file
     * @return its catalog, or an empty catalog if the file does not exist
     * @throws CorruptFrameException naming the file and byte position if the file is damaged
     * @throws UncheckedIOException  if it cannot be read
     */
    public static SchemaCatalog read(Path file) {
        String name = String.valueOf(file.getFileName());
        byte[] bytes;
        try {
            long size = Files.size(file);
            if (size > MAX_FILE_BYTES) {
                throw new CorruptFrameException(name, 0, "catalog file is " + size + " bytes; the limit is "
                        + MAX_FILE_BYTES);
            }
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return new SchemaCatalog();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read schema catalog " + file, e);
        }
        SchemaCatalog catalog = new SchemaCatalog();
        try {
            for (EventSchema s : CatalogCodec.decode(bytes)) {
                try {
                    catalog.add(s);
                } catch (SchemaConflictException e) {
                    throw new Corruption("entries contradict each other: " + e.getMessage(), 14);
                }
            }
        } catch (Corruption c) {
            throw new CorruptFrameException(name, c.offset(), c.getMessage());
        }
        return catalog;
    }

    /**
     * Atomically replaces {@code file} with the catalog's contents.
     *
     * @param file    the catalog file
     * @param catalog the catalog
     * @throws UncheckedIOException if it cannot be written
     */
    public static void write(Path file, SchemaCatalog catalog) {
        byte[] bytes = CatalogCodec.encode(catalog.all());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer bb = ByteBuffer.wrap(bytes);
                while (bb.hasRemaining()) {
                    ch.write(bb);
                }
                ch.force(true);
            }
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
            forceDirectory(file.toAbsolutePath().getParent());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write schema catalog " + file, e);
        }
    }

    private static void forceDirectory(Path dir) {
        if (dir == null) {
            return;
        }
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // not supported on this platform (e.g. Windows); the rename is still atomic
        }
    }
}
