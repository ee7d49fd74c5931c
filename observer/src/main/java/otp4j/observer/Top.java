package otp4j.observer;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import otp4j.observer.internal.JsonReader;
import otp4j.observer.internal.TopView;

/**
 * The terminal view, as Erlang's {@code etop} or {@code observer_cli}: a refreshing top of a
 * running node's processes and tables, read from its observer's JSON API.
 *
 * <pre>
 * java -cp otp4j-observer.jar:otp4j-ets.jar:otp4j-runtime.jar otp4j.observer.Top http://127.0.0.1:PORT/ [rows] [seconds]
 * </pre>
 *
 * Keys: {@code r} reductions per interval (the default), {@code R} reductions, {@code b} mailbox
 * length, {@code m} memory, {@code d} messages received per interval, {@code p} pid,
 * {@code n} name; {@code q} quits. On a terminal, keys act at once (the terminal is put in
 * character mode while it runs, and restored after).
 */
public final class Top {
    private final URI base;
    private final int rows;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private Top(URI base, int rows) {
        this.base = base;
        this.rows = rows;
    }

    public static void main(String[] args) throws InterruptedException {
        if (args.length < 1 || args.length > 3) {
            System.err.println("usage: Top URL [rows] [seconds]   (URL: the observer's, as Observer.url() gives it)");
            System.exit(2);
        }
        URI url;
        int rows;
        Duration interval;
        try {
            url = URI.create(args[0].endsWith("/") ? args[0] : args[0] + "/");
            if (!"http".equals(url.getScheme())) {
                throw new IllegalArgumentException("the URL must begin with http://, was " + args[0]);
            }
            rows = args.length > 1 ? Integer.parseInt(args[1]) : 20;
            interval = Duration.ofSeconds(args.length > 2 ? Long.parseLong(args[2]) : 1);
            if (rows < 1 || rows > 500 || interval.isNegative() || interval.isZero()) {
                throw new IllegalArgumentException("rows must be 1 to 500 and seconds at least 1");
            }
        } catch (IllegalArgumentException e) {
            System.err.println("Top: " + e.getMessage());
            System.exit(2);
            return;
        }
        Terminal terminal = Terminal.characterMode();
        try {
            run(url, rows, interval, System.in, System.out, terminal.isTty());
        } finally {
            terminal.restore();
        }
    }

    /**
     * Shows the view on {@code out} every {@code interval}, and at once after each key read
     * from {@code keys}, until {@code q} is read (or the observer stops answering, which is
     * shown). {@code clear} erases the screen before each frame (ANSI), for a terminal.
     */
    public static void run(URI url, int rows, Duration interval, InputStream keys, PrintStream out, boolean clear)
            throws InterruptedException {
        Top top = new Top(url, rows);
        BlockingQueue<Integer> pressed = new LinkedBlockingQueue<>();
        Thread reader = Thread.ofPlatform().daemon().name("otp4j-top-keys").start(() -> {
            try {
                int c;
                while ((c = keys.read()) >= 0) {
                    pressed.add(c);
                }
            } catch (IOException e) {
                // no more keys: the view goes on refreshing until interrupted
            }
        });
        TopView.Sort sort = TopView.Sort.REDUCTIONS_DELTA;
        try {
            for (;;) {
                String frame;
                try {
                    frame = top.frame(sort);
                } catch (IOException | RuntimeException e) {
                    out.println("Top: cannot read " + url + ": " + e.getMessage());
                    return;
                }
                out.print((clear ? "\033[H\033[2J" : "") + frame);
                out.flush();
                Integer key = pressed.poll(interval.toMillis(), TimeUnit.MILLISECONDS);
                if (key == null) {
                    continue;
                }
                if (key == TopView.QUIT) {
                    return;
                }
                TopView.Sort chosen = TopView.Sort.of((char) key.intValue());
                if (chosen != null) {
                    sort = chosen;
                }
            }
        } finally {
            reader.interrupt();
        }
    }

    /** {@return one frame of the view, sorted by {@code sort}} */
    String frame(TopView.Sort sort) throws IOException, InterruptedException {
        return TopView.render(get("api/system"),
                get("api/processes?sort=" + sort.column + "&order=" + sort.order() + "&limit=" + rows),
                get("api/tables"), sort, 160);
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> get(String path) throws IOException, InterruptedException {
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(10))
                .build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        Object body = JsonReader.parse(r.body());
        if (r.statusCode() != 200) {
            throw new IOException(r.statusCode() + " " + (body instanceof Map<?, ?> m ? m.get("error") : ""));
        }
        return (Map<String, Object>) body;
    }

    /** The controlling terminal, in character mode (keys without Enter, no echo) while Top runs. */
    private record Terminal(String saved) {
        static Terminal characterMode() {
            if (System.console() == null) {
                return new Terminal(null);
            }
            try {
                String saved = stty("-g").trim();
                stty("-icanon", "-echo", "min", "1");
                return new Terminal(saved);
            } catch (IOException e) {
                return new Terminal(null); // no stty: keys then act after Enter
            }
        }

        boolean isTty() {
            return System.console() != null;
        }

        void restore() {
            if (saved != null) {
                try {
                    stty(saved);
                } catch (IOException e) {
                    System.err.println("Top: could not restore the terminal; run 'stty sane'");
                }
            }
        }

        private static String stty(String... args) throws IOException {
            String[] cmd = new String[args.length + 1];
            cmd[0] = "stty";
            System.arraycopy(args, 0, cmd, 1, args.length);
            Process p = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/tty")))
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            try {
                if (p.waitFor() != 0) {
                    throw new IOException("stty failed: " + out);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
            return out;
        }
    }
}
