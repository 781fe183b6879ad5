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
    private final String[] names;
    private final ValueCodec[] codecs;
    private final Class<?>[] boxedTypes;

    RecordCodec(Class<?> recordClass, List<ValueCodec> componentCodecs) {
        this.recordClass = recordClass;
        RecordComponent[] rcs = recordClass.getRecordComponents();
        this.components = new Component[rcs.length];
        Class<?>[] types = new Class<?>[rcs.length];
        this.names = new String[rcs.length];
        this.codecs = componentCodecs.toArray(new ValueCodec[0]);
        this.boxedTypes = new Class<?>[rcs.length];
        int width = 0;
        for (int i = 0; i < rcs.length; i++) {
            components[i] = Component.of(rcs[i], componentCodecs.get(i));
            types[i] = rcs[i].getType();
            names[i] = rcs[i].getName();
            boxedTypes[i] = MethodType.methodType(types[i]).wrap().returnType();
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

    /** @return the number of components */
    public int componentCount() {
        return names.length;
    }

    /**
     * @param i a component index
     * @return its name
     */
    public String componentName(int i) {
        return names[i];
    }

    /**
     * @param name a component name
     * @return its index, or -1
     */
    public int componentIndex(String name) {
        for (int i = 0; i < names.length; i++) {
            if (names[i].equals(name)) {
                return i;
            }
        }
        return -1;
    }

    /**
     * @param i a component index
     * @return the component's type, boxed if primitive
     */
    public Class<?> componentBoxedType(int i) {
        return boxedTypes[i];
    }

    /**
     * Writes one component's value on its own, as the record would (a presence byte first for a reference
     * component).
     *
     * @param out   the output
     * @param i     the component index
     * @param value the value (boxed for a primitive component; null only for a reference component)
     * @throws IllegalArgumentException if the value is null for a primitive component or of the wrong type
     */
    public void writeComponentValue(FrameOutput out, int i, Object value) {
        boolean primitive = components[i] instanceof Component.Primitive;
        if (value == null) {
            if (primitive) {
                throw new IllegalArgumentException("attribute '" + names[i] + "' of " + recordClass.getSimpleName()
                        + " is primitive and cannot be null");
            }
            out.writeByte(0);
            return;
        }
        if (!boxedTypes[i].isInstance(value)) {
            throw new IllegalArgumentException("attribute '" + names[i] + "' of " + recordClass.getSimpleName()
                    + " is " + boxedTypes[i].getSimpleName() + ", not " + value.getClass().getSimpleName());
        }
        if (!primitive) {
            out.writeByte(1);
        }
        codecs[i].write(out, value);
    }

    /**
     * Reads one component's value written by {@link #writeComponentValue}.
     *
     * @param in the input
     * @param i  the component index
     * @return the value (boxed for a primitive component)
     */
    public Object readComponentValue(PayloadInput in, int i) {
        return components[i].read(in);
    }

    /**
     * Builds a record from component values through the canonical constructor.
     *
     * @param values one value per component, boxed for primitives
     * @return the record
     * @throws IllegalArgumentException if a value has the wrong type or the constructor rejects the values
     */
    public Object construct(Object[] values) {
        try {
            return (Object) constructor.invokeExact(values);
        } catch (ClassCastException | NullPointerException | IllegalArgumentException e) {
            throw new IllegalArgumentException(recordClass.getSimpleName() + " rejected the values: " + e, e);
        } catch (Throwable t) {
            throw Getters.rethrow(t);
        }
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
