package otp4j.behaviour;

import java.util.Objects;

/**
 * How a {@link Supervisor} starts, restarts and stops one child: OTP's child specification.
 * Make one with {@link #worker} or {@link #supervisor} and adjust it with the {@code with…}
 * methods; the defaults are OTP's (SUP-038, SUP-039).
 *
 * {@snippet :
 * ChildSpec cache = ChildSpec.worker("cache", () -> GenServer.startLink(new Cache()))
 *         .withRestart(Restart.TRANSIENT)
 *         .withShutdown(Shutdown.timeout(Duration.ofSeconds(2)));
 * }
 *
 * @param id          the child's name within its supervisor; unique there
 * @param start       starts the child, linked to the caller (the supervisor), as an OTP start
 *                    function: {@code GenServer.startLink(...)}, {@code Supervisor.startLink(...)}
 * @param restart     when it is restarted; {@link Restart#PERMANENT} by default
 * @param shutdown    how it is stopped; 5 s for a worker and {@link Shutdown#infinity()} for a
 *                    supervisor by default
 * @param type        worker or supervisor
 * @param significant whether its exit may stop the supervisor (see {@link AutoShutdown}); a
 *                    significant child cannot be permanent
 */
public record ChildSpec(Object id, ChildStart start, Restart restart, Shutdown shutdown, ChildType type,
                        boolean significant) {

    /** Starts a child: returns {@link StartResult.Started} with its pid, ignore, or a failure. */
    @FunctionalInterface
    public interface ChildStart {
        /** {@return the outcome of starting the child, linked to the calling supervisor} */
        StartResult start();
    }

    public ChildSpec {
        Objects.requireNonNull(id, "id: every child needs an id, unique within its supervisor");
        Objects.requireNonNull(start, () -> "start: child " + id + " needs a start function, such as "
                + "() -> GenServer.startLink(server)");
        Objects.requireNonNull(restart, () -> "restart of child " + id);
        Objects.requireNonNull(shutdown, () -> "shutdown of child " + id);
        Objects.requireNonNull(type, () -> "type of child " + id);
        if (significant && restart == Restart.PERMANENT) {
            throw new IllegalArgumentException("child " + id + " cannot be both significant and permanent: "
                    + "a permanent child is always restarted, so its exit never stops the supervisor");
        }
    }

    /** {@return a permanent worker, given 5 s to stop} */
    public static ChildSpec worker(Object id, ChildStart start) {
        return new ChildSpec(id, start, Restart.PERMANENT, Shutdown.timeout(OtpDefaults.WORKER_SHUTDOWN),
                ChildType.WORKER, false);
    }

    /** {@return a permanent supervisor child, given as long as it needs to stop} */
    public static ChildSpec supervisor(Object id, ChildStart start) {
        return new ChildSpec(id, start, Restart.PERMANENT, Shutdown.infinity(), ChildType.SUPERVISOR, false);
    }

    /** {@return a copy with {@code restart}} */
    public ChildSpec withRestart(Restart restart) {
        return new ChildSpec(id, start, restart, shutdown, type, significant);
    }

    /** {@return a copy with {@code shutdown}} */
    public ChildSpec withShutdown(Shutdown shutdown) {
        return new ChildSpec(id, start, restart, shutdown, type, significant);
    }

    /** {@return a copy that is significant or not} */
    public ChildSpec withSignificant(boolean significant) {
        return new ChildSpec(id, start, restart, shutdown, type, significant);
    }
}
