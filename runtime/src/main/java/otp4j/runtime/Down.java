package otp4j.runtime;

import java.util.Objects;

/**
 * The message a monitor delivers when its target exits, Erlang's
 * {@code {'DOWN', Ref, process, Target, Reason}}.
 *
 * @param ref    the monitor's reference, as {@link Proc#monitor(Pid)} returned it
 * @param target what was monitored: the {@link Pid}, or the {@link Name} when the monitor was
 *               made by name (EXIT-036, EXIT-037)
 * @param reason why the target exited; {@link Reason#NOPROC} if it did not exist
 */
public record Down(Ref ref, Dest target, Reason reason) {
    public Down {
        Objects.requireNonNull(ref, "ref");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(reason, "reason");
    }
}
