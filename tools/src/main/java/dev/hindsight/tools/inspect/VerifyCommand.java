package dev.hindsight.tools.inspect;

import dev.hindsight.codec.CorruptFrameException;
import dev.hindsight.codec.SchemaCatalog;
import dev.hindsight.engine.inspect.StoreInspector;
import dev.hindsight.tools.check.ArtifactCheck;
import dev.hindsight.tools.check.IndexCheck;
import dev.hindsight.tools.check.JournalSummary;
import dev.hindsight.tools.check.SnapshotCheck;
import dev.hindsight.tools.check.SubscriptionCheck;
import dev.hindsight.tools.internal.JournalCheck;
import dev.hindsight.tools.internal.Lines;
import dev.hindsight.tools.internal.PrintingFindings;
import dev.hindsight.tools.internal.Progress;
import dev.hindsight.tools.internal.Text;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code hindsight verify DIR}: checks the whole store against its journal in one streaming pass and reports
 * every problem with its file and byte offset: frame CRCs anywhere in the journal, damaged or truncated cycle
 * files, gaps in global positions and in each entity's versions, event types missing from the catalog, a
 * damaged catalog or cuts file, and every derived artifact ({@link ArtifactCheck}: the entity index today,
 * snapshots and subscriptions as they land) against the journal. Changes no byte of the store. Exit 0 clean,
 * 1 problems found, 2 usage error or unreadable store. Not thread-safe.
 */
@Command(name = "verify", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Check the store against its journal: every frame's CRC, gapless positions and versions,",
                "the catalog, and the index (and snapshots, subscriptions) against the journal. Reports every",
                "problem with its file and byte offset. Reads only: safe on a damaged store, a copy, or beside a writer."},
        footer = {"", "Examples:",
                "  hindsight verify data",
                "  hindsight verify /backup/copy-of-data --deep          # also decode every payload and metadata block",
                "  hindsight verify data --work-dir /var/tmp --max-reports 0",
                "", "The index maps are compared on a temporary copy (in --work-dir) because Chronicle Map writes to",
                "any file it opens; the copy is deleted afterwards.",
                "", "Exit codes: 0 no problems, 1 problems found, 2 usage error or unreadable store."})
public final class VerifyCommand extends StoreCommand {
    @Option(names = "--deep", description = "also decode every event's metadata and payload against the catalog")
    boolean deep;

    @Option(names = "--no-index", description = "do not compare the index maps with the journal")
    boolean noIndex;

    @Option(names = "--work-dir", paramLabel = "DIR", description = "where to copy the index maps (default: the system temp directory)")
    Path workDir = Path.of(System.getProperty("java.io.tmpdir"));

    @Option(names = "--max-reports", paramLabel = "N", description = "print at most N findings, count the rest (default 1000; 0 = all)")
    long maxReports = 1000;

    @Override
    public Integer call() {
        StoreInspector store = openStore();
        Lines lines = new Lines(out());
        PrintingFindings findings = new PrintingFindings(lines, store.directory(), maxReports);
        lines.println("Verifying " + store.directory() + ": store format " + store.formatVersion() + ", roll cycle "
                + store.rollCycle() + ", created " + store.created());

        SchemaCatalog catalog = null;
        String catalogSummary;
        try {
            catalog = store.readCatalog();
            catalogSummary = Files.exists(store.catalogFile()) ? Text.count(catalog.size()) + " schemas, readable"
                    : "missing (no event type can be named)";
            if (!Files.exists(store.catalogFile())) {
                findings.note(store.catalogFile(), -1, "the schema catalog is missing; events whose types it lacks are reported below");
            }
        } catch (CorruptFrameException e) {
            findings.problem(store.catalogFile(), e.position(), e.reason());
            catalogSummary = "unreadable; event types not checked";
        } catch (UncheckedIOException e) {
            findings.problem(store.catalogFile(), -1, e.getMessage());
            catalogSummary = "unreadable; event types not checked";
        }
        boolean honourCuts = true;
        try {
            store.readCuts();
        } catch (CorruptFrameException e) {
            findings.problem(store.journalCutsFile(), e.position(), e.reason() + "; the journal is read as if nothing had been cut");
            honourCuts = false;
        } catch (UncheckedIOException e) {
            findings.problem(store.journalCutsFile(), -1, e.getMessage());
            honourCuts = false;
        }

        List<ArtifactCheck> checks = List.of(new IndexCheck(workDir, !noIndex), new SnapshotCheck(catalog), new SubscriptionCheck());
        JournalCheck journal;
        JournalSummary summary;
        long chronicleChecked;
        try {
            List<ArtifactCheck> active = new ArrayList<>();
            for (ArtifactCheck c : checks) {
                if (c.begin(store, findings)) {
                    active.add(c);
                }
            }
            Progress progress = new Progress(err(), Progress.stderrIsTerminal(), System::nanoTime, "verify");
            journal = new JournalCheck(store, catalog, deep, findings, active, progress);
            summary = journal.run(honourCuts);
            chronicleChecked = journal.checkChronicleIndex();
            for (Path stray : journal.strayFiles()) {
                if (stray.getFileName().toString().endsWith(".cq4")) {
                    findings.problem(stray, -1, "not a cycle file of the " + store.rollCycle() + " roll cycle: Chronicle cannot"
                            + " parse its name, so a writer cannot open the store while it is in journal/");
                } else {
                    findings.note(stray, -1, "not part of the journal (Chronicle ignores it)");
                }
            }
            for (ArtifactCheck c : active) {
                c.finish(summary, findings);
            }
        } finally {
            for (ArtifactCheck c : checks) {
                c.close();
            }
        }

        lines.println("");
        lines.println(String.format("%-14s %s events in %s appends%s, %d cycle file%s%s%s", "Journal", Text.count(summary.events()),
                Text.count(journal.excerpts()), summary.events() == 0 ? "" : ", positions " + journal.firstPosition() + ".." + (summary.nextPosition() - 1),
                journal.files(), journal.files() == 1 ? "" : "s",
                journal.cutExcerpts() == 0 ? "" : ", " + journal.cutExcerpts() + " cut by recovery",
                journal.damage() == 0 ? "" : ", " + Text.count(journal.damage()) + " damaged place" + (journal.damage() == 1 ? "" : "s")));
        lines.println(String.format("%-14s %s", "Chronicle", chronicleChecked < 0 ? "index pages not checked (the journal is damaged)"
                : "index pages lead to all " + Text.count(chronicleChecked) + " indexed excerpts"
                + (findings.problems() > 0 ? " (or see the problems above)" : "")));
        lines.println(String.format("%-14s %s", "Catalog", catalogSummary));
        for (ArtifactCheck c : checks) {
            lines.println(String.format("%-14s %s", capitalised(c.name()), c.summary()));
        }
        if (findings.unprinted() > 0) {
            lines.println(Text.count(findings.unprinted()) + " more findings not shown (--max-reports " + maxReports + ")");
        }
        long problems = findings.problems();
        lines.println(problems == 0 ? "Result: no problems" + (findings.notes() == 0 ? "" : " (" + findings.notes() + " note"
                + (findings.notes() == 1 ? "" : "s") + ")")
                : "Result: " + Text.count(problems) + " problem" + (problems == 1 ? "" : "s") + ", " + Text.count(findings.notes())
                + " note" + (findings.notes() == 1 ? "" : "s"));
        lines.flush();
        return problems == 0 ? 0 : 1;
    }

    private static String capitalised(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
