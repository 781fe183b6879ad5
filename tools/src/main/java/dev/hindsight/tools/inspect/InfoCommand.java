package dev.hindsight.tools.inspect;

import dev.hindsight.codec.CorruptFrameException;
import dev.hindsight.codec.EventSchema;
import dev.hindsight.codec.SchemaCatalog;
import dev.hindsight.engine.inspect.StoreInspector;
import dev.hindsight.tools.check.ArtifactCheck;
import dev.hindsight.engine.ParkedEvent;
import dev.hindsight.tools.check.SnapshotCheck;
import dev.hindsight.tools.check.SubscriptionCheck;
import dev.hindsight.tools.check.IndexCheck;
import dev.hindsight.tools.internal.CountingFindings;
import dev.hindsight.tools.internal.EntityTable;
import dev.hindsight.tools.internal.JournalCheck;
import dev.hindsight.tools.internal.Lines;
import dev.hindsight.tools.internal.Progress;
import dev.hindsight.tools.internal.Text;
import org.agrona.collections.Long2LongHashMap;
import picocli.CommandLine.Command;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * {@code hindsight info DIR}: what a store holds, from one streaming pass over the journal: format, size on
 * disk, event count, first and last position and time, resource types with entity and event counts, event
 * types, and a line per derived artifact (index, snapshots, subscriptions). Not thread-safe.
 */
@Command(name = "info", mixinStandardHelpOptions = true,
        description = "Summarise a store: format, size, events, resource and event types, index, snapshots, subscriptions.",
        footer = {"", "Examples:",
                "  hindsight info data",
                "  hindsight info /backup/copy-of-data",
                "", "Exit codes: 0 shown (damage is mentioned; `hindsight verify` lists it), 2 usage error or unreadable store."})
public final class InfoCommand extends StoreCommand {
    private static final String ROW = "%-16s %s";

    @Override
    public Integer call() {
        StoreInspector store = openStore();
        Lines lines = new Lines(out());
        SchemaCatalog catalog = null;
        String catalogLine;
        try {
            catalog = store.readCatalog();
            catalogLine = Text.count(catalog.size()) + " schemas" + (Files.exists(store.catalogFile()) ? "" : " (catalog.bin is missing)");
        } catch (CorruptFrameException | UncheckedIOException e) {
            catalogLine = "unreadable: " + e.getMessage();
        }
        boolean honourCuts = true;
        long cuts = 0;
        try {
            cuts = store.readCuts().length;
        } catch (CorruptFrameException | UncheckedIOException e) {
            honourCuts = false;
        }
        CountingFindings findings = new CountingFindings(store.directory());
        Progress progress = new Progress(err(), Progress.stderrIsTerminal(), System::nanoTime, "info");
        JournalCheck journal = new JournalCheck(store, catalog, false, findings, List.of(), progress);
        var summary = journal.run(honourCuts);

        lines.println(String.format(ROW, "Store", store.directory()));
        lines.println(String.format(ROW, "Format", "store format " + store.formatVersion() + ", journal roll cycle " + store.rollCycle()
                + ", created " + store.created()));
        lines.println(String.format(ROW, "Size on disk", sizes(store)));
        lines.println(String.format(ROW, "Writer lock", lock(store)));
        lines.println(String.format(ROW, "Events", Text.count(summary.events()) + " in " + Text.count(journal.excerpts()) + " appends, "
                + Text.bytes(journal.dataBytes()) + " of frames" + (cuts == 0 ? "" : "; " + cuts + " torn appends cut by recovery")));
        if (summary.events() > 0) {
            lines.println(String.format(ROW, "Positions", journal.firstPosition() + ".." + (summary.nextPosition() - 1)));
            lines.println(String.format(ROW, "First event", Text.iso(journal.firstTimestamp())));
            lines.println(String.format(ROW, "Last event", Text.iso(summary.lastTimestampNanos())));
        }
        if (findings.problems() > 0) {
            lines.println(String.format(ROW, "Damage", Text.count(findings.problems()) + " problems while reading, the first: "
                    + findings.first() + " (run `hindsight verify " + store.directory() + "` for all)"));
        }
        lines.println(String.format(ROW, "Catalog", catalogLine));
        EntityTable entities = journal.entityTable();
        if (entities.typeCount() > 0) {
            lines.println("");
            lines.println(String.format("%-24s %12s %14s", "RESOURCE TYPE", "ENTITIES", "EVENTS"));
            TreeMap<String, Integer> byName = new TreeMap<>();
            for (int t = 0; t < entities.typeCount(); t++) {
                byName.put(entities.typeName(t), t);
            }
            for (int t : byName.values()) {
                lines.println(String.format("%-24s %12s %14s", Text.safe(entities.typeName(t)), Text.count(entities.typeEntities(t)),
                        Text.count(entities.typeEvents(t))));
            }
        }
        Long2LongHashMap types = journal.typeCounts();
        if (!types.isEmpty()) {
            lines.println("");
            lines.println(String.format("%-32s %8s %7s %14s", "EVENT TYPE", "ID", "SCHEMA", "EVENTS"));
            TreeMap<Long, Long> sorted = new TreeMap<>();
            types.forEach(sorted::put);
            for (var e : sorted.entrySet()) {
                int id = (int) (e.getKey() >>> 16);
                int schema = (int) (e.getKey() & 0xFFFF);
                String name = catalog == null ? "?" : catalog.find(id, schema).map(EventSchema::name).orElse("(not in the catalog)");
                lines.println(String.format("%-32s %8d %7d %14s", Text.safe(name), id, schema, Text.count(e.getValue())));
            }
        }
        lines.println("");
        SubscriptionCheck subscriptions = new SubscriptionCheck();
        for (ArtifactCheck c : List.of(new IndexCheck(Path.of("."), true), new SnapshotCheck(catalog), subscriptions)) {
            String name = c.name();
            lines.println(String.format(ROW, Character.toUpperCase(name.charAt(0)) + name.substring(1), c.describe(store)));
        }
        parked(lines, subscriptions.read(store, null));
        lines.flush();
        return 0;
    }

    private static final int PARKED_SHOWN = 20;

    private static void parked(Lines lines, List<SubscriptionCheck.Subscription> subscriptions) {
        int shown = 0;
        long total = 0;
        for (SubscriptionCheck.Subscription s : subscriptions) {
            for (ParkedEvent p : s.parked()) {
                if (total++ == 0) {
                    lines.println("");
                    lines.println(String.format("%-20s %12s %8s  %-24s %s", "PARKED IN", "POSITION", "ATTEMPTS", "LAST ATTEMPT", "LAST ERROR"));
                }
                if (shown++ < PARKED_SHOWN) {
                    lines.println(String.format("%-20s %12d %8d  %-24s %s", Text.safe(s.name()), p.position(), p.attempts(),
                            p.lastAttempt(), Text.safe(p.lastError())));
                }
            }
        }
        if (total > PARKED_SHOWN) {
            lines.println("... and " + Text.count(total - PARKED_SHOWN) + " more parked events");
        }
    }

    private static String sizes(StoreInspector store) {
        long[] all = {0, 0};
        long[] journal = {0, 0};
        try (Stream<Path> paths = Files.walk(store.directory())) {
            paths.filter(Files::isRegularFile).forEach(p -> {
                long size;
                try {
                    size = Files.size(p);
                } catch (IOException e) {
                    return;
                }
                all[0]++;
                all[1] += size;
                if (p.startsWith(store.journalDirectory())) {
                    journal[0]++;
                    journal[1] += size;
                }
            });
        } catch (IOException | UncheckedIOException e) {
            return "unknown (" + e.getMessage() + ")";
        }
        return Text.bytes(all[1]) + " in " + all[0] + " files; journal " + Text.bytes(journal[1]) + " in " + journal[0]
                + " files (cycle files are pre-allocated), index " + Text.bytes(store.indexMapBytes());
    }

    private static String lock(StoreInspector store) {
        if (!Files.exists(store.lockFile())) {
            return "no lock file: no writer has opened the store";
        }
        OptionalLong pid = store.lockHolderPid();
        if (pid.isEmpty()) {
            return "lock file without a pid";
        }
        boolean running = ProcessHandle.of(pid.getAsLong()).map(ProcessHandle::isAlive).orElse(false);
        return "last writer pid " + pid.getAsLong() + (running ? ", a process with that pid is running (a writer may be appending)"
                : ", not running");
    }
}
