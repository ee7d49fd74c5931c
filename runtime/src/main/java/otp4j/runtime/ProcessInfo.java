package otp4j.runtime;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A snapshot of a live process, as Erlang's {@code process_info/1}. Built from what the process
 * publishes, without stopping it or sending it anything: counts may be a moment old.
 *
 * @param pid                the process
 * @param registeredName     its registered name, if any
 * @param status             what it is doing (PROC-017)
 * @param messageQueueLength messages in its mailbox (PROC-012)
 * @param links              the processes linked to it (PROC-014)
 * @param monitors           what it monitors: pids, or {@link Name}s for monitors made by name
 *                           (PROC-015, PROC-016)
 * @param monitoredBy        the processes monitoring it
 * @param trapExit           whether it traps exits (PROC-020)
 * @param groupLeader        its group leader (see {@link Proc#groupLeader()}); its own pid when
 *                           it has none
 * @param messagesReceived   messages taken by its receives so far
 * @param reductions         a work counter, like Erlang's reductions: one per receive and send
 * @param memory             an estimate of the bytes it holds: a fixed cost for the process and
 *                           its parked virtual thread, plus its queued messages' references (the
 *                           messages themselves are shared, not copied)
 * @param initialCall        the code it was spawned with
 * @param spawnedAt          when it was spawned
 * @param runaway            how long it has been running without blocking, when that exceeds
 *                           half a second: virtual threads are not preempted, so such a process
 *                           keeps a carrier to itself, and an exit signal reaches it only when it
 *                           next calls the runtime or blocks. Only otp4j's scheduler watches its
 *                           carriers: on the JDK's (see {@link SchedulerType}) this is always
 *                           empty
 */
public record ProcessInfo(
        Pid pid,
        Optional<String> registeredName,
        ProcessStatus status,
        int messageQueueLength,
        List<Pid> links,
        List<Dest> monitors,
        List<Pid> monitoredBy,
        boolean trapExit,
        Pid groupLeader,
        long messagesReceived,
        long reductions,
        long memory,
        String initialCall,
        Instant spawnedAt,
        Optional<Duration> runaway) {

    /**
     * Bytes of an idle process with an empty mailbox: process, mailbox, pid, lock, and its parked
     * virtual thread with its stack. Measured as the heap taken by a million processes blocked in
     * receive (benchmark W1) on JDK 25: 1,030 to 1,100 bytes each.
     */
    static final long BASE_MEMORY = 1_100;
    /** Bytes a queued message adds to its mailbox (a reference and its share of a queue chunk). */
    static final long BYTES_PER_MESSAGE = 8;

    public ProcessInfo {
        Objects.requireNonNull(pid, "pid");
        Objects.requireNonNull(registeredName, "registeredName");
        Objects.requireNonNull(status, "status");
        links = List.copyOf(links);
        monitors = List.copyOf(monitors);
        monitoredBy = List.copyOf(monitoredBy);
        Objects.requireNonNull(groupLeader, "groupLeader");
        Objects.requireNonNull(initialCall, "initialCall");
        Objects.requireNonNull(spawnedAt, "spawnedAt");
        Objects.requireNonNull(runaway, "runaway");
    }
}
