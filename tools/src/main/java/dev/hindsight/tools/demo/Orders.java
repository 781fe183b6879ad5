package dev.hindsight.tools.demo;

import dev.hindsight.engine.ResourceType;

import java.util.List;

/**
 * The demo's Order resource: its state record, its custom domain events and the resource type that ties them
 * together. Immutable records; thread-safe.
 */
public final class Orders {
    private Orders() {
    }

    /**
     * An order's state.
     *
     * @param customer      who ordered
     * @param amount        total in cents
     * @param paymentStatus {@code pending}, {@code paid} or {@code canceled}
     * @param paymentId     the payment provider's id once paid, else null
     * @param carrier       who ships it once shipped, else null
     */
    public record Order(String customer, long amount, String paymentStatus, String paymentId, String carrier) {
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
     * @param carrier who ships it
     */
    public record Shipped(String carrier) {
    }

    /**
     * The order was canceled before it was paid.
     *
     * @param reason why
     */
    public record Canceled(String reason) {
    }

    /**
     * The domain action "cancel": allowed only while the order is pending.
     *
     * @param o the order's current state
     * @return the Canceled event
     * @throws IllegalStateException if the order is paid or already canceled
     */
    public static List<Object> cancel(Order o) {
        if (!o.paymentStatus().equals("pending")) {
            throw new IllegalStateException("an order that is " + o.paymentStatus() + " cannot be canceled");
        }
        return List.of(new Canceled("customer request"));
    }

    /** The Order resource type: custom event ids are stable forever (they are in every stored frame). */
    public static final ResourceType<Order> ORDER = ResourceType.define("order", Order.class)
            .event(PaymentReceived.class, 1,
                    (o, e) -> new Order(o.customer(), o.amount(), "paid", e.paymentId(), o.carrier()))
            .event(Shipped.class, 2,
                    (o, e) -> new Order(o.customer(), o.amount(), o.paymentStatus(), o.paymentId(), e.carrier()))
            .event(Canceled.class, 3,
                    (o, e) -> new Order(o.customer(), o.amount(), "canceled", o.paymentId(), o.carrier()))
            .build();
}
