package otp4j.ets;

import java.util.Objects;

import otp4j.runtime.Pid;

/**
 * The process that inherits a table when its owner dies, and the data it is told with, as the
 * {@code {heir, Pid, HeirData}} option.
 *
 * @param pid  the heir
 * @param data passed to the heir in {@link EtsTransfer#data()}
 */
public record Heir(Pid pid, Object data) {
    /** Checks that neither part is null. */
    public Heir {
        Objects.requireNonNull(pid, "pid");
        Objects.requireNonNull(data, "data");
    }
}
