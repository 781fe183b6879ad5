package dev.hindsight.codec.internal;

import com.esotericsoftware.kryo.io.Input;

/**
 * A Kryo {@link Input} over one payload that carries the decode bounds (depth, collection sizes) and reports
 * positions relative to the payload start. Not thread-safe; one per thread.
 */
public final class PayloadInput extends Input {
    private final int maxDepth;
    private final int maxCollectionSize;
    private int start;
    private int depth;
    private long zeroWidthElements;

    /**
     * @param maxDepth          the deepest nesting of lists, maps and records
     * @param maxCollectionSize the most elements in one collection
     */
    public PayloadInput(int maxDepth, int maxCollectionSize) {
        this.maxDepth = maxDepth;
        this.maxCollectionSize = maxCollectionSize;
    }

    /**
     * Starts decoding a payload.
     *
     * @param buf the bytes
     * @param off the payload start
     * @param len the payload length
     */
    public void begin(byte[] buf, int off, int len) {
        setBuffer(buf, off, len);
        start = off;
        depth = 0;
        zeroWidthElements = 0;
    }

    /** @return bytes left in the payload */
    public int remaining() {
        return limit - position;
    }

    /** @return the current position relative to the payload start */
    public int offset() {
        return position - start;
    }

    /** @return the most elements in one collection */
    public int maxCollectionSize() {
        return maxCollectionSize;
    }

    /** Enters a list, map or record; fails beyond the maximum depth. */
    public void enter() {
        if (++depth > maxDepth) {
            throw new Corruption("nesting deeper than " + maxDepth, offset());
        }
    }

    /** Leaves a list, map or record. */
    public void leave() {
        depth--;
    }

    /**
     * Counts elements of zero encoded width, which the bytes remaining cannot bound.
     *
     * @param n the number of elements
     */
    public void addZeroWidthElements(int n) {
        zeroWidthElements += n;
        if (zeroWidthElements > maxCollectionSize) {
            throw new Corruption("more than " + maxCollectionSize + " zero-width elements", offset());
        }
    }

    /**
     * @param what what was being read
     * @return a corruption at the current position
     */
    public Corruption corrupt(String what) {
        return new Corruption(what, offset());
    }
}
