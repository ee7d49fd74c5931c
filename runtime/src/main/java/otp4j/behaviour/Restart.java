package otp4j.behaviour;

/** When a {@link Supervisor} restarts a child that exited. */
public enum Restart {
    /** Always, even after a normal exit (SUP-012). */
    PERMANENT,
    /**
     * Only after an abnormal exit: not after {@code normal}, {@code shutdown} or
     * {@code {shutdown, _}}, when it stays listed without a pid (SUP-013, SUP-014).
     */
    TRANSIENT,
    /** Never; the child is removed from the supervisor when it exits (SUP-015). */
    TEMPORARY
}
