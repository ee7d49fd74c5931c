package otp4j.behaviour;

import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;

import otp4j.runtime.Dest;
import otp4j.runtime.Proc;

/**
 * OTP's {@code supervisor}: a process that starts children, watches them, restarts them by its
 * {@link Strategy} when they exit, and gives up when they exit too often.
 *
 * {@snippet :
 * Pid sup = Supervisor.startLink(SupFlags.oneForOne(), List.of(
 *         ChildSpec.worker("db", () -> GenServer.startLink(new Db())),
 *         ChildSpec.worker("cache", () -> GenServer.startLink(new Cache())))).orThrow();
 * }
 *
 * <p>What OTP guarantees, otp4j does: children start in order, each before the next
 * (SUP-001); stop in reverse order, each by its {@link Shutdown} (SUP-002, SUP-022..026);
 * {@link #whichChildren} lists them most recently started first; more than
 * {@link SupFlags#intensity()} restarts within {@link SupFlags#period()} stop the supervisor
 * with {@code shutdown}, which its own supervisor sees as an abnormal exit (SUP-016..020,
 * SUP-040, SUP-051). The supervisor traps exits; it is itself a {@link GenServer}, so
 * {@link Sys} and {@link GenServer#stop(Dest)} work on it (SUP-045). Child exits, failed
 * starts and giving up are reported as errors through {@link System.Logger}
 * {@code otp4j.behaviour} (SUP-021).
 *
 * <table class="striped">
 *   <caption>What the supervisor calls, when, and what each may return</caption>
 *   <thead><tr><th>callback</th><th>when it runs</th><th>may return</th></tr></thead>
 *   <tbody>
 *   <tr><td>{@link SupervisorInit#init()}</td><td>once, in the new supervisor, before
 *       {@code startLink} returns</td><td>a {@link SupervisorSpec} (flags and children, started
 *       in order); empty for OTP's {@code ignore}; a throw fails the start with the
 *       exception</td></tr>
 *   <tr><td>{@link ChildSpec.ChildStart#start()}</td><td>in the supervisor: at its start, on
 *       {@link #startChild}, {@link #restartChild}, and on every restart the strategy
 *       decides</td><td>{@link StartResult.Started} with a pid linked to the supervisor;
 *       {@link StartResult.Ignored} (the child is kept, not running); {@link StartResult.Failed},
 *       a throw or null: a failed start (at the supervisor's start, all of it fails; on a
 *       restart, it is retried and counts toward the intensity)</td></tr>
 *   <tr><td>the child's exit</td><td>an {@code EXIT} from the child's pid</td><td>by
 *       {@link Restart}: permanent always restarted, transient restarted after an abnormal
 *       exit, temporary never; with {@link Strategy#ONE_FOR_ALL} or
 *       {@link Strategy#REST_FOR_ONE} the siblings are stopped in reverse order and started
 *       again</td></tr>
 *   </tbody>
 * </table>
 *
 * <p>Every function here waits for the supervisor without a time limit, as OTP's do.
 * <b>May be called from:</b> a process.
 */
public final class Supervisor {
    private Supervisor() {
    }

    /** Starts a supervisor of {@code children} with {@code flags}, linked to the caller. */
    public static StartResult startLink(SupFlags flags, List<ChildSpec> children) {
        SupervisorSpec spec = new SupervisorSpec(flags, children);
        return startLink(() -> Optional.of(spec), StartOptions.defaults());
    }

    /**
     * Starts a supervisor linked to the caller; {@code init} runs in the supervisor and says what
     * to supervise. Returns once every child has started: {@link StartResult.Failed} with
     * {@link FailedToStartChild} if one could not, after the others have been stopped
     * (SUP-033); {@link StartResult.Ignored} if {@code init} returned empty (SUP-035);
     * {@link StartResult.Failed} with the exception if {@code init} threw (two children with
     * one id, for instance, SUP-037).
     */
    public static StartResult startLink(SupervisorInit init, StartOptions options) {
        Objects.requireNonNull(init, "init");
        return GenServer.startLink(new SupervisorServer(init), options);
    }

    /** As {@link #startLink(SupervisorInit, StartOptions)}, without a link to the caller. */
    public static StartResult start(SupervisorInit init, StartOptions options) {
        Objects.requireNonNull(init, "init");
        return GenServer.start(new SupervisorServer(init), options);
    }

    /**
     * Adds a child and starts it (SUP-029): {@link StartResult.Started}, {@link StartResult.Ignored}
     * (kept, not running, SUP-034), or {@link StartResult.Failed}: with
     * {@link AlreadyStarted} if a child with that id runs, {@code already_present} if it exists
     * but is stopped, or why its start failed (then it is not kept, SUP-032).
     */
    public static StartResult startChild(Dest supervisor, ChildSpec spec) {
        Objects.requireNonNull(spec, "spec");
        return GenServer.call(supervisor, new SupervisorServer.StartChild(spec), Proc.INFINITY);
    }

    /**
     * Stops child {@code id} by its shutdown policy; it stays in the supervisor, unless it is
     * temporary (SUP-030, SUP-044). Stopping a stopped child does nothing.
     *
     * @throws NoSuchElementException if the supervisor has no child {@code id}
     */
    public static void terminateChild(Dest supervisor, Object id) {
        check(GenServer.call(supervisor, new SupervisorServer.TerminateChild(id), Proc.INFINITY), supervisor, id);
    }

    /**
     * Starts stopped child {@code id} again (SUP-030).
     *
     * @throws NoSuchElementException if the supervisor has no child {@code id}
     * @throws IllegalStateException  if the child is running
     */
    public static StartResult restartChild(Dest supervisor, Object id) {
        return (StartResult) check(GenServer.call(supervisor, new SupervisorServer.RestartChild(id), Proc.INFINITY),
                supervisor, id);
    }

    /**
     * Removes stopped child {@code id} (SUP-030).
     *
     * @throws NoSuchElementException if the supervisor has no child {@code id}
     * @throws IllegalStateException  if the child is running: terminate it first
     */
    public static void deleteChild(Dest supervisor, Object id) {
        check(GenServer.call(supervisor, new SupervisorServer.DeleteChild(id), Proc.INFINITY), supervisor, id);
    }

    /** {@return the children, most recently started first (SUP-001, SUP-048)} */
    public static List<ChildInfo> whichChildren(Dest supervisor) {
        return GenServer.call(supervisor, new SupervisorServer.WhichChildren(), Proc.INFINITY);
    }

    /** {@return the children counted (SUP-015)} */
    public static ChildCounts countChildren(Dest supervisor) {
        return GenServer.call(supervisor, new SupervisorServer.CountChildren(), Proc.INFINITY);
    }

    /** {@return the specification of child {@code id}, defaults filled in (SUP-038)} */
    public static Optional<ChildSpec> getChildSpec(Dest supervisor, Object id) {
        Object r = GenServer.call(supervisor, new SupervisorServer.GetChildSpec(id), Proc.INFINITY);
        return r instanceof ChildSpec spec ? Optional.of(spec) : Optional.empty();
    }

    private static Object check(Object reply, Dest supervisor, Object id) {
        if (reply instanceof SupervisorServer.ChildError e) {
            throw switch (e) {
                case NOT_FOUND -> new NoSuchElementException("supervisor " + supervisor + " has no child " + id);
                case RUNNING -> new IllegalStateException("child " + id + " of supervisor " + supervisor
                        + " is running; terminate it first");
            };
        }
        return reply;
    }
}
