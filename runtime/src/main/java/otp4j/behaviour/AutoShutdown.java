package otp4j.behaviour;

/** Whether a {@link Supervisor} stops itself when its significant children exit (OTP's {@code auto_shutdown}). */
public enum AutoShutdown {
    /** Never (the default). */
    NEVER,
    /** When any significant child exits and is not restarted. */
    ANY_SIGNIFICANT,
    /** When every significant child has exited and none is restarted. */
    ALL_SIGNIFICANT
}
