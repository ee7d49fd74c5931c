package otp4j.observer;

import java.net.InetAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

import otp4j.runtime.Node;

/**
 * How {@link Observer#start(ObserverOptions)} runs: which node, where it listens, how often it
 * samples, and which opt-in views and actions it allows. Every view that could show a secret
 * (messages, a server's state) or change the node (kill, delete, trace) is off by default.
 *
 * @param node            the node to observe; empty means the calling process's node
 * @param bindAddress     the address to listen on; the loopback address by default. On
 *                        loopback, requests from elsewhere and requests naming another host
 *                        are refused
 * @param port            the TCP port; 0 (the default) picks a free one
 * @param refreshInterval how often the node is sampled and the pages refresh; 1 s by default,
 *                        at least 100 ms
 * @param actions         whether the kill and delete actions are allowed; each then needs the
 *                        start's random token
 * @param serverState     whether a process page shows a server's state, through its
 *                        {@code formatStatus} (so that what it leaves out stays out)
 * @param trace           whether a process's messages may be traced
 * @param messages        whether a process page shows the first messages of its mailbox
 * @param requestTimeout  how long one request may take, from its first byte to the last byte
 *                        of its answer; a client slower than this (one that stops in the middle
 *                        of its request, or stops reading the answer) has its connection
 *                        closed. 10 s by default, at least {@link #MIN_REQUEST_TIMEOUT}
 */
public record ObserverOptions(Optional<Node> node, InetAddress bindAddress, int port, Duration refreshInterval,
                              boolean actions, boolean serverState, boolean trace, boolean messages,
                              Duration requestTimeout) {
    /** The shortest refresh interval accepted. */
    public static final Duration MIN_REFRESH = Duration.ofMillis(100);
    /** The most messages a process page shows, oldest first, with {@link #withMessages(boolean)}. */
    public static final int MAX_MESSAGES_SHOWN = 20;
    /** The shortest request timeout accepted. */
    public static final Duration MIN_REQUEST_TIMEOUT = Duration.ofMillis(100);

    public ObserverOptions {
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(bindAddress, "bindAddress");
        Objects.requireNonNull(refreshInterval, "refreshInterval");
        Objects.requireNonNull(requestTimeout, "requestTimeout");
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port must be between 0 and 65535 (0 picks a free one), was " + port);
        }
        if (refreshInterval.compareTo(MIN_REFRESH) < 0) {
            throw new IllegalArgumentException("refreshInterval must be at least " + MIN_REFRESH.toMillis()
                    + " ms, was " + refreshInterval);
        }
        if (requestTimeout.compareTo(MIN_REQUEST_TIMEOUT) < 0) {
            throw new IllegalArgumentException("requestTimeout must be at least " + MIN_REQUEST_TIMEOUT.toMillis()
                    + " ms, was " + requestTimeout);
        }
    }

    /** {@return the defaults: the caller's node, loopback, a free port, 1 s, nothing opt-in, requests within 10 s} */
    public static ObserverOptions defaults() {
        return new ObserverOptions(Optional.empty(), InetAddress.getLoopbackAddress(), 0, Duration.ofSeconds(1),
                false, false, false, false, Duration.ofSeconds(10));
    }

    /** {@return a copy observing {@code n}} */
    public ObserverOptions withNode(Node n) {
        return new ObserverOptions(Optional.of(Objects.requireNonNull(n, "node")), bindAddress, port,
                refreshInterval, actions, serverState, trace, messages, requestTimeout);
    }

    /** {@return a copy listening on {@code address}; anything but loopback exposes the node to the network} */
    public ObserverOptions withBindAddress(InetAddress address) {
        return new ObserverOptions(node, address, port, refreshInterval, actions, serverState, trace, messages, requestTimeout);
    }

    /** {@return a copy listening on {@code p}} */
    public ObserverOptions withPort(int p) {
        return new ObserverOptions(node, bindAddress, p, refreshInterval, actions, serverState, trace, messages, requestTimeout);
    }

    /** {@return a copy sampling every {@code interval}} */
    public ObserverOptions withRefreshInterval(Duration interval) {
        return new ObserverOptions(node, bindAddress, port, interval, actions, serverState, trace, messages, requestTimeout);
    }

    /** {@return a copy that allows the kill and delete actions (with the start's token), or not} */
    public ObserverOptions withActions(boolean on) {
        return new ObserverOptions(node, bindAddress, port, refreshInterval, on, serverState, trace, messages, requestTimeout);
    }

    /** {@return a copy that shows servers' states (as their formatStatus shows them), or not} */
    public ObserverOptions withServerState(boolean on) {
        return new ObserverOptions(node, bindAddress, port, refreshInterval, actions, on, trace, messages, requestTimeout);
    }

    /** {@return a copy that allows message traces, or not} */
    public ObserverOptions withTrace(boolean on) {
        return new ObserverOptions(node, bindAddress, port, refreshInterval, actions, serverState, on, messages, requestTimeout);
    }

    /** {@return a copy that closes the connection of a request not done within {@code timeout}} */
    public ObserverOptions withRequestTimeout(Duration timeout) {
        return new ObserverOptions(node, bindAddress, port, refreshInterval, actions, serverState, trace, messages, timeout);
    }

    /**
     * {@return a copy whose process pages show the first messages of the mailbox (as text, at
     * most {@link #MAX_MESSAGES_SHOWN}), or not}. Off by default: messages are the process's
     * data, and may hold secrets.
     */
    public ObserverOptions withMessages(boolean on) {
        return new ObserverOptions(node, bindAddress, port, refreshInterval, actions, serverState, trace, on,
                requestTimeout);
    }
}
