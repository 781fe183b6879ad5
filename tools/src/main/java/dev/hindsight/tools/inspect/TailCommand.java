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
import picocli.CommandLine.Option;

import java.util.ArrayDeque;

/**
 * {@code hindsight tail DIR}: the last events, then every new event as a live writer (another process)
 * appends it, like {@code tail -f}. Reads the journal's files directly, polling for new excerpts and new
 * cycle files; never takes the writer's lock. Runs until interrupted, the output's reader goes away, or
 * {@code --count} new events were shown. Not thread-safe.
 */
@Command(name = "tail", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Show the last events, then follow new events as a writer appends them (like tail -f).",
        footer = {"", "Examples:",
                "  hindsight tail data",
                "  hindsight tail data -n 0 --resource order --format jsonl",
                "  hindsight tail data --type PaymentReceived --count 1     # wait for the next payment, then exit",
                "", "Exit codes: 0 stopped (interrupt, --count reached, output closed), 2 usage error or unreadable store."})
public final class TailCommand extends StoreCommand {
    @Option(names = {"-n", "--lines"}, paramLabel = "N", description = "show the last N events first (default 10)")
    int last = 10;

    @Option(names = "--resource", paramLabel = "TYPE", description = "only events of this resource type")
    String resource;

    @Option(names = "--entity", paramLabel = "ID", description = "only events of entities with this id")
    String entity;

    @Option(names = "--type", paramLabel = "EVENT", description = "only events of this type (order.Created, or Created)")
    String type;

    @Option(names = "--format", paramLabel = "FORMAT", description = "table (default) or jsonl")
    EventFormat.Style format = EventFormat.Style.TABLE;

    @Option(names = "--interval", paramLabel = "MS", description = "how often to look for new events when idle (default 100 ms)")
    long intervalMillis = 100;

    @Option(names = "--count", paramLabel = "N", description = "exit after N new events (default: follow until interrupted)")
    long count = Long.MAX_VALUE;

    @Option(names = "--skip-damaged", description = "report damaged journal bytes on stderr and read past them")
    boolean skipDamaged;

    @Override
    public Integer call() throws InterruptedException {
        if (last < 0 || last > 100_000) {
            throw new CliException(CliException.UNUSABLE, "-n must be 0 to 100000, not " + last);
        }
        if (intervalMillis < 1 || intervalMillis > 60_000) {
            throw new CliException(CliException.UNUSABLE, "--interval must be 1 to 60000 ms, not " + intervalMillis);
        }
        if (count < 1) {
            throw new CliException(CliException.UNUSABLE, "--count must be 1 or more, not " + count);
        }
        StoreInspector store = openStore();
        SchemaCatalog catalog = readCatalog(store);
        EventFilter events = new EventFilter(catalog, resource, entity, type, null, null);
        EventFormat fmt = new EventFormat(catalog, format, false);
        Lines lines = new Lines(out());
        try (EventStream stream = new EventStream(store, skipDamaged, err())) {
            if (fmt.header() != null) {
                lines.println(fmt.header());
            }
            for (String line : lastEvents(stream, events, fmt)) {
                lines.println(line);
            }
            if (!lines.flush()) {
                return 0;
            }
            long shown = 0;
            while (shown < count) {
                FrameReader f = stream.next();
                if (f == null) {
                    if (!lines.flush()) {
                        return 0;
                    }
                    Thread.sleep(intervalMillis);
                    continue;
                }
                if (events.matches(f)) {
                    shown++;
                    if (!lines.println(fmt.line(f))) {
                        return 0;
                    }
                }
            }
            lines.flush();
        }
        return 0;
    }

    /**
     * Reads to the journal's end from the newest cycle files, going back a file at a time until {@code last}
     * matching events are found (or the journal's start); leaves the stream at the end. Keeps copies of the
     * last frames only, and formats just those.
     */
    private java.util.List<String> lastEvents(EventStream stream, EventFilter events, EventFormat fmt) {
        ArrayDeque<byte[]> ring = new ArrayDeque<>();
        int files = stream.fileCount();
        for (int from = Math.max(0, files - 1); ; from--) {
            ring.clear();
            if (files > 0) {
                stream.startAtFile(from);
            }
            for (FrameReader f; (f = stream.next()) != null; ) {
                if (last > 0 && events.matches(f)) {
                    if (ring.size() == last) {
                        ring.removeFirst();
                    }
                    ring.addLast(java.util.Arrays.copyOfRange(f.buffer(), f.offset(), f.offset() + f.frameLength()));
                }
            }
            if (ring.size() >= last || from <= 0) {
                FrameReader copy = new FrameReader(dev.hindsight.engine.inspect.StoreInspector.MAX_EXCERPT_BYTES);
                java.util.List<String> out = new java.util.ArrayList<>(ring.size());
                for (byte[] frame : ring) {
                    out.add(fmt.line(copy.wrap(frame, 0, frame.length, "", 0)));
                }
                return out;
            }
        }
    }
}
