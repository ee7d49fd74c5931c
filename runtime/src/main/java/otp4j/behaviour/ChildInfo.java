package otp4j.behaviour;

import java.util.Objects;
import java.util.Optional;

import otp4j.runtime.Pid;

/**
 * A child as {@link Supervisor#whichChildren} lists it, OTP's {@code {Id, Child, Type, Modules}}.
 *
 * @param id   the child's id
 * @param pid  its process; empty when it is not running (stopped, or its start was ignored)
 * @param type worker or supervisor
 */
public record ChildInfo(Object id, Optional<Pid> pid, ChildType type) {
    public ChildInfo {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(pid, "pid");
        Objects.requireNonNull(type, "type");
    }
}
