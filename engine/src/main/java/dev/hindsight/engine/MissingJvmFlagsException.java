package dev.hindsight.engine;

import java.util.List;

/**
 * The JVM was started without the flags Chronicle and Agrona need on Java 17+. The message lists
 * exactly the flags to add. Immutable.
 */
public final class MissingJvmFlagsException extends HindsightException {
    private static final long serialVersionUID = 1L;
    private final List<String> missing;

    /** @param missing the flags that are not in effect */
    public MissingJvmFlagsException(List<String> missing) {
        super("Hindsight needs these JVM flags, which this JVM was started without; add them to the java command line"
                + " (or to surefire's argLine / JMH's jvmArgsAppend):\n  " + String.join(" ", missing));
        this.missing = List.copyOf(missing);
    }

    /** @return the flags that are not in effect */
    public List<String> missingFlags() {
        return missing;
    }
}
