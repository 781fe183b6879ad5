package dev.hindsight.tools.internal;

import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Escaping for the terminal and for JSON, and when the progress line appears. */
class TextAndProgressTest {
    @Test
    void tableTextEscapesEveryCharacterThatCouldMoveTheCursorOrReorderTheLine() {
        assertEquals("plain text", Text.safe("plain text"));
        assertEquals("-", Text.safe(null));
        assertEquals("\\x1b[2J\\nx\\ty\\r\\x7f\\x85\\u202e\\u2066\\u2028\\\\", Text.safe("\u001b[2J\nx\ty\r\u007f\u0085\u202e\u2066\u2028\\"));
        assertEquals("é ü 中文 😀", Text.safe("é ü 中文 😀"), "printable text stays as it is");
    }

    @Test
    void messagesKeepTheirBackslashesButNotTheControlCharactersTheyQuote() {
        assertEquals("catalog.bin: 'a\\x1bb' and C:\\dir\\n", Text.controls("catalog.bin: 'a\u001bb' and C:\\dir\n"));
    }

    @Test
    void jsonEscapesControlsAndTerminalTricksAndWritesGenericValues() {
        StringBuilder sb = new StringBuilder();
        Text.jsonString(sb, "a\"b\\c\n\u001b\u202e");
        assertEquals("\"a\\\"b\\\\c\\n\\u001b\\u202e\"", sb.toString());
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("n", 1L);
        value.put("d", Double.NaN);
        value.put("b", new byte[] {1, 2});
        value.put("l", List.of(true, "x"));
        value.put("null", null);
        assertEquals("{\"n\":1,\"d\":\"NaN\",\"b\":\"AQI=\",\"l\":[true,\"x\"],\"null\":null}", Text.json(value));
    }

    @Test
    void progressAppearsOnlyWhenEnabledAndAfterASecondAndIsErasedWhenDone() {
        AtomicLong now = new AtomicLong();
        StringWriter shown = new StringWriter();
        Progress p = new Progress(new PrintWriter(shown), true, now::get, "verify");
        for (int i = 0; i < 4096; i++) {
            p.tick(i, 0, 2);
        }
        assertEquals("", shown.toString(), "nothing in the first second");
        now.set(1_500_000_000L);
        for (int i = 0; i < 4096; i++) {
            p.tick(3_000_000, 1, 2);
        }
        assertTrue(shown.toString().startsWith("\rverify: journal file 2/2, 3,000,000 events, 2,000,000 events/s"), shown.toString());
        p.done();
        assertTrue(shown.toString().endsWith("\r"), "erased: " + shown);

        StringWriter never = new StringWriter();
        Progress off = new Progress(new PrintWriter(never), false, now::get, "verify");
        now.set(10_000_000_000L);
        for (int i = 0; i < 10_000; i++) {
            off.tick(i, 0, 1);
        }
        off.done();
        assertEquals("", never.toString(), "not a terminal: never drawn");
    }
}
