package otp4j.behaviour;

import java.util.Objects;
import java.util.Optional;

import otp4j.runtime.Pid;

/**
 * What {@link Sys#getStatus} tells about a server, as {@code sys:get_status}.
 *
 * @param pid        the server
 * @param module     its callback class
 * @param parent     its parent (itself when started without a link)
 * @param suspended  whether {@link Sys#suspend} holds it
 * @param statistics its counts, if turned on
 * @param state      its state as its {@code formatStatus} shows it (secrets left out)
 */
public record ServerStatus(Pid pid, String module, Pid parent, boolean suspended, Optional<Statistics> statistics,
                           Object state) {
    public ServerStatus {
        Objects.requireNonNull(pid, "pid");
        Objects.requireNonNull(module, "module");
        Objects.requireNonNull(parent, "parent");
        Objects.requireNonNull(statistics, "statistics");
    }
}
