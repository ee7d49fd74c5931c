package otp4j.behaviour;

/**
 * The message {@code handleInfo} gets when a server's {@link Next#timeout(java.time.Duration)}
 * expires with no other message, Erlang's {@code timeout} atom (GS-038).
 */
public enum ServerTimeout {
    /** The timeout expired. */
    TIMEOUT
}
