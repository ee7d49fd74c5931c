package otp4j.behaviour;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

import otp4j.runtime.Pid;
import otp4j.runtime.Reason;

/**
 * A {@link Task} awaited in vain. In Elixir the caller exits with
 * {@code {Why, {Task, :await, [task, timeout]}}}; here {@code await} throws, and a caller that
 * does not catch it crashes with it as its reason.
 */
public final class TaskException extends RuntimeException {

    /** Why the task gave no result. */
    public enum Kind {
        /** It did not finish within the timeout. */
        TIMEOUT,
        /** It exited without a result; {@link #exitReason()} says why. */
        EXIT
    }

    private final Kind kind;
    private final transient Pid task;
    private final transient Reason exitReason;

    TaskException(Kind kind, Pid task, Reason exitReason, Duration timeout) {
        super(describe(kind, task, exitReason, timeout), exitReason instanceof Reason.Crash c ? c.exception() : null,
                false, false);
        this.kind = Objects.requireNonNull(kind, "kind");
        this.task = task;
        this.exitReason = exitReason;
    }

    private static String describe(Kind kind, Pid task, Reason exitReason, Duration timeout) {
        String why = kind == Kind.TIMEOUT ? "timeout" : String.valueOf(exitReason);
        return "{" + why + ", {Task, await, [" + task + ", " + timeout + "]}}";
    }

    /** {@return why the task gave no result} */
    public Kind kind() {
        return kind;
    }

    /** {@return the task's process} */
    public Pid task() {
        return task;
    }

    /** {@return the task's exit reason, for {@link Kind#EXIT}} */
    public Optional<Reason> exitReason() {
        return Optional.ofNullable(exitReason);
    }
}
