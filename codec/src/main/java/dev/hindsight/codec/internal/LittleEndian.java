package dev.hindsight.codec.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/** Little-endian reads and writes on byte arrays (bounds-checked by the JVM). Stateless and thread-safe. */
public final class LittleEndian {
    private static final VarHandle SHORT = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private LittleEndian() {
    }

    /** @param b bytes @param i offset @return the unsigned 16-bit value at i */
    public static int getU16(byte[] b, int i) {
        return ((short) SHORT.get(b, i)) & 0xFFFF;
    }

    /** @param b bytes @param i offset @param v the low 16 bits are written */
    public static void putU16(byte[] b, int i, int v) {
        SHORT.set(b, i, (short) v);
    }

    /** @param b bytes @param i offset @return the int at i */
    public static int getInt(byte[] b, int i) {
        return (int) INT.get(b, i);
    }

    /** @param b bytes @param i offset @param v value */
    public static void putInt(byte[] b, int i, int v) {
        INT.set(b, i, v);
    }

    /** @param b bytes @param i offset @return the long at i */
    public static long getLong(byte[] b, int i) {
        return (long) LONG.get(b, i);
    }

    /** @param b bytes @param i offset @param v value */
    public static void putLong(byte[] b, int i, long v) {
        LONG.set(b, i, v);
    }
}
