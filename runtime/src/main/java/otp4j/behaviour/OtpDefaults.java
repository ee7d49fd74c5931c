package otp4j.behaviour;

import java.time.Duration;

/** The defaults of Erlang/OTP's behaviours, each named once, with where it comes from. */
public final class OtpDefaults {
    private OtpDefaults() {
    }

    /** As {@code gen_server:call/2}: wait 5 s for the reply (GS-051). */
    public static final Duration CALL_TIMEOUT = Duration.ofSeconds(5);

    /** As {@code supervisor}: at most 1 restart ... */
    public static final int INTENSITY = 1;

    /** ... in 5 s. Elixir uses 3 restarts in 5 s; otp4j follows OTP, for every supervisor. */
    public static final Duration PERIOD = Duration.ofSeconds(5);

    /** As {@code supervisor}: a worker gets 5 s to stop after {@code shutdown} (SUP-038). */
    public static final Duration WORKER_SHUTDOWN = Duration.ofSeconds(5);
}
