package dev.hindsight.codec;

/**
 * Bounds applied when encoding and decoding events. Immutable and thread-safe.
 *
 * @param maxFrameBytes     the largest frame, in bytes (default 1 MiB)
 * @param maxDepth          the deepest nesting of lists, maps and records (default 16)
 * @param maxCollectionSize the most elements in one list or map (default 1,000,000)
 */
public record CodecLimits(int maxFrameBytes, int maxDepth, int maxCollectionSize) {
    /** The largest accepted {@code maxFrameBytes}. */
    public static final int MAX_FRAME_BYTES_LIMIT = Integer.MAX_VALUE - 64;
    /** The largest accepted {@code maxDepth}. */
    public static final int MAX_DEPTH_LIMIT = 64;

    private static final CodecLimits DEFAULTS = new CodecLimits(FrameFormat.DEFAULT_MAX_FRAME_BYTES, 16, 1_000_000);

    /** Validates the bounds. */
    public CodecLimits {
        if (maxFrameBytes < FrameFormat.MIN_FRAME_BYTES || maxFrameBytes > MAX_FRAME_BYTES_LIMIT) {
            throw new IllegalArgumentException("maxFrameBytes " + maxFrameBytes + " is outside "
                    + FrameFormat.MIN_FRAME_BYTES + ".." + MAX_FRAME_BYTES_LIMIT);
        }
        if (maxDepth < 1 || maxDepth > MAX_DEPTH_LIMIT) {
            throw new IllegalArgumentException("maxDepth " + maxDepth + " is outside 1.." + MAX_DEPTH_LIMIT);
        }
        if (maxCollectionSize < 1) {
            throw new IllegalArgumentException("maxCollectionSize " + maxCollectionSize + " must be at least 1");
        }
    }

    /** @return 1 MiB frames, depth 16, 1,000,000 elements per collection */
    public static CodecLimits defaults() {
        return DEFAULTS;
    }
}
