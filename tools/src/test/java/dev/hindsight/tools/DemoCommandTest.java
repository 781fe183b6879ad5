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
    void theDemoTellsTheOrderStoryAndASecondRunContinuesTheSameStore() {
        String first = run(0, "demo", dir.toString());
        assertTrue(first.contains("holds 0 events"), first);
        assertTrue(first.contains("A retried payment of order-1-2 with the same idempotency key recorded nothing new: yes"), first);
        assertTrue(first.contains("A refused action recorded nothing: an order that is paid cannot be canceled"), first);
        assertTrue(first.matches("(?s).*order-1-1 +alice +6\\.50 +paid +pay-order-1-1 +DHL +4 +no .*"), first);
        assertTrue(first.matches("(?s).*order-1-3 +carol +1\\.20 +canceled .*"), first);
        assertTrue(first.matches("(?s).*order-1-4 +dave +0\\.75 +pending +- +- +2 +yes .*"), first);
        assertTrue(first.matches("(?s).*2 +\\S+ +order\\.Updated +alice +checkout-1 +- +added an item +amount: 500 -> 650.*"), first);
        assertTrue(first.contains("order.PaymentReceived  payments   checkout-1     psp-webhook"), first);
        assertTrue(first.contains("Rebuilding order-1-1 from its events gives the same state: yes"), first);
        assertTrue(first.matches("(?s).*Revenue per customer.*\\n  alice +6\\.50\\n  bob +2\\.50\\n.*"), first);
        assertTrue(first.contains("The read model equals revenue rebuilt from the journal: yes"), first);
        assertTrue(first.contains("Store now holds 10 events (this run added 10)"), first);

        String second = run(0, "demo", dir.toString());
        assertTrue(second.contains("holds 10 events"), second);
        assertTrue(second.contains("order-2-1"), "a second run uses new order ids: " + second);
        assertTrue(second.contains("Store now holds 20 events (this run added 10)"), second);
        assertTrue(second.matches("(?s).*\\n  alice +13\\.00\\n  bob +5\\.00\\n.*"), "the read model resumed: " + second);
        assertTrue(second.contains("The read model equals revenue rebuilt from the journal: yes"), second);
    }

    @Test
    void aMissingDirectoryArgumentIsAUsageError() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        assertEquals(2, HindsightCli.run(new PrintWriter(out, true), new PrintWriter(err, true), "demo"));
        assertTrue(err.toString().contains("Missing required parameter: 'DIR'"), err.toString());
    }
}
