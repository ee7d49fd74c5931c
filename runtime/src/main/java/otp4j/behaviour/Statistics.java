package otp4j.behaviour;

import java.time.Instant;
import java.util.Objects;

/**
 * A server's counts since {@link Sys#statistics(otp4j.runtime.Dest, boolean)} turned them on, as
 * {@code sys:statistics(Name, get)}.
 *
 * @param since       when counting started
 * @param messagesIn  messages handled (calls, casts, others; not sys requests)
 * @param messagesOut replies sent
 */
public record Statistics(Instant since, long messagesIn, long messagesOut) {
    public Statistics {
        Objects.requireNonNull(since, "since");
    }

    Statistics in() {
        return new Statistics(since, messagesIn + 1, messagesOut);
    }

    Statistics out() {
        return new Statistics(since, messagesIn, messagesOut + 1);
    }
}
