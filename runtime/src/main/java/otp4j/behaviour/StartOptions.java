package otp4j.behaviour;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

import otp4j.runtime.Dest;
import otp4j.runtime.Name;
import otp4j.runtime.Pid;
import otp4j.runtime.Proc;

/**
 * How to start a server: under what name, and how long its {@code init} may take.
 *
 * @param name    a {@link Name} (a locally registered name) or a {@link otp4j.runtime.Via}, or
 *                none
 * @param timeout how long {@code start} waits for {@code init}; {@link Proc#INFINITY} by
 *                default, as OTP. A server slower than that is killed and the start fails
 *                with {@code timeout} (GS-018)
 */
public record StartOptions(Optional<Dest> name, Duration timeout) {
    public StartOptions {
        Objects.requireNonNull(name, "name");
        name.ifPresent(n -> {
            if (n instanceof Pid p) {
                throw new IllegalArgumentException("a server is named by a Name or a Via, not a pid (" + p + ")");
            }
        });
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("a start timeout must be positive, was " + timeout);
        }
    }

    /** {@return no name, no start timeout} */
    public static StartOptions defaults() {
        return new StartOptions(Optional.empty(), Proc.INFINITY);
    }

    /** {@return options registering the server locally as {@code name}} */
    public static StartOptions named(String name) {
        return defaults().withName(new Name(name));
    }

    /** {@return a copy registering the server as {@code name}} */
    public StartOptions withName(Dest name) {
        return new StartOptions(Optional.of(Objects.requireNonNull(name, "name")), timeout);
    }

    /** {@return a copy with start timeout {@code timeout}} */
    public StartOptions withTimeout(Duration timeout) {
        return new StartOptions(name, timeout);
    }
}
