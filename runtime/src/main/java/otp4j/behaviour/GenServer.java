package otp4j.behaviour;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

import otp4j.runtime.Dest;
import otp4j.runtime.Pid;
import otp4j.runtime.Proc;
import otp4j.runtime.Reason;
import otp4j.runtime.Ref;

/**
 * A generic server, OTP's {@code gen_server}: a process that keeps a state and answers calls,
 * casts and other messages through callbacks. Implement the callbacks; the server loop,
 * the call protocol, {@link Sys} requests and error reports come with it.
 *
 * {@snippet :
 * record Counter(long start) implements GenServer<Long, Counter.Msg> {
 *     sealed interface Msg permits Add, Get {}
 *     record Add(long n) implements Msg {}
 *     record Get() implements Msg {}
 *
 *     public InitResult<Long> init() { return GenServer.ok(start); }
 *
 *     public CallResult<Long> handleCall(Msg msg, From from, Long total) {
 *         return switch (msg) {
 *             case Add(long n) -> GenServer.reply(total + n, total + n);
 *             case Get() -> GenServer.reply(total, total);
 *         };
 *     }
 * }
 *
 * Pid counter = GenServer.startLink(new Counter(0)).orThrow();
 * long total = GenServer.call(counter, new Counter.Add(5));   // 5
 * }
 *
 * <table class="striped">
 *   <caption>Client functions, callbacks, and what the loop does with each result</caption>
 *   <thead><tr><th>client</th><th>callback</th><th>results and what follows</th></tr></thead>
 *   <tbody>
 *   <tr><td>{@link #start}, {@link #startLink}</td><td>{@link #init()}</td>
 *       <td>{@link InitResult.Ok}: the start returns {@link StartResult.Started};
 *       {@link InitResult.Ignore}: it returns {@link StartResult.Ignored} and the server exits
 *       {@code normal}; {@link InitResult.Stop} or a throw: it returns
 *       {@link StartResult.Failed} and the server exits with the reason (which, through the
 *       link of {@code startLink}, ends a caller that does not trap exits, as OTP 25
 *       does)</td></tr>
 *   <tr><td>{@link #call}</td><td>{@link #handleCall}</td>
 *       <td>{@link Reply}: answer now; {@link NoReply}: answer later with
 *       {@link From#reply(Object)}; {@link StopReply}: terminate, answer, exit; {@link Stop}:
 *       terminate and exit, the caller gets a {@link CallException}</td></tr>
 *   <tr><td>{@link #cast}</td><td>{@link #handleCast}</td>
 *       <td>{@link NoReply} or {@link Stop}</td></tr>
 *   <tr><td>any other message, a {@link ServerTimeout}</td><td>{@link #handleInfo}</td>
 *       <td>{@link NoReply} or {@link Stop}</td></tr>
 *   <tr><td>{@link Next#handleContinue}</td><td>{@link #handleContinue}</td>
 *       <td>{@link NoReply} or {@link Stop}, before any other message</td></tr>
 *   <tr><td>{@link #stop}, a {@link Stop}, the parent's exit when trapping, a throw</td>
 *       <td>{@link #terminate}</td><td>the server exits with the reason</td></tr>
 *   </tbody>
 * </table>
 *
 * <p>Surprises kept from OTP: a server does not trap exits unless its {@code init} calls
 * {@link Proc#trapExit(boolean)}, so when its parent (the caller of {@code startLink}) exits,
 * {@code terminate} runs only if it traps (GS-026, GS-027); a server that calls itself gets
 * {@link CallException.Kind#CALLING_SELF} instead of waiting forever (GS-009). A callback that
 * throws, or returns null, ends the server with a crash reason, after {@code terminate}.
 * Stops for reasons other than {@code normal}, {@code shutdown} and {@code {shutdown, _}} are
 * logged as errors through {@link System.Logger} {@code otp4j.behaviour} (GS-048).
 *
 * @param <S> the state
 * @param <M> the requests of calls and casts
 */
public interface GenServer<S, M> {

    // ------------------------------------------------------------------ callbacks

    /**
     * Initialises the server, in the server's process, before {@code start} returns. Return
     * {@link #ok(Object)} with the initial state.
     */
    InitResult<S> init();

    /**
     * Handles a {@link #call}. The default fails the server: a server that is called must
     * implement it.
     */
    default CallResult<S> handleCall(M request, From from, S state) {
        throw new UnsupportedOperationException(getClass().getName() + " got a call (" + request
                + ") but does not implement handleCall");
    }

    /** Handles a {@link #cast}. The default fails the server: a server that is cast to must implement it. */
    default Result<S> handleCast(M request, S state) {
        throw new UnsupportedOperationException(getClass().getName() + " got a cast (" + request
                + ") but does not implement handleCast");
    }

    /**
     * Handles any other message: plain sends, {@link otp4j.runtime.Exit} and
     * {@link otp4j.runtime.Down} messages, {@link ServerTimeout#TIMEOUT}. The default logs a
     * warning and keeps the state, as OTP does for a module without {@code handle_info} (GS-030).
     */
    default Result<S> handleInfo(Object message, S state) {
        ServerLoop.LOG.log(System.Logger.Level.WARNING,
                () -> "** Undefined handle_info in " + getClass().getName() + "\n** Unhandled message: " + message);
        return noreply(state);
    }

    /** Handles a {@link Next#handleContinue(Object)}. The default fails the server. */
    default Result<S> handleContinue(Object continuation, S state) {
        throw new UnsupportedOperationException(getClass().getName() + " asked to continue with " + continuation
                + " but does not implement handleContinue");
    }

    /**
     * Cleans up before the server exits with {@code reason}. Not called when the server is
     * killed, nor when its parent exits and it does not trap exits. If it throws, the error is
     * logged and the server still exits with {@code reason}.
     */
    default void terminate(Reason reason, S state) {
    }

    /**
     * {@return what {@link Sys#getStatus} and error reports show of {@code state}}: override it
     * to leave out secrets. The default shows the state itself.
     */
    default Object formatStatus(S state) {
        return state;
    }

    // ------------------------------------------------------------------ results

    /** {@return init's {@code {ok, State}}} */
    static <S> InitResult<S> ok(S state) {
        return new InitResult.Ok<>(state, Next.none());
    }

    /** {@return init's {@code {ok, State, Next}}} */
    static <S> InitResult<S> ok(S state, Next next) {
        return new InitResult.Ok<>(state, next);
    }

    /** {@return init's {@code ignore}} */
    static <S> InitResult<S> ignore() {
        return new InitResult.Ignore<>();
    }

    /** {@return init's {@code {stop, Reason}}} */
    static <S> InitResult<S> stopInit(Reason reason) {
        return new InitResult.Stop<>(reason);
    }

    /** {@return {@code {reply, Reply, State}}} */
    static <S> Reply<S> reply(Object reply, S state) {
        return new Reply<>(reply, state, Next.none());
    }

    /** {@return {@code {reply, Reply, State, Next}}} */
    static <S> Reply<S> reply(Object reply, S state, Next next) {
        return new Reply<>(reply, state, next);
    }

    /** {@return {@code {noreply, State}}} */
    static <S> NoReply<S> noreply(S state) {
        return new NoReply<>(state, Next.none());
    }

    /** {@return {@code {noreply, State, Next}}} */
    static <S> NoReply<S> noreply(S state, Next next) {
        return new NoReply<>(state, next);
    }

    /** {@return {@code {stop, Reason, State}}} */
    static <S> Stop<S> stop(Reason reason, S state) {
        return new Stop<>(reason, state);
    }

    /** {@return {@code {stop, Reason, Reply, State}}} */
    static <S> StopReply<S> stopReply(Reason reason, Object reply, S state) {
        return new StopReply<>(reason, reply, state);
    }

    // ------------------------------------------------------------------ client functions

    /**
     * Starts {@code server} in a new process, not linked to the caller, and waits until its
     * {@code init} has returned (GS-015, GS-037).
     *
     * <p><b>May be called from:</b> a process.
     */
    static StartResult start(GenServer<?, ?> server) {
        return start(server, StartOptions.defaults());
    }

    /** As {@link #start(GenServer)}, with a name or a start timeout. */
    static StartResult start(GenServer<?, ?> server, StartOptions options) {
        return ServerLoop.start(server, options, false);
    }

    /**
     * Starts {@code server} in a new process linked to the caller, its parent, and waits until
     * its {@code init} has returned (GS-001, GS-013, GS-037).
     *
     * <p><b>May be called from:</b> a process.
     */
    static StartResult startLink(GenServer<?, ?> server) {
        return startLink(server, StartOptions.defaults());
    }

    /** As {@link #startLink(GenServer)}, with a name or a start timeout. */
    static StartResult startLink(GenServer<?, ?> server, StartOptions options) {
        return ServerLoop.start(server, options, true);
    }

    /**
     * Calls {@code server} with {@code request} and waits up to 5 seconds
     * ({@code gen_server:call/2}'s default, GS-051) for the reply.
     *
     * <p><b>May be called from:</b> a process; or any thread when {@code server} is a pid (the
     * call then runs in a short-lived process attached to the calling thread).
     *
     * @param <R> the reply's type: the caller's expectation, checked when the reply arrives
     * @throws CallException if no reply comes: timeout, no such server, the server exited
     */
    static <R> R call(Dest server, Object request) {
        return ServerLoop.call(server, request, OtpDefaults.CALL_TIMEOUT, false);
    }

    /**
     * As {@link #call(Dest, Object)}, waiting up to {@code timeout} ({@link Proc#INFINITY} to
     * wait as long as it takes, GS-040). A reply that comes after the timeout is dropped: it
     * never reaches the caller's mailbox.
     */
    static <R> R call(Dest server, Object request, Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("a call timeout must not be negative, was " + timeout);
        }
        return ServerLoop.call(server, request, timeout, true);
    }

    /**
     * Sends {@code request} to {@code server} as a cast and returns at once; never fails, even
     * for a dead pid or an unregistered name (GS-002, GS-003).
     *
     * <p><b>May be called from:</b> any thread for a pid; a process for a name.
     */
    static void cast(Dest server, Object request) {
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(request, "request");
        Optional<Pid> pid = ServerLoop.resolve(server);
        pid.ifPresent(p -> Proc.send(p, new CastRequest(request)));
    }

    /**
     * Stops {@code server} with reason {@code normal} and waits until it has exited: its
     * {@code terminate} runs whether it traps exits or not (GS-041).
     *
     * <p><b>May be called from:</b> a process.
     *
     * @throws CallException ({@link CallException.Kind#NOPROC}) if there is no such server (GS-043)
     */
    static void stop(Dest server) {
        stop(server, Reason.NORMAL, Proc.INFINITY);
    }

    /**
     * Stops {@code server} with {@code reason}, waiting up to {@code timeout} for it to exit
     * (GS-042).
     *
     * @throws CallException if there is no such server, or it did not exit in time
     */
    static void stop(Dest server, Reason reason, Duration timeout) {
        ServerLoop.stop(server, reason, timeout);
    }

    /**
     * Sends {@code request} as a call without waiting: the answer is collected later with
     * {@link #receiveResponse(RequestId, Duration)} (OTP's {@code send_request}, GS-047).
     *
     * <p><b>May be called from:</b> a process.
     */
    static RequestId sendRequest(Dest server, Object request) {
        return ServerLoop.sendRequest(server, request);
    }

    /**
     * Waits up to {@code timeout} for the answer to {@code id} (OTP's {@code receive_response}).
     * On a timeout the request stays pending: a later {@code receiveResponse} may still get it.
     *
     * <p><b>May be called from:</b> the process that sent the request.
     */
    static Response receiveResponse(RequestId id, Duration timeout) {
        return ServerLoop.receiveResponse(id, timeout);
    }

    /** A pending {@link #sendRequest}. */
    final class RequestId {
        final Dest server;
        final Pid pid;
        final Ref monitor;

        RequestId(Dest server, Pid pid, Ref monitor) {
            this.server = server;
            this.pid = pid;
            this.monitor = monitor;
        }

        @Override
        public String toString() {
            return "RequestId[" + server + ", " + monitor + "]";
        }
    }

    /** The outcome of {@link #receiveResponse}: OTP's {@code {reply, R}}, {@code timeout}, {@code {error, ...}}. */
    sealed interface Response permits Response.Replied, Response.TimedOut, Response.Failed {
        /** @param value the reply */
        record Replied(Object value) implements Response {
        }

        /** No answer yet. */
        record TimedOut() implements Response {
        }

        /** @param reason why the server gave no answer: it exited, or never existed ({@code noproc}) */
        record Failed(Reason reason) implements Response {
        }
    }

}
