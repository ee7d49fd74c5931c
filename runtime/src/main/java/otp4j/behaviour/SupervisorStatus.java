package otp4j.behaviour;

import java.util.List;
import java.util.Objects;

/**
 * A supervisor's state as {@link Sys#getStatus} shows it (its {@code formatStatus}), for
 * observers: one {@code sys} request gives the children and the restart count together.
 *
 * @param dynamic  whether it is a {@link DynamicSupervisor} (whose strategy is one for one)
 * @param strategy its restart strategy
 * @param children its children, as {@link Supervisor#whichChildren} lists them
 * @param restarts its restarts since it started, counted as its restart intensity counts them:
 *                 one per child exit it restarts, however many children its strategy starts
 *                 again
 */
public record SupervisorStatus(boolean dynamic, Strategy strategy, List<ChildInfo> children, long restarts) {
    public SupervisorStatus {
        Objects.requireNonNull(strategy, "strategy");
        children = List.copyOf(children);
        if (restarts < 0) {
            throw new IllegalArgumentException("restarts must be >= 0, was " + restarts);
        }
    }
}
