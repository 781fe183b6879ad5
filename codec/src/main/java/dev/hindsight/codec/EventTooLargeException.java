package dev.hindsight.codec;

/**
 * Thrown by {@link FrameWriter#addFrame} when an event's frame would exceed the writer's maximum frame size.
 * The writer is left exactly as it was before the call. Immutable and thread-safe.
 */
public class EventTooLargeException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final long frameBytes;
    private final int limit;

    /**
     * @param message    the full message
     * @param frameBytes the number of bytes the frame would have taken
     * @param limit      the maximum frame size in bytes
     */
    public EventTooLargeException(String message, long frameBytes, int limit) {
        super(message);
        this.frameBytes = frameBytes;
        this.limit = limit;
    }

    /** @return the number of bytes the frame would have taken (header, strings, metadata, payload and CRC) */
    public long frameBytes() {
        return frameBytes;
    }

    /** @return the maximum frame size in bytes */
    public int limit() {
        return limit;
    }
}
