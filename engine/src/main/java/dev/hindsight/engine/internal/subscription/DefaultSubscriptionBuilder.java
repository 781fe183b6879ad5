package dev.hindsight.engine.internal.subscription;

import dev.hindsight.codec.EventSchema;
import dev.hindsight.codec.FrameFormat;
import dev.hindsight.codec.Registration;
import dev.hindsight.engine.EventHandler;
import dev.hindsight.engine.EventView;
import dev.hindsight.engine.ReadModel;
import dev.hindsight.engine.Subscription;
import dev.hindsight.engine.SubscriptionBuilder;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * The {@link SubscriptionBuilder}: validates each setting when it is made (filters against the store's
 * resource types and schema catalog), then hands a {@link SubscriptionConfig} to the manager. Not
 * thread-safe.
 */
final class DefaultSubscriptionBuilder implements SubscriptionBuilder {
    private static final Duration MAX_FIRST_BACKOFF = Duration.ofMinutes(1);
    private static final Duration MAX_BACKOFF = Duration.ofMinutes(10);
    private static final Duration MAX_CHECKPOINT_INTERVAL = Duration.ofHours(1);

    private final SubscriptionManager manager;
    private final SubscriptionHost host;
    private final String name;
    private SubscriptionConfig.StartKind startKind = SubscriptionConfig.StartKind.START;
    private long startPosition;
    private Instant startInstant;
    private String[] resourceTypes;
    private int[] eventTypeIds;
    private boolean durable = true;
    private int retries = 3;
    private Duration backoffFirst = Duration.ofMillis(10);
    private Duration backoffMax = Duration.ofSeconds(1);
    private Duration checkpointInterval = Duration.ofMillis(100);
    private EventHandler handler;
    private EventView.Handler viewHandler;
    private ChronicleReadModel<Object> model;
    private ReadModel.Projection<Object> projection;

    DefaultSubscriptionBuilder(SubscriptionManager manager, SubscriptionHost host, String name) {
        this.manager = manager;
        this.host = host;
        this.name = name;
    }

    @Override
    public SubscriptionBuilder fromStart() {
        startKind = SubscriptionConfig.StartKind.START;
        return this;
    }

    @Override
    public SubscriptionBuilder fromPosition(long position) {
        if (position < 0) {
            throw new IllegalArgumentException("subscription '" + name + "': positions start at 0; cannot start at " + position);
        }
        startKind = SubscriptionConfig.StartKind.POSITION;
        startPosition = position;
        return this;
    }

    @Override
    public SubscriptionBuilder fromInstant(Instant instant) {
        Objects.requireNonNull(instant, "instant");
        Instant now = Instant.now();
        if (instant.isAfter(now)) {
            throw new IllegalArgumentException("subscription '" + name + "': cannot start at " + instant
                    + ", which is in the future (now is " + now + "); use fromNow() to deliver only new events");
        }
        startKind = SubscriptionConfig.StartKind.INSTANT;
        startInstant = instant;
        return this;
    }

    @Override
    public SubscriptionBuilder fromNow() {
        startKind = SubscriptionConfig.StartKind.NOW;
        return this;
    }

    @Override
    public SubscriptionBuilder resourceTypes(String... types) {
        Objects.requireNonNull(types, "resourceTypes");
        if (types.length == 0) {
            throw new IllegalArgumentException("subscription '" + name + "': resourceTypes() needs at least one resource type");
        }
        Set<String> known = host.resourceTypes().get();
        Set<String> chosen = new LinkedHashSet<>();
        for (String t : types) {
            Objects.requireNonNull(t, "a resource type is null");
            FrameFormat.validateResourceType(t);
            if (!known.contains(t)) {
                throw new IllegalArgumentException("subscription '" + name + "': unknown resource type '" + t + "'; store "
                        + host.storeName() + " has " + new TreeSet<>(known) + " (registered resource types and those with events)");
            }
            chosen.add(t);
        }
        resourceTypes = chosen.toArray(new String[0]);
        return this;
    }

    @Override
    public SubscriptionBuilder eventTypes(String... names) {
        Objects.requireNonNull(names, "eventTypes");
        if (names.length == 0) {
            throw new IllegalArgumentException("subscription '" + name + "': eventTypes() needs at least one event type");
        }
        List<Integer> ids = new ArrayList<>();
        for (String n : names) {
            Objects.requireNonNull(n, "an event type name is null");
            int id = host.codec().catalog().idOf(n);
            if (id < 0) {
                Set<String> known = new TreeSet<>();
                for (EventSchema s : host.codec().catalog().all()) {
                    known.add(s.name());
                }
                throw new IllegalArgumentException("subscription '" + name + "': unknown event type '" + n
                        + "'; the schema catalog of " + host.storeName() + " has " + known);
            }
            ids.add(id);
        }
        eventTypeIds = ids.stream().mapToInt(Integer::intValue).distinct().toArray();
        return this;
    }

    @Override
    public SubscriptionBuilder eventTypes(Class<?>... classes) {
        Objects.requireNonNull(classes, "eventTypes");
        if (classes.length == 0) {
            throw new IllegalArgumentException("subscription '" + name + "': eventTypes() needs at least one event class");
        }
        List<Integer> ids = new ArrayList<>();
        for (Class<?> c : classes) {
            Objects.requireNonNull(c, "an event class is null");
            Registration r = host.codec().lookup(c);
            if (r == null) {
                throw new IllegalArgumentException("subscription '" + name + "': " + c.getName() + " is not a registered event"
                        + " class of store " + host.storeName() + (c.getPackageName().equals("dev.hindsight.codec")
                        ? " (a resource type's standard events are filtered by name, e.g. eventTypes(\"order.Created\"))" : ""));
            }
            ids.add(r.schema().eventTypeId());
        }
        eventTypeIds = ids.stream().mapToInt(Integer::intValue).distinct().toArray();
        return this;
    }

    @Override
    public SubscriptionBuilder durable(boolean d) {
        this.durable = d;
        return this;
    }

    @Override
    public SubscriptionBuilder retries(int r) {
        if (r < 0 || r > 100) {
            throw new IllegalArgumentException("subscription '" + name + "': retries must be 0 to 100, not " + r);
        }
        this.retries = r;
        return this;
    }

    @Override
    public SubscriptionBuilder retryBackoff(Duration first, Duration max) {
        Objects.requireNonNull(first, "first");
        Objects.requireNonNull(max, "max");
        if (first.isNegative() || first.compareTo(MAX_FIRST_BACKOFF) > 0) {
            throw new IllegalArgumentException("subscription '" + name + "': the first retry backoff must be 0 to 1 minute, not " + first);
        }
        if (max.compareTo(first) < 0 || max.compareTo(MAX_BACKOFF) > 0) {
            throw new IllegalArgumentException("subscription '" + name + "': the longest retry backoff must be " + first
                    + " (the first) to 10 minutes, not " + max);
        }
        this.backoffFirst = first;
        this.backoffMax = max;
        return this;
    }

    @Override
    public SubscriptionBuilder checkpointInterval(Duration interval) {
        Objects.requireNonNull(interval, "interval");
        if (interval.isNegative() || interval.compareTo(MAX_CHECKPOINT_INTERVAL) > 0) {
            throw new IllegalArgumentException("subscription '" + name + "': the checkpoint interval must be 0 to 1 hour, not " + interval);
        }
        this.checkpointInterval = interval;
        return this;
    }

    @Override
    public SubscriptionBuilder handler(EventHandler h) {
        this.handler = Objects.requireNonNull(h, "handler");
        return this;
    }

    @Override
    public SubscriptionBuilder viewHandler(EventView.Handler h) {
        this.viewHandler = Objects.requireNonNull(h, "viewHandler");
        return this;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <V> SubscriptionBuilder projection(ReadModel<V> readModel, ReadModel.Projection<V> p) {
        Objects.requireNonNull(readModel, "readModel");
        Objects.requireNonNull(p, "projection");
        if (!(readModel instanceof ChronicleReadModel)) {
            throw new IllegalArgumentException("the read model must come from ReadModel.open(...), not " + readModel.getClass().getName());
        }
        this.model = (ChronicleReadModel<Object>) readModel;
        this.projection = (ReadModel.Projection<Object>) p;
        return this;
    }

    @Override
    public Subscription start() {
        int handlers = (handler != null ? 1 : 0) + (viewHandler != null ? 1 : 0) + (model != null ? 1 : 0);
        if (handlers != 1) {
            throw new IllegalStateException("subscription '" + name + "' needs exactly one of handler(...), viewHandler(...)"
                    + " or projection(...); it has " + handlers);
        }
        EventFilter filter = resourceTypes == null && eventTypeIds == null ? EventFilter.ALL : new EventFilter(resourceTypes, eventTypeIds);
        return manager.start(new SubscriptionConfig(name, startKind, startPosition, startInstant, filter, durable, retries,
                backoffFirst.toNanos(), backoffMax.toNanos(), checkpointInterval.toNanos(), handler, viewHandler, model, projection));
    }
}
