package dev.hindsight.tools;

import dev.hindsight.engine.EventStore;
import dev.hindsight.engine.Resource;
import dev.hindsight.engine.ResourceType;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Stores made by the engine for the inspection tests (an {@code order} resource with standard and custom
 * events), running the CLI in-process, and file surgery: find bytes in journal files, flip them, rewrite a
 * frame field with a fresh CRC, checksum every file.
 */
final class Stores {
    private Stores() {
    }

    record Order(String customer, long amount, String status) {
    }

    record PaymentReceived(String paymentId, long amount) {
    }

    record Shipped(String carrier) {
    }

    static final ResourceType<Order> ORDER = ResourceType.define("order", Order.class)
            .event(PaymentReceived.class, 1, (o, e) -> new Order(o.customer(), o.amount(), "paid"))
            .event(Shipped.class, 2, (o, e) -> new Order(o.customer(), o.amount(), "shipped"))
            .build();

    /** What a CLI run printed and returned. */
    record Run(int exit, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exit + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    static Run cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = HindsightCli.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Run(exit, out.toString(), err.toString());
    }

    static EventStore open(Path dir) {
        return EventStore.builder(dir).resource(ORDER).expectedEntities(1_000).open();
    }

    /**
     * The order story: o-1 created, updated twice, paid, shipped; o-2 created and destroyed; o-3 created
     * with a hostile customer name (terminal escapes, a newline); then {@code extra} more orders with two
     * events each.
     */
    static void orderStory(Path dir, int extra) {
        try (EventStore store = open(dir)) {
            Resource<Order> orders = store.resource(ORDER);
            orders.as("alice").withCorrelation("checkout-1").create("o-1", new Order("alice", 500, "pending"));
            orders.as("alice").withReason("added an item").update("o-1", Map.of("amount", 650L));
            orders.as("payments").withCausation("psp-webhook").act("o-1", o -> List.of(new PaymentReceived("pay-1", o.amount())));
            orders.as("alice").update("o-1", Map.of("customer", "alice b."));
            orders.as("warehouse").act("o-1", o -> List.of(new Shipped("DHL")));
            orders.as("bob").create("o-2", new Order("bob", 250, "pending"));
            orders.as("support").withReason("duplicate").destroy("o-2");
            orders.as("mallory").create("o-3", new Order("\u001b[2Jmallory\nline2\u202e", 1, "pending"));
            for (int i = 0; i < extra; i++) {
                orders.create("x-" + i, new Order("c" + i, i, "pending"));
                orders.update("x-" + i, Map.of("amount", (long) i + 1));
            }
        }
    }

    static List<Path> journalFiles(Path store) throws IOException {
        try (Stream<Path> s = Files.list(store.resolve("journal"))) {
            return s.filter(p -> p.getFileName().toString().endsWith(".cq4")).sorted().toList();
        }
    }

    /** @return the offset of the only occurrence of {@code needle} in the store's journal files, and the file */
    static Map.Entry<Path, Long> findOnce(Path store, String needle) throws IOException {
        byte[] n = needle.getBytes(StandardCharsets.UTF_8);
        List<Map.Entry<Path, Long>> hits = new ArrayList<>();
        for (Path f : journalFiles(store)) {
            try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ)) {
                MappedByteBuffer buf = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size());
                outer:
                for (int i = 0; i <= buf.limit() - n.length; i++) {
                    for (int k = 0; k < n.length; k++) {
                        if (buf.get(i + k) != n[k]) {
                            continue outer;
                        }
                    }
                    hits.add(Map.entry(f, (long) i));
                }
            }
        }
        assertEquals(1, hits.size(), "'" + needle + "' occurs once in the journal: " + hits);
        return hits.get(0);
    }

    /** @return the offset of the first occurrence of {@code needle} in {@code file} */
    static long findFirstIn(Path file, String needle) throws IOException {
        byte[] n = needle.getBytes(StandardCharsets.UTF_8);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            MappedByteBuffer buf = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size());
            outer:
            for (int i = 0; i <= buf.limit() - n.length; i++) {
                for (int k = 0; k < n.length; k++) {
                    if (buf.get(i + k) != n[k]) {
                        continue outer;
                    }
                }
                return i;
            }
        }
        throw new AssertionError("'" + needle + "' is not in " + file);
    }

    static void flipByte(Path file, long offset) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer one = ByteBuffer.allocate(1);
            ch.read(one, offset);
            ch.write(ByteBuffer.wrap(new byte[] {(byte) (one.get(0) ^ 0x10)}), offset);
        }
    }

    /**
     * Rewrites a little-endian long field of the frame starting at {@code frameStart} and recomputes its CRC:
     * damage a CRC cannot see (what a writer bug would leave).
     */
    static void rewriteFrameLong(Path file, long frameStart, int fieldOffset, long value) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer len = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
            ch.read(len, frameStart);
            int frameLength = len.getInt(0);
            ByteBuffer frame = ByteBuffer.allocate(frameLength).order(ByteOrder.LITTLE_ENDIAN);
            ch.read(frame, frameStart);
            frame.putLong(fieldOffset, value);
            CRC32C crc = new CRC32C();
            crc.update(frame.array(), 0, frameLength - 4);
            frame.putInt(frameLength - 4, (int) crc.getValue());
            frame.clear();
            ch.write(frame, frameStart);
        }
    }

    /** @return relative path -> SHA-256 of every file under {@code root}, with its size and modification time */
    static Map<String, String> checksums(Path root) throws Exception {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.toList()) {
                if (Files.isDirectory(p)) {
                    out.put(root.relativize(p) + "/", "dir");
                    continue;
                }
                MessageDigest md = MessageDigest.getInstance("SHA-256");
                try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
                    if (ch.size() > 0) {
                        md.update(ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size()));
                    }
                }
                out.put(root.relativize(p).toString(), HexFormat.of().formatHex(md.digest()) + " " + Files.size(p) + " "
                        + Files.getLastModifiedTime(p).toMillis());
            }
        }
        return out;
    }

    static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }

    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
