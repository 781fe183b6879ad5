package dev.hindsight.codec.internal;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Constructor;
import java.lang.reflect.RecordComponent;
import java.util.List;

/**
 * Encodes a Java record as its components in declaration order and decodes it through the canonical
 * constructor. Immutable and thread-safe.
 */
public final class RecordCodec extends ValueCodec {
    private final Class<?> recordClass;
    private final Component[] components;
    private final MethodHandle constructor;
    private final int minWidth;

    RecordCodec(Class<?> recordClass, List<ValueCodec> componentCodecs) {
        this.recordClass = recordClass;
        RecordComponent[] rcs = recordClass.getRecordComponents();
        this.components = new Component[rcs.length];
        Class<?>[] types = new Class<?>[rcs.length];
        int width = 0;
        for (int i = 0; i < rcs.length; i++) {
            components[i] = Component.of(rcs[i], componentCodecs.get(i));
            types[i] = rcs[i].getType();
            width += components[i].minWidth();
        }
        this.minWidth = width;
        this.constructor = canonicalConstructor(recordClass, types)
                .asSpreader(Object[].class, rcs.length)
                .asType(MethodType.methodType(Object.class, Object[].class));
    }

    private static MethodHandle canonicalConstructor(Class<?> recordClass, Class<?>[] types) {
        try {
            return Getters.lookupFor(recordClass).findConstructor(recordClass, MethodType.methodType(void.class, types));
        } catch (ReflectiveOperationException | RuntimeException e) {
            try {
                Constructor<?> c = recordClass.getDeclaredConstructor(types);
                c.setAccessible(true);
                return MethodHandles.lookup().unreflectConstructor(c);
            } catch (ReflectiveOperationException | RuntimeException e2) {
                throw new IllegalArgumentException("cannot access the canonical constructor of "
                        + recordClass.getName() + ": " + e2.getMessage(), e2);
            }
        }
    }

    /** @return the record class */
    public Class<?> recordClass() {
        return recordClass;
    }

    @Override
    public void write(FrameOutput out, Object record) {
        for (Component c : components) {
            c.write(out, record);
        }
    }

    @Override
    public Object read(PayloadInput in) {
        in.enter();
        Object[] args = new Object[components.length];
        for (int i = 0; i < components.length; i++) {
            args[i] = components[i].read(in);
        }
        in.leave();
        try {
            return (Object) constructor.invokeExact(args);
        } catch (RuntimeException e) {
            throw new Corruption(recordClass.getSimpleName() + " rejected the decoded values: " + e, in.offset());
        } catch (Throwable t) {
            throw Getters.rethrow(t);
        }
    }

    @Override
    public int minWidth() {
        return minWidth;
    }
}
