package dev.hindsight.tools.inspect;

import dev.hindsight.codec.FrameReader;
import dev.hindsight.codec.SchemaCatalog;
import dev.hindsight.engine.inspect.StoreInspector;
import dev.hindsight.tools.internal.CliException;
import dev.hindsight.tools.internal.EventFormat;
import dev.hindsight.tools.internal.EventStream;
import dev.hindsight.tools.internal.Lines;
import dev.hindsight.tools.internal.Text;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code hindsight history DIR RESOURCE ID}: one entity's audit trail, every event in version order with its
 * metadata (actor, correlation, causation, reason, attributes) and data. Not thread-safe.
 */
@Command(name = "history", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Show one entity's audit trail: every event with its metadata, in version order.",
        footer = {"", "Examples:",
                "  hindsight history data order order-1-1",
                "  hindsight history data order order-1-1 --format jsonl",
                "", "Exit codes: 0 shown, 1 the entity has no events, 2 usage error or unreadable store."})
public final class HistoryCommand extends StoreCommand {
    @Parameters(index = "1", paramLabel = "RESOURCE", description = "the resource type (order)")
    String resource;

    @Parameters(index = "2", paramLabel = "ID", description = "the entity id")
    String id;

    @Option(names = "--format", paramLabel = "FORMAT", description = "table (default) or jsonl")
    EventFormat.Style format = EventFormat.Style.TABLE;

    @Option(names = "--skip-damaged", description = "report damaged journal bytes on stderr and read past them")
    boolean skipDamaged;

    @Override
    public Integer call() {
        StoreInspector store = openStore();
        SchemaCatalog catalog = readCatalog(store);
        EventFormat fmt = new EventFormat(catalog, format, true);
        Lines lines = new Lines(out());
        long shown = 0;
        try (EventStream stream = new EventStream(store, skipDamaged, err())) {
            for (FrameReader f; (f = stream.next()) != null; ) {
                if (f.entityIdEquals(id) && f.resourceTypeEquals(resource)) {
                    if (shown++ == 0 && fmt.header() != null) {
                        lines.println(fmt.header());
                    }
                    if (!lines.println(fmt.line(f))) {
                        return 0;
                    }
                }
            }
        }
        lines.flush();
        if (shown == 0) {
            throw new CliException(CliException.FOUND_PROBLEMS, Text.safe(resource) + "/" + Text.safe(id) + " has no events in "
                    + store.directory());
        }
        return 0;
    }
}
