package dev.hindsight.codec.internal;

/** Internal signal that an encode ran past the frame limit. Stackless singleton; thread-safe. */
public final class FrameOverflow extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** The only instance. */
    public static final FrameOverflow INSTANCE = new FrameOverflow();

    private FrameOverflow() {
        super("frame limit reached", null, false, false);
    }
}
