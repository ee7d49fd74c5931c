package otp4j.behaviour;

/**
 * An application's callbacks, OTP's application callback module ({@code -behaviour(application)}):
 * {@link #start()} starts the application's supervision tree; {@link #prepStop()} and
 * {@link #stop()} clean up around its end. Only {@code start} is required, so a lambda will do:
 *
 * {@snippet :
 * ApplicationCallbacks shop = () -> Supervisor.startLink(SupFlags.oneForAll(), List.of(
 *         ChildSpec.worker("orders", () -> GenServer.startLink(new Orders()))));
 * }
 *
 * <table class="striped">
 *   <caption>When each callback runs, and what it may return</caption>
 *   <thead><tr><th>callback</th><th>OTP</th><th>runs</th><th>returns, and what follows</th></tr></thead>
 *   <tbody>
 *   <tr><td>{@link #start()}</td><td>{@code Mod:start/2}</td>
 *       <td>once per {@link Application#start}, in the application's own process (its
 *       master), which traps exits; the application's environment is readable already</td>
 *       <td>{@link StartResult.Started} with the top supervisor, started linked to the caller
 *       ({@code Supervisor.startLink(...)} or {@code DynamicSupervisor.startLink(...)}): the
 *       application runs. {@link StartResult.Failed}, {@link StartResult.Ignored}, null, a throw,
 *       or a process that is not a supervisor: the start fails with an
 *       {@link ApplicationException} of kind {@link ApplicationException.Kind#START_FAILED}
 *       naming the application (OTP answers {@code ignore} with {@code {bad_return, ...}} too,
 *       but does not check that the process is a supervisor)</td></tr>
 *   <tr><td>{@link #prepStop()}</td><td>{@code Mod:prep_stop/1}</td>
 *       <td>in the same process, when the application is being stopped ({@link Application#stop},
 *       the node closing or being taken down), while the tree still runs; and, as OTP does,
 *       after the top supervisor has exited on its own</td>
 *       <td>nothing; a throw is logged and the stop goes on</td></tr>
 *   <tr><td>{@link #stop()}</td><td>{@code Mod:stop/1}</td>
 *       <td>in the same process, after the tree has stopped, whatever ended it</td>
 *       <td>nothing; a throw is logged. The environment is still readable</td></tr>
 *   </tbody>
 * </table>
 *
 * <p>All three run in one process, one after the other, so fields set by {@code start} are seen
 * by {@code stop} without locking; OTP's start state ({@code {ok, Pid, State}}) is kept that way.
 * A callback must not {@link Application#stop} its own application: the stop waits for the
 * callback.
 */
@FunctionalInterface
public interface ApplicationCallbacks {

    /** {@return the result of starting the application's top supervisor, linked to the caller} */
    StartResult start();

    /** Runs before the supervision tree is stopped. The default does nothing. */
    default void prepStop() {
    }

    /** Runs after the supervision tree has stopped. The default does nothing. */
    default void stop() {
    }
}
