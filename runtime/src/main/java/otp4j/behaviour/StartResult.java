package otp4j.behaviour;

import java.util.Objects;

import otp4j.runtime.Pid;
import otp4j.runtime.Reason;

/**
 * What starting a server returns: OTP's {@code {ok, Pid}}, {@code ignore} or
 * {@code {error, Reason}}. Switch on it, or call {@link #orThrow()} where a failure is
 * exceptional.
 */
public sealed interface StartResult permits StartResult.Started, StartResult.Ignored, StartResult.Failed {

    /**
     * {@return the started process}
     *
     * @throws StartException if the server was not started
     */
    Pid orThrow();

    /**
     * The server runs.
     *
     * @param pid the server
     */
    record Started(Pid pid) implements StartResult {
        public Started {
            Objects.requireNonNull(pid, "pid");
        }

        @Override
        public Pid orThrow() {
            return pid;
        }
    }

    /** Its {@code init} returned {@link InitResult.Ignore}. */
    record Ignored() implements StartResult {
        @Override
        public Pid orThrow() {
            throw new StartException(this);
        }
    }

    /**
     * It did not start: {@code init} returned {@link InitResult.Stop} or threw, the name was
     * taken ({@link AlreadyStarted}), or {@code init} took longer than the start timeout
     * ({@code timeout}).
     *
     * @param reason why
     */
    record Failed(Reason reason) implements StartResult {
        public Failed {
            Objects.requireNonNull(reason, "reason");
        }

        @Override
        public Pid orThrow() {
            throw new StartException(this);
        }
    }
}
