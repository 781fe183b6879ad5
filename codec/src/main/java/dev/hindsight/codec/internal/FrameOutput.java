package dev.hindsight.codec.internal;

import com.esotericsoftware.kryo.io.Output;
import java.io.OutputStream;

/**
 * A Kryo {@link Output} that refuses to write past an absolute position limit (the end of the frame being
 * built) and carries the per-encode bounds. Not thread-safe; owned by one Kryo instance.
 */
public final class FrameOutput extends Output {
    private int frameLimit = Integer.MAX_VALUE;
    private final int maxCollectionSize;
    private long zeroWidthElements;

    /** @param maxCollectionSize the most elements allowed in one list or map (and zero-width elements in total) */
    public FrameOutput(int maxCollectionSize) {
        super(0, -1);
        this.maxCollectionSize = maxCollectionSize;
    }

    /**
     * An output that streams to {@code out}, used to measure an oversized event.
     *
     * @param out               where bytes go
     * @param maxCollectionSize the collection bound
     */
    public FrameOutput(OutputStream out, int maxCollectionSize) {
        super(out, 8192);
        this.maxCollectionSize = maxCollectionSize;
    }

    /**
     * Starts an encode into {@code buffer} at {@code position}, refusing to go past {@code frameLimit}.
     *
     * @param buffer     the destination (may be replaced by a larger copy; see {@link #getBuffer()})
     * @param position   where to start
     * @param frameLimit the absolute position the encode must not pass
     */
    public void begin(byte[] buffer, int position, int frameLimit) {
        setBuffer(buffer, -1);
        setPosition(position);
        this.frameLimit = frameLimit;
        this.zeroWidthElements = 0;
    }

    /** Prepares a streaming output for a new encode. */
    public void beginStreaming() {
        this.frameLimit = Integer.MAX_VALUE;
        this.zeroWidthElements = 0;
    }

    @Override
    protected boolean require(int required) {
        if ((long) position + required > frameLimit) {
            throw FrameOverflow.INSTANCE;
        }
        return super.require(required);
    }

    /**
     * Makes room for {@code n} contiguous bytes at the current position.
     *
     * @param n bytes needed
     */
    public void ensure(int n) {
        require(n);
    }

    /** @return the most elements allowed in one collection */
    public int maxCollectionSize() {
        return maxCollectionSize;
    }

    /**
     * Counts elements of a collection whose element type encodes to zero bytes.
     *
     * @param n the number of elements
     */
    public void addZeroWidthElements(int n) {
        zeroWidthElements += n;
        if (zeroWidthElements > maxCollectionSize) {
            throw new IllegalArgumentException("event holds more than " + maxCollectionSize
                    + " elements of zero-width records in total; the limit is maxCollectionSize");
        }
    }
}
