package dev.hindsight.codec;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

/** Event records covering every field kind, and a seeded generator for them. */
final class TestEvents {
    private TestEvents() {
    }

    enum Color { RED, GREEN, BLUE { @Override public String toString() { return "blue"; } } }

    record Empty() {
    }

    record Address(String street, int zip, Color color, List<String> lines) {
    }

    record AllKinds(boolean bo, byte by, short sh, int in, long lo, float fl, double db, char ch,
                    Boolean bBo, Byte bBy, Short bSh, Integer bIn, Long bLo, Float bFl, Double bDb, Character bCh,
                    String str, Instant instant, UUID uuid, BigDecimal dec, Color color, byte[] bytes,
                    List<String> strings, Map<String, Long> longs, Address address, List<Address> addresses,
                    Map<String, List<Integer>> nested, List<Empty> empties, List<byte[]> blobs, Empty empty) {
    }

    record Small(String text, long n) {
    }

    record Blob(byte[] data) {
    }

    record Names(List<String> names) {
    }

    record Deep(List<List<Empty>> lists) {
    }

    static EventCodec codec() {
        return codec(CodecLimits.defaults());
    }

    static EventCodec codec(CodecLimits limits) {
        EventCodec codec = new EventCodec(new SchemaCatalog(), limits);
        codec.register(AllKinds.class, 1, "AllKinds", 1);
        codec.register(Small.class, 2, "Small", 1);
        codec.register(Blob.class, 3, "Blob", 1);
        codec.register(Names.class, 4, "Names", 1);
        codec.register(Deep.class, 5, "Deep", 1);
        return codec;
    }

    /** A seeded generator; strings are built from code points (including supplementary ones). */
    static final class Gen {
        final Random r;

        Gen(long seed) {
            r = new Random(seed);
        }

        boolean chance(int percent) {
            return r.nextInt(100) < percent;
        }

        <T> T orNull(T v) {
            return chance(20) ? null : v;
        }

        String string(int maxLen) {
            int n = r.nextInt(maxLen + 1);
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < n; i++) {
                int cp = switch (r.nextInt(6)) {
                    case 0 -> 0x20 + r.nextInt(0x5F);
                    case 1 -> r.nextInt(0x20); // control characters
                    case 2 -> 0xA0 + r.nextInt(0x700);
                    case 3 -> 0x4E00 + r.nextInt(0x5000);
                    case 4 -> 0x1F300 + r.nextInt(0x300); // emoji: surrogate pairs
                    default -> 0x10000 + r.nextInt(0x100000 - 0x10000);
                };
                sb.appendCodePoint(cp);
            }
            return sb.toString();
        }

        byte[] bytes(int max) {
            byte[] b = new byte[r.nextInt(max + 1)];
            r.nextBytes(b);
            return b;
        }

        Color color() {
            return Color.values()[r.nextInt(3)];
        }

        Address address() {
            List<String> lines = new ArrayList<>();
            for (int i = r.nextInt(3); i > 0; i--) {
                lines.add(string(8));
            }
            return new Address(orNull(string(10)), r.nextInt(), orNull(color()), orNull(lines));
        }

        float anyFloat() {
            return switch (r.nextInt(5)) {
                case 0 -> Float.NaN;
                case 1 -> -0.0f;
                case 2 -> Float.intBitsToFloat(r.nextInt());
                default -> r.nextFloat();
            };
        }

        double anyDouble() {
            return switch (r.nextInt(5)) {
                case 0 -> Double.NEGATIVE_INFINITY;
                case 1 -> Double.MIN_VALUE;
                case 2 -> Double.longBitsToDouble(r.nextLong());
                default -> r.nextGaussian();
            };
        }

        long anyLong() {
            return switch (r.nextInt(4)) {
                case 0 -> Long.MIN_VALUE;
                case 1 -> Long.MAX_VALUE;
                case 2 -> r.nextInt(100) - 50;
                default -> r.nextLong();
            };
        }

        AllKinds allKinds() {
            List<String> strings = new ArrayList<>();
            for (int i = r.nextInt(4); i > 0; i--) {
                strings.add(string(6));
            }
            Map<String, Long> longs = new LinkedHashMap<>();
            for (int i = r.nextInt(4); i > 0; i--) {
                longs.put(string(5), anyLong());
            }
            List<Address> addresses = new ArrayList<>();
            for (int i = r.nextInt(3); i > 0; i--) {
                addresses.add(address());
            }
            Map<String, List<Integer>> nested = new LinkedHashMap<>();
            for (int i = r.nextInt(3); i > 0; i--) {
                List<Integer> ints = new ArrayList<>();
                for (int k = r.nextInt(4); k > 0; k--) {
                    ints.add(r.nextInt());
                }
                nested.put(string(4), ints);
            }
            List<Empty> empties = new ArrayList<>();
            for (int i = r.nextInt(5); i > 0; i--) {
                empties.add(new Empty());
            }
            List<byte[]> blobs = new ArrayList<>();
            for (int i = r.nextInt(3); i > 0; i--) {
                blobs.add(bytes(5));
            }
            BigDecimal dec = new BigDecimal(new BigInteger(r.nextInt(200), r).negate(), r.nextInt(40) - 20);
            Instant instant = Instant.ofEpochSecond(r.nextLong() % 31_556_889_864_403_199L, r.nextInt(1_000_000_000));
            return new AllKinds(r.nextBoolean(), (byte) r.nextInt(), (short) r.nextInt(), r.nextInt(), anyLong(),
                    anyFloat(), anyDouble(), (char) r.nextInt(0x10000),
                    orNull(r.nextBoolean()), orNull((byte) r.nextInt()), orNull((short) r.nextInt()),
                    orNull(r.nextInt()), orNull(anyLong()), orNull(anyFloat()), orNull(anyDouble()),
                    orNull((char) r.nextInt(0x10000)),
                    orNull(string(30)), orNull(instant), orNull(new UUID(r.nextLong(), r.nextLong())), orNull(dec),
                    orNull(color()), orNull(bytes(20)), orNull(strings), orNull(longs), orNull(address()),
                    orNull(addresses), orNull(nested), orNull(empties), orNull(blobs), orNull(new Empty()));
        }

        EventMetadata metadata() {
            if (chance(20)) {
                return EventMetadata.NONE;
            }
            EventMetadata.Builder b = EventMetadata.builder().actor(orNull(string(10)))
                    .correlationId(orNull(string(10))).causationId(orNull(string(10))).reason(orNull(string(40)));
            for (int i = r.nextInt(5); i > 0; i--) {
                String key = string(8);
                b.attribute(key.isEmpty() ? "k" : key, string(12));
            }
            return b.build();
        }
    }

    /** Converts a typed value to what decodeGeneric produces: records to maps, enums to names. */
    static Object toGeneric(Object v) {
        if (v instanceof Record rec) {
            Map<String, Object> m = new LinkedHashMap<>();
            for (var rc : rec.getClass().getRecordComponents()) {
                try {
                    rc.getAccessor().setAccessible(true);
                    m.put(rc.getName(), toGeneric(rc.getAccessor().invoke(rec)));
                } catch (ReflectiveOperationException e) {
                    throw new AssertionError(e);
                }
            }
            return m;
        }
        if (v instanceof Enum<?> e) {
            return e.name();
        }
        if (v instanceof List<?> l) {
            List<Object> out = new ArrayList<>();
            l.forEach(x -> out.add(toGeneric(x)));
            return out;
        }
        if (v instanceof Map<?, ?> m) {
            Map<Object, Object> out = new LinkedHashMap<>();
            m.forEach((k, x) -> out.put(k, toGeneric(x)));
            return out;
        }
        return v;
    }

    /** Deep equality where byte arrays compare by content and map order matters. */
    static boolean deepEquals(Object a, Object b) {
        if (a instanceof byte[] x && b instanceof byte[] y) {
            return java.util.Arrays.equals(x, y);
        }
        if (a instanceof List<?> x && b instanceof List<?> y) {
            if (x.size() != y.size()) {
                return false;
            }
            for (int i = 0; i < x.size(); i++) {
                if (!deepEquals(x.get(i), y.get(i))) {
                    return false;
                }
            }
            return true;
        }
        if (a instanceof Map<?, ?> x && b instanceof Map<?, ?> y) {
            if (!new ArrayList<>(x.keySet()).equals(new ArrayList<>(y.keySet()))) {
                return false;
            }
            for (Object k : x.keySet()) {
                if (!deepEquals(x.get(k), y.get(k))) {
                    return false;
                }
            }
            return true;
        }
        return java.util.Objects.equals(a, b);
    }
}
