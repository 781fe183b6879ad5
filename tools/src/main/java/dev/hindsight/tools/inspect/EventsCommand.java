package dev.hindsight.tools.inspect;

import dev.hindsight.codec.FrameReader;
import dev.hindsight.codec.SchemaCatalog;
import dev.hindsight.engine.inspect.StoreInspector;
import dev.hindsight.tools.internal.CliException;
import dev.hindsight.tools.internal.EventFilter;
import dev.hindsight.tools.internal.EventFormat;
import dev.hindsight.tools.internal.EventStream;
import dev.hindsight.tools.internal.Lines;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code hindsight events DIR}: the global log, filtered, as a table or JSON lines. Reads the journal
 * straight from its files; stops quietly when the output's reader goes away. Not thread-safe.
 */
@Command(name = "events", mixinStandardHelpOptions = true, sortOptions = false,
        description = "List events in global order, decoded through the store's schema catalog.",
        footer = {"", "Examples:",
                "  hindsight events data --limit 20",
                "  hindsight events data --resource order --entity order-1-1",
                "  hindsight events data --type PaymentReceived --from 2026-11-27T09:00:00Z --to 2026-11-27T10:00:00Z",
                "  hindsight events data --from 1000 --to 1999 --format jsonl | jq .data",
                "", "Exit codes: 0 listed (possibly nothing), 2 usage error or unreadable store (damage stops the listing"
                + " unless --skip-damaged)."})
public final class EventsCommand extends StoreCommand {
    @Mixin
    FilterOptions filter;

    @Option(names = "--limit", paramLabel = "N", description = "show at most N events")
    long limit = Long.MAX_VALUE;

    @Option(names = "--format", paramLabel = "FORMAT", description = "table (default) or jsonl")
    EventFormat.Style format = EventFormat.Style.TABLE;

    @Option(names = "--skip-damaged", description = "report damaged journal bytes on stderr and read past them")
    boolean skipDamaged;

    @Override
    public Integer call() {
        if (limit < 0) {
            throw new CliException(CliException.UNUSABLE, "--limit must be 0 or more, not " + limit);
        }
        StoreInspector store = openStore();
        SchemaCatalog catalog = readCatalog(store);
        EventFilter events = filter.build(catalog);
        EventFormat fmt = new EventFormat(catalog, format, false);
        Lines lines = new Lines(out());
        if (fmt.header() != null) {
            lines.println(fmt.header());
        }
        long shown = 0;
        try (EventStream stream = new EventStream(store, skipDamaged, err())) {
            if (events.from() != null) {
                stream.skipFilesBefore(events.from());
            }
            for (FrameReader f; shown < limit && (f = stream.next()) != null; ) {
                if (events.pastEnd(f)) {
                    break;
                }
                if (events.matches(f)) {
                    shown++;
                    if (!lines.println(fmt.line(f))) {
                        return 0; // the reader went away (| head): stop quietly
                    }
                }
            }
        }
        lines.flush();
        return 0;
    }
}
