package otp4j.samples.ratelimit;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

import com.sun.net.httpserver.HttpHandler;

import otp4j.behaviour.ChildSpec;
import otp4j.behaviour.GenServer;
import otp4j.behaviour.InitResult;
import otp4j.behaviour.Result;
import otp4j.behaviour.StartOptions;
import otp4j.behaviour.StartResult;
import otp4j.ets.Access;
import otp4j.ets.Ets;
import otp4j.ets.NoSuchTableException;
import otp4j.ets.Table;
import otp4j.ets.TableOptions;
import otp4j.runtime.Proc;
import otp4j.samples.web.HttpEndpoint;

/**
 * Per-client request counting in fixed windows: an ETS table named {@value #TABLE}, counted with
 * {@code update_counter} by whoever handles a request, and emptied at the end of each window by
 * the server that owns it.
 *
 * {@snippet :
 * RateLimiter limiter = new RateLimiter(100, Duration.ofSeconds(10));
 * Supervisor.startLink(SupFlags.oneForOne(), List.of(limiter.childSpec()));
 * switch (limiter.hit("alice")) {
 *     case RateLimiter.Allowed(long remaining) -> serve();
 *     case RateLimiter.Limited(Duration retryAfter) -> refuse(retryAfter);
 * }
 * }
 *
 * <p>A hit is one atomic {@link Table#updateCounter(Object, long, Object)}: under any number of
 * concurrent clients, a client gets exactly {@code limit} hits allowed per window. The table is
 * public (every request handler writes it) and owned by the server, which only creates it and
 * empties it on a timer: the counting never waits for a process. When the server dies the
 * table goes with it, and hits fail with {@link NoSuchTableException} until the restarted
 * server has created a new, empty one.
 *
 * <p>A window ends for every client at once, {@code window} after the previous end (or after the
 * server started). Time is the node's clock.
 */
public final class RateLimiter {

    /** The name of the counting table, as the Erlang version's {@code rate_limiter_requests}. */
    public static final String TABLE = "rate_limiter_requests";

    /** The server's registered name, and its child id. */
    public static final String NAME = "rate_limiter";

    /** What {@link #hit} decided. */
    public sealed interface Verdict permits Allowed, Limited {
    }

    /**
     * The request may go on.
     *
     * @param remaining how many more the client may make in this window
     */
    public record Allowed(long remaining) implements Verdict {
    }

    /**
     * The client is past the limit.
     *
     * @param retryAfter the longest the client has to wait for the next window
     */
    public record Limited(Duration retryAfter) implements Verdict {
    }

    private final long limit;
    private final Duration window;

    /**
     * Specifies a limiter.
     *
     * @param limit  requests allowed per client and window
     * @param window the length of a window
     * @throws IllegalArgumentException if {@code limit} is below 1 or {@code window} under a millisecond
     */
    public RateLimiter(long limit, Duration window) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1 request per window, was " + limit);
        }
        Objects.requireNonNull(window, "window");
        if (window.compareTo(Duration.ofMillis(1)) < 0) {
            throw new IllegalArgumentException("window must be at least 1 ms, was " + window);
        }
        this.limit = limit;
        this.window = window;
    }

    /** {@return requests allowed per client and window} */
    public long limit() {
        return limit;
    }

    /** {@return the length of a window} */
    public Duration window() {
        return window;
    }

    /** {@return a permanent worker running the table's owner, registered as {@value #NAME}} */
    public ChildSpec childSpec() {
        return ChildSpec.worker(NAME, this::startLink);
    }

    /** {@return the owner started, linked to the caller} <b>May be called from:</b> a process. */
    public StartResult startLink() {
        return GenServer.startLink(new Owner(window), StartOptions.named(NAME));
    }

    /**
     * {@return whether {@code client} may make one more request in this window} Counts the
     * request, whatever the answer.
     *
     * <p><b>May be called from:</b> any process.
     *
     * @throws NoSuchTableException if the limiter is not running (not started, or restarting)
     */
    public Verdict hit(String client) {
        Objects.requireNonNull(client, "client");
        Table<String, Long> table = Ets.<String, Long>whereis(TABLE).orElseThrow(() -> new NoSuchTableException(
                "the rate limiter is not running: table " + TABLE + " is gone with its owner (not started, or restarting)"));
        long count = table.updateCounter(client, 1, 0L);
        return count <= limit ? new Allowed(limit - count) : new Limited(window);
    }

    /**
     * {@return an HTTP handler that answers 200 to an allowed request and 429, with
     * {@code Retry-After}, to one past the limit} The client is the {@code client} query
     * parameter, else the {@code X-Client-Id} header, else the caller's address. While the
     * limiter restarts it answers 503.
     */
    public HttpHandler handler() {
        return exchange -> {
            String client = HttpEndpoint.query(exchange, "client")
                    .map(c -> URLDecoder.decode(c, StandardCharsets.UTF_8))
                    .or(() -> Optional.ofNullable(exchange.getRequestHeaders().getFirst("X-Client-Id")))
                    .orElseGet(() -> exchange.getRemoteAddress().getAddress().getHostAddress());
            Verdict verdict;
            try {
                verdict = hit(client);
            } catch (NoSuchTableException e) {
                exchange.getResponseHeaders().set("Retry-After", "1");
                HttpEndpoint.reply(exchange, 503, "rate limiter restarting, try again\n");
                return;
            }
            switch (verdict) {
                case Allowed(long remaining) -> {
                    exchange.getResponseHeaders().set("X-RateLimit-Remaining", Long.toString(remaining));
                    HttpEndpoint.reply(exchange, 200, "ok " + client + ": " + remaining + " left in this window\n");
                }
                case Limited(Duration retryAfter) -> {
                    exchange.getResponseHeaders().set("Retry-After", Long.toString(Math.max(1, retryAfter.toSeconds())));
                    HttpEndpoint.reply(exchange, 429, "too many requests from " + client + ": at most " + limit
                            + " per " + window + "\n");
                }
            }
        };
    }

    /** Ends a window: sent by the owner to itself, so no client can reset the counts. */
    private record Reset() {
    }

    private record Owner(Duration window) implements GenServer<Table<String, Long>, Object> {
        @Override
        public InitResult<Table<String, Long>> init() {
            Table<String, Long> table = Ets.newTable(TABLE, TableOptions.defaults().named().withAccess(Access.PUBLIC)
                    .withWriteConcurrency(true));
            Proc.sendAfter(window, Proc.self(), new Reset());
            return GenServer.ok(table);
        }

        @Override
        public Result<Table<String, Long>> handleInfo(Object message, Table<String, Long> table) {
            if (message instanceof Reset) {
                Proc.sendAfter(window, Proc.self(), new Reset());
                table.deleteAllObjects();
                return GenServer.noreply(table);
            }
            return GenServer.super.handleInfo(message, table);
        }

        @Override
        public Object formatStatus(Table<String, Long> table) {
            return TABLE + ": " + table.size() + " clients counted in this window of " + window;
        }
    }
}
