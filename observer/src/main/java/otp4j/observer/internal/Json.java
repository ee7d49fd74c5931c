package otp4j.observer.internal;

/**
 * A JSON writer: output only, escaping every string, so that no value a process or a table
 * holds can break out of the document. Commas are placed by the writer: each {@code name} or
 * value after the first in an object or array is preceded by one.
 */
public final class Json {
    private final StringBuilder out = new StringBuilder(256);
    /** One bit per open container, innermost lowest: whether it has a member yet. */
    private long hasMember;
    private int depth;
    private boolean afterName;

    /** {@return the document written so far} */
    @Override
    public String toString() {
        return out.toString();
    }

    public Json beginObject() {
        separate();
        out.append('{');
        open();
        return this;
    }

    public Json endObject() {
        close();
        out.append('}');
        return this;
    }

    public Json beginArray() {
        separate();
        out.append('[');
        open();
        return this;
    }

    public Json endArray() {
        close();
        out.append(']');
        return this;
    }

    /** Starts a member of the current object; its value comes next. */
    public Json name(String name) {
        separate();
        quote(name);
        out.append(':');
        afterName = true;
        return this;
    }

    public Json value(String s) {
        separate();
        if (s == null) {
            out.append("null");
        } else {
            quote(s);
        }
        return this;
    }

    public Json value(long n) {
        separate();
        out.append(n);
        return this;
    }

    public Json value(double d) {
        separate();
        if (Double.isFinite(d)) {
            out.append(d);
        } else {
            out.append("null"); // JSON has no NaN or infinity
        }
        return this;
    }

    public Json value(boolean b) {
        separate();
        out.append(b);
        return this;
    }

    public Json nullValue() {
        separate();
        out.append("null");
        return this;
    }

    public Json field(String name, String s) {
        return name(name).value(s);
    }

    public Json field(String name, long n) {
        return name(name).value(n);
    }

    public Json field(String name, double d) {
        return name(name).value(d);
    }

    public Json field(String name, boolean b) {
        return name(name).value(b);
    }

    private void open() {
        if (depth == 63) {
            throw new IllegalStateException("JSON nested deeper than 63 levels");
        }
        depth++;
        hasMember <<= 1;
    }

    private void close() {
        if (depth == 0) {
            throw new IllegalStateException("no open JSON object or array to end");
        }
        depth--;
        hasMember >>>= 1;
        afterName = false;
    }

    private void separate() {
        if (afterName) {
            afterName = false;
            return;
        }
        if (depth > 0) {
            if ((hasMember & 1) != 0) {
                out.append(',');
            }
            hasMember |= 1;
        }
    }

    private void quote(String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                // '<', '>' and '&' too, so that the document is inert even if pasted into HTML;
                // U+2028 and U+2029 end lines in older JavaScript.
                case '<', '>', '&', '\u2028', '\u2029' -> unicode(c);
                default -> {
                    if (c < 0x20 || Character.isSurrogate(c) && !validSurrogate(s, i)) {
                        unicode(c);
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    /** A lone surrogate is not valid UTF-8 once encoded: it is escaped instead. */
    private static boolean validSurrogate(String s, int i) {
        char c = s.charAt(i);
        if (Character.isHighSurrogate(c)) {
            return i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
        }
        return i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
    }

    private void unicode(char c) {
        out.append("\\u");
        String hex = Integer.toHexString(c);
        out.append("0".repeat(4 - hex.length())).append(hex);
    }
}
