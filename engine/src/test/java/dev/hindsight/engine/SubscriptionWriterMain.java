package dev.hindsight.engine;

import dev.hindsight.engine.TestEvents.OrderPlaced;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Child JVM for cross-process subscription tests: the writer. Creates the store with {@code initial}
 * orders and prints "OPEN n"; on "GO" appends {@code count} more (pausing now and then) and prints
 * "DONE n"; on "NEWTYPE" reopens the store with one more event type and appends 5 events of it,
 * printing "DONE n"; on "EXIT" (or end of input) closes the store and exits.
 */
public final class SubscriptionWriterMain {
    private SubscriptionWriterMain() {
    }

    /** An event type the reading process does not register. */
    public record Extra(String note, long n) {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        int initial = Integer.parseInt(args[1]);
        int count = Integer.parseInt(args[2]);
        PrintStream out = System.out;
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        EventStore store = TestEvents.builder(dir).open();
        try {
            for (int i = 0; i < initial; i++) {
                store.append("order", "o-" + i, ExpectedVersion.NO_STREAM, new OrderPlaced("c-" + i % 7, i));
            }
            out.println("OPEN " + store.eventCount());
            out.flush();
            String line;
            while ((line = in.readLine()) != null && !line.equals("EXIT")) {
                if (line.equals("GO")) {
                    for (int i = 0; i < count; i++) {
                        store.append("order", "x-" + i, ExpectedVersion.NO_STREAM, new OrderPlaced("c-" + i % 7, i));
                        if (i % 100 == 99) {
                            Thread.sleep(1);
                        }
                    }
                } else if (line.equals("NEWTYPE")) {
                    store.close();
                    store = TestEvents.builder(dir).register(Extra.class, 6).open();
                    for (int i = 0; i < 5; i++) {
                        store.append("extra", "x", ExpectedVersion.ANY, new Extra("new", i));
                    }
                }
                out.println("DONE " + store.eventCount());
                out.flush();
            }
        } finally {
            store.close();
        }
    }
}
