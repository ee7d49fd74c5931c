package otp4j.behaviour;

import java.util.Objects;

/**
 * Go on with {@code state} without replying now: OTP's {@code {noreply, State}} and
 * {@code {noreply, State, Next}}. From {@code handleCall}, the caller keeps waiting for a
 * {@link GenServer#reply(From, Object)} (GS-010).
 *
 * @param state the new state
 * @param next  what to do before the next message
 * @param <S>   the server's state
 */
public record NoReply<S>(S state, Next next) implements CallResult<S>, Result<S> {
    public NoReply {
        Objects.requireNonNull(next, "next");
    }
}
