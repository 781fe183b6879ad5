package dev.hindsight.codec;

/** A minimal strict JSON syntax checker for tests (RFC 8259). */
final class JsonCheck {
    private final String s;
    private int i;

    private JsonCheck(String s) {
        this.s = s;
    }

    static boolean isValid(String json) {
        JsonCheck c = new JsonCheck(json);
        try {
            c.value();
            c.ws();
            return c.i == json.length();
        } catch (RuntimeException e) {
            return false;
        }
    }

    private void ws() {
        while (i < s.length() && " \t\r\n".indexOf(s.charAt(i)) >= 0) {
            i++;
        }
    }

    private void expect(char c) {
        if (s.charAt(i++) != c) {
            throw new IllegalStateException("expected " + c + " at " + (i - 1));
        }
    }

    private void value() {
        ws();
        char c = s.charAt(i);
        if (c == '{') {
            i++;
            ws();
            if (s.charAt(i) == '}') {
                i++;
                return;
            }
            do {
                ws();
                string();
                ws();
                expect(':');
                value();
                ws();
            } while (s.charAt(i++) == ',');
            if (s.charAt(i - 1) != '}') {
                throw new IllegalStateException("object");
            }
        } else if (c == '[') {
            i++;
            ws();
            if (s.charAt(i) == ']') {
                i++;
                return;
            }
            do {
                value();
                ws();
            } while (s.charAt(i++) == ',');
            if (s.charAt(i - 1) != ']') {
                throw new IllegalStateException("array");
            }
        } else if (c == '"') {
            string();
        } else if (s.startsWith("true", i)) {
            i += 4;
        } else if (s.startsWith("false", i)) {
            i += 5;
        } else if (s.startsWith("null", i)) {
            i += 4;
        } else {
            number();
        }
    }

    private void string() {
        expect('"');
        while (true) {
            char c = s.charAt(i++);
            if (c == '"') {
                return;
            }
            if (c < 0x20) {
                throw new IllegalStateException("control char in string");
            }
            if (c == '\\') {
                char e = s.charAt(i++);
                if (e == 'u') {
                    Integer.parseInt(s.substring(i, i + 4), 16);
                    i += 4;
                } else if ("\"\\/bfnrt".indexOf(e) < 0) {
                    throw new IllegalStateException("bad escape");
                }
            }
        }
    }

    private void number() {
        int start = i;
        if (s.charAt(i) == '-') {
            i++;
        }
        if (s.charAt(i) == '0') {
            i++;
        } else {
            digits();
        }
        if (i < s.length() && s.charAt(i) == '.') {
            i++;
            digits();
        }
        if (i < s.length() && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
            i++;
            if (s.charAt(i) == '+' || s.charAt(i) == '-') {
                i++;
            }
            digits();
        }
        if (i == start) {
            throw new IllegalStateException("number");
        }
    }

    private void digits() {
        int start = i;
        while (i < s.length() && Character.isDigit(s.charAt(i)) && s.charAt(i) < 128) {
            i++;
        }
        if (i == start) {
            throw new IllegalStateException("digits");
        }
    }
}
