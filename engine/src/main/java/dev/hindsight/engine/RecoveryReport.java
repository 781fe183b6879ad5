package dev.hindsight.engine;

import java.time.Duration;
import java.util.List;

/**
 * What opening a store had to do to make its derived state agree with its journal. Immutable.
 *
 * @param cleanShutdown      whether the store had been closed cleanly
 * @param indexRebuilt       whether the persisted entity index was rebuilt from the journal
 * @param reason             why it was rebuilt or caught up, in words ("" when nothing was needed)
 * @param eventsReplayed     how many journal events were read to rebuild or catch up the index
 * @param cutExcerpts        torn or corrupt excerpts cut from the journal's tail (never acknowledged),
 *                           each described with its file, position and reason
 * @param duration           how long recovery took
 */
public record RecoveryReport(boolean cleanShutdown, boolean indexRebuilt, String reason, long eventsReplayed,
                             List<String> cutExcerpts, Duration duration) {
    /** @return true if nothing had to be repaired */
    public boolean wasClean() {
        return cleanShutdown && !indexRebuilt && cutExcerpts.isEmpty();
    }
}
