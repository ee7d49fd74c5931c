package otp4j.behaviour;

import java.time.Duration;
import java.util.Objects;

import otp4j.runtime.Proc;

/** How a {@link Supervisor} stops a child: OTP's {@code brutal_kill}, a timeout, or {@code infinity}. */
public sealed interface Shutdown permits Shutdown.BrutalKill, Shutdown.Timeout, Shutdown.Infinity {

    /** {@return kill the child at once; its {@code terminate} does not run (SUP-022)} */
    static Shutdown brutalKill() {
        return BrutalKill.INSTANCE;
    }

    /**
     * {@return send {@code shutdown}, and kill the child if it has not exited after
     * {@code timeout}} (SUP-023, SUP-024)
     *
     * @throws IllegalArgumentException if {@code timeout} is not positive: use
     *                                  {@link #brutalKill()} to stop at once
     */
    static Shutdown timeout(Duration timeout) {
        return new Timeout(timeout);
    }

    /** {@return send {@code shutdown} and wait as long as it takes (SUP-025)} */
    static Shutdown infinity() {
        return Infinity.INSTANCE;
    }

    /** Kill at once. */
    enum BrutalKill implements Shutdown {
        INSTANCE;

        @Override
        public String toString() {
            return "brutal_kill";
        }
    }

    /**
     * Ask, then kill after {@code timeout}.
     *
     * @param timeout how long the child may take; positive
     */
    record Timeout(Duration timeout) implements Shutdown {
        public Timeout {
            Objects.requireNonNull(timeout, "timeout");
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("a shutdown timeout must be positive, was " + timeout
                        + "; use Shutdown.brutalKill() to stop a child at once");
            }
            if (timeout.compareTo(Proc.INFINITY) >= 0) {
                throw new IllegalArgumentException("use Shutdown.infinity() to wait without a limit");
            }
        }

        @Override
        public String toString() {
            return timeout.toMillis() + " ms";
        }
    }

    /** Ask, and wait as long as it takes. */
    enum Infinity implements Shutdown {
        INSTANCE;

        @Override
        public String toString() {
            return "infinity";
        }
    }
}
