package dev.hindsight.tools.check;

import dev.hindsight.engine.inspect.StoreInspector;
import dev.hindsight.tools.internal.Text;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * Stands in for a derived artifact whose format this version of the tools cannot read yet (snapshots,
 * subscription checkpoints): says "none" when its directory is absent, and when present lists its size and
 * says, as a note, that it was not checked. Replace it with a real {@link ArtifactCheck} when the artifact's
 * format lands. Not thread-safe.
 */
public final class DirectoryArtifactCheck implements ArtifactCheck {
    private final String name;
    private final String directoryName;
    private String summary = "";

    /**
     * @param name          the artifact's name in the output ("snapshots")
     * @param directoryName its directory in the store ("snapshots")
     */
    public DirectoryArtifactCheck(String name, String directoryName) {
        this.name = name;
        this.directoryName = directoryName;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String describe(StoreInspector store) {
        Path dir = store.directory().resolve(directoryName);
        if (!Files.isDirectory(dir)) {
            return "no " + name + " (no " + directoryName + "/ directory)";
        }
        long[] filesAndBytes = {0, 0};
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.filter(Files::isRegularFile).forEach(p -> {
                filesAndBytes[0]++;
                try {
                    filesAndBytes[1] += Files.size(p);
                } catch (IOException ignored) {
                    // counted without its size
                }
            });
        } catch (IOException e) {
            return directoryName + "/ present but unreadable: " + e.getMessage();
        }
        return directoryName + "/ present: " + Text.count(filesAndBytes[0]) + " files, " + Text.bytes(filesAndBytes[1])
                + " (this version of hindsight cannot read them yet)";
    }

    @Override
    public boolean begin(StoreInspector store, Findings findings) {
        Path dir = store.directory().resolve(directoryName);
        summary = describe(store);
        if (Files.isDirectory(dir)) {
            findings.note(dir, -1, name + " not checked: this version of hindsight cannot read them yet");
        }
        return false;
    }

    @Override
    public void event(JournalEvent event) {
        // never called: begin returns false
    }

    @Override
    public void finish(JournalSummary journal, Findings findings) {
        // nothing to compare
    }

    @Override
    public String summary() {
        return summary;
    }

    @Override
    public void close() {
        // holds nothing
    }
}
