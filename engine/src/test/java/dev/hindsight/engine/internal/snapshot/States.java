package dev.hindsight.engine.internal.snapshot;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Deterministic test states: the bytes stored for (entity, version, fingerprint) can be recomputed
 * by whoever checks them (another thread, a parent JVM), so a lookup can be checked without a model.
 */
public final class States {
    /** The fingerprint tests use unless they test fingerprints. */
    public static final long FP = 0x5EED_F00D_CAFE_BEEFL;

    private States() {
    }

    /** @return 0..max-1 bytes, a function of the arguments only */
    public static byte[] state(String entityId, long version, long fingerprint, int max) {
        long seed = version * 0x9E3779B97F4A7C15L ^ fingerprint ^ entityId.hashCode() * 31L;
        SplittableRandom r = new SplittableRandom(seed);
        byte[] b = new byte[r.nextInt(max)];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) r.nextInt(256);
        }
        byte[] tag = (entityId + "@" + version).getBytes(StandardCharsets.UTF_8);
        System.arraycopy(tag, 0, b, 0, Math.min(tag.length, b.length));
        return b;
    }

    /** @return the timestamp tests give a version: non-decreasing, several versions share one */
    public static long ts(long version) {
        return 1_700_000_000_000_000_000L + (version / 3) * 1000;
    }

    /** @return the global position tests give a version of entity number {@code k} of {@code entities} */
    public static long pos(long version, int k, int entities) {
        return (version - 1) * entities + k;
    }

    /** @return a store builder with small segments, no free-space reserve, the given interval */
    public static SnapshotStore.Builder small(Path dir, int interval) {
        return SnapshotStore.builder(dir).segmentBytes(64 << 10).maxStateBytes(4096).minFreeDiskBytes(0).interval(interval);
    }

    /** @return whether the view holds exactly the state of (entity, version, fingerprint) */
    public static boolean matches(SnapshotView v, String entityId, long fingerprint, int max) {
        return Arrays.equals(v.stateCopy(), state(entityId, v.version(), fingerprint, max));
    }
}
