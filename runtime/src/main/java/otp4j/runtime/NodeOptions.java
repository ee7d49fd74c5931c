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
 * @param maxProcesses    how many processes the node may hold at once, as Erlang's {@code +P}:
 *                        a spawn past it throws {@link SystemLimitException}. The check is made
 *                        at spawn against the node's process count; spawns racing on several
 *                        threads may each pass it, so the count can exceed the limit by at most
 *                        the number of threads spawning at that moment. By default
 *                        {@value #DEFAULT_MAX_PROCESSES} (2^24), more than a heap holds; lower it
 *                        to stop a spawn loop before it takes the heap
 */
public record NodeOptions(
        Optional<String> name,
        int carriers,
        SchedulerType scheduler,
        Ticker ticker,
        Duration shutdownTimeout,
        int maxProcesses) {

    /** The default {@link #maxProcesses()}. */
    public static final int DEFAULT_MAX_PROCESSES = 1 << 24;

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
        if (maxProcesses < 1) {
            throw new IllegalArgumentException("maxProcesses must be >= 1, was " + maxProcesses);
        }
    }

    /** {@return the defaults: OTP4J scheduler, one carrier per processor, system ticker, 5 s shutdown, 2^24 processes} */
    public static NodeOptions defaults() {
        return new NodeOptions(Optional.empty(), Runtime.getRuntime().availableProcessors(),
                SchedulerType.OTP4J, Ticker.system(), Duration.ofSeconds(5), DEFAULT_MAX_PROCESSES);
    }

    /** {@return a copy with {@code name}} */
    public NodeOptions withName(String name) {
        return new NodeOptions(Optional.of(Objects.requireNonNull(name, "name")), carriers, scheduler, ticker,
                shutdownTimeout, maxProcesses);
    }

    /** {@return a copy with {@code carriers} carrier threads} */
    public NodeOptions withCarriers(int carriers) {
        return new NodeOptions(name, carriers, scheduler, ticker, shutdownTimeout, maxProcesses);
    }

    /** {@return a copy using {@code scheduler}} */
    public NodeOptions withScheduler(SchedulerType scheduler) {
        return new NodeOptions(name, carriers, scheduler, ticker, shutdownTimeout, maxProcesses);
    }

    /** {@return a copy measuring time with {@code ticker}} */
    public NodeOptions withTicker(Ticker ticker) {
        return new NodeOptions(name, carriers, scheduler, ticker, shutdownTimeout, maxProcesses);
    }

    /** {@return a copy with {@code shutdownTimeout}} */
    public NodeOptions withShutdownTimeout(Duration shutdownTimeout) {
        return new NodeOptions(name, carriers, scheduler, ticker, shutdownTimeout, maxProcesses);
    }

    /** {@return a copy that holds at most {@code maxProcesses} processes at once} */
    public NodeOptions withMaxProcesses(int maxProcesses) {
        return new NodeOptions(name, carriers, scheduler, ticker, shutdownTimeout, maxProcesses);
    }
}
