package dev.hindsight.engine.internal.sequencer;

import java.time.Clock;
import java.time.Instant;

/**
 * The sequencer's source of event timestamps: epoch nanoseconds as {@code System.nanoTime()} plus
 * an offset to the wall clock, sampled at nanosecond resolution ({@link Clock#systemUTC()}) and
 * resampled at least every second, so timestamps track the wall clock (and a caller's
 * {@code Instant.now()}) to within the sampling error, a few microseconds here. Agrona's
 * {@code OffsetEpochNanoClock}, used before, samples {@code currentTimeMillis()}, so its
 * timestamps lagged the wall clock by up to a millisecond: an event appended just after a
 * caller read {@code Instant.now()} could carry an earlier timestamp and show in an as-of read at
 * that instant. Callers keep timestamps non-decreasing themselves (the wall clock may step back).
 *
 * <p>Not thread-safe: owned by the sequencer thread (and the opening thread before it starts).
 */
final class SequencerClock {
    private static final long RESAMPLE_INTERVAL_NANOS = 1_000_000_000L;
    private static final int SAMPLE_TRIES = 3;

    private final Clock wall = Clock.systemUTC();
    private long offset;
    private long sampledAt;

    SequencerClock() {
        sample();
    }

    /** Measures the offset between the wall clock and {@code System.nanoTime()} again. */
    void sample() {
        long bestWindow = Long.MAX_VALUE;
        for (int i = 0; i < SAMPLE_TRIES; i++) {
            long before = System.nanoTime();
            Instant now = wall.instant();
            long after = System.nanoTime();
            long window = after - before;
            if (window < bestWindow) {
                bestWindow = window;
                offset = now.getEpochSecond() * 1_000_000_000L + now.getNano() - (before + window / 2);
                sampledAt = after;
            }
        }
    }

    /** @return the time in epoch nanoseconds (resampling first if the last sample is over a second old) */
    long epochNanos() {
        long t = System.nanoTime();
        if (t - sampledAt > RESAMPLE_INTERVAL_NANOS) {
            sample();
            t = System.nanoTime();
        }
        return t + offset;
    }
}
