package otp4j.runtime;

/** Which scheduler runs a node's processes. */
public enum SchedulerType {
    /**
     * otp4j's carrier scheduler: a process woken by a message runs on its sender's carrier, so
     * message hand-offs stay on one core. Needs {@code --add-opens java.base/java.lang=...}
     * (see the README's recommended JVM settings); without it the node falls back to
     * {@link #JDK} and logs one warning.
     */
    OTP4J,
    /** The JDK's default virtual-thread scheduler (a ForkJoinPool shared by the JVM). */
    JDK
}
