package otp4j.runtime;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How to start a {@link Node}. Immutable; each {@code with…} method returns a copy.
 *
 * @param name            the node's name, used in thread names and messages; a fresh one
 *                        ({@code node0}, {@code node1}, …) when empty
 * @param carriers        carrier threads for {@link SchedulerType#OTP4J}; by default the number
 *                        of available processors
 * @param scheduler       which scheduler runs the processes
 * @param ticker          the clock for timeouts and timers
 * @param shutdownTimeout how long {@link Node#close()} lets processes react to {@code shutdown}
 *                        before killing them, and waits for their threads to end
 */
public record NodeOptions(
        Optional<String> name,
        int carriers,
        SchedulerType scheduler,
        Ticker ticker,
        Duration shutdownTimeout) {

    public NodeOptions {
        Objects.requireNonNull(name, "name");
        name.ifPresent(n -> {
            if (n.isBlank()) {
                throw new IllegalArgumentException("a node name must not be blank, was \"" + n + "\"");
            }
        });
        if (carriers < 1) {
            throw new IllegalArgumentException("carriers must be >= 1, was " + carriers);
        }
        Objects.requireNonNull(scheduler, "scheduler");
        Objects.requireNonNull(ticker, "ticker");
        Objects.requireNonNull(shutdownTimeout, "shutdownTimeout");
        if (shutdownTimeout.isNegative()) {
            throw new IllegalArgumentException("shutdownTimeout must not be negative, was " + shutdownTimeout);
        }
    }

    /** {@return the defaults: OTP4J scheduler, one carrier per processor, system ticker, 5 s shutdown} */
    public static NodeOptions defaults() {
        return new NodeOptions(Optional.empty(), Runtime.getRuntime().availableProcessors(),
                SchedulerType.OTP4J, Ticker.system(), Duration.ofSeconds(5));
    }

    /** {@return a copy with {@code name}} */
    public NodeOptions withName(String name) {
        return new NodeOptions(Optional.of(Objects.requireNonNull(name, "name")), carriers, scheduler, ticker,
                shutdownTimeout);
    }

    /** {@return a copy with {@code carriers} carrier threads} */
    public NodeOptions withCarriers(int carriers) {
        return new NodeOptions(name, carriers, scheduler, ticker, shutdownTimeout);
    }

    /** {@return a copy using {@code scheduler}} */
    public NodeOptions withScheduler(SchedulerType scheduler) {
        return new NodeOptions(name, carriers, scheduler, ticker, shutdownTimeout);
    }

    /** {@return a copy measuring time with {@code ticker}} */
    public NodeOptions withTicker(Ticker ticker) {
        return new NodeOptions(name, carriers, scheduler, ticker, shutdownTimeout);
    }

    /** {@return a copy with {@code shutdownTimeout}} */
    public NodeOptions withShutdownTimeout(Duration shutdownTimeout) {
        return new NodeOptions(name, carriers, scheduler, ticker, shutdownTimeout);
    }
}
