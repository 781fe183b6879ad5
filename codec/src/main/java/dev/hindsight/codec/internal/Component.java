package dev.hindsight.codec.internal;

import java.lang.reflect.RecordComponent;

/**
 * Writes one record component straight from the record (primitives without boxing) and reads it back.
 * Immutable and thread-safe.
 */
abstract class Component {
    abstract void write(FrameOutput out, Object record);

    abstract Object read(PayloadInput in);

    abstract int minWidth();

    static Component of(RecordComponent rc, ValueCodec codec) {
        Class<?> t = rc.getType();
        if (t == boolean.class) {
            Getters.BooleanGetter g = Getters.create(rc, Getters.BooleanGetter.class);
            return new Fixed(codec, 1) {
                @Override void write(FrameOutput out, Object r) { out.writeBoolean(g.get(r)); }
            };
        } else if (t == byte.class) {
            Getters.ByteGetter g = Getters.create(rc, Getters.ByteGetter.class);
            return new Fixed(codec, 1) {
                @Override void write(FrameOutput out, Object r) { out.writeByte(g.get(r)); }
            };
        } else if (t == short.class) {
            Getters.ShortGetter g = Getters.create(rc, Getters.ShortGetter.class);
            return new Fixed(codec, 2) {
                @Override void write(FrameOutput out, Object r) { out.writeShort(g.get(r)); }
            };
        } else if (t == char.class) {
            Getters.CharGetter g = Getters.create(rc, Getters.CharGetter.class);
            return new Fixed(codec, 2) {
                @Override void write(FrameOutput out, Object r) { out.writeChar(g.get(r)); }
            };
        } else if (t == int.class) {
            Getters.IntGetter g = Getters.create(rc, Getters.IntGetter.class);
            return new Fixed(codec, 1) {
                @Override void write(FrameOutput out, Object r) { out.writeVarInt(g.get(r), false); }
            };
        } else if (t == long.class) {
            Getters.LongGetter g = Getters.create(rc, Getters.LongGetter.class);
            return new Fixed(codec, 1) {
                @Override void write(FrameOutput out, Object r) { out.writeVarLong(g.get(r), false); }
            };
        } else if (t == float.class) {
            Getters.FloatGetter g = Getters.create(rc, Getters.FloatGetter.class);
            return new Fixed(codec, 4) {
                @Override void write(FrameOutput out, Object r) { out.writeFloat(g.get(r)); }
            };
        } else if (t == double.class) {
            Getters.DoubleGetter g = Getters.create(rc, Getters.DoubleGetter.class);
            return new Fixed(codec, 8) {
                @Override void write(FrameOutput out, Object r) { out.writeDouble(g.get(r)); }
            };
        }
        return new Nullable(Getters.create(rc, Getters.ObjectGetter.class), codec,
                "component '" + rc.getName() + "' of " + rc.getDeclaringRecord().getSimpleName() + ": ");
    }

    /** Marks a primitive component, which has no presence byte. */
    interface Primitive {
    }

    /** A primitive component: never null, read back through the boxed scalar codec. */
    private abstract static class Fixed extends Component implements Primitive {
        private final ValueCodec codec;
        private final int minWidth;

        Fixed(ValueCodec codec, int minWidth) {
            this.codec = codec;
            this.minWidth = minWidth;
        }

        @Override
        Object read(PayloadInput in) {
            return codec.read(in);
        }

        @Override
        int minWidth() {
            return minWidth;
        }
    }

    /** A reference component: a presence byte, then the value if present. */
    private static final class Nullable extends Component {
        private final Getters.ObjectGetter getter;
        private final ValueCodec codec;

        private final String context;

        Nullable(Getters.ObjectGetter getter, ValueCodec codec, String context) {
            this.getter = getter;
            this.codec = codec;
            this.context = context;
        }

        @Override
        void write(FrameOutput out, Object record) {
            Object v = getter.get(record);
            if (v == null) {
                out.writeByte(0);
            } else {
                out.writeByte(1);
                try {
                    codec.write(out, v);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(context + e.getMessage(), e);
                }
            }
        }

        @Override
        Object read(PayloadInput in) {
            return Reads.present(in) ? codec.read(in) : null;
        }

        @Override
        int minWidth() {
            return 1;
        }
    }
}
