package otp4j.runtime;

/**
 * A resource limit of the node was reached, as Erlang's {@code system_limit} error: a spawn
 * past {@link NodeOptions#maxProcesses()}. The message names the limit and how to raise it.
 */
public final class SystemLimitException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public SystemLimitException(String message) {
        super(message);
    }
}
