package dev.hindsight.engine.internal.sequencer;

import dev.hindsight.codec.FrameWriter;
import dev.hindsight.engine.internal.index.LiveIndex;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;

/**
 * One producer thread's append, reused for every append that thread makes: its encoded frames and
 * what the sequencer answered. A small state machine moved with CAS so that a request the
 * producer abandons (the store closed under it) is never also processed:
 *
 * <pre>
 * IDLE --producer submits--> PENDING --sequencer claims--> CLAIMED --> DONE | CONFLICT | FAILED
 *                               \--producer abandons (sequencer terminated)--> ABANDONED
 * </pre>
 *
 * Thread safety: the producer owns it while IDLE; between submit and a final state the sequencer
 * writes the result fields, published by the volatile state write.
 */
public final class AppendRequest {
    static final int IDLE = 0;
    static final int PENDING = 1;
    static final int CLAIMED = 2;
    static final int DONE = 3;
    static final int CONFLICT = 4;
    static final int FAILED = 5;
    static final int ABANDONED = 6;

    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(AppendRequest.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final FrameWriter frames;
    private volatile int state = IDLE;
    private volatile Thread waiter;

    String resourceType;
    String entityId;
    long expectedVersion;
    /** The entity as the producer looked it up (entities are never replaced), or null if it was new then. */
    LiveIndex.Entity entity;
    // the frames as the sequencer needs them, copied here so it reads no line of the frame writer
    byte[] buffer;
    int length;
    int frameCount;

    long firstPosition;
    long firstVersion;
    long timestampNanos;
    long actualVersion;
    Throwable failure;

    /** @param frames this producer's frame writer */
    public AppendRequest(FrameWriter frames) {
        this.frames = frames;
    }

    /** @return the frames to append; the producer fills it before {@link Sequencer#append} */
    public FrameWriter frames() {
        return frames;
    }

    void prepare(String resourceType, String entityId, long expectedVersion, LiveIndex.Entity entity) {
        this.resourceType = resourceType;
        this.entityId = entityId;
        this.expectedVersion = expectedVersion;
        this.entity = entity;
        this.buffer = frames.buffer();
        this.length = frames.length();
        this.frameCount = frames.frameCount();
        this.failure = null;
        this.waiter = null;
        STATE.setRelease(this, PENDING);
    }

    boolean claim() {
        return STATE.compareAndSet(this, PENDING, CLAIMED);
    }

    boolean abandon() {
        return STATE.compareAndSet(this, PENDING, ABANDONED);
    }

    void finish(int finalState) {
        state = finalState;
        Thread w = waiter;
        if (w != null) {
            LockSupport.unpark(w);
        }
    }

    int state() {
        return state;
    }

    void waitingThread(Thread thread) {
        waiter = thread;
    }

    void reset() {
        state = IDLE;
    }
}
