package otp4j.runtime;

/**
 * The process named by an operation does not exist: a send to a name nobody has registered, or
 * a link to a process that has exited while the caller does not trap exits. Erlang raises
 * {@code badarg} and {@code noproc} for these (PROC-029, EXIT-019).
 */
public final class NoProcException extends RuntimeException {
    public NoProcException(String message) {
        super(message);
    }
}
