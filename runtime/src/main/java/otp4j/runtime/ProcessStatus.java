package otp4j.runtime;

/** What a process is doing, as Erlang's {@code process_info(P, status)} reports it. */
public enum ProcessStatus {
    /** Executing its code on a carrier, or blocked outside the runtime (I/O, locks). */
    RUNNING,
    /** Woken by a message and waiting for a carrier. */
    RUNNABLE,
    /** Blocked in {@code receive}, waiting for a message or a timeout (PROC-017). */
    WAITING,
    /** Dying: its links and monitors are being notified. */
    EXITING
}
