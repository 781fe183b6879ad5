package dev.hindsight.tools.check;

import java.nio.file.Path;

/**
 * Where checks report what they find. A <em>problem</em> is damage or disagreement (verify exits 1); a
 * <em>note</em> is worth knowing but harmless (a derived artifact that is absent or will be rebuilt, a torn
 * append recovery already cut). Always say what was found with the values involved and, when the finding
 * is about bytes, the file and byte offset. Not thread-safe: called from the scanning thread.
 */
public interface Findings {
    /**
     * @param file     the file at fault, or null if the finding is not about one file
     * @param position the byte offset in {@code file}, or -1
     * @param message  what is wrong, with values
     */
    void problem(Path file, long position, String message);

    /**
     * @param file     the file concerned, or null
     * @param position the byte offset in {@code file}, or -1
     * @param message  what is worth knowing
     */
    void note(Path file, long position, String message);

    /** @return problems reported so far (by every check) */
    long problems();
}
