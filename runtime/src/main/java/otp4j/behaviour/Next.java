package otp4j.behaviour;

import java.time.Duration;
import java.util.Objects;

/**
 * What a {@link GenServer} does after a callback, before it takes its next message: the optional
 * last element of OTP's callback returns ({@code Timeout}, {@code hibernate},
 * {@code {continue, C}}).
 */
public sealed interface Next permits Next.None, Next.Timeout, Next.Hibernate, Next.Continue {

    /** {@return nothing special: take the next message} */
    static Next none() {
        return None.INSTANCE;
    }

    /**
     * {@return wait at most {@code after} for a message; if none comes, the server gets
     * {@link ServerTimeout#TIMEOUT} in {@code handleInfo}} (GS-038, GS-039)
     */
    static Next timeout(Duration after) {
        return new Timeout(after);
    }

    /**
     * {@return hibernate until the next message}. On the JVM a parked process has no stack or heap
     * of its own to shrink; hibernating releases the mailbox's buffers (GS-033).
     */
    static Next hibernate() {
        return Hibernate.INSTANCE;
    }

    /** {@return call {@code handleContinue(continuation, state)} before the next message} (GS-031, 032) */
    static Next handleContinue(Object continuation) {
        return new Continue(continuation);
    }

    /** Take the next message. */
    enum None implements Next {
        INSTANCE
    }

    /**
     * Wait at most {@code after} for a message.
     *
     * @param after how long to wait; not negative
     */
    record Timeout(Duration after) implements Next {
        public Timeout {
            Objects.requireNonNull(after, "after");
            if (after.isNegative()) {
                throw new IllegalArgumentException("a server timeout must not be negative, was " + after);
            }
        }
    }

    /** Hibernate. */
    enum Hibernate implements Next {
        INSTANCE
    }

    /**
     * Run {@code handleContinue} first.
     *
     * @param continuation what {@code handleContinue} gets
     */
    record Continue(Object continuation) implements Next {
        public Continue {
            Objects.requireNonNull(continuation, "continuation");
        }
    }
}
