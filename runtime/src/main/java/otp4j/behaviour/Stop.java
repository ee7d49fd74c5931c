package otp4j.behaviour;

import java.util.Objects;

import otp4j.runtime.Reason;

/**
 * Stop the server: {@code terminate(reason, state)} runs, then the server exits with
 * {@code reason}: OTP's {@code {stop, Reason, State}}. From {@code handleCall}, the caller gets
 * a {@link CallException} with that reason (GS-021).
 *
 * @param reason why the server stops
 * @param state  the state {@code terminate} gets
 * @param <S>    the server's state
 */
public record Stop<S>(Reason reason, S state) implements CallResult<S>, Result<S> {
    public Stop {
        Objects.requireNonNull(reason, "reason");
    }
}
