package otp4j.runtime;

import java.util.Objects;

/**
 * Counters of a node, as Erlang's {@code system_info/1} and {@code statistics/1}.
 *
 * @param node           the node's name
 * @param processCount   live processes (PROC-011)
 * @param lingeringCount processes that have exited but whose threads have not finished yet
 *                       (see {@link Node#lingering()})
 * @param armedTimers    timers armed and not yet fired or cancelled
 * @param scheduler      the scheduler in use
 * @param carriers       carrier threads (for {@link SchedulerType#JDK}, the JDK's parallelism)
 * @param runQueue       tasks waiting for a carrier, an estimate (0 for the JDK scheduler)
 * @param spawned        processes spawned since the node started
 * @param runtimeThreads the node's own platform threads still running (carriers, timer,
 *                       monitor)
 */
public record SystemInfo(
        String node,
        int processCount,
        int lingeringCount,
        long armedTimers,
        SchedulerType scheduler,
        int carriers,
        int runQueue,
        long spawned,
        int runtimeThreads) {
    public SystemInfo {
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(scheduler, "scheduler");
    }
}
