package dev.hindsight.engine.internal.snapshot;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static dev.hindsight.engine.internal.snapshot.States.FP;
import static dev.hindsight.engine.internal.snapshot.States.ts;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Any damage to the snapshot files (bytes flipped or overwritten anywhere, headers included; files
 * truncated, extended with garbage, or added) leaves a store that opens without an exception, answers
 * only with snapshots that were put, and goes on storing new ones that a later open finds.
 */
class SnapshotDamageProperties {
    enum Kind {
        FLIP, OVERWRITE, ZERO_RANGE, TRUNCATE, APPEND_GARBAGE, NEW_GARBAGE_FILE
    }

    /**
     * @param kind     what to do
     * @param file     which segment (modulo their number)
     * @param position where (modulo the file's size)
     * @param length   how many bytes
     * @param seed     the bytes written
     */
    record Damage(Kind kind, int file, int position, int length, long seed) {
    }

    @Provide
    Arbitrary<List<Damage>> damages() {
        return Combinators.combine(Arbitraries.of(Kind.class), Arbitraries.integers().between(0, 10),
                        Arbitraries.integers().between(0, Integer.MAX_VALUE), Arbitraries.integers().between(1, 300),
                        Arbitraries.longs())
                .as(Damage::new).list().ofMinSize(1).ofMaxSize(8);
    }

    @Property(tries = 60, shrinking = ShrinkingMode.BOUNDED)
    void damagedFilesNeverBreakTheStore(@ForAll("damages") List<Damage> damages) throws IOException {
        Path dir = Files.createTempDirectory("hindsight-snapdmg-");
        try {
            try (SnapshotStore s = States.small(dir, 5).open()) {
                SnapshotCorruptionTest.fill(s, 6, 60);
            }
            for (Damage d : damages) {
                apply(dir, d);
            }
            try (SnapshotStore s = States.small(dir, 5).openReadOnly()) {
                SnapshotCorruptionTest.checkAnswers(s, 6, 60);
            }
            try (SnapshotStore s = States.small(dir, 5).open()) {
                SnapshotCorruptionTest.checkAnswers(s, 6, 60);
                for (int k = 0; k < 6; k++) {
                    String id = "e-" + k;
                    byte[] b = States.state(id, 70, FP, SnapshotCorruptionTest.MAX);
                    assertEquals(SnapshotStore.PutResult.STORED,
                            s.put("order", id, 70, States.pos(70, k, 6), ts(70), FP, b, 0, b.length));
                }
            }
            try (SnapshotStore s = States.small(dir, 5).open()) {
                SnapshotCorruptionTest.checkAnswers(s, 6, 70);
                SnapshotView view = new SnapshotView();
                for (int k = 0; k < 6; k++) {
                    assertTrue(s.latest("order", "e-" + k, FP, view));
                    assertEquals(70, view.version());
                }
            }
        } finally {
            SnapshotLadderProperties.deleteTree(dir);
        }
    }

    private static void apply(Path dir, Damage d) throws IOException {
        List<Path> segments;
        try (Stream<Path> files = Files.list(dir)) {
            segments = files.filter(p -> p.getFileName().toString().endsWith(".snap")).sorted().collect(Collectors.toList());
        }
        java.util.Random random = new java.util.Random(d.seed());
        if (d.kind() == Kind.NEW_GARBAGE_FILE || segments.isEmpty()) {
            byte[] junk = new byte[d.length() * 300];
            random.nextBytes(junk);
            if (d.length() % 2 == 0 && !segments.isEmpty()) {
                // a copy of a real header, so the garbage gets past the magic
                byte[] real = Files.readAllBytes(segments.get(0));
                System.arraycopy(real, 0, junk, 0, Math.min(Math.min(junk.length, real.length), 64));
            }
            Files.write(dir.resolve(Segment.fileName(0x1000 + d.file())), junk);
            return;
        }
        Path file = segments.get(d.file() % segments.size());
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            long size = raf.length();
            long pos = size == 0 ? 0 : d.position() % size;
            switch (d.kind()) {
                case FLIP:
                    raf.seek(pos);
                    int b = raf.read();
                    raf.seek(pos);
                    raf.write((b < 0 ? 0 : b) ^ (1 << (d.length() % 8)));
                    break;
                case OVERWRITE: {
                    byte[] bytes = new byte[(int) Math.min(d.length(), size - pos)];
                    random.nextBytes(bytes);
                    raf.seek(pos);
                    raf.write(bytes);
                    break;
                }
                case ZERO_RANGE:
                    raf.seek(pos);
                    raf.write(new byte[(int) Math.min(d.length() * 10L, size - pos)]);
                    break;
                case TRUNCATE:
                    raf.setLength(pos);
                    break;
                case APPEND_GARBAGE: {
                    byte[] bytes = new byte[d.length()];
                    random.nextBytes(bytes);
                    raf.seek(size);
                    raf.write(bytes);
                    break;
                }
                default:
                    throw new AssertionError(d);
            }
        }
    }
}
