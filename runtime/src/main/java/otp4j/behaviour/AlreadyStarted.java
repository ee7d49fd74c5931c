package otp4j.behaviour;

import java.util.Objects;

import otp4j.runtime.Pid;

/**
 * The reason a server with a taken name does not start, OTP's {@code {already_started, Pid}}
 * (GS-035, GS-036): {@code StartResult.Failed(Reason.custom(new AlreadyStarted(pid)))}.
 *
 * @param pid the process that holds the name
 */
public record AlreadyStarted(Pid pid) {
    public AlreadyStarted {
        Objects.requireNonNull(pid, "pid");
    }

    @Override
    public String toString() {
        return "{already_started, " + pid + "}";
    }
}
