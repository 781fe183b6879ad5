package dev.hindsight.tools.internal;

import dev.hindsight.tools.check.Findings;

import java.nio.file.Path;

/** Counts findings and keeps the first problem, for commands that summarise instead of listing. Not thread-safe. */
public final class CountingFindings implements Findings {
    private final Path store;
    private long problems;
    private String first;

    /** @param store the store directory, to shorten file names */
    public CountingFindings(Path store) {
        this.store = store;
    }

    @Override
    public void problem(Path file, long position, String message) {
        if (problems++ == 0) {
            first = Text.controls((file == null ? "" : Text.where(store, file) + (position >= 0 ? " byte " + position : "") + ": ") + message);
        }
    }

    @Override
    public void note(Path file, long position, String message) {
        // summaries leave notes to verify
    }

    @Override
    public long problems() {
        return problems;
    }

    /** @return the first problem, or null */
    public String first() {
        return first;
    }
}
