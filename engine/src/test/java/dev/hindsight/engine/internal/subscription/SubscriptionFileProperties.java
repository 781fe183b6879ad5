package dev.hindsight.engine.internal.subscription;

import dev.hindsight.codec.CorruptFrameException;
import dev.hindsight.engine.ParkedEvent;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The subscription files and the read model's value envelope: what is written is read back, and any
 * damage (a flipped byte, a cut, a hostile field) is a {@link CorruptFrameException} naming the file,
 * never another exception, an OutOfMemoryError or a silent misread.
 */
class SubscriptionFileProperties {

    @Provide
    Arbitrary<String> names() {
        return Arbitraries.strings().withChars("abcxyz0189._-").ofMinLength(0).ofMaxLength(63)
                .map(s -> "a" + s);
    }

    @Provide
    Arbitrary<List<ParkedEvent>> parked() {
        Arbitrary<String> errors = Arbitraries.strings().ofMinLength(0).ofMaxLength(600)
                .filter(s -> s.codePoints().noneMatch(c -> Character.isSurrogate((char) c)));
        Arbitrary<ParkedEvent> event = Combinators.combine(
                Arbitraries.longs().between(0, Long.MAX_VALUE / 2),
                Arbitraries.integers().between(1, 1000),
                errors,
                Arbitraries.longs().between(0, 4_000_000_000_000L),
                Arbitraries.longs().between(0, 4_000_000_000_000L))
                .as((pos, attempts, err, first, last) -> new ParkedEvent("s", pos, attempts, err,
                        Instant.ofEpochMilli(first), Instant.ofEpochMilli(last)));
        return event.list().ofMaxSize(20).map(list -> {
            TreeMap<Long, ParkedEvent> byPosition = new TreeMap<>();
            for (ParkedEvent e : list) {
                byPosition.put(e.position(), e);
            }
            return new ArrayList<>(byPosition.values());
        });
    }

    private static Path temp() throws IOException {
        return Files.createTempFile("hindsight-subfile-", ".bin");
    }

    @Property(tries = 200)
    void aCheckpointReadsBackAsWritten(@ForAll("names") String name, @ForAll long storeId,
                                       @ForAll @LongRange(min = 0, max = Long.MAX_VALUE) long position,
                                       @ForAll long writtenAt) throws IOException {
        Path f = temp();
        try {
            CheckpointFile c = new CheckpointFile(name, storeId, position, writtenAt);
            c.write(f);
            assertEquals(c, CheckpointFile.read(f));
        } finally {
            Files.deleteIfExists(f);
        }
    }

    @Property(tries = 300)
    void anyDamageToACheckpointIsReportedAsCorruptionOfThatFile(@ForAll("names") String name,
                                                                @ForAll @IntRange(min = 0, max = 200) int at,
                                                                @ForAll @IntRange(min = 1, max = 255) int flip,
                                                                @ForAll boolean truncate) throws IOException {
        Path f = temp();
        try {
            new CheckpointFile(name, 7, 42, 0).write(f);
            byte[] b = Files.readAllBytes(f);
            int i = at % b.length;
            if (truncate) {
                b = java.util.Arrays.copyOf(b, i);
            } else {
                b[i] ^= (byte) flip;
            }
            Files.write(f, b);
            expectCorrupt(f, () -> CheckpointFile.read(f));
        } finally {
            Files.deleteIfExists(f);
        }
    }

    @Property(tries = 200)
    void parkedEventsReadBackAsWritten(@ForAll("parked") List<ParkedEvent> events, @ForAll long storeId) throws IOException {
        Path f = temp();
        try {
            ParkedEventsFile.write(f, storeId, events);
            List<ParkedEvent> back = ParkedEventsFile.read(f, "s", storeId);
            assertEquals(events.size(), back.size());
            for (int i = 0; i < events.size(); i++) {
                ParkedEvent want = events.get(i);
                byte[] err = ParkedEventsFile.truncate(want.lastError());
                assertEquals(new ParkedEvent("s", want.position(), want.attempts(),
                        new String(err, java.nio.charset.StandardCharsets.UTF_8), want.firstParked(), want.lastAttempt()), back.get(i));
            }
        } finally {
            Files.deleteIfExists(f);
        }
    }

    @Property(tries = 300)
    void anyDamageToParkedEventsIsReportedAsCorruptionOfThatFile(@ForAll("parked") List<ParkedEvent> events,
                                                                 @ForAll @IntRange(min = 0, max = 100_000) int at,
                                                                 @ForAll @IntRange(min = 1, max = 255) int flip,
                                                                 @ForAll boolean truncate) throws IOException {
        Path f = temp();
        try {
            ParkedEventsFile.write(f, 9, events);
            byte[] b = Files.readAllBytes(f);
            int i = at % b.length;
            if (truncate) {
                b = java.util.Arrays.copyOf(b, i);
            } else {
                b[i] ^= (byte) flip;
            }
            Files.write(f, b);
            expectCorrupt(f, () -> ParkedEventsFile.read(f, "s", 9));
        } finally {
            Files.deleteIfExists(f);
        }
    }

    @Property(tries = 200)
    void aReadModelStateReadsBackAsWritten(@ForAll boolean clean, @ForAll("names") String name, @ForAll boolean bound,
                                           @ForAll @LongRange(min = 0, max = 1L << 40) long origin,
                                           @ForAll @LongRange(min = 0, max = 1L << 40) long ahead) throws IOException {
        Path f = temp();
        try {
            ReadModelState s = bound ? new ReadModelState(clean, name, 5, origin, origin + ahead) : ReadModelState.NEW;
            s.write(f);
            assertEquals(s, ReadModelState.read(f));
            byte[] b = Files.readAllBytes(f);
            b[(int) (ahead % b.length)] ^= 0x5A;
            Files.write(f, b);
            expectCorrupt(f, () -> ReadModelState.read(f));
        } finally {
            Files.deleteIfExists(f);
        }
    }

    @Property(tries = 500)
    void aReadModelValueKeepsItsPositionsAndPayloadAndAnyFlipIsCaught(
            @ForAll @LongRange(min = -1, max = 1L << 50) long applied, @ForAll boolean tombstone,
            @ForAll("late") List<Long> late, @ForAll byte[] payload, @ForAll @IntRange(min = 0, max = 10_000) int at) {
        long[] previous = late.stream().mapToLong(Long::longValue).toArray();
        byte[] v = ReadModelEntry.encode(applied, tombstone, previous, previous.length, p -> true, -1, payload);
        ReadModelEntry e = new ReadModelEntry();
        assertNull(e.parse(v));
        assertEquals(applied, e.applied);
        assertEquals(tombstone, e.tombstone);
        long[] sorted = previous.clone();
        java.util.Arrays.sort(sorted);
        assertArrayEquals(sorted, java.util.Arrays.copyOf(e.late, e.lateCount));
        for (long p : previous) {
            assertTrue(e.hasLate(p));
        }
        assertArrayEquals(tombstone ? new byte[0] : payload, java.util.Arrays.copyOfRange(v, e.payloadOffset, e.payloadOffset + e.payloadLength));
        byte[] bad = v.clone();
        bad[at % bad.length] ^= 1;
        assertNotNull(new ReadModelEntry().parse(bad), "a flipped bit is detected");
        assertNotNull(new ReadModelEntry().parse(java.util.Arrays.copyOf(v, at % v.length)), "a cut value is detected");
    }

    @Provide
    Arbitrary<List<Long>> late() {
        return Arbitraries.longs().between(0, 1L << 50).set().ofMaxSize(8).map(ArrayList::new);
    }

    @Property(tries = 100)
    void lateMarksOfEventsNoLongerParkedAreDropped(@ForAll("late") List<Long> late, @ForAll @LongRange(min = 0, max = 1L << 50) long add) {
        long[] previous = late.stream().mapToLong(Long::longValue).toArray();
        byte[] v = ReadModelEntry.encode(3, false, previous, previous.length, p -> p % 2 == 0, add, new byte[]{1});
        ReadModelEntry e = new ReadModelEntry();
        assertNull(e.parse(v));
        for (long p : previous) {
            assertEquals(p % 2 == 0 || p == add, e.hasLate(p), "late mark " + p);
        }
        assertTrue(e.hasLate(add));
    }

    interface Read {
        Object run() throws IOException;
    }

    private static void expectCorrupt(Path f, Read read) {
        try {
            Object o = read.run();
            fail("damaged file read as " + o);
        } catch (CorruptFrameException e) {
            assertTrue(e.getMessage().contains(f.toString()), e.getMessage());
        } catch (Throwable t) {
            fail("damaged file gave " + t + " instead of a CorruptFrameException", t);
        }
    }
}
