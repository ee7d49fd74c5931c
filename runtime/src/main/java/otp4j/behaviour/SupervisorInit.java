package otp4j.behaviour;

import java.util.Optional;

/**
 * A supervisor's {@code init}: runs in the supervisor's process when it starts, and returns what
 * to supervise, or empty for OTP's {@code ignore} (SUP-035).
 */
@FunctionalInterface
public interface SupervisorInit {
    /** {@return the flags and children, or empty to not start} */
    Optional<SupervisorSpec> init();
}
