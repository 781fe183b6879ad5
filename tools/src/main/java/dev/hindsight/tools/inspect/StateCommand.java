package dev.hindsight.tools.inspect;

import dev.hindsight.codec.CorruptFrameException;
import dev.hindsight.codec.FrameReader;
import dev.hindsight.codec.GenericEvent;
import dev.hindsight.codec.SchemaCatalog;
import dev.hindsight.engine.inspect.StoreInspector;
import dev.hindsight.tools.internal.Bound;
import dev.hindsight.tools.internal.CliException;
import dev.hindsight.tools.internal.EventFormat;
import dev.hindsight.tools.internal.EventStream;
import dev.hindsight.tools.internal.GenericFold;
import dev.hindsight.tools.internal.SnapshotBaseline;
import dev.hindsight.tools.internal.Text;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * {@code hindsight state DIR RESOURCE ID [--as-of INSTANT | --version N]}: an entity's state rebuilt from the
 * journal without the application's classes, as JSON. The standard events are folded generically (see
 * {@link GenericFold}); custom events need the application's code, so they are listed under
 * {@code "notApplied"}, {@code "complete"} is false and stderr says so. The newest snapshot at or before the
 * point asked for is the starting state ({@link StateBaseline}, from {@link SnapshotBaseline}) when the journal's
 * event at its version has its position and timestamp; otherwise, or with {@code --no-snapshots}, every event is
 * replayed. Not thread-safe.
 */
@Command(name = "state", sortOptions = false,
        description = {"Rebuild an entity's state from the journal, as JSON, now or as of an instant or version.",
                "It starts from the newest snapshot at or before that point (folded by the application's code) if the",
                "journal confirms it, then folds the later events: Created sets every attribute, Updated sets the new",
                "values, Deleted marks the entity deleted (data kept). Custom events (order.PaymentReceived) need the",
                "application's code: they are listed as not applied and \"complete\" is false."},
        footer = {"", "Examples:",
                "  hindsight state data order order-1-1",
                "  hindsight state data order order-1-1 --as-of 2026-11-27T10:15:30Z",
                "  hindsight state data order order-1-1 --version 2 | jq .state",
                "  hindsight state data order order-1-1 --no-snapshots         # replay every event",
                "", "Exit codes: 0 shown (see \"complete\"), 1 the entity has no events (by then), 2 usage error or unreadable store."})
public final class StateCommand extends StoreCommand {
    @Parameters(index = "1", paramLabel = "RESOURCE", description = "the resource type (order)")
    String resource;

    @Parameters(index = "2", paramLabel = "ID", description = "the entity id")
    String id;

    @ArgGroup(exclusive = true)
    When when;

    @Option(names = "--skip-damaged", description = "report damaged journal bytes on stderr and read past them")
    boolean skipDamaged;

    @Option(names = "--no-snapshots", description = "replay from the first event, ignoring the store's snapshots")
    boolean noSnapshots;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    boolean help;

    /** --as-of or --version, not both. */
    static final class When {
        @Option(names = "--as-of", paramLabel = "INSTANT", description = "the state including every event at or before this instant")
        String asOf;

        @Option(names = "--version", paramLabel = "N", description = "the state after version N")
        Long version;
    }


    @Override
    public Integer call() {
        long maxVersion = Long.MAX_VALUE;
        long maxNanos = Long.MAX_VALUE;
        Instant asOf = null;
        if (when != null && when.version != null) {
            if (when.version < 1) {
                throw new CliException(CliException.UNUSABLE, "--version must be 1 or more, not " + when.version);
            }
            maxVersion = when.version;
        }
        if (when != null && when.asOf != null) {
            asOf = Bound.instant(when.asOf.trim());
            if (asOf == null) {
                throw new CliException(CliException.UNUSABLE, "--as-of: '" + Text.safe(when.asOf)
                        + "' is not an instant (2026-11-27T10:15:30Z, 2026-11-27T10:15:30+01:00, 2026-11-27)");
            }
            maxNanos = Bound.nanos(asOf);
        }
        StoreInspector store = openStore();
        SchemaCatalog catalog = readCatalog(store);
        EventFormat decoder = new EventFormat(catalog, EventFormat.Style.JSONL, true);
        // two folds: one from the snapshot (if any), one from version 1, used if the snapshot disagrees with the journal
        GenericFold replay = new GenericFold(resource);
        GenericFold fromSnapshot = null;
        StateBaseline baseline = noSnapshots ? StateBaseline.NONE : new SnapshotBaseline(store, catalog);
        Optional<StateBaseline.Baseline> start = baseline.latest(resource, id, maxVersion, maxNanos);
        if (start.isPresent()) {
            StateBaseline.Baseline b = start.get();
            fromSnapshot = new GenericFold(resource);
            fromSnapshot.startFrom(b.version(), b.timestampNanos(), b.attributes(), b.deleted());
        }
        boolean snapshotConfirmed = false;
        long head = 0;
        long firstNanos = 0;
        try (EventStream stream = new EventStream(store, skipDamaged, err())) {
            for (FrameReader f; (f = stream.next()) != null; ) {
                if (!f.entityIdEquals(id) || !f.resourceTypeEquals(resource)) {
                    continue;
                }
                if (head == 0) {
                    firstNanos = f.timestampNanos();
                }
                head = f.entityVersion();
                if (f.entityVersion() > maxVersion || f.timestampNanos() > maxNanos) {
                    break; // versions and timestamps only grow along an entity's events
                }
                GenericEvent data;
                try {
                    data = decoder.decode(f);
                } catch (CorruptFrameException e) {
                    throw new CliException(CliException.UNUSABLE, "cannot decode " + Text.safe(resource) + "/" + Text.safe(id)
                            + " version " + f.entityVersion() + " at " + Text.where(store.directory(), stream.file()) + " byte "
                            + f.sourcePosition() + ": " + e.reason());
                }
                String type = decoder.nameOf(f);
                replay.apply(type, f.entityVersion(), f.globalPosition(), f.timestampNanos(), data);
                if (fromSnapshot != null) {
                    StateBaseline.Baseline b = start.get();
                    if (f.entityVersion() == b.version()) {
                        snapshotConfirmed = f.globalPosition() == b.globalPosition() && f.timestampNanos() == b.timestampNanos();
                    } else if (f.entityVersion() > b.version()) {
                        fromSnapshot.apply(type, f.entityVersion(), f.globalPosition(), f.timestampNanos(), data);
                    }
                }
            }
        }
        if (fromSnapshot != null && !snapshotConfirmed) {
            err().println("hindsight state: ignored the snapshot of version " + start.get().version() + ": the journal's event at that"
                    + " version is not the one it records (run `hindsight verify`)");
        }
        boolean useSnapshot = fromSnapshot != null && snapshotConfirmed;
        GenericFold fold = useSnapshot ? fromSnapshot : replay;
        String name = Text.safe(resource) + "/" + Text.safe(id);
        if (head == 0) {
            throw new CliException(CliException.FOUND_PROBLEMS, name + " has no events in " + store.directory());
        }
        if (fold.version() == 0) {
            throw new CliException(CliException.FOUND_PROBLEMS, name + " had no events at or before " + asOf
                    + "; its first is at " + Text.iso(firstNanos));
        }
        if (maxVersion != Long.MAX_VALUE && fold.version() < maxVersion) {
            throw new CliException(CliException.UNUSABLE, "--version " + maxVersion + " is beyond " + name + "'s head, version " + fold.version());
        }
        out().print(json(fold, asOf, useSnapshot ? start.get().version() : 0));
        out().flush();
        List<GenericFold.NotApplied> skipped = fold.notApplied();
        if (!skipped.isEmpty()) {
            StringBuilder which = new StringBuilder();
            for (GenericFold.NotApplied n : skipped) {
                which.append(which.length() == 0 ? "" : ", ").append(Text.safe(n.type())).append(" (version ").append(n.version()).append(')');
            }
            err().println("hindsight state: " + skipped.size() + " custom event" + (skipped.size() == 1 ? " was" : "s were")
                    + " not applied, because applying " + (skipped.size() == 1 ? "it" : "them") + " needs the application's code: "
                    + which + ". The state shows what " + (useSnapshot ? "the snapshot of version " + start.get().version() + " and " : "")
                    + "Created, Updated and Deleted say; \"complete\" is false.");
            err().flush();
        }
        return 0;
    }

    private String json(GenericFold fold, Instant asOf, long snapshotVersion) {
        StringBuilder sb = new StringBuilder(256);
        sb.append("{\n  \"resource\": ");
        Text.jsonString(sb, resource);
        sb.append(",\n  \"id\": ");
        Text.jsonString(sb, id);
        sb.append(",\n  \"version\": ").append(fold.version());
        if (asOf != null) {
            sb.append(",\n  \"asOf\": \"").append(asOf).append('"');
        }
        sb.append(",\n  \"lastChanged\": \"").append(Text.iso(fold.lastChangedNanos())).append('"');
        sb.append(",\n  \"exists\": ").append(fold.exists());
        sb.append(",\n  \"deleted\": ").append(fold.deleted());
        sb.append(",\n  \"fromSnapshot\": ").append(snapshotVersion == 0 ? "null" : Long.toString(snapshotVersion));
        sb.append(",\n  \"complete\": ").append(fold.notApplied().isEmpty());
        sb.append(",\n  \"state\": ");
        Text.json(sb, fold.attributes());
        sb.append(",\n  \"notApplied\": [");
        boolean first = true;
        for (GenericFold.NotApplied n : fold.notApplied()) {
            sb.append(first ? "\n    " : ",\n    ");
            first = false;
            sb.append("{\"version\":").append(n.version()).append(",\"position\":").append(n.position())
                    .append(",\"time\":\"").append(Text.iso(n.timestampNanos())).append("\",\"type\":");
            Text.jsonString(sb, n.type());
            sb.append(",\"data\":");
            Text.json(sb, n.data());
            sb.append('}');
        }
        sb.append(first ? "]\n}\n" : "\n  ]\n}\n");
        return sb.toString();
    }
}
