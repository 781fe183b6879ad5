package dev.hindsight.codec.internal;

import java.lang.invoke.CallSite;
import java.lang.invoke.LambdaMetafactory;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.RecordComponent;

/**
 * Typed, non-boxing record component accessors generated once per component with
 * {@link LambdaMetafactory} (falling back to a typed {@link MethodHandle} when the record's class loader or
 * module does not allow it). All generated accessors are stateless and thread-safe.
 */
public final class Getters {
    private Getters() {
    }

    /** Reads a boolean component. */
    @FunctionalInterface
    public interface BooleanGetter {
        /** @param record the record @return the component */
        boolean get(Object record);
    }

    /** Reads a byte component. */
    @FunctionalInterface
    public interface ByteGetter {
        /** @param record the record @return the component */
        byte get(Object record);
    }

    /** Reads a short component. */
    @FunctionalInterface
    public interface ShortGetter {
        /** @param record the record @return the component */
        short get(Object record);
    }

    /** Reads a char component. */
    @FunctionalInterface
    public interface CharGetter {
        /** @param record the record @return the component */
        char get(Object record);
    }

    /** Reads an int component. */
    @FunctionalInterface
    public interface IntGetter {
        /** @param record the record @return the component */
        int get(Object record);
    }

    /** Reads a long component. */
    @FunctionalInterface
    public interface LongGetter {
        /** @param record the record @return the component */
        long get(Object record);
    }

    /** Reads a float component. */
    @FunctionalInterface
    public interface FloatGetter {
        /** @param record the record @return the component */
        float get(Object record);
    }

    /** Reads a double component. */
    @FunctionalInterface
    public interface DoubleGetter {
        /** @param record the record @return the component */
        double get(Object record);
    }

    /** Reads a reference component. */
    @FunctionalInterface
    public interface ObjectGetter {
        /** @param record the record @return the component */
        Object get(Object record);
    }

    static MethodHandles.Lookup lookupFor(Class<?> recordClass) throws IllegalAccessException {
        return MethodHandles.privateLookupIn(recordClass, MethodHandles.lookup());
    }

    /**
     * @param component a record component
     * @param iface     the getter interface matching its type (e.g. {@link IntGetter} for int)
     * @param <T>       the getter type
     * @return a getter for it
     */
    public static <T> T create(RecordComponent component, Class<T> iface) {
        Class<?> recordClass = component.getDeclaringRecord();
        Class<?> type = component.getType();
        Class<?> erased = type.isPrimitive() ? type : Object.class;
        MethodHandle accessor;
        MethodHandles.Lookup lookup = null;
        try {
            lookup = lookupFor(recordClass);
            accessor = lookup.unreflect(component.getAccessor());
        } catch (IllegalAccessException | RuntimeException e) {
            try {
                component.getAccessor().setAccessible(true);
                accessor = MethodHandles.lookup().unreflect(component.getAccessor());
            } catch (IllegalAccessException | RuntimeException e2) {
                IllegalArgumentException failure = new IllegalArgumentException("cannot access component '"
                        + component.getName() + "' of " + recordClass.getName() + ": " + e2.getMessage(), e2);
                failure.addSuppressed(e);
                throw failure;
            }
        }
        if (lookup != null) {
            try {
                CallSite site = LambdaMetafactory.metafactory(lookup, "get", MethodType.methodType(iface),
                        MethodType.methodType(erased, Object.class), accessor,
                        MethodType.methodType(type, recordClass));
                return iface.cast(site.getTarget().invoke());
            } catch (Throwable ignored) {
                // fall through to the typed method handle
            }
        }
        return fallback(accessor.asType(MethodType.methodType(erased, Object.class)), iface);
    }

    private static <T> T fallback(MethodHandle mh, Class<T> iface) {
        Object getter;
        if (iface == BooleanGetter.class) {
            getter = (BooleanGetter) r -> {
                try {
                    return (boolean) mh.invokeExact(r);
                } catch (Throwable t) {
                    throw rethrow(t);
                }
            };
        } else if (iface == ByteGetter.class) {
            getter = (ByteGetter) r -> {
                try {
                    return (byte) mh.invokeExact(r);
                } catch (Throwable t) {
                    throw rethrow(t);
                }
            };
        } else if (iface == ShortGetter.class) {
            getter = (ShortGetter) r -> {
                try {
                    return (short) mh.invokeExact(r);
                } catch (Throwable t) {
                    throw rethrow(t);
                }
            };
        } else if (iface == CharGetter.class) {
            getter = (CharGetter) r -> {
                try {
                    return (char) mh.invokeExact(r);
                } catch (Throwable t) {
                    throw rethrow(t);
                }
            };
        } else if (iface == IntGetter.class) {
            getter = (IntGetter) r -> {
                try {
                    return (int) mh.invokeExact(r);
                } catch (Throwable t) {
                    throw rethrow(t);
                }
            };
        } else if (iface == LongGetter.class) {
            getter = (LongGetter) r -> {
                try {
                    return (long) mh.invokeExact(r);
                } catch (Throwable t) {
                    throw rethrow(t);
                }
            };
        } else if (iface == FloatGetter.class) {
            getter = (FloatGetter) r -> {
                try {
                    return (float) mh.invokeExact(r);
                } catch (Throwable t) {
                    throw rethrow(t);
                }
            };
        } else if (iface == DoubleGetter.class) {
            getter = (DoubleGetter) r -> {
                try {
                    return (double) mh.invokeExact(r);
                } catch (Throwable t) {
                    throw rethrow(t);
                }
            };
        } else {
            getter = (ObjectGetter) r -> {
                try {
                    return (Object) mh.invokeExact(r);
                } catch (Throwable t) {
                    throw rethrow(t);
                }
            };
        }
        return iface.cast(getter);
    }

    static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) {
            throw r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        throw new IllegalStateException(t);
    }
}
