package dev.hindsight.tools.internal;

/**
 * A command failed in a way the user can act on: the message is printed as one line, without a stack trace,
 * and the process exits with {@link #exitCode()}. Immutable.
 */
public final class CliException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    /** Exit code: the command found problems, or what was asked for does not exist. */
    public static final int FOUND_PROBLEMS = 1;
    /** Exit code: usage error or unreadable input. */
    public static final int UNUSABLE = 2;

    private final int exitCode;

    /**
     * @param exitCode the process exit code
     * @param message  one line saying what happened, with the values involved
     */
    public CliException(int exitCode, String message) {
        super(message, null, false, false);
        this.exitCode = exitCode;
    }

    /** @return the process exit code */
    public int exitCode() {
        return exitCode;
    }
}
