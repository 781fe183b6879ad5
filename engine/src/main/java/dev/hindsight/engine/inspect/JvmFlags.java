package dev.hindsight.engine.inspect;

import dev.hindsight.engine.internal.JvmFlagsCheck;

import java.util.List;

/**
 * The JVM flags Chronicle and Agrona need (see docs/operations.md), for launchers that start a JVM with them.
 * Stateless, thread-safe.
 */
public final class JvmFlags {
    private JvmFlags() {
    }

    /** @return every flag, as the build recorded them from the parent POM */
    public static List<String> required() {
        return JvmFlagsCheck.requiredFlags();
    }

    /** @return the flags this JVM lacks (a flag for a module the runtime does not have is not needed) */
    public static List<String> missing() {
        return JvmFlagsCheck.missingFlags();
    }
}
