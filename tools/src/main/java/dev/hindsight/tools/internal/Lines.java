package dev.hindsight.tools.internal;

import java.io.PrintWriter;

/**
 * Standard output for commands that print many lines: notices when the reader went away (output piped
 * into {@code head}), so the command can stop quietly instead of writing into a closed pipe. A
 * {@link PrintWriter} swallows write errors; its error flag is checked every 64 lines (checking flushes).
 * Not thread-safe.
 */
public final class Lines {
    private final PrintWriter out;
    private int sinceCheck;
    private boolean closed;

    /** @param out standard output */
    public Lines(PrintWriter out) {
        this.out = out;
    }

    /**
     * @param line a line without its terminator
     * @return false once standard output is closed: stop printing
     */
    public boolean println(CharSequence line) {
        if (closed) {
            return false;
        }
        out.append(line).append('\n');
        if (++sinceCheck >= 64) {
            sinceCheck = 0;
            closed = out.checkError();
        }
        return !closed;
    }

    /** @return false if standard output is closed; flushes */
    public boolean flush() {
        if (!closed) {
            closed = out.checkError();
        }
        return !closed;
    }

    /** @return true once standard output was found closed */
    public boolean closed() {
        return closed;
    }
}
