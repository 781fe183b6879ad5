package dev.hindsight.tools.check;

/**
 * The hashing the checks share: FNV-1a 64 and the SplitMix64 finaliser, and an order-independent
 * fingerprint of a set of tuples (a sum of mixed tuple hashes). Stateless, thread-safe.
 */
public final class Hashing {
    /** FNV-1a 64 offset basis. */
    public static final long FNV_OFFSET = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;

    private Hashing() {
    }

    /**
     * @param h   the hash so far
     * @param b   bytes
     * @param off first byte
     * @param len how many
     * @return the hash continued over the bytes
     */
    public static long fnv(long h, byte[] b, int off, int len) {
        for (int i = off; i < off + len; i++) {
            h = (h ^ (b[i] & 0xFF)) * FNV_PRIME;
        }
        return h;
    }

    /** @param h the hash so far @param b one byte @return the hash continued */
    public static long fnv(long h, int b) {
        return (h ^ (b & 0xFF)) * FNV_PRIME;
    }

    /** @param z a value @return the SplitMix64 finaliser of it */
    public static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    /**
     * @param entityHash an entity's hash
     * @param a          a first value (e.g. a version)
     * @param b          a second value
     * @param c          a third value
     * @return a well mixed hash of the tuple, to be summed into an order-independent fingerprint
     */
    public static long tuple(long entityHash, long a, long b, long c) {
        long h = mix(entityHash ^ 0x9e3779b97f4a7c15L * (a + 1));
        h = mix(h ^ b);
        return mix(h + c * 0x9e3779b97f4a7c15L);
    }

    /**
     * @param entityHash an entity's hash
     * @param a          a first value
     * @param b          a second value
     * @param c          a third value
     * @param d          a fourth value
     * @return a well mixed hash of the tuple, to be summed into an order-independent fingerprint
     */
    public static long tuple(long entityHash, long a, long b, long c, long d) {
        return mix(tuple(entityHash, a, b, c) ^ mix(d + 0x632be59bd9b4e019L));
    }
}
