package otp4j.runtime;

import java.util.Objects;

/**
 * A message a tracer receives about the process it traces ({@link Proc#trace}), as Erlang's
 * {@code {trace, Pid, send, Msg, To}} and {@code {trace, Pid, 'receive', Msg}}.
 */
public sealed interface TraceEvent {
    /** {@return the traced process} */
    Pid pid();

    /** {@return the message sent or received} */
    Object message();

    /** {@code pid} sent {@code message} to {@code to}, as given to the send. */
    record Send(Pid pid, Object message, Dest to) implements TraceEvent {
        public Send {
            Objects.requireNonNull(pid, "pid");
            Objects.requireNonNull(message, "message");
            Objects.requireNonNull(to, "to");
        }
    }

    /** {@code message} was queued in {@code pid}'s mailbox. */
    record Receive(Pid pid, Object message) implements TraceEvent {
        public Receive {
            Objects.requireNonNull(pid, "pid");
            Objects.requireNonNull(message, "message");
        }
    }
}
