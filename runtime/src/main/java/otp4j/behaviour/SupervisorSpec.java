package otp4j.behaviour;

import java.util.List;
import java.util.Objects;

/**
 * What a supervisor supervises: its flags and its children, in start order. OTP's
 * {@code {ok, {SupFlags, ChildSpecs}}}.
 *
 * @param flags    strategy and restart intensity
 * @param children the children, started in this order and stopped in reverse
 */
public record SupervisorSpec(SupFlags flags, List<ChildSpec> children) {
    public SupervisorSpec {
        Objects.requireNonNull(flags, "flags");
        children = List.copyOf(Objects.requireNonNull(children, "children"));
    }
}
