package dev.hindsight.tools.check;

import dev.hindsight.codec.CorruptFrameException;
import dev.hindsight.engine.ParkedEvent;
import dev.hindsight.engine.inspect.StoreInspector;
import dev.hindsight.engine.inspect.SubscriptionCheckpoint;
import dev.hindsight.tools.internal.Text;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks the durable subscriptions of the store's {@code subscriptions/} directory against the journal: every
 * checkpoint ({@code NAME.ckpt}) and parked-events file ({@code NAME.parked}) must be readable and this store's,
 * and every position they hold must be inside the journal (a subscription refuses to start otherwise). For
 * {@code info} it lists each subscription's position and its parked events. Reads the files whole (they are
 * bounded: a checkpoint is at most 108 bytes, a parked-events file at most 10,000 events). Not thread-safe.
 */
public final class SubscriptionCheck implements ArtifactCheck {
    /** What one subscription's files say, for {@code info}. */
    public record Subscription(String name, SubscriptionCheckpoint checkpoint, List<ParkedEvent> parked, String problem) {
    }

    private Path directory;
    private final List<Subscription> subscriptions = new ArrayList<>();
    private long problemsBefore;
    private String summary = "";

    @Override
    public String name() {
        return "subscriptions";
    }

    /**
     * Reads every subscription's files.
     *
     * @param store    the store
     * @param findings where damage is reported, or null
     * @return the subscriptions, by name
     */
    public List<Subscription> read(StoreInspector store, Findings findings) {
        subscriptions.clear();
        directory = store.subscriptionsDirectory();
        List<Path> checkpoints;
        try {
            checkpoints = StoreInspector.filesEndingWith(directory, ".ckpt");
        } catch (UncheckedIOException e) {
            report(findings, directory, -1, e.getMessage());
            return List.of();
        }
        for (Path file : checkpoints) {
            String fileName = file.getFileName().toString();
            String name = fileName.substring(0, fileName.length() - ".ckpt".length());
            SubscriptionCheckpoint checkpoint = null;
            List<ParkedEvent> parked = List.of();
            String problem = null;
            try {
                checkpoint = store.readSubscriptionCheckpoint(file);
                if (checkpoint.storeId() != store.storeId()) {
                    problem = "a checkpoint of another store (id " + checkpoint.storeId() + ", this store's is " + store.storeId()
                            + "): the subscription refuses to start until it is deleted";
                    report(findings, file, 16, problem);
                }
            } catch (CorruptFrameException e) {
                problem = e.reason();
                report(findings, file, e.position(), e.reason() + "; the subscription refuses to start until the file is deleted");
            } catch (UncheckedIOException e) {
                problem = e.getMessage();
                report(findings, file, -1, e.getMessage());
            }
            Path parkedFile = directory.resolve(name + ".parked");
            if (Files.exists(parkedFile)) {
                try {
                    parked = store.readParkedEvents(parkedFile, name);
                } catch (CorruptFrameException e) {
                    problem = problem == null ? e.reason() : problem;
                    report(findings, parkedFile, e.position(), e.reason() + "; the subscription refuses to start until the file is deleted");
                } catch (UncheckedIOException e) {
                    report(findings, parkedFile, -1, e.getMessage());
                }
            }
            subscriptions.add(new Subscription(name, checkpoint, parked, problem));
        }
        return List.copyOf(subscriptions);
    }

    private void report(Findings findings, Path file, long position, String message) {
        if (findings != null) {
            findings.problem(file, position, message);
        }
    }

    @Override
    public String describe(StoreInspector store) {
        if (!Files.isDirectory(store.subscriptionsDirectory())) {
            return "no subscriptions (no subscriptions/ directory)";
        }
        List<Subscription> all = read(store, null);
        if (all.isEmpty()) {
            return "none (subscriptions/ holds no checkpoint)";
        }
        StringBuilder sb = new StringBuilder();
        long parked = 0;
        for (Subscription s : all) {
            sb.append(sb.length() == 0 ? "" : ", ").append(Text.safe(s.name()));
            sb.append(s.checkpoint() == null ? " (unreadable)" : " at position " + Text.count(s.checkpoint().position()));
            parked += s.parked().size();
        }
        return all.size() + ": " + sb + "; " + Text.count(parked) + " parked event" + (parked == 1 ? "" : "s");
    }

    @Override
    public boolean begin(StoreInspector store, Findings findings) {
        problemsBefore = findings.problems();
        if (!Files.isDirectory(store.subscriptionsDirectory())) {
            summary = "no subscriptions (no subscriptions/ directory)";
            return false;
        }
        read(store, findings);
        summary = subscriptions.size() + " subscription" + (subscriptions.size() == 1 ? "" : "s") + ", not compared with the journal";
        return !subscriptions.isEmpty();
    }

    @Override
    public void event(JournalEvent event) {
        // only the journal's end matters
    }

    @Override
    public void finish(JournalSummary journal, Findings findings) {
        long end = journal.nextPosition();
        long parked = 0;
        for (Subscription s : subscriptions) {
            SubscriptionCheckpoint c = s.checkpoint();
            if (c != null && c.position() > end) {
                findings.problem(c.file(), 24, "subscription " + Text.safe(s.name()) + " is at position " + c.position()
                        + ", beyond the journal's end (" + end + " events): it refuses to start");
            }
            for (ParkedEvent p : s.parked()) {
                parked++;
                if (p.position() >= end) {
                    findings.problem(directory.resolve(s.name() + ".parked"), -1, "subscription " + Text.safe(s.name()) + " parked position "
                            + p.position() + ", beyond the journal's end (" + end + " events)");
                }
            }
        }
        long problems = findings.problems() - problemsBefore;
        summary = subscriptions.size() + " subscription" + (subscriptions.size() == 1 ? "" : "s") + ", " + Text.count(parked)
                + " parked event" + (parked == 1 ? "" : "s") + (problems == 0 ? "; every position is inside the journal"
                : "; " + Text.count(problems) + " problem" + (problems == 1 ? "" : "s"));
    }

    @Override
    public String summary() {
        return summary;
    }

    @Override
    public void close() {
        // holds no file
    }
}
