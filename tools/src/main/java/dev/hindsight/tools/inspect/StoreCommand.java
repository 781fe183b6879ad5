package dev.hindsight.tools.inspect;

import dev.hindsight.codec.CorruptFrameException;
import dev.hindsight.codec.SchemaCatalog;
import dev.hindsight.engine.HindsightException;
import dev.hindsight.engine.inspect.StoreInspector;
import dev.hindsight.tools.internal.CliException;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * What the inspection commands share: the store directory argument, standard output and error, and opening
 * the store read-only with one-line errors (exit 2). Not thread-safe; one command per process.
 */
public abstract class StoreCommand implements Callable<Integer> {
    /** The store directory. */
    @Parameters(index = "0", paramLabel = "DIR", description = "the store directory (or a copy of it)")
    protected Path directory;

    /** Injected by picocli. */
    @Spec
    protected CommandSpec spec;

    /** @return standard output */
    protected PrintWriter out() {
        return spec.commandLine().getOut();
    }

    /** @return standard error */
    protected PrintWriter err() {
        return spec.commandLine().getErr();
    }

    /**
     * @return the store, opened for inspection
     * @throws CliException (exit 2) if the directory is missing, not a store, or its marker is damaged
     */
    protected StoreInspector openStore() {
        try {
            return StoreInspector.open(directory);
        } catch (HindsightException e) {
            throw new CliException(CliException.UNUSABLE, e.getMessage());
        }
    }

    /**
     * @param store the store
     * @return its catalog
     * @throws CliException (exit 2) naming the file and byte offset if it is damaged
     */
    protected static SchemaCatalog readCatalog(StoreInspector store) {
        try {
            return store.readCatalog();
        } catch (CorruptFrameException | UncheckedIOException e) {
            throw new CliException(CliException.UNUSABLE, "the schema catalog " + store.catalogFile() + " is unreadable: "
                    + e.getMessage() + "; events cannot be decoded without it");
        }
    }
}
