package otp4j.behaviour;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;

import otp4j.runtime.Dest;
import otp4j.runtime.Pid;

/**
 * OTP's {@code sys}: looks into and steers any {@link GenServer} (and {@link Supervisor}) from
 * outside, whatever its callbacks. Each function is a request the server answers between two
 * messages, like a call; each waits 5 seconds unless given a timeout.
 *
 * <p><b>May be called from:</b> a process; or any thread for a pid.
 *
 * @see GenServer#formatStatus(Object)
 */
public final class Sys {
    private Sys() {
    }

    private static final Duration DEFAULT = OtpDefaults.CALL_TIMEOUT;

    /** {@return the server's state, as {@code sys:get_state}} */
    public static Object getState(Dest server) {
        return getState(server, DEFAULT);
    }

    /** {@return the server's state}, waiting up to {@code timeout} */
    public static Object getState(Dest server, Duration timeout) {
        return ask(server, new SystemCommand.GetState(), timeout);
    }

    /** {@return the server's status: its state as {@code formatStatus} shows it, and more} */
    public static ServerStatus getStatus(Dest server) {
        return (ServerStatus) ask(server, new SystemCommand.GetStatus(), DEFAULT);
    }

    /**
     * Replaces the server's state with {@code replace(state)} and returns the new state, as
     * {@code sys:replace_state}. If {@code replace} throws, the state stays as it was and this
     * throws an {@link IllegalStateException} with that exception as its cause.
     */
    @SuppressWarnings("unchecked")
    public static <S> S replaceState(Dest server, UnaryOperator<S> replace) {
        Objects.requireNonNull(replace, "replace");
        Object r = ask(server, new SystemCommand.ReplaceState(s -> replace.apply((S) s)), DEFAULT);
        if (r instanceof ServerLoop.SysFailure f) {
            throw new IllegalStateException("replaceState failed in " + server + "; the state is unchanged",
                    f.exception());
        }
        return (S) r;
    }

    /** Suspends the server: it then answers only {@code Sys} requests, the rest waits (sys:suspend). */
    public static void suspend(Dest server) {
        ask(server, new SystemCommand.Suspend(), DEFAULT);
    }

    /** Resumes a suspended server (sys:resume). */
    public static void resume(Dest server) {
        ask(server, new SystemCommand.Resume(), DEFAULT);
    }

    /** Turns the server's message counts on (from zero) or off (sys:statistics). */
    public static void statistics(Dest server, boolean on) {
        ask(server, new SystemCommand.Statistics(Optional.of(on)), DEFAULT);
    }

    /** {@return the server's message counts, if turned on} */
    @SuppressWarnings("unchecked")
    public static Optional<Statistics> statistics(Dest server) {
        return (Optional<Statistics>) ask(server, new SystemCommand.Statistics(Optional.empty()), DEFAULT);
    }

    /**
     * Makes the server send {@code tracer} a {@link TraceEvent} for every message it handles and
     * every reply it sends (sys:trace). One tracer at a time.
     */
    public static void trace(Dest server, Pid tracer) {
        Objects.requireNonNull(tracer, "tracer");
        ask(server, new SystemCommand.Trace(Optional.of(tracer)), DEFAULT);
    }

    /** Stops tracing the server. */
    public static void untrace(Dest server) {
        ask(server, new SystemCommand.Trace(Optional.empty()), DEFAULT);
    }

    private static Object ask(Dest server, SystemCommand command, Duration timeout) {
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(timeout, "timeout");
        return ServerLoop.system(server, command, timeout);
    }
}
