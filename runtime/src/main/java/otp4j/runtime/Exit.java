package otp4j.runtime;

import java.util.Objects;

/**
 * The message a process that traps exits receives for an exit signal, Erlang's
 * {@code {'EXIT', From, Reason}}.
 *
 * @param from   the process that sent the signal: the linked process that exited, or the caller
 *               of {@link Proc#exit(Pid, Reason)}
 * @param reason the signal's reason
 */
public record Exit(Pid from, Reason reason) {
    public Exit {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(reason, "reason");
    }
}
