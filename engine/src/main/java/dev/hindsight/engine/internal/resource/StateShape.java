package dev.hindsight.engine.internal.resource;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The components of a state record: reads them, compares them and builds a record from them through the
 * canonical constructor. Immutable and thread-safe.
 *
 * @param <S> the state record
 */
final class StateShape<S extends Record> {
    private final Class<S> type;
    private final String[] names;
    private final Class<?>[] boxed;
    private final boolean[] primitive;
    private final MethodHandle[] getters;
    private final MethodHandle constructor;

    StateShape(Class<S> type) {
        this.type = type;
        RecordComponent[] rcs = type.getRecordComponents();
        names = new String[rcs.length];
        boxed = new Class<?>[rcs.length];
        primitive = new boolean[rcs.length];
        getters = new MethodHandle[rcs.length];
        Class<?>[] raw = new Class<?>[rcs.length];
        try {
            MethodHandles.Lookup lookup = MethodHandles.privateLookupIn(type, MethodHandles.lookup());
            for (int i = 0; i < rcs.length; i++) {
                names[i] = rcs[i].getName();
                raw[i] = rcs[i].getType();
                primitive[i] = raw[i].isPrimitive();
                boxed[i] = MethodType.methodType(raw[i]).wrap().returnType();
                getters[i] = lookup.unreflect(rcs[i].getAccessor())
                        .asType(MethodType.methodType(Object.class, Object.class));
            }
            constructor = lookup.findConstructor(type, MethodType.methodType(void.class, raw))
                    .asSpreader(Object[].class, rcs.length)
                    .asType(MethodType.methodType(Object.class, Object[].class));
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalArgumentException("cannot access the components and canonical constructor of state record "
                    + type.getName() + ": " + e, e);
        }
    }

    Class<S> type() {
        return type;
    }

    int size() {
        return names.length;
    }

    String name(int i) {
        return names[i];
    }

    int index(String name) {
        for (int i = 0; i < names.length; i++) {
            if (names[i].equals(name)) {
                return i;
            }
        }
        return -1;
    }

    String describe() {
        List<String> parts = new ArrayList<>(names.length);
        for (int i = 0; i < names.length; i++) {
            parts.add(names[i] + " (" + boxed[i].getSimpleName() + ")");
        }
        return String.join(", ", parts);
    }

    Object get(S state, int i) {
        try {
            return (Object) getters[i].invokeExact((Object) state);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    Object[] values(S state) {
        Object[] v = new Object[names.length];
        for (int i = 0; i < v.length; i++) {
            v[i] = get(state, i);
        }
        return v;
    }

    /**
     * Checks that a value fits a component.
     *
     * @throws IllegalArgumentException naming the resource type, the attribute and the types
     */
    void check(String resourceType, int i, Object value) {
        if (value == null) {
            if (primitive[i]) {
                throw new IllegalArgumentException("attribute '" + names[i] + "' of " + resourceType + " is "
                        + boxed[i].getSimpleName() + " and cannot be null");
            }
        } else if (!boxed[i].isInstance(value)) {
            throw new IllegalArgumentException("attribute '" + names[i] + "' of " + resourceType + " is "
                    + boxed[i].getSimpleName() + ", not " + value.getClass().getSimpleName() + " (" + value + ")");
        }
    }

    S construct(Object[] values) {
        Object built;
        try {
            built = (Object) constructor.invokeExact(values);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
        return type.cast(built);
    }

    static boolean same(Object a, Object b) {
        return Objects.deepEquals(a, b);
    }

    @Override
    public String toString() {
        return type.getSimpleName() + Arrays.toString(names);
    }
}
