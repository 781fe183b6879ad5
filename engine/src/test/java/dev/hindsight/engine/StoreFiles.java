package dev.hindsight.engine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** File surgery on a closed store: find bytes in journal files, flip them, copy and checksum trees. */
final class StoreFiles {
    private StoreFiles() {
    }

    static List<Path> journalFiles(Path store) throws IOException {
        try (Stream<Path> s = Files.list(store.resolve("journal"))) {
            return s.filter(p -> p.getFileName().toString().endsWith(".cq4")).sorted().toList();
        }
    }

    static Path newestJournalFile(Path store) throws IOException {
        List<Path> files = journalFiles(store);
        assertFalse(files.isEmpty(), "the store has a journal file");
        return files.get(files.size() - 1);
    }

    /**
     * @return every offset of {@code needle} in {@code file}
     */
    static List<Long> find(Path file, String needle) throws IOException {
        byte[] n = needle.getBytes(StandardCharsets.UTF_8);
        List<Long> hits = new ArrayList<>();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            MappedByteBuffer buf = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size());
            int limit = (int) ch.size() - n.length;
            outer:
            for (int i = 0; i <= limit; i++) {
                if (buf.get(i) != n[0]) {
                    continue;
                }
                for (int k = 1; k < n.length; k++) {
                    if (buf.get(i + k) != n[k]) {
                        continue outer;
                    }
                }
                hits.add((long) i);
            }
        }
        return hits;
    }

    /** @return the one offset of {@code needle} in the journal files, and the file */
    static Map.Entry<Path, Long> findOnceInJournal(Path store, String needle) throws IOException {
        Map.Entry<Path, Long> found = null;
        int count = 0;
        for (Path f : journalFiles(store)) {
            for (long off : find(f, needle)) {
                found = Map.entry(f, off);
                count++;
            }
        }
        assertEquals(1, count, "'" + needle + "' occurs exactly once in the journal files");
        return found;
    }

    static void flipByte(Path file, long offset) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer one = ByteBuffer.allocate(1);
            ch.read(one, offset);
            one.flip();
            byte b = one.get(0);
            one.put(0, (byte) (b ^ 0x01));
            ch.write(one, offset);
            ch.force(true);
        }
    }

    static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    /** @return relative path -> SHA-256 of every regular file under {@code root} not excluded */
    static Map<String, String> checksums(Path root, Predicate<Path> exclude) throws Exception {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                if (exclude.test(p)) {
                    continue;
                }
                MessageDigest md = MessageDigest.getInstance("SHA-256");
                try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
                    if (ch.size() > 0) {
                        md.update(ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size()));
                    }
                }
                out.put(root.relativize(p).toString(), HexFormat.of().formatHex(md.digest()));
            }
        }
        return out;
    }

    static void uncheckedDelete(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
