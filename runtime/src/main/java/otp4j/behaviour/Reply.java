package otp4j.behaviour;

import java.util.Objects;

/**
 * Reply {@code reply} to the caller and go on with {@code state}: OTP's
 * {@code {reply, Reply, State}} and {@code {reply, Reply, State, Next}}.
 *
 * @param reply what the caller's {@link GenServer#call} returns
 * @param state the new state
 * @param next  what to do before the next message
 * @param <S>   the server's state
 */
public record Reply<S>(Object reply, S state, Next next) implements CallResult<S> {
    public Reply {
        Objects.requireNonNull(reply, "reply: a server cannot reply null; reply a value or Optional.empty()");
        Objects.requireNonNull(next, "next");
    }
}
