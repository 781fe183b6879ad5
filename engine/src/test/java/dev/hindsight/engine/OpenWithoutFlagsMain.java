package dev.hindsight.engine;

import java.nio.file.Path;

/** Child JVM started without the JVM flags: prints what open() says. */
public final class OpenWithoutFlagsMain {
    private OpenWithoutFlagsMain() {
    }

    public static void main(String[] args) {
        try (EventStore store = TestEvents.builder(Path.of(args[0])).open()) {
            System.out.println("OPENED");
        } catch (MissingJvmFlagsException e) {
            System.out.println("MISSING " + String.join(" ", e.missingFlags()));
            System.out.println("MESSAGE " + e.getMessage().replace('\n', ' '));
        }
    }
}
