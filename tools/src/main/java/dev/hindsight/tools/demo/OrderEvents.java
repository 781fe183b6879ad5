package dev.hindsight.tools.demo;

/**
 * The demo's order events. Immutable records; thread-safe.
 */
public final class OrderEvents {
    /** Event type ids, stable forever: they are in every stored frame. */
    public static final int PLACED = 1;
    /** @see #PLACED */
    public static final int PAID = 2;
    /** @see #PLACED */
    public static final int SHIPPED = 3;

    private OrderEvents() {
    }

    /**
     * An order was placed.
     *
     * @param customer who ordered
     * @param amount   total in cents
     */
    public record OrderPlaced(String customer, long amount) {
    }

    /**
     * A payment arrived.
     *
     * @param paymentId the payment provider's id
     * @param amount    amount paid in cents
     */
    public record PaymentReceived(String paymentId, long amount) {
    }

    /**
     * The order left the warehouse.
     *
     * @param carrier who carries it
     */
    public record Shipped(String carrier) {
    }
}
