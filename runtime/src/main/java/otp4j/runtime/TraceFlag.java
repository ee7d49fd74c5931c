package otp4j.runtime;

/** What {@link Proc#trace} reports of a process, as {@code erlang:trace/3}'s flags. */
public enum TraceFlag {
    /** Each message the process sends: {@link TraceEvent.Send}. */
    SEND,
    /** Each message queued in the process's mailbox, signals included: {@link TraceEvent.Receive}. */
    RECEIVE
}
