package dev.hindsight.tools.internal;

import dev.hindsight.tools.check.Findings;

import java.nio.file.Path;

/**
 * Prints findings as they are found, one per line, {@code PROBLEM <file> byte <offset>: <message>} or
 * {@code NOTE ...}, with file names relative to the store; after {@code maxReports} lines it only counts.
 * Not thread-safe.
 */
public final class PrintingFindings implements Findings {
    private final Lines out;
    private final Path store;
    private final long maxReports;
    private long problems;
    private long notes;
    private long printed;

    /**
     * @param out        where to print
     * @param store      the store directory, to shorten file names
     * @param maxReports lines to print at most (0 for no limit)
     */
    public PrintingFindings(Lines out, Path store, long maxReports) {
        this.out = out;
        this.store = store;
        this.maxReports = maxReports <= 0 ? Long.MAX_VALUE : maxReports;
    }

    @Override
    public void problem(Path file, long position, String message) {
        problems++;
        print("PROBLEM ", file, position, message);
    }

    @Override
    public void note(Path file, long position, String message) {
        notes++;
        print("NOTE    ", file, position, message);
    }

    private void print(String kind, Path file, long position, String message) {
        if (printed >= maxReports) {
            return;
        }
        printed++;
        String where = file == null ? "" : Text.where(store, file) + (position >= 0 ? " byte " + position : "") + ": ";
        out.println(Text.controls(kind + where + message));
    }

    @Override
    public long problems() {
        return problems;
    }

    /** @return notes reported */
    public long notes() {
        return notes;
    }

    /** @return findings counted but not printed (over the limit) */
    public long unprinted() {
        return problems + notes - printed;
    }
}
