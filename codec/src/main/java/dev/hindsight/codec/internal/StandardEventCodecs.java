package dev.hindsight.codec.internal;

import dev.hindsight.codec.AttributeChange;
import dev.hindsight.codec.Created;
import dev.hindsight.codec.Deleted;
import dev.hindsight.codec.Updated;
import java.util.ArrayList;
import java.util.List;

/**
 * The payload codecs of a resource type's standard events, bound to its state record. {@code Created}: the
 * state record's components; {@code Updated}: a {@link dev.hindsight.codec.FieldKind#CHANGES} value;
 * {@code Deleted}: nothing. Immutable and thread-safe.
 */
public final class StandardEventCodecs {
    private StandardEventCodecs() {
    }

    /**
     * @param state the state record's codec
     * @return the Created codec
     */
    public static ValueCodec created(RecordCodec state) {
        return new ValueCodec() {
            @Override
            public void write(FrameOutput out, Object value) {
                Object s = ((Created<?>) value).state();
                if (s.getClass() != state.recordClass()) {
                    throw new IllegalArgumentException("Created holds a " + s.getClass().getName() + ", not a "
                            + state.recordClass().getName());
                }
                state.write(out, s);
            }

            @Override
            public Object read(PayloadInput in) {
                return new Created<>((Record) state.read(in));
            }
        };
    }

    /**
     * @param state the state record's codec
     * @return the Updated codec
     */
    public static ValueCodec updated(RecordCodec state) {
        return new ValueCodec() {
            @Override
            public void write(FrameOutput out, Object value) {
                List<AttributeChange> changes = ((Updated) value).changes();
                out.writeVarInt(changes.size(), true);
                int previous = -1;
                for (AttributeChange c : changes) {
                    int i = state.componentIndex(c.attribute());
                    if (i < 0) {
                        throw new IllegalArgumentException(state.recordClass().getSimpleName() + " has no attribute '"
                                + c.attribute() + "'");
                    }
                    if (i <= previous) {
                        throw new IllegalArgumentException("changes must name each attribute once, in the order of "
                                + state.recordClass().getSimpleName() + "'s components; '" + c.attribute()
                                + "' is out of order");
                    }
                    previous = i;
                    out.writeVarInt(i, true);
                    state.writeComponentValue(out, i, c.oldValue());
                    state.writeComponentValue(out, i, c.newValue());
                }
            }

            @Override
            public Object read(PayloadInput in) {
                in.enter();
                int countAt = in.offset();
                int n = Reads.uvarint(in);
                int components = state.componentCount();
                if (n < 1 || n > components) {
                    throw new Corruption("change count " + n + " is outside 1.." + components, countAt);
                }
                List<AttributeChange> changes = new ArrayList<>(n);
                int previous = -1;
                for (int k = 0; k < n; k++) {
                    int at = in.offset();
                    int i = Reads.uvarint(in);
                    if (i <= previous || i >= components) {
                        throw new Corruption("changed attribute index " + i + " is not in increasing order within 0.."
                                + (components - 1), at);
                    }
                    previous = i;
                    Object oldValue = state.readComponentValue(in, i);
                    Object newValue = state.readComponentValue(in, i);
                    changes.add(new AttributeChange(state.componentName(i), oldValue, newValue));
                }
                in.leave();
                return new Updated(changes);
            }
        };
    }

    /** @return the Deleted codec */
    public static ValueCodec deleted() {
        return new ValueCodec() {
            @Override
            public void write(FrameOutput out, Object value) {
                // no fields: the reason is in the metadata
            }

            @Override
            public Object read(PayloadInput in) {
                return new Deleted();
            }

            @Override
            public int minWidth() {
                return 0;
            }
        };
    }
}
