package otp4j.runtime;

import java.util.Objects;

/**
 * What {@link Proc#spawnMonitor(Runnable)} returns, Erlang's {@code {Pid, Ref}}.
 *
 * @param pid the new process
 * @param ref the monitor on it
 */
public record Spawned(Pid pid, Ref ref) {
    public Spawned {
        Objects.requireNonNull(pid, "pid");
        Objects.requireNonNull(ref, "ref");
    }
}
