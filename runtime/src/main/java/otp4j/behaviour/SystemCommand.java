package otp4j.behaviour;

import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;

import otp4j.runtime.Pid;
import otp4j.runtime.Reason;

/** The {@link Sys} requests a server answers, whatever its callbacks. */
sealed interface SystemCommand {
    /** {@code sys:get_state}. */
    record GetState() implements SystemCommand {
    }

    /** {@code sys:get_status}. */
    record GetStatus() implements SystemCommand {
    }

    /** {@code sys:replace_state}. */
    record ReplaceState(UnaryOperator<Object> replace) implements SystemCommand {
        public ReplaceState {
            Objects.requireNonNull(replace, "replace");
        }
    }

    /** {@code sys:suspend}. */
    record Suspend() implements SystemCommand {
    }

    /** {@code sys:resume}. */
    record Resume() implements SystemCommand {
    }

    /** {@code sys:statistics}: turn counting on or off, or read the counts (empty). */
    record Statistics(Optional<Boolean> on) implements SystemCommand {
    }

    /** {@code sys:trace}: send trace events to a tracer, or stop (empty). */
    record Trace(Optional<Pid> tracer) implements SystemCommand {
    }

    /** {@code gen_server:stop}: terminate with a reason. */
    record Terminate(Reason reason) implements SystemCommand {
        public Terminate {
            Objects.requireNonNull(reason, "reason");
        }
    }
}
