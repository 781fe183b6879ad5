package dev.hindsight.tools.check;

import dev.hindsight.engine.inspect.StoreInspector;

/**
 * Checks one artifact derived from the journal (the entity index, snapshots, subscription checkpoints)
 * against it, during {@code hindsight verify}'s single pass over the journal, and describes it for
 * {@code hindsight info}. The journal is the truth: a check reports where its artifact disagrees with it.
 *
 * <p>Lifecycle, all on one thread: {@link #begin} before the scan (read the artifact's own files, report
 * what is absent or unreadable; return false to receive no events), {@link #event} for every readable event
 * in journal order, {@link #finish} after the scan. Memory must stay flat in the number of events: keep
 * per-entity state at most, or fingerprints (see {@link Hashing#tuple}). A check must never write to the
 * store directory. Implementations are not thread-safe.
 */
public interface ArtifactCheck extends AutoCloseable {
    /** @return a short name used in the output ("index", "snapshots") */
    String name();

    /**
     * @param store the store, read-only
     * @return one line describing the artifact without scanning the journal ({@code hindsight info})
     */
    String describe(StoreInspector store);

    /**
     * @param store    the store, read-only
     * @param findings where to report
     * @return true to receive the journal's events
     */
    boolean begin(StoreInspector store, Findings findings);

    /** @param event a readable event; a flyweight valid during the call */
    void event(JournalEvent event);

    /**
     * @param journal  what the scan found
     * @param findings where to report
     */
    void finish(JournalSummary journal, Findings findings);

    /** @return one line on the outcome, for verify's summary (after {@link #finish}, or after a false {@link #begin}) */
    String summary();

    /** Releases what {@link #begin} opened (temporary copies). Idempotent. */
    @Override
    void close();
}
