package dev.hindsight.engine;

import java.util.List;

/**
 * A custom domain action: reads an entity's current state, validates, and decides which custom events to
 * record. It may run more than once: on a version conflict it is re-run against the fresh state. It must not
 * have side effects beyond its return value (use an {@link AfterAction} hook for those).
 *
 * @param <S> the state record
 */
@FunctionalInterface
public interface ResourceAction<S extends Record> {
    /**
     * @param current the entity's current state
     * @return the events to record, in order, appended atomically; empty (or null) to record nothing
     * @throws RuntimeException to refuse the action: nothing is recorded and the exception reaches the caller
     */
    List<?> decide(S current);
}
