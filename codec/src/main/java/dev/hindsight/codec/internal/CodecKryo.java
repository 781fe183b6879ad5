package dev.hindsight.codec.internal;

import com.esotericsoftware.kryo.Kryo;

/**
 * A Kryo instance that requires registration, does not track references, and remembers how many of the
 * registry's classes it has registered so it can catch up lazily. Not thread-safe: one per thread (or per
 * {@code FrameWriter}).
 */
public final class CodecKryo extends Kryo {
    int synced;

    /** Creates an instance with registration required and references off. */
    public CodecKryo() {
        setRegistrationRequired(true);
        setReferences(false);
    }
}
