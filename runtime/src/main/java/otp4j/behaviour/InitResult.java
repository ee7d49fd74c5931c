package otp4j.behaviour;

import java.util.Objects;

import otp4j.runtime.Reason;

/**
 * What {@link GenServer#init()} returns: {@link Ok} (the server runs), {@link Ignore}
 * ({@code start} returns {@link StartResult.Ignored}, the server exits {@code normal}) or
 * {@link Stop} ({@code start} returns {@link StartResult.Failed}, the server exits with the
 * reason).
 *
 * @param <S> the server's state
 */
public sealed interface InitResult<S> permits InitResult.Ok, InitResult.Ignore, InitResult.Stop {

    /**
     * OTP's {@code {ok, State}} and {@code {ok, State, Next}}.
     *
     * @param state the initial state
     * @param next  what to do before the first message
     * @param <S>   the server's state
     */
    record Ok<S>(S state, Next next) implements InitResult<S> {
        public Ok {
            Objects.requireNonNull(next, "next");
        }
    }

    /**
     * OTP's {@code ignore} (GS-016).
     *
     * @param <S> the server's state
     */
    record Ignore<S>() implements InitResult<S> {
    }

    /**
     * OTP's {@code {stop, Reason}} (GS-013..015, GS-019).
     *
     * @param reason why the server does not start
     * @param <S>    the server's state
     */
    record Stop<S>(Reason reason) implements InitResult<S> {
        public Stop {
            Objects.requireNonNull(reason, "reason");
        }
    }
}
