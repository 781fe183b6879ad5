package dev.hindsight.engine;

import java.nio.file.Path;

/** Child JVM: opens a store for writing, says so, and holds it until killed or stdin closes. */
public final class LockHolderMain {
    private LockHolderMain() {
    }

    public static void main(String[] args) throws Exception {
        try (EventStore store = TestEvents.builder(Path.of(args[0])).open()) {
            System.out.println("OPEN " + ProcessHandle.current().pid());
            System.out.flush();
            while (System.in.read() >= 0) {
                // hold the store until stdin closes
            }
        }
    }
}
