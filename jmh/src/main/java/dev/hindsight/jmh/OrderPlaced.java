package dev.hindsight.jmh;

/** The benchmarks' small event: about 30 bytes of Kryo payload. Registered with id 1. Immutable, thread-safe. */
public record OrderPlaced(String customer, long amount) {
    /** The event every benchmark appends (built once: appends should not pay for building it). */
    public static final OrderPlaced SAMPLE = new OrderPlaced("customer-0000000000042", 12_345L);
    /** Its event type id. */
    public static final int TYPE_ID = 1;
    /** The resource type the benchmarks append to. */
    public static final String RESOURCE_TYPE = "order";
}
