package dev.hindsight.tools;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DemoCommandTest {
    @TempDir
    Path dir;

    private String run(int expectedExit, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = HindsightCli.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        assertEquals(expectedExit, exit, "stdout: " + out + "\nstderr: " + err);
        return out.toString();
    }

    @Test
    void theDemoRecordsOrdersAndASecondRunContinuesTheSameStore() {
        String first = run(0, "demo", dir.toString());
        assertTrue(first.contains("holds 0 events"), first);
        assertTrue(first.contains("A stale append was refused: expected version 1 of order/order-1-1 but it is at version 3"), first);
        assertTrue(first.contains("PaymentReceived"), first);
        assertTrue(first.contains("Store now holds 8 events (this run added 8)"), first);

        String second = run(0, "demo", dir.toString());
        assertTrue(second.contains("holds 8 events"), second);
        assertTrue(second.contains("order-2-1"), "a second run uses new order ids: " + second);
        assertTrue(second.contains("Store now holds 16 events (this run added 8)"), second);
    }

    @Test
    void aMissingDirectoryArgumentIsAUsageError() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        assertEquals(2, HindsightCli.run(new PrintWriter(out, true), new PrintWriter(err, true), "demo"));
        assertTrue(err.toString().contains("Missing required parameter: 'DIR'"), err.toString());
    }
}
