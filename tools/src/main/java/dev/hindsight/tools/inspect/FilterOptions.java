package dev.hindsight.tools.inspect;

import dev.hindsight.codec.SchemaCatalog;
import dev.hindsight.tools.internal.Bound;
import dev.hindsight.tools.internal.EventFilter;
import picocli.CommandLine.Option;

/** The event filters {@code events}, {@code export} and {@code tail} share (a picocli mixin). Not thread-safe. */
public final class FilterOptions {
    @Option(names = "--resource", paramLabel = "TYPE", description = "only events of this resource type (order)")
    String resource;

    @Option(names = "--entity", paramLabel = "ID", description = "only events of entities with this id")
    String entity;

    @Option(names = "--type", paramLabel = "EVENT", description = "only events of this type: order.Created, or Created for every resource's")
    String type;

    @Option(names = "--from", paramLabel = "X", description = "first event: a position (0, 1, ...) or an instant (2026-11-27T10:15:30Z, 2026-11-27)")
    String from;

    @Option(names = "--to", paramLabel = "X", description = "last event (inclusive): a position or an instant")
    String to;

    /**
     * @param catalog the store's catalog
     * @return the filter
     */
    EventFilter build(SchemaCatalog catalog) {
        return new EventFilter(catalog, resource, entity, type, from == null ? null : Bound.parse("--from", from),
                to == null ? null : Bound.parse("--to", to));
    }
}
