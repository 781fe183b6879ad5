package dev.hindsight.tools;

import dev.hindsight.engine.inspect.JournalScanner;
import dev.hindsight.engine.inspect.StoreInspector;
import dev.hindsight.tools.Stores.Run;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Whatever single damage a journal file takes (a flipped byte anywhere in its written part, random bytes over
 * a run of it, or the file cut at any length), {@code verify} ends with a verdict (exit 0 or 1, never a crash,
 * a hang or exit 2), and any damage to an excerpt's bytes or any cut through the data is a problem (exit 1).
 * The damage is applied to one working copy and undone after each try.
 */
class VerifyDamageProperties {
    static Path root;
    static Path store;
    static Path journalFile;
    static long dataEnd;
    static byte[] pristine;
    /** [start, end) of every excerpt's data in the file. */
    static List<long[]> excerpts = new ArrayList<>();

    @BeforeContainer
    static void createStore() throws IOException {
        root = Files.createTempDirectory("hindsight-verify-damage");
        store = root.resolve("store");
        Stores.orderStory(store, 30);
        Stores.deleteTree(store.resolve("index")); // the journal's damage is the subject: a missing index is only a note
        try (JournalScanner journal = StoreInspector.open(store).openJournal()) {
            while (journal.next() != null) {
                journalFile = journal.file();
                excerpts.add(new long[] {journal.filePosition(), journal.filePosition() + journal.length()});
            }
            dataEnd = journal.endPosition() + 4;
        }
        try (FileChannel ch = FileChannel.open(journalFile, StandardOpenOption.READ)) {
            ByteBuffer b = ByteBuffer.allocate((int) dataEnd + 4096);
            ch.read(b, 0);
            pristine = b.array();
        }
    }

    @AfterContainer
    static void deleteStore() throws IOException {
        Stores.deleteTree(root);
    }

    /** A damage: 0 = flip one byte at {@code at}, 1 = random bytes over {@code length} bytes from {@code at}, 2 = cut the file at {@code at}. */
    record Damage(int kind, long at, int length, long seed) {
    }

    @Provide
    Arbitrary<Damage> damages() {
        return Combinators.combine(Arbitraries.integers().between(0, 2), Arbitraries.longs().between(0, dataEnd - 1),
                Arbitraries.integers().between(1, 64), Arbitraries.longs()).as(Damage::new);
    }

    @Property(tries = 80)
    void everyDamageEndsInAVerdictAndDamageToAnExcerptIsAProblem(@ForAll("damages") Damage d) throws Exception {
        long size = Files.size(journalFile);
        try {
            apply(d);
            Run r = Stores.cli("verify", store.toString(), "--no-index", "--work-dir", root.toString());
            assertTrue(r.exit() == 0 || r.exit() == 1, "a verdict, not a failure to read: " + r);
            assertFalse(r.err().contains("Exception") || r.out().contains("Exception:") && !r.out().contains("Chronicle Queue cannot read"),
                    "no stray exception: " + r);
            if (d.kind() == 2 || hitsAnExcerpt(d)) {
                assertEquals(1, r.exit(), d + " damages the events, so it is a problem: " + r);
            }
        } finally {
            restore(size);
        }
    }

    private static boolean hitsAnExcerpt(Damage d) {
        long end = d.kind() == 0 ? d.at() + 1 : d.at() + d.length();
        for (long[] e : excerpts) {
            if (d.at() < e[1] && end > e[0]) {
                if (d.kind() == 1) {
                    // random bytes may, rarely, equal the original ones: only count bytes that changed
                    for (long p = Math.max(d.at(), e[0]); p < Math.min(end, e[1]); p++) {
                        if (randomByte(d, p) != pristine[(int) p]) {
                            return true;
                        }
                    }
                    return false;
                }
                return true;
            }
        }
        return false;
    }

    private static byte randomByte(Damage d, long p) {
        return (byte) new java.util.Random(d.seed() ^ p).nextInt(256);
    }

    private static void apply(Damage d) throws IOException {
        try (FileChannel ch = FileChannel.open(journalFile, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            switch (d.kind()) {
                case 0 -> ch.write(ByteBuffer.wrap(new byte[] {(byte) (pristine[(int) d.at()] ^ (1 << (d.seed() & 7)))}), d.at());
                case 1 -> {
                    byte[] b = new byte[d.length()];
                    for (int i = 0; i < b.length; i++) {
                        b[i] = randomByte(d, d.at() + i);
                    }
                    ch.write(ByteBuffer.wrap(b), d.at());
                }
                default -> ch.truncate(d.at());
            }
        }
    }

    private static void restore(long size) throws IOException {
        try (FileChannel ch = FileChannel.open(journalFile, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(pristine), 0);
            if (ch.size() < size) {
                ch.write(ByteBuffer.wrap(new byte[1]), size - 1); // back to the pre-allocated length (the rest is zero)
            }
        }
    }
}
