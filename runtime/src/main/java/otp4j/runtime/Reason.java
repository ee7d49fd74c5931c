package otp4j.runtime;

import java.util.Objects;
import java.util.Optional;

/**
 * Why a process exited, or the reason carried by an exit signal: Erlang's exit reasons as a
 * sealed family, so a {@code switch} over them needs no {@code default}.
 *
 * <table class="striped">
 *   <caption>Erlang reasons and their otp4j form</caption>
 *   <thead><tr><th>Erlang</th><th>otp4j</th><th>meaning</th></tr></thead>
 *   <tbody>
 *   <tr><td>{@code normal}</td><td>{@link #NORMAL}</td><td>the process returned, or asked to stop
 *       normally; linked processes that do not trap exits ignore it</td></tr>
 *   <tr><td>{@code kill}</td><td>{@link #KILL}</td><td>only as a signal: cannot be trapped; the
 *       target dies with {@code killed}</td></tr>
 *   <tr><td>{@code killed}</td><td>{@link #KILLED}</td><td>the target of {@code kill}; sent with
 *       {@link Proc#exit(Pid, Reason)} it is an ordinary, trappable reason (EXIT-043)</td></tr>
 *   <tr><td>{@code noproc}</td><td>{@link #NOPROC}</td><td>the process did not exist when
 *       monitored or linked</td></tr>
 *   <tr><td>{@code shutdown}, {@code {shutdown, X}}</td><td>{@link #SHUTDOWN},
 *       {@link #shutdown(Object)}</td><td>an orderly stop requested by a supervisor or the
 *       node</td></tr>
 *   <tr><td>{@code {Error, Stacktrace}}</td><td>{@link Crash}</td><td>the process threw; the
 *       exception carries the stack trace</td></tr>
 *   <tr><td>any other term</td><td>{@link Custom}</td><td>{@code exit(boom)}</td></tr>
 *   </tbody>
 * </table>
 */
public sealed interface Reason
        permits Reason.Normal, Reason.Kill, Reason.Killed, Reason.NoProc, Reason.Shutdown, Reason.Crash,
                Reason.Custom {

    /** Erlang's {@code normal}. */
    Reason NORMAL = new Normal();
    /** Erlang's {@code kill}: the untrappable signal. */
    Reason KILL = new Kill();
    /** Erlang's {@code killed}: how a process killed by {@link #KILL} is reported. */
    Reason KILLED = new Killed();
    /** Erlang's {@code noproc}. */
    Reason NOPROC = new NoProc();
    /** Erlang's {@code shutdown}. */
    Reason SHUTDOWN = new Shutdown(Optional.empty());

    /** {@return Erlang's {@code {shutdown, detail}}} */
    static Reason shutdown(Object detail) {
        return new Shutdown(Optional.of(Objects.requireNonNull(detail, "detail")));
    }

    /** {@return a crash reason for {@code exception}, as when a process throws it} */
    static Reason crash(Throwable exception) {
        return new Crash(exception);
    }

    /** {@return an application-defined reason, Erlang's {@code exit(Term)}} */
    static Reason custom(Object value) {
        return new Custom(value);
    }

    /**
     * {@return whether this reason is an error}: anything but {@code normal}, {@code shutdown}
     * and {@code {shutdown, _}}. Supervisors restart transient children, and servers log their
     * termination, only for abnormal reasons (SUP-013, GS-048).
     */
    default boolean isAbnormal() {
        return !(this instanceof Normal || this instanceof Shutdown);
    }

    /** {@code normal}. */
    record Normal() implements Reason {
        @Override
        public String toString() {
            return "normal";
        }
    }

    /** {@code kill}. */
    record Kill() implements Reason {
        @Override
        public String toString() {
            return "kill";
        }
    }

    /** {@code killed}. */
    record Killed() implements Reason {
        @Override
        public String toString() {
            return "killed";
        }
    }

    /** {@code noproc}. */
    record NoProc() implements Reason {
        @Override
        public String toString() {
            return "noproc";
        }
    }

    /**
     * {@code shutdown} or {@code {shutdown, Detail}}.
     *
     * @param detail the {@code Detail} of {@code {shutdown, Detail}}, empty for plain
     *               {@code shutdown}
     */
    record Shutdown(Optional<Object> detail) implements Reason {
        public Shutdown {
            Objects.requireNonNull(detail, "detail");
        }

        @Override
        public String toString() {
            return detail.map(d -> "{shutdown, " + d + "}").orElse("shutdown");
        }
    }

    /**
     * The process threw {@code exception} (Erlang's {@code {Error, Stacktrace}}); the exception
     * keeps its stack trace.
     *
     * @param exception what the process threw
     */
    record Crash(Throwable exception) implements Reason {
        public Crash {
            Objects.requireNonNull(exception, "exception");
        }

        @Override
        public String toString() {
            return "{" + exception + ", " + stackSummary() + "}";
        }

        private String stackSummary() {
            StackTraceElement[] st = exception.getStackTrace();
            return st.length == 0 ? "[]" : "[" + st[0] + (st.length > 1 ? ", ..." : "") + "]";
        }
    }

    /**
     * Any other reason, as {@code exit(boom)} gives in Erlang.
     *
     * @param value the application's reason
     */
    record Custom(Object value) implements Reason {
        public Custom {
            Objects.requireNonNull(value, "value");
        }

        @Override
        public String toString() {
            return String.valueOf(value);
        }
    }
}
