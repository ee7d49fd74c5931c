package otp4j.behaviour;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

import otp4j.runtime.Dest;
import otp4j.runtime.Reason;

/**
 * A {@link GenServer#call} that did not get its reply. In Erlang the caller exits with
 * {@code {Why, {gen_server, call, [Server, Request | Timeout]}}}; here the call throws, and a
 * caller that does not catch it crashes with it as its reason.
 */
public final class CallException extends RuntimeException {

    /** Why the call failed. */
    public enum Kind {
        /** No reply within the timeout (GS-005, GS-049, GS-051). */
        TIMEOUT,
        /** No such server: a dead pid or an unregistered name (GS-007, GS-008, GS-050). */
        NOPROC,
        /** A server called itself, which would wait forever (GS-009). */
        CALLING_SELF,
        /** The server exited before replying; {@link #exitReason()} says why (GS-021, GS-023, GS-045, GS-046). */
        EXIT
    }

    private final Kind kind;
    private final transient Dest server;
    private final transient Object request;
    private final transient Reason exitReason;
    private final Duration timeout;

    CallException(Kind kind, Dest server, Object request, Reason exitReason, Duration timeout) {
        super(describe(kind, server, request, exitReason, timeout), null, false, false);
        this.kind = Objects.requireNonNull(kind, "kind");
        this.server = server;
        this.request = request;
        this.exitReason = exitReason;
        this.timeout = timeout;
    }

    private static String describe(Kind kind, Dest server, Object request, Reason exitReason, Duration timeout) {
        String why = switch (kind) {
            case TIMEOUT -> "timeout";
            case NOPROC -> "noproc";
            case CALLING_SELF -> "calling_self";
            case EXIT -> String.valueOf(exitReason);
        };
        return "{" + why + ", {gen_server, call, [" + server + ", " + request
                + (timeout == null ? "" : ", " + timeout) + "]}}";
    }

    /** {@return why the call failed} */
    public Kind kind() {
        return kind;
    }

    /** {@return the server called} */
    public Dest server() {
        return server;
    }

    /** {@return the request} */
    public Object request() {
        return request;
    }

    /** {@return the server's exit reason, for {@link Kind#EXIT}} */
    public Optional<Reason> exitReason() {
        return Optional.ofNullable(exitReason);
    }

    /** {@return the timeout given to the call, if one was given explicitly} */
    public Optional<Duration> timeout() {
        return Optional.ofNullable(timeout);
    }
}
