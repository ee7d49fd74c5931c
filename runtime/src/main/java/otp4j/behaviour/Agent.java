package otp4j.behaviour;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

import otp4j.runtime.Dest;
import otp4j.runtime.Proc;

/**
 * Elixir's {@code Agent}: state kept in a process, read and changed by functions sent to it.
 * The functions run in the agent, one at a time, so the state needs no lock; a function that
 * throws crashes the agent, and the caller gets {@link CallException} EXIT, as from a
 * {@link GenServer} whose callback threw.
 *
 * {@snippet :
 * Pid counter = Agent.startLink(() -> 0).orThrow();
 * Agent.update(counter, (Integer n) -> n + 1);
 * int n = Agent.get(counter, (Integer s) -> s);      // 1
 * }
 *
 * <p>The state's type is the caller's to keep straight, as in Elixir: the functions are given
 * the state as the type they declare. Keep the state immutable: {@link #get} returns what the
 * function returns, by reference.
 *
 * <p>Functions without a timeout wait 5 s, as {@link GenServer#call(Dest, Object)}; an agent is
 * a {@link GenServer}, so {@link GenServer#stop(Dest)} and {@link Sys} work on it.
 * <b>May be called from:</b> any thread (see {@link GenServer#call(Dest, Object)}).
 */
public final class Agent {
    private Agent() {
    }

    /** Starts an agent whose state is what {@code init} returns, run in the agent; linked to the caller. */
    public static <S> StartResult startLink(Supplier<? extends S> init) {
        return startLink(init, StartOptions.defaults());
    }

    /** As {@link #startLink(Supplier)}, named as {@code options} say. */
    public static <S> StartResult startLink(Supplier<? extends S> init, StartOptions options) {
        Objects.requireNonNull(init, "init");
        return GenServer.startLink(new Server<>(init), options);
    }

    /** As {@link #startLink(Supplier, StartOptions)}, without a link to the caller. */
    public static <S> StartResult start(Supplier<? extends S> init, StartOptions options) {
        Objects.requireNonNull(init, "init");
        return GenServer.start(new Server<>(init), options);
    }

    /** {@return {@code read} applied to the state} */
    public static <S, R> R get(Dest agent, Function<? super S, ? extends R> read) {
        return get(agent, read, OtpDefaults.CALL_TIMEOUT);
    }

    /** {@return {@code read} applied to the state}, waiting at most {@code timeout} */
    public static <S, R> R get(Dest agent, Function<? super S, ? extends R> read, Duration timeout) {
        Objects.requireNonNull(read, "read");
        Optional<R> r = GenServer.call(agent, new Get<>(read), timeout);
        return r.orElse(null);
    }

    /** Replaces the state by {@code change} applied to it, and waits until it is done. */
    public static <S> void update(Dest agent, UnaryOperator<S> change) {
        update(agent, change, OtpDefaults.CALL_TIMEOUT);
    }

    /** As {@link #update(Dest, UnaryOperator)}, waiting at most {@code timeout}. */
    public static <S> void update(Dest agent, UnaryOperator<S> change, Duration timeout) {
        Objects.requireNonNull(change, "change");
        GenServer.call(agent, new Update<>(change), timeout);
    }

    /**
     * Applies {@code change} to the state: the state becomes its {@link Change#state()}, and its
     * {@link Change#reply()} is returned. Elixir's {@code get_and_update}.
     */
    public static <S, R> R getAndUpdate(Dest agent, Function<? super S, Change<R, S>> change) {
        return getAndUpdate(agent, change, OtpDefaults.CALL_TIMEOUT);
    }

    /** As {@link #getAndUpdate(Dest, Function)}, waiting at most {@code timeout}. */
    public static <S, R> R getAndUpdate(Dest agent, Function<? super S, Change<R, S>> change, Duration timeout) {
        Objects.requireNonNull(change, "change");
        Optional<R> r = GenServer.call(agent, new GetAndUpdate<>(change), timeout);
        return r.orElse(null);
    }

    /** Replaces the state by {@code change} applied to it, without waiting: Elixir's {@code cast}. */
    public static <S> void cast(Dest agent, UnaryOperator<S> change) {
        Objects.requireNonNull(change, "change");
        GenServer.cast(agent, new Update<>(change));
    }

    /**
     * What {@link #getAndUpdate} makes of the state.
     *
     * @param reply what the caller gets
     * @param state the new state
     */
    public record Change<R, S>(R reply, S state) {
    }

    // ------------------------------------------------------------------ the server

    private sealed interface Request<S> {
    }

    private record Get<S>(Function<? super S, ?> read) implements Request<S> {
    }

    private record Update<S>(UnaryOperator<S> change) implements Request<S> {
    }

    private record GetAndUpdate<S>(Function<? super S, ? extends Change<?, S>> change) implements Request<S> {
    }

    private record Server<S>(Supplier<? extends S> initial) implements GenServer<S, Request<S>> {
        @Override
        public InitResult<S> init() {
            return GenServer.ok(initial.get());
        }

        @Override
        public CallResult<S> handleCall(Request<S> request, From from, S state) {
            return switch (request) {
                // A server replies no null; a function may return one, so replies travel in an Optional.
                case Get<S> g -> GenServer.reply(Optional.ofNullable(g.read().apply(state)), state);
                case Update<S> u -> GenServer.reply(Boolean.TRUE, u.change().apply(state));
                case GetAndUpdate<S> gu -> {
                    Change<?, S> c = Objects.requireNonNull(gu.change().apply(state),
                            "getAndUpdate's function returned null; return new Agent.Change(reply, state)");
                    yield GenServer.reply(Optional.ofNullable(c.reply()), c.state());
                }
            };
        }

        @Override
        public Result<S> handleCast(Request<S> request, S state) {
            if (request instanceof Update<S> u) {
                return GenServer.noreply(u.change().apply(state));
            }
            throw new IllegalArgumentException("an agent is cast only updates, not " + request);
        }

        @Override
        public Object formatStatus(S state) {
            return "agent, state " + state;
        }
    }
}
