package dev.hindsight.tools.inspect;

import dev.hindsight.codec.FrameReader;
import dev.hindsight.codec.SchemaCatalog;
import dev.hindsight.engine.inspect.StoreInspector;
import dev.hindsight.tools.internal.EventFilter;
import dev.hindsight.tools.internal.EventFormat;
import dev.hindsight.tools.internal.EventStream;
import dev.hindsight.tools.internal.Lines;
import dev.hindsight.tools.internal.Progress;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code hindsight export DIR --format jsonl}: every event (or a filtered range) as one JSON object per line
 * with stable field names, streamed with flat memory. Not thread-safe.
 */
@Command(name = "export", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Export events as JSON lines with stable field names:",
                "position, time, resource, entity, version, type, typeId, schemaVersion, metadata, data (dataError if undecodable)."},
        footer = {"", "Examples:",
                "  hindsight export data --format jsonl > events.jsonl",
                "  hindsight export data --resource order --from 2026-11-27 | gzip > orders.jsonl.gz",
                "  hindsight export damaged-copy --skip-damaged > salvaged.jsonl",
                "", "Exit codes: 0 exported, 2 usage error or unreadable store (damage stops the export unless --skip-damaged)."})
public final class ExportCommand extends StoreCommand {
    /** The export formats: JSON lines only, for now. */
    public enum Format {
        /** One JSON object per line. */
        JSONL
    }

    @Option(names = "--format", paramLabel = "FORMAT", description = "jsonl (the default and only format)")
    Format format = Format.JSONL;

    @Mixin
    FilterOptions filter;

    @Option(names = "--skip-damaged", description = "report damaged journal bytes on stderr and read past them")
    boolean skipDamaged;

    @Override
    public Integer call() {
        StoreInspector store = openStore();
        SchemaCatalog catalog = readCatalog(store);
        EventFilter events = filter.build(catalog);
        EventFormat fmt = new EventFormat(catalog, EventFormat.Style.JSONL, false);
        Lines lines = new Lines(out());
        Progress progress = new Progress(err(), Progress.stderrIsTerminal(), System::nanoTime, "export");
        long exported = 0;
        try (EventStream stream = new EventStream(store, skipDamaged, err())) {
            if (events.from() != null) {
                stream.skipFilesBefore(events.from());
            }
            for (FrameReader f; (f = stream.next()) != null; ) {
                if (events.pastEnd(f)) {
                    break;
                }
                if (events.matches(f)) {
                    exported++;
                    if (!lines.println(fmt.line(f))) {
                        return 0;
                    }
                }
                progress.tick(exported, stream.fileIndex(), stream.fileCount());
            }
        } finally {
            progress.done();
        }
        lines.flush();
        if (fmt.decodeFailures() > 0) {
            err().println("hindsight export: " + fmt.decodeFailures() + " events could not be decoded (\"data\": null, see \"dataError\")");
        }
        return 0;
    }
}
