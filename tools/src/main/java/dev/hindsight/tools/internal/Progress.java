package dev.hindsight.tools.internal;

import java.io.Console;
import java.io.PrintWriter;
import java.lang.reflect.Method;
import java.util.function.LongSupplier;

/**
 * A one-line progress display on stderr for long scans: shown only when enabled (stderr is a terminal) and
 * once the scan has run for more than a second, redrawn at most five times a second with a carriage return,
 * erased when done. {@link #tick} is cheap enough to call per excerpt (it reads the clock every 4096
 * calls). Not thread-safe.
 */
public final class Progress {
    private static final long SHOW_AFTER_NANOS = 1_000_000_000L;
    private static final long REDRAW_NANOS = 200_000_000L;

    private final PrintWriter err;
    private final boolean enabled;
    private final LongSupplier nanoClock;
    private final String label;
    private final long started;
    private long lastDrawn;
    private int calls;
    private int width;

    /**
     * @param err       standard error
     * @param enabled   whether to draw at all
     * @param nanoClock a monotonic clock (System::nanoTime)
     * @param label     what is running ("verify")
     */
    public Progress(PrintWriter err, boolean enabled, LongSupplier nanoClock, String label) {
        this.err = err;
        this.enabled = enabled;
        this.nanoClock = nanoClock;
        this.label = label;
        this.started = nanoClock.getAsLong();
    }

    /** @return true if standard error is probably a terminal: there is a console, and on Java 22+ it is a terminal */
    public static boolean stderrIsTerminal() {
        Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            Method isTerminal = Console.class.getMethod("isTerminal");
            return (Boolean) isTerminal.invoke(console);
        } catch (ReflectiveOperationException e) {
            return true; // before Java 22, a console exists only for a terminal
        }
    }

    /**
     * @param events    events read so far
     * @param fileIndex the journal file being read (0-based)
     * @param files     how many journal files there are
     */
    public void tick(long events, int fileIndex, int files) {
        if (!enabled || (++calls & 4095) != 0) {
            return;
        }
        long now = nanoClock.getAsLong();
        if (now - started < SHOW_AFTER_NANOS || now - lastDrawn < REDRAW_NANOS) {
            return;
        }
        lastDrawn = now;
        double seconds = (now - started) / 1e9;
        String line = String.format("%s: journal file %d/%d, %,d events, %,.0f events/s", label, fileIndex + 1, files,
                events, events / seconds);
        int pad = Math.max(0, width - line.length());
        width = line.length();
        err.print('\r' + line + " ".repeat(pad));
        err.flush();
    }

    /** Erases the line if one was drawn. */
    public void done() {
        if (width > 0) {
            err.print('\r' + " ".repeat(width) + '\r');
            err.flush();
            width = 0;
        }
    }
}
