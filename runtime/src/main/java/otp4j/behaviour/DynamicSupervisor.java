package otp4j.behaviour;

import java.time.Duration;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;

import otp4j.runtime.Dest;
import otp4j.runtime.Pid;
import otp4j.runtime.Proc;

/**
 * Elixir's {@code DynamicSupervisor}, which replaces OTP's {@code simple_one_for_one}: a
 * supervisor that starts with no children and is given them one at a time, each by its own
 * {@link ChildSpec}, and restarts each on its own (one_for_one). Made for many children of one
 * kind started on demand: connections, sessions, jobs.
 *
 * {@snippet :
 * Pid sup = DynamicSupervisor.startLink(DynamicSupervisor.Flags.defaults().withMaxChildren(10_000)).orThrow();
 * Pid session = DynamicSupervisor.startChild(sup,
 *         ChildSpec.worker("session", () -> GenServer.startLink(new Session(user)))).orThrow();
 * }
 *
 * <p>Where {@code simple_one_for_one} appends arguments to a template (SUP-008), a Java
 * {@link ChildSpec.ChildStart} captures them. What carries over from OTP: a child is restarted
 * with the spec it was started with and its siblings are untouched (SUP-009); a temporary child,
 * or a transient one that exited normally, is removed (SUP-049); a child whose start fails is
 * not kept (SUP-050); {@link #terminateChild} takes the child's pid (SUP-010); when the
 * supervisor stops, it stops all children at once, not one by one, each with {@code shutdown}
 * or as its spec says (SUP-011). Restart intensity is counted as {@link Supervisor}'s is, and
 * restarts that fail are retried as there.
 *
 * <p>Differences from {@code simple_one_for_one}, as in Elixir: a child's id labels it in
 * {@link #whichChildren} and in reports but need not be unique and is never looked up;
 * {@link ChildCounts#specs()} counts children, not the one template; {@link Flags#maxChildren()}
 * bounds how many there are. Significant children are not supported.
 *
 * <p>Every function here waits for the supervisor without a time limit.
 * <b>May be called from:</b> a process.
 */
public final class DynamicSupervisor {
    private DynamicSupervisor() {
    }

    /**
     * A dynamic supervisor's restart intensity and size limit. The intensity defaults are OTP's
     * ({@link OtpDefaults#INTENSITY} in {@link OtpDefaults#PERIOD}; Elixir's are 3 in 5 s).
     *
     * @param intensity   restarts allowed within {@code period}; more stop the supervisor
     * @param period      the window restarts are counted in, in whole seconds
     * @param maxChildren how many children it may have, running or being restarted; a
     *                    {@link #startChild} beyond that fails with {@code max_children}
     */
    public record Flags(int intensity, Duration period, int maxChildren) {
        public Flags {
            SupFlags.checkIntensity(intensity, period);
            if (maxChildren < 0) {
                throw new IllegalArgumentException("maxChildren must be >= 0, was " + maxChildren
                        + "; Integer.MAX_VALUE means no limit");
            }
        }

        /** {@return OTP's default intensity, no limit on children} */
        public static Flags defaults() {
            return new Flags(OtpDefaults.INTENSITY, OtpDefaults.PERIOD, Integer.MAX_VALUE);
        }

        /** {@return a copy allowing {@code intensity} restarts per {@code period}} */
        public Flags withIntensity(int intensity, Duration period) {
            return new Flags(intensity, period, maxChildren);
        }

        /** {@return a copy allowing at most {@code maxChildren} children} */
        public Flags withMaxChildren(int maxChildren) {
            return new Flags(intensity, period, maxChildren);
        }
    }

    /** Starts a dynamic supervisor with {@code flags}, linked to the caller. */
    public static StartResult startLink(Flags flags) {
        return startLink(flags, StartOptions.defaults());
    }

    /** Starts a dynamic supervisor with {@code flags}, linked to the caller, named as {@code options} say. */
    public static StartResult startLink(Flags flags, StartOptions options) {
        Objects.requireNonNull(flags, "flags");
        return GenServer.startLink(new DynamicSupervisorServer(flags), options);
    }

    /** As {@link #startLink(Flags, StartOptions)}, without a link to the caller. */
    public static StartResult start(Flags flags, StartOptions options) {
        Objects.requireNonNull(flags, "flags");
        return GenServer.start(new DynamicSupervisorServer(flags), options);
    }

    /**
     * Starts a child by {@code spec} and supervises it: {@link StartResult.Started},
     * {@link StartResult.Ignored} (not kept), or {@link StartResult.Failed} with why its start
     * failed (not kept, SUP-050) or with {@code max_children}.
     *
     * @throws IllegalArgumentException if {@code spec} is significant
     */
    public static StartResult startChild(Dest supervisor, ChildSpec spec) {
        Objects.requireNonNull(spec, "spec");
        if (spec.significant()) {
            throw new IllegalArgumentException("child " + spec.id() + " is significant; a dynamic supervisor "
                    + "does not stop on a child's exit, use a Supervisor with AutoShutdown for that");
        }
        return GenServer.call(supervisor, new DynamicSupervisorServer.StartChild(spec), Proc.INFINITY);
    }

    /**
     * Stops child {@code child} by its spec's shutdown and removes it (SUP-010).
     *
     * @throws NoSuchElementException if {@code child} is not a child of the supervisor
     */
    public static void terminateChild(Dest supervisor, Pid child) {
        Objects.requireNonNull(child, "child");
        Object r = GenServer.call(supervisor, new DynamicSupervisorServer.TerminateChild(child), Proc.INFINITY);
        if (r != Boolean.TRUE) {
            throw new NoSuchElementException(child + " is not a child of dynamic supervisor " + supervisor);
        }
    }

    /** {@return the children, most recently added first; a child being restarted has no pid} */
    public static List<ChildInfo> whichChildren(Dest supervisor) {
        return GenServer.call(supervisor, new DynamicSupervisorServer.WhichChildren(), Proc.INFINITY);
    }

    /** {@return the children counted; {@code specs} is how many there are, running or being restarted} */
    public static ChildCounts countChildren(Dest supervisor) {
        return GenServer.call(supervisor, new DynamicSupervisorServer.CountChildren(), Proc.INFINITY);
    }
}
