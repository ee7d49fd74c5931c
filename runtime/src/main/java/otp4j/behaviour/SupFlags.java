package otp4j.behaviour;

import java.time.Duration;
import java.util.Objects;

/**
 * A supervisor's strategy and restart intensity: more than {@code intensity} restarts within
 * {@code period} make it give up: it stops its children and exits with {@code shutdown}
 * (SUP-016..020). The defaults are OTP's: 1 restart in 5 s ({@link OtpDefaults}).
 *
 * @param strategy     which children a restart concerns
 * @param intensity    restarts allowed within {@code period}; 0 means none
 * @param period       the window the restarts are counted in; counted in whole seconds, as OTP
 *                     does
 * @param autoShutdown whether the exit of significant children stops the supervisor
 */
public record SupFlags(Strategy strategy, int intensity, Duration period, AutoShutdown autoShutdown) {
    public SupFlags {
        Objects.requireNonNull(strategy, "strategy");
        checkIntensity(intensity, period);
        Objects.requireNonNull(autoShutdown, "autoShutdown");
    }

    /** Checks a restart intensity, for this and {@link DynamicSupervisor.Flags}. */
    static void checkIntensity(int intensity, Duration period) {
        if (intensity < 0) {
            throw new IllegalArgumentException("intensity must be >= 0, was " + intensity);
        }
        Objects.requireNonNull(period, "period");
        if (period.isNegative() || period.toSeconds() < 1) {
            throw new IllegalArgumentException("period must be at least 1 s (OTP counts it in whole seconds), was "
                    + period + "; OTP's default is OtpDefaults.PERIOD (5 s)");
        }
    }

    /** {@return one_for_one with OTP's default intensity} */
    public static SupFlags oneForOne() {
        return of(Strategy.ONE_FOR_ONE);
    }

    /** {@return one_for_all with OTP's default intensity} */
    public static SupFlags oneForAll() {
        return of(Strategy.ONE_FOR_ALL);
    }

    /** {@return rest_for_one with OTP's default intensity} */
    public static SupFlags restForOne() {
        return of(Strategy.REST_FOR_ONE);
    }

    private static SupFlags of(Strategy strategy) {
        return new SupFlags(strategy, OtpDefaults.INTENSITY, OtpDefaults.PERIOD, AutoShutdown.NEVER);
    }

    /** {@return a copy allowing {@code intensity} restarts per {@code period}} */
    public SupFlags withIntensity(int intensity, Duration period) {
        return new SupFlags(strategy, intensity, period, autoShutdown);
    }

    /** {@return a copy with {@code autoShutdown}} */
    public SupFlags withAutoShutdown(AutoShutdown autoShutdown) {
        return new SupFlags(strategy, intensity, period, autoShutdown);
    }
}
