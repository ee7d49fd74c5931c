package otp4j.observer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.Objects;
import java.util.Optional;

import otp4j.observer.internal.ObserverServer;
import otp4j.runtime.Node;
import otp4j.runtime.Proc;

/**
 * Erlang's {@code observer:start()} for otp4j: a live web view of a node's processes,
 * supervision trees, tables and load, with a JSON API behind every page, JMX beans for the
 * node's counters, and a terminal view ({@link Top}).
 *
 * {@snippet :
 * try (Node node = Node.start();
 *      Observer observer = Observer.start(node)) {      // logs: otp4j observer at http://127.0.0.1:...
 *     System.out.println(observer.url());
 *     // ... run the application ...
 * }
 * }
 *
 * <p>Costs nothing until started. Once started, its HTTP server and its sampler run on their own
 * platform threads, never on the carriers of the processes it watches; it samples the node once
 * per refresh interval (one walk of the process table) and answers every page from the last
 * sample. It reads processes without stopping them or sending them anything; only the
 * supervision-tree page and the opt-in server state and trace send {@code sys} requests, and
 * only to processes that run a behaviour.
 *
 * <p>It listens on loopback by default, escapes every value it shows, and refuses bad input
 * with a 4xx answer that says what is wrong. Killing a process and deleting a table's object
 * are off unless {@link ObserverOptions#withActions(boolean)} turns them on; then each needs
 * the random token made at start ({@link #token()}), and each is logged.
 *
 * <p><b>May be called from:</b> any thread ({@link #start()}: a process).
 */
public final class Observer implements AutoCloseable {
    private final ObserverServer server;

    private Observer(ObserverServer server) {
        this.server = server;
    }

    /**
     * Starts an observer of the calling process's node with {@link ObserverOptions#defaults()}.
     *
     * @throws IllegalCallerException if the caller is not a process; use {@link #start(Node)}
     */
    public static Observer start() {
        return start(ObserverOptions.defaults());
    }

    /** Starts an observer of {@code node} with {@link ObserverOptions#defaults()}. */
    public static Observer start(Node node) {
        return start(ObserverOptions.defaults().withNode(node));
    }

    /**
     * Starts an observer as {@code options} say, and logs its URL (to {@code System.Logger}
     * {@code otp4j.observer}, at INFO).
     *
     * @throws IllegalCallerException if {@code options} names no node and the caller is not a process
     * @throws IllegalStateException  if the node is shut down
     * @throws UncheckedIOException   if the address or port cannot be listened on
     */
    public static Observer start(ObserverOptions options) {
        Objects.requireNonNull(options, "options");
        Node node = options.node().orElseGet(() -> {
            if (!Proc.isProcess()) {
                throw new IllegalCallerException("Observer.start() observes the calling process's node, but "
                        + Thread.currentThread() + " is not a process; use Observer.start(node)");
            }
            return Proc.node();
        });
        if (node.isClosed()) {
            throw new IllegalStateException("node " + node.name() + " is shut down; start an observer of a running node");
        }
        try {
            return new Observer(ObserverServer.start(node, options));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on " + options.bindAddress().getHostAddress() + ":"
                    + options.port() + ": " + e.getMessage(), e);
        }
    }

    /** {@return the address of the web view, such as {@code http://127.0.0.1:40123/}} */
    public URI url() {
        return server.url();
    }

    /**
     * {@return the token the actions need, when they are allowed}: a random value made at
     * start, sent with each action in the {@code X-Observer-Token} header. The page reads it
     * from the URL's fragment ({@code #token=...}), which browsers do not send to servers.
     */
    public Optional<String> token() {
        return server.token();
    }

    /**
     * Stops the server, the sampler and the trace, and removes the JMX beans; returns once the
     * observer's threads have ended (or after ten seconds each, should one not). Idempotent.
     */
    @Override
    public void close() {
        server.close();
    }

    /** The server, for this package's tests. */
    ObserverServer server() {
        return server;
    }

    @Override
    public String toString() {
        return "Observer[" + url() + "]";
    }
}
