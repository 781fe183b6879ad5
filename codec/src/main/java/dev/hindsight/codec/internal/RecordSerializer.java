package dev.hindsight.codec.internal;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;

/**
 * The Kryo serializer of one record class; delegates to its {@link RecordCodec}. It needs the bounded
 * {@link FrameOutput} / {@link PayloadInput}. Immutable and thread-safe (shared by all per-thread Kryos).
 */
public final class RecordSerializer extends Serializer<Object> {
    private final RecordCodec codec;

    /** @param codec the record's codec */
    public RecordSerializer(RecordCodec codec) {
        super(false, true);
        this.codec = codec;
    }

    @Override
    public void write(Kryo kryo, Output output, Object object) {
        codec.write((FrameOutput) output, object);
    }

    @Override
    public Object read(Kryo kryo, Input input, Class<?> type) {
        return codec.read((PayloadInput) input);
    }
}
