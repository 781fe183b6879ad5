package dev.hindsight.tools.check;

import dev.hindsight.codec.FrameReader;

import java.nio.file.Path;

/**
 * One readable event of a journal scan, as derived-artifact checks see it: a flyweight valid only during
 * {@link ArtifactCheck#event(JournalEvent)}. Not thread-safe.
 */
public interface JournalEvent {
    /** @return the event's frame (validated: CRC, lengths); read fields from it, never keep it */
    FrameReader frame();

    /** @return the event's entity ordinal in {@link #entities()} */
    int entity();

    /** @return the entities met so far; they do <em>not</em> include this event yet (its entity's head is the previous version) */
    Entities entities();

    /** @return the Chronicle index of the event's excerpt, -1 if unknown (damage earlier in its file) */
    long excerptIndex();

    /** @return the journal file holding the event */
    Path file();

    /** @return the byte offset of the event's frame in {@link #file()} */
    long filePosition();
}
