package otp4j.observer.internal;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import otp4j.runtime.Node;
import otp4j.runtime.Pid;
import otp4j.runtime.internal.Introspection;

/**
 * The query parameters of one request, parsed strictly: every parameter must be one the endpoint
 * knows, given once, with a well-formed percent-encoded UTF-8 value. Anything else is a 400 that
 * names the parameter.
 */
public final class Params {
    /** Longest query string accepted; the API's parameters are short. */
    static final int MAX_QUERY = 4096;

    private final Map<String, String> values;

    private Params(Map<String, String> values) {
        this.values = values;
    }

    /**
     * Parses {@code rawQuery} (still percent-encoded; null when there is none), accepting only
     * the names in {@code allowed}.
     */
    public static Params parse(String rawQuery, Set<String> allowed) {
        Map<String, String> out = new LinkedHashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return new Params(out);
        }
        if (rawQuery.length() > MAX_QUERY) {
            throw HttpError.badRequest("query string too long: " + rawQuery.length() + " characters, at most "
                    + MAX_QUERY);
        }
        for (String pair : rawQuery.split("&", -1)) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw HttpError.badRequest("malformed query parameter \"" + clip(pair) + "\": expected name=value");
            }
            String name = decode(pair.substring(0, eq), "a parameter name");
            if (!allowed.contains(name)) {
                throw HttpError.badRequest("unknown query parameter \"" + clip(name) + "\"; this endpoint takes "
                        + (allowed.isEmpty() ? "none" : String.join(", ", allowed.stream().sorted().toList())));
            }
            String value = decode(pair.substring(eq + 1), "parameter " + name);
            if (out.put(name, value) != null) {
                throw HttpError.badRequest("query parameter \"" + name + "\" given more than once");
            }
        }
        return new Params(out);
    }

    public Optional<String> string(String name) {
        return Optional.ofNullable(values.get(name));
    }

    /** {@return the parameter as a string of at most {@code maxLength} characters, or {@code dflt}} */
    public String string(String name, String dflt, int maxLength) {
        String v = values.get(name);
        if (v == null) {
            return dflt;
        }
        if (v.length() > maxLength) {
            throw HttpError.badRequest("parameter " + name + " is " + v.length() + " characters long, at most "
                    + maxLength + " allowed");
        }
        return v;
    }

    /** {@return the required parameter {@code name}} */
    public String required(String name) {
        String v = values.get(name);
        if (v == null) {
            throw HttpError.badRequest("missing query parameter \"" + name + "\"");
        }
        return v;
    }

    /** {@return the parameter as an integer in [min, max], or {@code dflt} when absent} */
    public long integer(String name, long dflt, long min, long max) {
        String v = values.get(name);
        if (v == null) {
            return dflt;
        }
        return parseInteger(name, v, min, max);
    }

    /** {@return the required parameter as an integer in [min, max]} */
    public long requiredInteger(String name, long min, long max) {
        return parseInteger(name, required(name), min, max);
    }

    private static long parseInteger(String name, String v, long min, long max) {
        if (!v.matches("-?[0-9]{1,18}")) {
            throw HttpError.badRequest("parameter " + name + " must be an integer, was \"" + clip(v) + "\"");
        }
        long n = Long.parseLong(v);
        if (n < min || n > max) {
            throw HttpError.badRequest("parameter " + name + " must be between " + min + " and " + max + ", was " + n);
        }
        return n;
    }

    /** {@return the parameter, which must be one of {@code choices}, or {@code dflt} when absent} */
    public String choice(String name, String dflt, Set<String> choices) {
        String v = values.get(name);
        if (v == null) {
            return dflt;
        }
        if (!choices.contains(v)) {
            throw HttpError.badRequest("parameter " + name + " must be one of "
                    + String.join(", ", choices.stream().sorted().toList()) + ", was \"" + clip(v) + "\"");
        }
        return v;
    }

    /**
     * {@return the live process named by the required parameter {@code name}}, written as
     * Erlang prints a pid, {@code <0.42.0>}; 400 if malformed, 404 if no such process lives on
     * {@code node}.
     */
    public Pid pid(String name, Node node) {
        return parsePid(name, required(name), node);
    }

    /** As {@link #pid(String, Node)}, for a pid given in a path or elsewhere. */
    public static Pid parsePid(String name, String text, Node node) {
        if (!text.matches("<[0-9]{1,9}\\.[0-9]{1,18}\\.0>")) {
            throw HttpError.badRequest("parameter " + name + " must be a pid such as <0.42.0>, was \""
                    + clip(text) + "\"");
        }
        int dot = text.indexOf('.');
        int index = Integer.parseInt(text.substring(1, dot));
        long serial = Long.parseLong(text.substring(dot + 1, text.indexOf('.', dot + 1)));
        if (index != node.index()) {
            throw HttpError.notFound("no process " + text + ": this node's pids begin with <" + node.index() + ".");
        }
        return Introspection.pid(node, serial)
                .orElseThrow(() -> HttpError.notFound("no live process " + text + " on node " + node.name()));
    }

    private static String decode(String s, String what) {
        byte[] bytes = new byte[s.length()];
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%') {
                if (i + 2 >= s.length() || hex(s.charAt(i + 1)) < 0 || hex(s.charAt(i + 2)) < 0) {
                    throw HttpError.badRequest("bad percent-encoding in " + what);
                }
                bytes[n++] = (byte) (hex(s.charAt(i + 1)) << 4 | hex(s.charAt(i + 2)));
                i += 2;
            } else if (c == '+') {
                bytes[n++] = ' ';
            } else if (c > 0x20 && c < 0x7f) {
                bytes[n++] = (byte) c;
            } else {
                throw HttpError.badRequest("unencoded character in " + what);
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, 0, n)).toString();
        } catch (CharacterCodingException e) {
            throw HttpError.badRequest(what + " is not valid UTF-8");
        }
    }

    private static int hex(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }

    /** Shortens a bad value quoted back in a message. */
    static String clip(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "...";
    }
}
