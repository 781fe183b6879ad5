package dev.hindsight.engine;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.ShrinkingMode;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Random sequences of resource actions (valid and invalid) against a model: every state, version, deleted flag
 * and error matches, across a reopen, and every state equals the replay of its history.
 */
class ResourceProperties {
    record Item(String name, int stock, String note) {}
    record Restocked(int amount) {}
    record Sold(int amount) {}

    static final ResourceType<Item> ITEM = ResourceType.define("item", Item.class)
            .event(Restocked.class, 1, (i, e) -> new Item(i.name(), i.stock() + e.amount(), i.note()))
            .event(Sold.class, 2, (i, e) -> new Item(i.name(), i.stock() - e.amount(), i.note()))
            .build();

    /** What the model knows of one entity. */
    record Model(Item state, long version, boolean deleted) {}

    @Property(tries = 25, shrinking = ShrinkingMode.OFF)
    void resourceActionsMatchAModel(@ForAll long seed) throws Exception {
        Random r = new Random(seed);
        Path dir = Files.createTempDirectory("hindsight-res-");
        Map<String, Model> model = new HashMap<>();
        try {
            EventStore store = EventStore.builder(dir).resource(ITEM).open();
            try {
                for (int step = 0; step < 120; step++) {
                    if (r.nextInt(60) == 0) {
                        store.close();
                        store = EventStore.builder(dir).resource(ITEM).resourceCacheEntities(r.nextInt(3)).open();
                    }
                    Resource<Item> items = store.resource(ITEM);
                    String id = "i-" + r.nextInt(5);
                    Model m = model.get(id);
                    boolean live = m != null && !m.deleted();
                    switch (r.nextInt(6)) {
                        case 0 -> {
                            Item s = new Item("n" + r.nextInt(3), r.nextInt(10), r.nextBoolean() ? null : "x");
                            if (m != null) {
                                assertThrows(ResourceExistsException.class, () -> items.create(id, s));
                            } else {
                                assertEquals(1, items.create(id, s).version());
                                model.put(id, new Model(s, 1, false));
                            }
                        }
                        case 1 -> {
                            String note = r.nextBoolean() ? null : "n" + r.nextInt(2);
                            Map<String, Object> change = new HashMap<>();
                            change.put("note", note);
                            if (!live) {
                                assertThrows(ResourceNotFoundException.class, () -> items.update(id, change));
                            } else {
                                ActionResult<Item> res = items.update(id, change);
                                boolean changed = !java.util.Objects.equals(m.state().note(), note);
                                assertEquals(changed, res.recorded());
                                model.put(id, new Model(new Item(m.state().name(), m.state().stock(), note),
                                        m.version() + (changed ? 1 : 0), false));
                            }
                        }
                        case 2 -> {
                            int n = 1 + r.nextInt(5);
                            if (!live) {
                                assertThrows(ResourceNotFoundException.class, () -> items.act(id, i -> List.of(new Restocked(n))));
                            } else {
                                items.act(id, i -> List.of(new Restocked(n), new Sold(1)));
                                Item s = m.state();
                                model.put(id, new Model(new Item(s.name(), s.stock() + n - 1, s.note()), m.version() + 2, false));
                            }
                        }
                        case 3 -> {
                            int n = 1 + r.nextInt(8);
                            if (!live) {
                                assertThrows(ResourceNotFoundException.class, () -> items.act(id, i -> List.of(new Sold(n))));
                            } else if (m.state().stock() < n) {
                                assertThrows(IllegalStateException.class, () -> items.act(id, i -> {
                                    if (i.stock() < n) {
                                        throw new IllegalStateException("only " + i.stock() + " left");
                                    }
                                    return List.of(new Sold(n));
                                }));
                            } else {
                                items.act(id, i -> List.of(new Sold(n)));
                                Item s = m.state();
                                model.put(id, new Model(new Item(s.name(), s.stock() - n, s.note()), m.version() + 1, false));
                            }
                        }
                        case 4 -> {
                            if (!live) {
                                assertThrows(ResourceNotFoundException.class, () -> items.destroy(id));
                            } else if (r.nextInt(3) == 0) {
                                assertTrue(items.destroy(id).deleted());
                                model.put(id, new Model(m.state(), m.version() + 1, true));
                            }
                        }
                        default -> {
                            Resource<Item> items2 = items;
                            assertEquals(live ? m.state() : null, items2.get(id).orElse(null));
                        }
                    }
                }
                Resource<Item> items = store.resource(ITEM);
                long total = 0;
                for (Map.Entry<String, Model> e : model.entrySet()) {
                    ResourceState<Item> s = items.find(e.getKey()).orElseThrow();
                    assertEquals(e.getValue().state(), s.state());
                    assertEquals(e.getValue().version(), s.version());
                    assertEquals(e.getValue().deleted(), s.deleted());
                    assertEquals(s, items.rebuild(e.getKey()).orElseThrow());
                    total += s.version();
                }
                assertEquals(total, store.eventCount(), "refused actions recorded nothing");
            } finally {
                store.close();
            }
        } finally {
            StoreFiles.deleteTree(dir);
        }
    }
}
