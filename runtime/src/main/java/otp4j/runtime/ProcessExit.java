package otp4j.runtime;

import java.util.Objects;

/**
 * Thrown to end the current process: by {@link Proc#exit(Reason)}, and by every runtime call a
 * process makes after it has been killed or has died of an exit signal, so that its thread
 * unwinds.
 *
 * <p>It is an {@link Error}, not an exception, so that the usual {@code catch (Exception e)}
 * does not swallow a kill. Catching it does not bring a dead process back: every later runtime
 * call throws it again. It carries no stack trace.
 */
public final class ProcessExit extends Error {
    private final transient Reason reason;

    ProcessExit(Reason reason) {
        super(reason.toString(), null, false, false);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    /** {@return the reason the process exits with} */
    public Reason reason() {
        return reason;
    }
}
