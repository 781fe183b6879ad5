package dev.hindsight.tools;

import dev.hindsight.engine.EventStore;
import dev.hindsight.engine.RecordedEvent;
import dev.hindsight.engine.ResourceState;
import dev.hindsight.tools.Stores.Order;
import dev.hindsight.tools.Stores.Run;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static dev.hindsight.tools.Stores.cli;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The listing commands in-process, on a store the engine wrote: what they print, how they filter, escape
 * and fold, their errors and exit codes, and that none of them changes a byte of the store.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class InspectCommandsTest {
    @TempDir
    static Path shared;
    static Path store;
    static Map<String, String> pristine;
    /** o-1's events as the engine reads them. */
    static List<RecordedEvent> o1;

    @TempDir
    Path dir;

    @BeforeAll
    static void createStore() throws Exception {
        store = shared.resolve("store");
        Stores.orderStory(store, 3);
        try (EventStore s = EventStore.builder(store).resource(Stores.ORDER).openReadOnly()) {
            o1 = s.resource(Stores.ORDER).history("o-1");
        }
        pristine = Stores.checksums(store);
    }

    private static void assertStoreUnchanged() throws Exception {
        assertEquals(pristine, Stores.checksums(store), "no command changes a byte (or a modification time) of the store");
    }

    @Test
    void infoSummarisesTheStore() throws Exception {
        Run r = cli("info", store.toString());
        assertEquals(0, r.exit(), r.toString());
        assertTrue(r.out().contains("Events           14 in 14 appends"), r.out());
        assertTrue(r.out().contains("Positions        0..13"), r.out());
        assertTrue(r.out().matches("(?s).*order +6 +14\n.*"), "6 orders, 14 events: " + r.out());
        assertTrue(r.out().matches("(?s).*order\\.Created +100001 +1 +6\n.*"), r.out());
        assertTrue(r.out().matches("(?s).*order\\.PaymentReceived +100011 +1 +1\n.*"), r.out());
        assertTrue(r.out().contains("Index            clean, checkpoint at position 14, 6 entities"), r.out());
        assertTrue(r.out().contains("Snapshots        0 segments, 0 B (derived: deleting snapshots/ loses nothing)"), r.out());
        assertTrue(r.out().contains("Subscriptions    no subscriptions (no subscriptions/ directory)"), r.out());
        assertTrue(r.out().contains("Writer lock      last writer pid"), r.out());
        assertEquals("", r.err());
        assertStoreUnchanged();
    }

    @Test
    void eventsListTheLogInPositionOrderAndFilterByResourceEntityTypeAndRange() throws Exception {
        Run all = cli("events", store.toString());
        assertEquals(0, all.exit(), all.toString());
        List<String> rows = all.out().lines().toList();
        assertEquals(15, rows.size(), "a header and 14 events: " + all.out());
        assertTrue(rows.get(0).startsWith(" POSITION  TIME (UTC)"), rows.get(0));
        assertTrue(rows.get(1).matches(" +0 +\\d{4}-\\d\\d-\\d\\d [0-9:.]+ +order/o-1 +1 +order\\.Created +alice +\\{\"customer\":\"alice\",\"amount\":500,\"status\":\"pending\"}"), rows.get(1));
        assertTrue(rows.get(2).endsWith("amount: 500 -> 650"), "an Updated reads like a diff: " + rows.get(2));
        assertTrue(rows.get(7).contains("(deleted; data kept)"), rows.get(7));

        assertEquals(5, cli("events", store.toString(), "--entity", "o-1").out().lines().count() - 1);
        assertEquals(2, cli("events", store.toString(), "--entity", "o-2", "--resource", "order").out().lines().count() - 1);
        assertEquals(0, cli("events", store.toString(), "--resource", "invoice").out().lines().count() - 1);
        assertEquals(6, cli("events", store.toString(), "--type", "Created").out().lines().count() - 1);
        assertEquals(1, cli("events", store.toString(), "--type", "order.Shipped").out().lines().count() - 1);
        Run range = cli("events", store.toString(), "--from", "3", "--to", "5");
        assertEquals(List.of("3", "4", "5"), range.out().lines().skip(1).map(l -> l.trim().split(" +")[0]).toList(), range.out());
        assertEquals(2, cli("events", store.toString(), "--limit", "2").out().lines().count() - 1);

        // instants: --from the timestamp of o-1 version 2 up to that of version 3, inclusive
        String from = o1.get(1).timestamp().toString();
        String to = o1.get(2).timestamp().toString();
        Run byTime = cli("events", store.toString(), "--from", from, "--to", to, "--format", "jsonl");
        assertEquals(List.of(1L, 2L), byTime.out().lines().map(l -> Long.parseLong(l.replaceAll("^\\{\"position\":(\\d+),.*", "$1"))).toList(),
                byTime.toString());
        assertStoreUnchanged();
    }

    @Test
    void badFilterValuesAreUsageErrorsThatNameTheOption() {
        Run type = cli("events", store.toString(), "--type", "Nope");
        assertEquals(2, type.exit());
        assertTrue(type.err().startsWith("hindsight events: --type: the catalog has no event type named 'Nope'; it has order.Created,"), type.err());
        Run from = cli("events", store.toString(), "--from", "yesterday");
        assertEquals(2, from.exit());
        assertTrue(from.err().contains("--from: 'yesterday' is neither a position"), from.err());
        Run format = cli("events", store.toString(), "--format", "xml");
        assertEquals(2, format.exit());
        assertTrue(format.err().contains("--format"), format.err());
    }

    @Test
    void tablesEscapeControlCharactersFromTheStoreAndJsonLinesEscapeThemTheJsonWay() {
        Run table = cli("events", store.toString(), "--entity", "o-3");
        assertEquals(0, table.exit(), table.toString());
        assertEquals(2, table.out().lines().count(), "the newline in the payload does not break the row: " + table.out());
        assertFalse(table.out().contains("\u001b") || table.out().contains("\u202e"), "no raw escape or bidi control reaches the terminal");
        assertTrue(table.out().contains("\\u001b[2Jmallory\\nline2\\u202e"), table.out());

        Run history = cli("history", store.toString(), "order", "o-3");
        assertFalse(history.out().contains("\u001b"), history.out());

        Run jsonl = cli("events", store.toString(), "--entity", "o-3", "--format", "jsonl");
        assertTrue(jsonl.out().contains("\"customer\":\"\\u001b[2Jmallory\\nline2\\u202e\""), jsonl.out());
    }

    @Test
    void historyShowsOneEntitysEventsWithTheirMetadata() throws Exception {
        Run r = cli("history", store.toString(), "order", "o-1");
        assertEquals(0, r.exit(), r.toString());
        List<String> rows = r.out().lines().toList();
        assertEquals(6, rows.size(), r.out());
        assertTrue(rows.get(0).startsWith(" VER  POSITION  TIME (UTC)"), rows.get(0));
        assertTrue(rows.get(1).matches(" +1 +0 +\\S+ \\S+ +order\\.Created +alice +checkout-1 +- +- .*"), rows.get(1));
        assertTrue(rows.get(2).matches(" +2 +1 .*order\\.Updated +alice +- +- +added an item +amount: 500 -> 650"), rows.get(2));
        assertTrue(rows.get(3).matches(" +3 +2 .*order\\.PaymentReceived +payments +- +psp-webhook +- +\\{\"paymentId\":\"pay-1\",\"amount\":650}"), rows.get(3));

        Run jsonl = cli("history", store.toString(), "order", "o-1", "--format", "jsonl");
        assertTrue(jsonl.out().lines().toList().get(2).contains("\"metadata\":{\"actor\":\"payments\",\"correlationId\":null,"
                + "\"causationId\":\"psp-webhook\",\"reason\":null,\"attributes\":{}}"), jsonl.out());

        Run missing = cli("history", store.toString(), "order", "o-404");
        assertEquals(1, missing.exit());
        assertEquals("hindsight history: order/o-404 has no events in " + store.toAbsolutePath().normalize() + "\n", missing.err());
        assertStoreUnchanged();
    }

    @Test
    void stateFoldsTheStandardEventsAndListsTheCustomOnesItCannotApply() throws Exception {
        Run r = cli("state", store.toString(), "order", "o-1");
        assertEquals(0, r.exit(), r.toString());
        assertTrue(r.out().contains("\"version\": 5"), r.out());
        assertTrue(r.out().contains("\"state\": {\"customer\":\"alice b.\",\"amount\":650,\"status\":\"pending\"}"),
                "Created and both Updated applied; the custom events' effect (status) is not guessed: " + r.out());
        assertTrue(r.out().contains("\"complete\": false"), r.out());
        assertTrue(r.out().contains("{\"version\":3,\"position\":2,\"time\":\"" + o1.get(2).timestamp()
                + "\",\"type\":\"order.PaymentReceived\",\"data\":{\"paymentId\":\"pay-1\",\"amount\":650}}"), r.out());
        assertTrue(r.out().contains("\"type\":\"order.Shipped\""), r.out());
        assertTrue(r.err().contains("2 custom events were not applied") && r.err().contains("order.PaymentReceived (version 3), order.Shipped (version 5)"),
                r.err());
    }

    @Test
    void stateAsOfAnInstantOrAVersionEqualsTheEnginesForStandardEvents() throws Exception {
        try (EventStore s = EventStore.builder(store).resource(Stores.ORDER).openReadOnly()) {
            var orders = s.resource(Stores.ORDER);
            ResourceState<Order> v2 = orders.atVersion("o-1", 2);
            Run byVersion = cli("state", store.toString(), "order", "o-1", "--version", "2");
            assertEquals(0, byVersion.exit(), byVersion.toString());
            assertTrue(byVersion.out().contains("\"state\": {\"customer\":\"" + v2.state().customer() + "\",\"amount\":" + v2.state().amount()
                    + ",\"status\":\"" + v2.state().status() + "\"}"), byVersion.out());
            assertTrue(byVersion.out().contains("\"complete\": true"), byVersion.out());
            assertEquals("", byVersion.err());

            Run asOf = cli("state", store.toString(), "order", "o-1", "--as-of", o1.get(0).timestamp().toString());
            assertTrue(asOf.out().contains("\"version\": 1") && asOf.out().contains("\"amount\":500"), asOf.out());
            assertTrue(asOf.out().contains("\"asOf\": \"" + o1.get(0).timestamp() + "\""), asOf.out());

            ResourceState<Order> deleted = orders.find("o-2").isPresent() ? orders.find("o-2").get() : orders.atVersion("o-2", 2);
            Run o2 = cli("state", store.toString(), "order", "o-2");
            assertTrue(deleted.deleted());
            assertTrue(o2.out().contains("\"deleted\": true") && o2.out().contains("\"customer\":\"bob\""), "data kept: " + o2.out());
        }
        Run before = cli("state", store.toString(), "order", "o-1", "--as-of", "2000-01-01");
        assertEquals(1, before.exit(), before.toString());
        assertTrue(before.err().contains("had no events at or before 2000-01-01T00:00:00Z"), before.err());
        Run beyond = cli("state", store.toString(), "order", "o-1", "--version", "6");
        assertEquals(2, beyond.exit());
        assertTrue(beyond.err().contains("--version 6 is beyond order/o-1's head, version 5"), beyond.err());
        Run both = cli("state", store.toString(), "order", "o-1", "--version", "1", "--as-of", "2000-01-01");
        assertEquals(2, both.exit());
        assertTrue(both.err().contains("mutually exclusive"), both.err());
        assertEquals(1, cli("state", store.toString(), "order", "o-404").exit());
        assertStoreUnchanged();
    }

    @Test
    void exportWritesOneJsonObjectPerEventWithStableFieldNames() throws Exception {
        Run r = cli("export", store.toString(), "--format", "jsonl");
        assertEquals(0, r.exit(), r.toString());
        List<String> lines = r.out().lines().toList();
        assertEquals(14, lines.size());
        for (int i = 0; i < lines.size(); i++) {
            assertTrue(lines.get(i).matches("\\{\"position\":" + i + ",\"time\":\"[0-9T:.\\-]+Z\",\"resource\":\"order\",\"entity\":\"[^\"]+\","
                    + "\"version\":\\d+,\"type\":\"order\\.[A-Za-z]+\",\"typeId\":\\d+,\"schemaVersion\":1,"
                    + "\"metadata\":\\{\"actor\":.*,\"correlationId\":.*,\"causationId\":.*,\"reason\":.*,\"attributes\":\\{.*}},\"data\":\\{.*}}"),
                    lines.get(i));
        }
        assertEquals(lines.subList(5, 7), cli("export", store.toString(), "--resource", "order", "--entity", "o-2").out().lines().toList());
        assertStoreUnchanged();
    }

    @ParameterizedTest
    @ValueSource(strings = {"info", "events", "history", "state", "verify", "export", "tail"})
    void everyCommandHasHelpWithExamples(String command) {
        Run r = cli(command, "--help");
        assertEquals(0, r.exit());
        assertTrue(r.out().contains("Usage: hindsight " + command), r.out());
        assertTrue(r.out().contains("Examples:\n  hindsight " + command + " "), r.out());
        assertTrue(r.out().contains("Exit codes:"), r.out());
    }

    @Test
    void somethingThatIsNotAStoreIsOneLineAndExitCode2ForEveryCommand() throws Exception {
        Files.createDirectories(dir.resolve("empty"));
        Files.writeString(dir.resolve("file.txt"), "hello");
        Files.createDirectories(dir.resolve("other"));
        Files.writeString(dir.resolve("other").resolve("x"), "y");
        Path badMarker = dir.resolve("bad-marker");
        Files.createDirectories(badMarker);
        Files.write(badMarker.resolve("hindsight.store"), new byte[28]);
        Map<String, String> cases = Map.of(
                "missing", "missing: no such file or directory",
                "empty", "empty is an empty directory, not a Hindsight store",
                "file.txt", "file.txt is a file, not a store directory",
                "other", "other is not a Hindsight store (it has no hindsight.store file)",
                "bad-marker", "bad-marker is not a readable Hindsight store: corrupt frame in");
        for (String command : List.of("info", "events", "verify", "export", "tail")) {
            for (Map.Entry<String, String> c : cases.entrySet()) {
                Run r = cli(command, dir.resolve(c.getKey()).toString());
                assertEquals(2, r.exit(), command + " " + c.getKey() + ": " + r);
                assertEquals(1, r.err().lines().count(), "one line: " + r.err());
                assertTrue(r.err().startsWith("hindsight " + command + ": ") && r.err().contains(c.getValue()), r.err());
                assertEquals("", r.out());
            }
        }
        Run usage = cli("history", store.toString(), "order");
        assertEquals(2, usage.exit());
        assertTrue(usage.err().contains("Missing required parameter: 'ID'"), usage.err());
    }
}
