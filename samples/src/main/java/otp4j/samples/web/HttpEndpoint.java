package otp4j.samples.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;

import otp4j.behaviour.ChildSpec;
import otp4j.behaviour.GenServer;
import otp4j.behaviour.InitResult;
import otp4j.behaviour.Result;
import otp4j.behaviour.StartOptions;
import otp4j.behaviour.StartResult;
import otp4j.runtime.Down;
import otp4j.runtime.Exit;
import otp4j.runtime.Matcher;
import otp4j.runtime.Node;
import otp4j.runtime.Pid;
import otp4j.runtime.Proc;
import otp4j.runtime.Reason;

/**
 * An HTTP listener on the JDK's {@code jdk.httpserver}, owned by a process, as a listening
 * socket is owned by an Erlang process: when the owner exits, for whatever reason, the listener
 * closes. Each request is handled in a process of its own, spawned on the owner's node (as
 * cowboy does), so handlers may call servers and read tables.
 *
 * {@snippet :
 * HttpEndpoint web = new HttpEndpoint("web", InetAddress.getLoopbackAddress(), 0,
 *         List.of(new HttpEndpoint.Route("/limited", limiter.handler())));
 * Supervisor.startLink(SupFlags.oneForOne(), List.of(limiter.childSpec(), web.childSpec()));
 * URI base = web.uri();                              // http://127.0.0.1:<the port bound>
 * }
 *
 * <p>An {@code HttpEndpoint} object is a specification and a handle: its {@link #childSpec()}
 * starts the owner under a supervisor; after a restart the listener binds the port its first
 * start bound, so a port chosen by the system ({@code 0}) stays the same for clients.
 *
 * <p>A handler that throws answers 500 with the exception's message.
 */
public final class HttpEndpoint {
    /*
     * Overview
     *
     * The owner is a GenServer whose init binds and starts the HttpServer. Kill is untrappable
     * and runs no terminate, so the owner cannot close the listener itself in every case: a
     * "closer" process, spawned unlinked by init, monitors the owner and stops the listener on
     * its Down. terminate (the owner traps exits, so a supervisor's shutdown runs it) stops it
     * too, at once, because at node close the closer may be killed before it gets its Down.
     * Listener.close() is idempotent; whichever comes first closes and completes `closed`.
     *
     * A restarted owner must bind the same port, which the old listener may still hold: its init
     * waits for the previous listener's `closed` before binding (the closer runs as soon as the
     * old owner is dead, which the supervisor saw before restarting it).
     */

    private static final System.Logger LOG = System.getLogger(HttpEndpoint.class.getName());

    /** How long a restarted listener waits for its predecessor to release the port. */
    private static final Duration RELEASE_WAIT = Duration.ofSeconds(10);

    /**
     * A path prefix and its handler, as {@link HttpServer#createContext(String, HttpHandler)}.
     *
     * @param path    the prefix, starting with {@code /}
     * @param handler what answers requests under it; it runs in a process of its own
     */
    public record Route(String path, HttpHandler handler) {
        public Route {
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(handler, "handler");
            if (!path.startsWith("/")) {
                throw new IllegalArgumentException("a route's path starts with /, was \"" + path + "\"");
            }
        }
    }

    private final String name;
    private final InetAddress address;
    private final int port;
    private final List<Route> routes;
    private final AtomicReference<Listener> current = new AtomicReference<>();

    /**
     * Specifies an endpoint.
     *
     * @param name    the owner's registered name, and its child id
     * @param address the address to listen on
     * @param port    the port; {@code 0} for one the system chooses, kept across restarts
     * @param routes  the handlers, by path prefix
     * @throws IllegalArgumentException if the port is outside 0..65535, there are no routes, or
     *                                  two routes share a path
     */
    public HttpEndpoint(String name, InetAddress address, int port, List<Route> routes) {
        this.name = Objects.requireNonNull(name, "name");
        this.address = Objects.requireNonNull(address, "address");
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port must be in 0..65535 (0: any free port), was " + port);
        }
        this.port = port;
        this.routes = List.copyOf(Objects.requireNonNull(routes, "routes"));
        if (this.routes.isEmpty()) {
            throw new IllegalArgumentException("endpoint " + name + " needs at least one route");
        }
        if (this.routes.stream().map(Route::path).distinct().count() != this.routes.size()) {
            throw new IllegalArgumentException("endpoint " + name + ": two routes share a path in " + this.routes);
        }
    }

    /** {@return the owner's registered name} */
    public String name() {
        return name;
    }

    /** {@return a permanent worker that runs the owner, registered under {@link #name()}} */
    public ChildSpec childSpec() {
        return ChildSpec.worker(name, this::startLink);
    }

    /** {@return the owner started, linked to the caller} <b>May be called from:</b> a process. */
    public StartResult startLink() {
        return GenServer.startLink(new Owner(this), StartOptions.named(name));
    }

    /**
     * {@return the port bound} The same across restarts.
     *
     * @throws IllegalStateException if the endpoint has not been started yet
     */
    public int port() {
        Listener l = current.get();
        if (l == null) {
            throw new IllegalStateException("endpoint " + name + " has not been started, so it has no port yet");
        }
        return l.port;
    }

    /** {@return {@code http://address:port}} As {@link #port()}. */
    public URI uri() {
        return URI.create("http://" + address.getHostAddress() + ":" + port());
    }

    /**
     * Answers {@code exchange} with {@code status} and {@code body} as UTF-8 plain text, and
     * closes it.
     */
    public static void reply(HttpExchange exchange, int status, String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        try (OutputStream out = exchange.getResponseBody()) {
            exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
            out.write(bytes);
        } catch (IOException e) {
            // the client went away: there is no one left to answer
            throw new UncheckedIOException("answering " + exchange.getRequestURI(), e);
        }
    }

    /** {@return the request body as UTF-8 text} */
    public static String body(HttpExchange exchange) {
        try (InputStream in = exchange.getRequestBody()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("reading the body of " + exchange.getRequestURI(), e);
        }
    }

    /** {@return the value of query parameter {@code key}, not decoded; empty if absent} */
    public static Optional<String> query(HttpExchange exchange, String key) {
        String q = exchange.getRequestURI().getRawQuery();
        if (q == null) {
            return Optional.empty();
        }
        for (String pair : q.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0 && pair.substring(0, eq).equals(key)) {
                return Optional.of(pair.substring(eq + 1));
            }
        }
        return Optional.empty();
    }

    /** One bound HttpServer, closed once by whoever comes first: terminate or the closer. */
    private static final class Listener {
        final HttpServer server;
        final int port;
        final CompletableFuture<Void> closed = new CompletableFuture<>();
        private final AtomicBoolean closing = new AtomicBoolean();

        Listener(HttpServer server) {
            this.server = server;
            this.port = server.getAddress().getPort();
        }

        void close() {
            if (closing.compareAndSet(false, true)) {
                try {
                    server.stop(0);
                } finally {
                    closed.complete(null);
                }
            }
        }
    }

    private record Owner(HttpEndpoint endpoint) implements GenServer<Listener, Object> {
        @Override
        public InitResult<Listener> init() {
            Proc.trapExit(true);
            Listener previous = endpoint.current.get();
            int bindPort = endpoint.port;
            if (previous != null) {
                awaitRelease(previous);
                bindPort = previous.port;
            }
            HttpServer server;
            try {
                server = HttpServer.create(new InetSocketAddress(endpoint.address, bindPort), 0);
            } catch (IOException e) {
                return GenServer.stopInit(Reason.custom("cannot listen on " + endpoint.address.getHostAddress() + ":"
                        + bindPort + ": " + e.getMessage()));
            }
            Node node = Proc.node();
            server.setExecutor(node::spawn);
            for (Route r : endpoint.routes) {
                server.createContext(r.path(), exchange -> handle(r.handler(), exchange));
            }
            Listener listener = new Listener(server);
            server.start();
            endpoint.current.set(listener);
            Pid owner = Proc.self();
            Proc.spawn(() -> {
                Proc.monitor(owner);
                Proc.receive(Matcher.type(Down.class));
                listener.close();
            });
            return GenServer.ok(listener);
        }

        private static void awaitRelease(Listener previous) {
            try {
                previous.closed.get(RELEASE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for port " + previous.port + " to be released", e);
            } catch (ExecutionException | TimeoutException e) {
                throw new IllegalStateException("the previous listener did not release port " + previous.port
                        + " within " + RELEASE_WAIT, e);
            }
        }

        private static void handle(HttpHandler handler, HttpExchange exchange) {
            try {
                handler.handle(exchange);
            } catch (IOException | UncheckedIOException e) {
                connectionLost(exchange, e);
            } catch (RuntimeException e) {
                try {
                    reply(exchange, 500, e.getClass().getSimpleName() + ": " + e.getMessage() + "\n");
                } catch (UncheckedIOException lost) {
                    connectionLost(exchange, lost);
                }
            } finally {
                exchange.close();
            }
        }

        /** The client closed the connection: there is no one left to answer, so it is only logged. */
        private static void connectionLost(HttpExchange exchange, Exception e) {
            LOG.log(System.Logger.Level.DEBUG, () -> "connection lost while answering " + exchange.getRequestURI()
                    + ": " + e.getMessage());
        }

        /**
         * The owner traps exits only so that terminate closes the listener: an exit signal from
         * anyone but the parent (the node closing, say) stops it as the parent's would.
         */
        @Override
        public Result<Listener> handleInfo(Object message, Listener listener) {
            if (message instanceof Exit exit) {
                return GenServer.stop(exit.reason(), listener);
            }
            return GenServer.super.handleInfo(message, listener);
        }

        @Override
        public void terminate(Reason reason, Listener listener) {
            listener.close();
        }

        @Override
        public Object formatStatus(Listener listener) {
            return "listening on port " + listener.port;
        }
    }
}
