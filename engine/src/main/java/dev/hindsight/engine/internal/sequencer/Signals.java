package dev.hindsight.engine.internal.sequencer;

/**
 * Cache-line padding for the sequencer's signals, so the fields producers poll on every append
 * do not share a line with fields the sequencer writes on every append (false sharing). Padding by
 * class hierarchy, as in the LMAX Disruptor: the JVM lays out superclass fields first.
 */
final class Signals {
    private Signals() {
    }

    /** Fields before the value. */
    abstract static class LeftPad {
        long p01, p02, p03, p04, p05, p06, p07, p08;
    }

    /** Flags producers read and the sequencer writes rarely (idle, close). */
    abstract static class FlagFields extends LeftPad {
        volatile boolean closing;
        volatile boolean terminated;
        volatile boolean sleeping;
        volatile Thread thread;
    }

    /** The flags, padded on both sides. */
    static final class Flags extends FlagFields {
        long q01, q02, q03, q04, q05, q06, q07, q08;
    }

    /** The published position, written by the sequencer on every append. */
    abstract static class PositionField extends LeftPad {
        volatile long value;
    }

    /** The published position, padded on both sides. */
    static final class Position extends PositionField {
        long q01, q02, q03, q04, q05, q06, q07, q08;
    }
}
