package otp4j.behaviour;

import java.util.Objects;

import otp4j.runtime.Reason;

/**
 * Why a supervisor did not start: one of its children did not, OTP's
 * {@code {shutdown, {failed_to_start_child, Id, Reason}}} (SUP-033). The supervisor's start
 * fails with {@code Reason.shutdown(new FailedToStartChild(id, reason))}.
 *
 * @param id     the child
 * @param reason why it did not start
 */
public record FailedToStartChild(Object id, Reason reason) {
    public FailedToStartChild {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(reason, "reason");
    }

    @Override
    public String toString() {
        return "{failed_to_start_child, " + id + ", " + reason + "}";
    }
}
