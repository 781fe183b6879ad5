package dev.hindsight.jmh;

import dev.hindsight.engine.ResourceType;
import dev.hindsight.engine.SnapshotPolicy;

/**
 * The read benchmarks' resource: an account whose deposits are custom events. Immutable records; thread-safe.
 *
 * @param owner    the owner's name
 * @param balance  the balance in cents
 * @param deposits how many deposits were made
 */
public record Account(String owner, long balance, long deposits) {
    /**
     * One deposit.
     *
     * @param amount cents
     */
    public record Deposited(long amount) {
    }

    /**
     * @param snapshots the snapshot policy to measure
     * @return the resource type "account" with that policy
     */
    static ResourceType<Account> type(SnapshotPolicy snapshots) {
        return ResourceType.define("account", Account.class)
                .event(Deposited.class, 1, (a, e) -> new Account(a.owner(), a.balance() + e.amount(), a.deposits() + 1))
                .snapshots(snapshots)
                .build();
    }

    /**
     * @param name "every10", "every100", "onDemand" or "off"
     * @return the policy
     */
    static SnapshotPolicy policy(String name) {
        return switch (name) {
            case "every10" -> SnapshotPolicy.every(10);
            case "every100" -> SnapshotPolicy.every(100);
            case "onDemand" -> SnapshotPolicy.onDemand();
            case "off" -> SnapshotPolicy.off();
            default -> throw new IllegalArgumentException("unknown snapshot policy " + name);
        };
    }
}
