package otp4j.runtime;

import java.util.Objects;

/**
 * The message a timer made by {@link Proc#startTimer(java.time.Duration, Dest, Object)}
 * delivers, Erlang's {@code {timeout, TimerRef, Msg}} (PROC-041).
 *
 * @param timer   the timer's reference
 * @param message the message given to {@code startTimer}
 */
public record Timeout(Ref timer, Object message) {
    public Timeout {
        Objects.requireNonNull(timer, "timer");
        Objects.requireNonNull(message, "message");
    }
}
