package otp4j.observer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import otp4j.runtime.AttachedProcess;
import otp4j.runtime.Node;
import otp4j.runtime.Pid;
import otp4j.runtime.Proc;
import otp4j.testing.NodeExtension;

/**
 * Random and malicious HTTP requests, written byte by byte to raw loopback sockets, into a
 * running observer: path traversal, oversized URLs and headers, invalid methods, bad
 * percent-encoding, out-of-range and non-numeric parameters, script in names, truncated
 * requests, garbage, slow clients. Every answer is a well-formed HTTP response, 2xx or 4xx, with
 * no stack trace and no file but the shipped assets; nothing hangs; the observer answers a
 * normal request afterwards and leaves no thread behind.
 */
@ExtendWith(NodeExtension.class)
class ObserverHttpFuzzTest {
    private static final int CASES = 3_000 * Integer.getInteger("otp4j.stress.scale", 1);
    /** A request's answer must come within this, else the observer hangs. */
    private static final int IO_DEADLINE_MILLIS = 30_000;
    private static final Pattern STATUS_LINE = Pattern.compile("HTTP/1\\.1 (\\d{3})( [^\r\n]*)?");
    /** A line of a Java stack trace, as {@code at java.base/java.lang.Thread.run(Thread.java:1583)}. */
    private static final Pattern STACK_FRAME = Pattern.compile("\\bat [\\w.$/]+\\([\\w.$]*(:\\d+)?\\)");
    private static final String SCRIPT = "<script>alert(1)</script>";
    private static final List<String> ENDPOINTS = List.of("/api/config", "/api/system", "/api/load",
            "/api/processes", "/api/process", "/api/applications", "/api/tables", "/api/table", "/api/trace",
            "/api/trace/start", "/api/trace/stop", "/api/actions/kill", "/api/actions/delete-object");
    private static final List<String> PARAMS = List.of("sort", "order", "limit", "filter", "pid", "kind", "id",
            "offset", "since", "after", "position", "key", "value", "x", "");

    /** One request: its bytes, whether it is complete (so it must be answered), what it is. */
    record Case(String kind, byte[] bytes, boolean complete, boolean unsupportedTransferCoding) {
        @Override
        public String toString() {
            String text = new String(bytes, 0, Math.min(bytes.length, 300), StandardCharsets.ISO_8859_1);
            return kind + " (" + bytes.length + " bytes): " + text.replace("\r", "\\r").replace("\n", "\\n");
        }
    }

    /** What came back: the first response's status, headers and body, or nothing. */
    record Answer(int status, String head, byte[] body) {
    }

    @Test
    @Tag("stress")
    void randomAndMaliciousRequestsGetWellFormedAnswers(Node node, AttachedProcess me) throws Exception {
        long seed = Long.getLong("otp4j.fuzz.seed", new SecureRandom().nextLong());
        System.out.println("observer HTTP fuzz: " + CASES + " cases, seed " + seed
                + " (rerun with -Dotp4j.fuzz.seed=" + seed + ")");
        Random rnd = new Random(seed);
        Shop.startApplication();
        Shop.createTables();
        Pid evil = Proc.spawn(() -> Proc.receive(otp4j.runtime.Matcher.type(Void.class)));
        Proc.register(SCRIPT, evil);
        List<byte[]> assets = List.of(asset("index.html"), asset("app.js"), asset("app.css"));
        int answered = 0;
        int unanswered = 0;
        try (Observer o = Observer.start(ObserverOptions.defaults().withNode(node).withActions(true)
                .withTrace(true).withServerState(true))) {
            int port = o.url().getPort();
            for (int i = 0; i < CASES; i++) {
                Case c = generate(rnd, port);
                Answer a = exchange(port, c);
                if (a == null) {
                    assertThat(c.complete()).as("a complete request must be answered: %s", c).isFalse();
                    unanswered++;
                    continue;
                }
                answered++;
                check(c, a, assets);
                if (i % 500 == 0) {
                    assertThat(observerThreads()).as("request threads").isLessThanOrEqualTo(4 + 1 + 1);
                }
            }
            assertThat(Http.get(o, "/api/processes?filter=" + Http.enc(SCRIPT)).body())
                    .as("the observer still answers").contains("\\u003cscript\\u003e");
        }
        System.out.println("observer HTTP fuzz: " + answered + " answered, " + unanswered
                + " incomplete requests closed without an answer");
        assertThat(observerThreads()).as("observer threads left").isZero();
        Proc.exit(evil, otp4j.runtime.Reason.KILL);
    }

    @Test
    void slowClientsAreCutOffAndDoNotStopTheObserver(Node node, AttachedProcess me) throws Exception {
        List<Socket> slow = new ArrayList<>();
        try (Observer o = Observer.start(ObserverOptions.defaults().withNode(node)
                .withRequestTimeout(Duration.ofMillis(300)))) {
            int port = o.url().getPort();
            try {
                // Three times as many as the observer has threads, each stopping mid-request.
                for (int i = 0; i < 12; i++) {
                    Socket s = socket(port);
                    slow.add(s);
                    s.getOutputStream().write(("GET /api/system HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nX-Slo")
                            .getBytes(StandardCharsets.US_ASCII));
                    s.getOutputStream().flush();
                }
                assertThat(Http.get(o, "/api/config").status()).isEqualTo(200);
                for (Socket s : slow) {
                    assertThat(readToEnd(s)).as("a slow client's connection is closed without an answer").isNull();
                }
            } finally {
                for (Socket s : slow) {
                    s.close();
                }
            }
        }
        assertThat(observerThreads()).as("observer threads left").isZero();
    }

    @Test
    void clientsThatStopReadingTheirAnswersAreCutOff(Node node, AttachedProcess me) throws Exception {
        List<Socket> deaf = new ArrayList<>();
        try (Observer o = Observer.start(ObserverOptions.defaults().withNode(node)
                .withRequestTimeout(Duration.ofMillis(300)))) {
            int port = o.url().getPort();
            byte[] one = ("GET /app.js HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII);
            try {
                // Twice as many as the observer has threads, each asking for 2,000 answers in one
                // go and reading none: the answers fill the sockets' buffers.
                for (int c = 0; c < 8; c++) {
                    Socket s = socket(port);
                    deaf.add(s);
                    try {
                        OutputStream out = s.getOutputStream();
                        for (int i = 0; i < 2_000; i++) {
                            out.write(one);
                        }
                        out.flush();
                    } catch (IOException e) {
                        // closed by the observer while still writing: what this test wants
                    }
                }
                assertThat(Http.get(o, "/api/config").status()).isEqualTo(200);
            } finally {
                for (Socket s : deaf) {
                    s.close();
                }
            }
        }
        assertThat(observerThreads()).as("observer threads left").isZero();
    }

    // ------------------------------------------------------------------ checks

    private static void check(Case c, Answer a, List<byte[]> assets) {
        boolean ok = a.status() >= 200 && a.status() < 300 || a.status() >= 400 && a.status() < 500
                // RFC 9112 6.1: a transfer coding the server does not know is a 501; the JDK's
                // parser answers it before the observer sees the request.
                || a.status() == 501 && c.unsupportedTransferCoding();
        assertThat(ok).as("status %d for %s", a.status(), c).isTrue();
        String body = new String(a.body(), StandardCharsets.UTF_8);
        assertThat(body).as("body of the answer to %s", c)
                .doesNotContainPattern(STACK_FRAME).doesNotContain("Caused by", "root:x:", "<project");
        boolean isAsset = a.head().toLowerCase(Locale.ROOT).contains("content-type: text/html")
                && body.startsWith("<!") || a.head().toLowerCase(Locale.ROOT).contains("content-type: text/javascript")
                || a.head().toLowerCase(Locale.ROOT).contains("content-type: text/css");
        if (a.status() == 200 && isAsset && a.body().length > 0) {
            assertThat(assets.stream().anyMatch(x -> Arrays.equals(x, a.body())))
                    .as("a page answered to %s is one of the shipped assets", c).isTrue();
        }
        if (a.status() == 200 && !isAsset && a.body().length > 0) {
            assertThat(a.head().toLowerCase(Locale.ROOT)).as("content type of the answer to %s", c)
                    .contains("content-type: application/json");
        }
    }

    private static Answer exchange(int port, Case c) throws IOException {
        try (Socket s = socket(port)) {
            try {
                OutputStream out = s.getOutputStream();
                out.write(c.bytes());
                out.flush();
                s.shutdownOutput();
            } catch (SocketException e) {
                // The observer closed the connection before taking the whole request (one too
                // large, say): what it answered before that is still read below.
            }
            byte[] raw = readToEnd(s);
            return raw == null ? null : parse(raw, c);
        }
    }

    /** {@return every byte until the observer closes the connection, or null if it sent none} */
    private static byte[] readToEnd(Socket s) throws IOException {
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        try {
            InputStream in = s.getInputStream();
            byte[] buf = new byte[65_536];
            for (int n; (n = in.read(buf)) >= 0; ) {
                got.write(buf, 0, n);
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("no end of the answer within " + IO_DEADLINE_MILLIS + " ms: the observer hangs", e);
        } catch (SocketException e) {
            // reset by the observer after what it had to say
        }
        return got.size() == 0 ? null : got.toByteArray();
    }

    private static Answer parse(byte[] raw, Case c) {
        String text = new String(raw, StandardCharsets.ISO_8859_1);
        int at = 0;
        for (;;) {
            int end = text.indexOf("\r\n\r\n", at);
            assertThat(end).as("end of the answer's head, answering %s: %s", c, clip(text)).isGreaterThan(at);
            String head = text.substring(at, end);
            Matcher m = STATUS_LINE.matcher(head.lines().findFirst().orElse(""));
            assertThat(m.matches()).as("status line answering %s: %s", c, clip(head)).isTrue();
            int status = Integer.parseInt(m.group(1));
            if (status == 100) {
                at = end + 4; // an interim answer; the real one follows
                continue;
            }
            long length = -1;
            for (String line : head.lines().skip(1).toList()) {
                int colon = line.indexOf(':');
                assertThat(colon).as("header line answering %s: %s", c, line).isPositive();
                if (line.substring(0, colon).equalsIgnoreCase("content-length")) {
                    length = Long.parseLong(line.substring(colon + 1).trim());
                }
            }
            int bodyAt = end + 4;
            int bodyLength = length < 0 || c.kind().equals("head") ? 0 : (int) length;
            assertThat(raw.length - bodyAt).as("body answering %s", c).isGreaterThanOrEqualTo(bodyLength);
            return new Answer(status, head, Arrays.copyOfRange(raw, bodyAt, bodyAt + bodyLength));
        }
    }

    // ------------------------------------------------------------------ requests

    private static Case generate(Random rnd, int port) {
        String host = "127.0.0.1:" + port;
        return switch (rnd.nextInt(12)) {
            case 0, 1 -> request("api", "GET", endpoint(rnd) + query(rnd), host, List.of(), rnd);
            case 2 -> request("traversal", rnd.nextBoolean() ? "GET" : "HEAD", traversal(rnd, port), host, List.of(), rnd);
            case 3 -> request("method", method(rnd), rnd.nextBoolean() ? endpoint(rnd) + query(rnd) : "/", host,
                    List.of(), rnd);
            case 4 -> mayBeDropped(request("long url", "GET", (rnd.nextBoolean() ? endpoint(rnd) : "/")
                    + (rnd.nextBoolean() ? "?filter=" : "/") + "a".repeat(1_000 + rnd.nextInt(120_000)), host, List.of(), rnd));
            case 5 -> mayBeDropped(request("big headers", "GET", endpoint(rnd), host, bigHeaders(rnd), rnd));
            case 6 -> request("encoding", "GET", badEncoding(rnd), host, List.of(), rnd);
            case 7 -> request("script", rnd.nextBoolean() ? "GET" : "POST", endpoint(rnd) + "?"
                    + PARAMS.get(rnd.nextInt(PARAMS.size())) + "=" + Http.enc(SCRIPT) + (rnd.nextBoolean() ? "" : "&x=" + SCRIPT),
                    rnd.nextInt(4) == 0 ? SCRIPT : host, List.of("X-Observer-Token: " + SCRIPT), rnd);
            case 8 -> truncated(rnd, host);
            case 9 -> garbage(rnd);
            case 10 -> body(rnd, host);
            default -> oddForm(rnd, port);
        };
    }

    private static Case request(String kind, String method, String target, String host, List<String> headers,
                                Random rnd) {
        StringBuilder b = new StringBuilder().append(method).append(' ').append(target).append(" HTTP/1.1\r\n");
        if (host != null) {
            b.append("Host: ").append(host).append("\r\n");
        }
        for (String h : headers) {
            b.append(h).append("\r\n");
        }
        if (rnd.nextBoolean()) {
            b.append("Connection: close\r\n");
        }
        b.append("\r\n");
        return new Case(method.equals("HEAD") ? "head" : kind, b.toString().getBytes(StandardCharsets.ISO_8859_1),
                !method.isEmpty() && method.chars().allMatch(ch -> ch > 0x20 && ch < 0x7f) && target.chars().allMatch(ch -> ch > 0x20 && ch < 0x7f),
                false);
    }

    /**
     * The JDK's parser closes the connection of a request with more than 200 headers or more
     * than 380 KB of them, without an answer: such a request is the observer's to drop.
     */
    private static Case mayBeDropped(Case c) {
        return new Case(c.kind(), c.bytes(), false, c.unsupportedTransferCoding());
    }

    private static String endpoint(Random rnd) {
        return switch (rnd.nextInt(8)) {
            case 0 -> "/";
            case 1 -> "/app.js";
            case 2 -> "/api/" + word(rnd);
            default -> ENDPOINTS.get(rnd.nextInt(ENDPOINTS.size()));
        };
    }

    private static String query(Random rnd) {
        if (rnd.nextInt(5) == 0) {
            return "";
        }
        StringBuilder q = new StringBuilder("?");
        int n = 1 + rnd.nextInt(4);
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                q.append('&');
            }
            q.append(PARAMS.get(rnd.nextInt(PARAMS.size()))).append('=').append(value(rnd));
        }
        return q.toString();
    }

    private static String value(Random rnd) {
        return switch (rnd.nextInt(14)) {
            case 0 -> Long.toString(rnd.nextLong());
            case 1 -> "-" + rnd.nextInt(1000);
            case 2 -> "99999999999999999999999999";
            case 3 -> "1e9";
            case 4 -> "0x10";
            case 5 -> "";
            case 6 -> Http.enc("<0." + rnd.nextInt(100) + ".0>");
            case 7 -> Http.enc("<" + rnd.nextInt() + "." + rnd.nextLong() + ".0>");
            case 8 -> List.of("ets", "dets", "asc", "desc", "memory", "pid", "reductionsDelta").get(rnd.nextInt(7));
            case 9 -> "%" + (char) ('0' + rnd.nextInt(40));
            case 10 -> Http.enc(SCRIPT);
            case 11 -> "a".repeat(rnd.nextInt(6_000));
            case 12 -> "%FF%FE%C0%AF";
            default -> Integer.toString(rnd.nextInt(600));
        };
    }

    private static String traversal(Random rnd, int port) {
        List<String> t = List.of("/../../../../etc/passwd", "/%2e%2e/%2e%2e/%2e%2e/etc/passwd", "/..%2f..%2fetc%2fpasswd",
                "/app.js/../../../pom.xml", "/%2E%2E%2F%2E%2E%2Fpom.xml", "//etc/passwd", "/etc/passwd",
                "/otp4j/observer/web/app.js", "/web/app.js", "/../otp4j/observer/internal/ObserverServer.class",
                "/index.html%00.js", "/app.js%00", "/..\\..\\windows\\win.ini", "/./app.js", "/app.js/",
                "/APP.JS", "/%61pp.js", "/api/../app.js", "/api/%2e%2e/index.html", "/api/config/../system",
                "http://127.0.0.1:" + port + "/../../etc/passwd", "http://evil.example/app.js",
                "file:///etc/passwd", "/META-INF/MANIFEST.MF", "/otp4j/observer/Observer.class", "/%252e%252e/pom.xml",
                "/" + "../".repeat(50) + "etc/passwd");
        return t.get(rnd.nextInt(t.size()));
    }

    private static String method(Random rnd) {
        List<String> m = List.of("PUT", "DELETE", "OPTIONS", "TRACE", "CONNECT", "PATCH", "get", "POST", "HEAD",
                "G\u00c9T", "GET GET", "X".repeat(10_000), "BREW", "", "\u0000");
        return m.get(rnd.nextInt(m.size()));
    }

    private static List<String> bigHeaders(Random rnd) {
        return switch (rnd.nextInt(3)) {
            case 0 -> List.of("X-Big: " + "b".repeat(10_000 + rnd.nextInt(600_000)));
            case 1 -> {
                List<String> h = new ArrayList<>();
                int n = 100 + rnd.nextInt(3_000);
                for (int i = 0; i < n; i++) {
                    h.add("X-H" + i + ": " + i);
                }
                yield h;
            }
            default -> List.of("X-Observer-Token: " + "t".repeat(1 + rnd.nextInt(100_000)));
        };
    }

    private static String badEncoding(Random rnd) {
        List<String> t = List.of("/api/processes?filter=%", "/api/processes?filter=%4", "/api/processes?filter=%zz",
                "/api/processes?filter=%C3%28", "/api/processes?filter=%ED%A0%80", "/api/process?pid=%3C0.1.0",
                "/api/processes?%=1", "/api/processes?=1", "/api/processes?&&", "/api/processes?limit",
                "/api/processes?limit=1&limit=2", "/%", "/%zz", "/api/%C0%AE%C0%AE/", "/api/processes?filter=%00",
                "/api/table?kind=%00&id=1", "/api/processes?filter=" + "%41".repeat(rnd.nextInt(3_000)));
        return t.get(rnd.nextInt(t.size()));
    }

    private static Case truncated(Random rnd, String host) {
        byte[] whole = ("GET " + ENDPOINTS.get(rnd.nextInt(ENDPOINTS.size())) + "?limit=5 HTTP/1.1\r\nHost: " + host
                + "\r\nAccept: */*\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        int cut = rnd.nextInt(whole.length - 1);
        return new Case("truncated", Arrays.copyOf(whole, cut), false, false);
    }

    private static Case garbage(Random rnd) {
        byte[] b = new byte[rnd.nextInt(4_000)];
        rnd.nextBytes(b);
        return new Case("garbage", b, false, false);
    }

    private static Case body(Random rnd, String host) {
        String target = ENDPOINTS.get(rnd.nextInt(ENDPOINTS.size())) + query(rnd);
        String te = List.of("chunked", "gzip", "chunked, chunked", "identity", "x").get(rnd.nextInt(5));
        String[] heads = {
            "Content-Length: -1", "Content-Length: 99999999999999999999", "Content-Length: abc",
            "Content-Length: 5\r\nContent-Length: 6", "Content-Length: 1000000000", "Transfer-Encoding: " + te,
            "Content-Length: 3\r\nTransfer-Encoding: chunked", "Content-Length: 4",
        };
        int k = rnd.nextInt(heads.length);
        String bodyText = switch (rnd.nextInt(3)) {
            case 0 -> "zz\r\nnot a chunk\r\n";
            case 1 -> "0\r\n\r\n";
            default -> "abcd";
        };
        String req = "POST " + target + " HTTP/1.1\r\nHost: " + host + "\r\n" + heads[k] + "\r\n\r\n" + bodyText;
        // A request whose body is shorter than it says is incomplete: the observer may close it.
        boolean complete = k == 7 && bodyText.length() >= 4 || k == 0 || k == 2 || k == 3 || k == 6;
        boolean unsupported = k == 5 && !te.equals("chunked");
        return new Case("body", req.getBytes(StandardCharsets.US_ASCII), complete, unsupported);
    }

    private static Case oddForm(Random rnd, int port) {
        String host = "127.0.0.1:" + port;
        List<String> reqs = List.of(
                "GET /api/config HTTP/1.0\r\nHost: " + host + "\r\n\r\n",
                "GET /api/config HTTP/1.0\r\n\r\n",
                "GET /api/config HTTP/2.0\r\nHost: " + host + "\r\n\r\n",
                "GET /api/config HTTP/9.9\r\nHost: " + host + "\r\n\r\n",
                "GET /api/config\r\nHost: " + host + "\r\n\r\n",
                "GET /api/config HTTP/1.1\r\n\r\n",
                "GET /api/config HTTP/1.1\r\nHost: evil.example\r\n\r\n",
                "GET /api/config HTTP/1.1\r\nHost: " + host + "\r\nHost: evil.example\r\n\r\n",
                "GET /api/config HTTP/1.1\r\nHost: 127.0.0.1:" + port + "@evil.example\r\n\r\n",
                "GET http://127.0.0.1:" + port + "/api/config HTTP/1.1\r\nHost: " + host + "\r\n\r\n",
                "GET * HTTP/1.1\r\nHost: " + host + "\r\n\r\n",
                "GET //api/config HTTP/1.1\r\nHost: " + host + "\r\n\r\n",
                "GET /api/config HTTP/1.1\nHost: " + host + "\n\n",
                "GET /api/config HTTP/1.1\r\nHost " + host + "\r\n\r\n",
                "GET /api/config HTTP/1.1\r\n: empty\r\nHost: " + host + "\r\n\r\n",
                "GET /api/config HTTP/1.1\r\n Host: " + host + "\r\n\r\n",
                "\r\n\r\nGET /api/config HTTP/1.1\r\nHost: " + host + "\r\n\r\n",
                "GET /api/config HTTP/1.1\r\nHost: " + host + "\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\nab",
                "GET /api/config HTTP/1.1\r\nHost: " + host + "\r\n\r\nGET /api/system HTTP/1.1\r\nHost: " + host
                        + "\r\n\r\n");
        String r = rnd.nextInt(reqs.size() + 1) == 0
                ? "GET " + List.of("mailto:x", "urn:a:b", "x:").get(rnd.nextInt(3)) + " HTTP/1.1\r\nHost: " + host + "\r\n\r\n"
                : reqs.get(rnd.nextInt(reqs.size()));
        // The forms the JDK's parser may drop without a word are marked incomplete: an opaque
        // target (mailto:x) has no path to find a handler by, and it closes the connection.
        boolean complete = (r.contains("HTTP/1.1\r\nHost") || r.contains("HTTP/1.0\r\n")) && !r.startsWith("GET mailto")
                && !r.startsWith("GET urn") && !r.startsWith("GET x:");
        return new Case("odd form", r.getBytes(StandardCharsets.US_ASCII), complete, false);
    }

    private static String word(Random rnd) {
        char[] c = new char[1 + rnd.nextInt(12)];
        for (int i = 0; i < c.length; i++) {
            c[i] = (char) ('a' + rnd.nextInt(26));
        }
        return new String(c);
    }

    // ------------------------------------------------------------------ plumbing

    private static Socket socket(int port) throws IOException {
        Socket s = new Socket(InetAddress.getLoopbackAddress(), port);
        s.setSoTimeout(IO_DEADLINE_MILLIS);
        return s;
    }

    private static byte[] asset(String name) throws IOException {
        try (InputStream in = Observer.class.getResourceAsStream("/otp4j/observer/web/" + name)) {
            return in.readAllBytes();
        }
    }

    /** {@return the observers' threads and the JDK HTTP servers' dispatchers alive} */
    private static long observerThreads() {
        return Thread.getAllStackTraces().keySet().stream().map(Thread::getName)
                .filter(n -> n.startsWith("otp4j-observer-") || n.equals("HTTP-Dispatcher")).count();
    }

    private static String clip(String s) {
        return s.length() <= 300 ? s : s.substring(0, 300) + "...";
    }
}
