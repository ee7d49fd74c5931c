package otp4j.behaviour;

import java.util.Objects;

import otp4j.runtime.Reason;

/**
 * Reply to the caller, then stop: OTP's {@code {stop, Reason, Reply, State}} (GS-020).
 *
 * @param reason why the server stops
 * @param reply  what the caller's {@link GenServer#call} returns
 * @param state  the state {@code terminate} gets
 * @param <S>    the server's state
 */
public record StopReply<S>(Reason reason, Object reply, S state) implements CallResult<S> {
    public StopReply {
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(reply, "reply: a server cannot reply null");
    }
}
