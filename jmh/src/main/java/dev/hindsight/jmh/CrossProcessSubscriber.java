package dev.hindsight.jmh;

import dev.hindsight.engine.EventStore;
import dev.hindsight.engine.Subscription;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The other process of {@link SubscriptionBenchmark#appendToDeliveryCrossProcess}: opens the
 * benchmark's store read-only, subscribes from now, and for every delivered event writes its position
 * (a volatile store) into a small memory-mapped file the benchmark process spins on. Prints "READY"
 * once subscribed; exits when its standard input closes. Single-threaded main; the subscription's
 * thread writes the mapped file.
 */
public final class CrossProcessSubscriber {
    private CrossProcessSubscriber() {
    }

    public static void main(String[] args) throws IOException {
        Path store = Path.of(args[0]);
        Path ackFile = Path.of(args[1]);
        MappedByteBuffer mapped;
        try (FileChannel ch = FileChannel.open(ackFile, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            mapped = ch.map(FileChannel.MapMode.READ_WRITE, 0, 64);
        }
        UnsafeBuffer ack = new UnsafeBuffer(mapped);
        PrintStream out = System.out;
        try (EventStore ro = EventStore.builder(store).register(OrderPlaced.class, OrderPlaced.TYPE_ID).openReadOnly();
             Subscription s = ro.subscription("cross-process").durable(false).fromNow()
                     .viewHandler(v -> ack.putLongVolatile(0, v.position())).start()) {
            ack.putLongVolatile(0, s.position() - 1);
            out.println("READY " + s.position());
            out.flush();
            while (System.in.read() >= 0) {
                // until the benchmark process closes our input
            }
        }
    }
}
