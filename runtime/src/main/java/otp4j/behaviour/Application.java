package otp4j.behaviour;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import otp4j.runtime.Pid;
import otp4j.runtime.Proc;
import otp4j.runtime.ProcessInfo;
import otp4j.runtime.Reason;

/**
 * OTP's {@code application}: a named unit with a start function that returns its top supervisor,
 * an environment (its configuration), and dependencies started before it; stopped in order.
 * Describe one with an {@link ApplicationSpec}, {@link #load} it, then {@link #start} it.
 *
 * {@snippet :
 * Application.load(ApplicationSpec.of("db", () -> Supervisor.startLink(SupFlags.oneForOne(), pools))
 *         .withEnv("pool_size", 10));
 * Application.load(ApplicationSpec.of("shop", new ShopCallbacks()).withDependencies("db"));
 *
 * List<String> started = Application.ensureAllStarted("shop");   // [db, shop]
 * int pool = (Integer) Application.getEnv("db", "pool_size", 4);
 * Application.stop("shop");
 * }
 *
 * <p>The applications of a node are kept by its application controller, a {@link GenServer}
 * registered as {@value #CONTROLLER}, which the first function called starts (two processes
 * racing to start it end up with the same one). Each started application runs its
 * {@link ApplicationCallbacks} in a process of its own, its master, linked to the controller;
 * the master is the parent and the group leader of the top supervisor, so every process of the
 * application has the master as its {@linkplain Proc#groupLeader() group leader}, which is how
 * {@link #getApplication(Pid)} answers.
 *
 * <p>What OTP guarantees, otp4j does:
 * <ul>
 *   <li>a start returns once the start function has returned; it fails if a dependency does not
 *       run or the application runs already; {@link #ensureAllStarted} starts the dependencies
 *       first;</li>
 *   <li>a stop runs {@code prepStop}, stops the top supervisor with {@code shutdown} (which
 *       stops its children in reverse order) and waits for it, runs {@code stop}, and logs
 *       {@code Application <name> exited: stopped, type: <type>}; the applications that depend
 *       on it keep running;</li>
 *   <li>when the top supervisor exits on its own, its {@link RestartType} decides what
 *       follows;</li>
 *   <li>{@link otp4j.runtime.Node#close()} first stops the applications one at a time, most
 *       recently started first, waiting at most the node's
 *       {@linkplain otp4j.runtime.NodeOptions#shutdownTimeout() shutdown timeout} for them.</li>
 * </ul>
 * Reports go to {@link System.Logger} {@code otp4j.behaviour}.
 *
 * <p><b>Environment.</b> An application's environment exists from {@link #load} to
 * {@link #unload}, across stops and starts, as in OTP. It starts as the spec's
 * {@link ApplicationSpec#env()}, overridden by the system properties
 * {@code otp4j.app.<name>.<key>}, Java's counterpart of {@code erl -<name> <key> <value>}: a
 * value from a property is always a {@code String} (erl parses its value as an Erlang term;
 * here {@code -Dotp4j.app.db.pool_size=20} gives {@code "20"}, so read such keys with
 * {@code Integer.parseInt(String.valueOf(...))} if the default is a number). Properties are read
 * when the application is loaded. {@link #setEnv} and {@link #unsetEnv} change it afterwards.
 *
 * <p><b>Errors.</b> Arguments that can never be right (null, a blank name) throw
 * {@link NullPointerException} or {@link IllegalArgumentException}; a request the node's state
 * refuses (an unknown application, a dependency not started, a start function that failed)
 * throws {@link ApplicationException}, whose {@link ApplicationException#kind() kind} is OTP's
 * error term.
 *
 * <p>Every function here waits for the controller without a time limit, as OTP's {@code start}
 * and {@code stop} do; the controller never waits for an application, so the callbacks may call
 * these functions, except {@link #stop} of their own application (the stop waits for the
 * callback). <b>May be called from:</b> a process.
 */
public final class Application {
    private Application() {
    }

    /** The name the application controller is registered under, as in OTP. */
    public static final String CONTROLLER = "application_controller";

    /** The prefix of the system properties that override an application's environment. */
    static final String ENV_PROPERTY_PREFIX = "otp4j.app.";

    /**
     * What happens when an application's top supervisor exits on its own, not through
     * {@link #stop}; OTP's {@code permanent | transient | temporary}. "The node is taken down"
     * means: the other applications are stopped, most recently started first, each as by
     * {@link #stop}; then the node is closed ({@link otp4j.runtime.Node#close()}, from a thread of
     * its own, since a process cannot close its own node), as OTP's node halts.
     */
    public enum RestartType {
        /** Any exit, even {@code normal}, takes the node down; so does a failed start. */
        PERMANENT,
        /**
         * An exit with {@code normal} is reported and the application is gone; any other reason,
         * {@code shutdown} included (unlike a transient child of a supervisor: a top supervisor
         * that gave up exits with {@code shutdown}), takes the node down; so does a failed start.
         */
        TRANSIENT,
        /** Any exit is reported, and the application is gone; the default, as in OTP. */
        TEMPORARY
    }

    // ------------------------------------------------------------------ loading

    /**
     * Loads {@code spec}, as {@code application:load/1}: the application is known by its name
     * from now on, and its environment is created from the spec's defaults and the system
     * properties {@code otp4j.app.<name>.<key>}. Its dependencies need not be loaded yet.
     *
     * @throws ApplicationException {@link ApplicationException.Kind#ALREADY_LOADED} if a spec of
     *                              that name is loaded; {@link ApplicationException.Kind#CYCLE}
     *                              if, with the loaded specs, its dependencies lead back to it
     */
    public static void load(ApplicationSpec spec) {
        Objects.requireNonNull(spec, "spec");
        check(call(new ApplicationController.Load(spec)));
    }

    /**
     * Unloads application {@code name}, as {@code application:unload/1}: its spec and
     * environment are forgotten.
     *
     * @throws ApplicationException {@link ApplicationException.Kind#NOT_LOADED}, or
     *                              {@link ApplicationException.Kind#RUNNING} if it is started:
     *                              stop it first
     */
    public static void unload(String name) {
        checkName(name);
        check(call(new ApplicationController.Unload(name)));
    }

    /** {@return the loaded applications, in load order, as {@code application:loaded_applications/0}} */
    public static List<ApplicationInfo> loadedApplications() {
        return call(new ApplicationController.LoadedApplications());
    }

    // ------------------------------------------------------------------ starting and stopping

    /**
     * Starts application {@code name} as {@link RestartType#TEMPORARY}, as
     * {@code application:start/1}.
     *
     * @see #start(String, RestartType)
     */
    public static void start(String name) {
        start(name, RestartType.TEMPORARY);
    }

    /**
     * Starts loaded application {@code name}, as {@code application:start/2}: runs its
     * {@link ApplicationCallbacks#start()} in a new process, its master, and returns once the
     * top supervisor runs. Its dependencies must run already; they are not started (see
     * {@link #ensureAllStarted}). Two processes starting the same application at once both wait
     * for the one start and get its result, as in OTP. If the start fails, a
     * {@link RestartType#PERMANENT} or {@link RestartType#TRANSIENT} application takes the node
     * down, as OTP's does.
     *
     * @throws ApplicationException {@link ApplicationException.Kind#NOT_LOADED};
     *                              {@link ApplicationException.Kind#ALREADY_STARTED};
     *                              {@link ApplicationException.Kind#NOT_STARTED} with the first
     *                              dependency that does not run;
     *                              {@link ApplicationException.Kind#START_FAILED} if the start
     *                              function threw, failed, returned null or ignore, or returned a
     *                              process that is not a supervisor;
     *                              {@link ApplicationException.Kind#NODE_STOPPING}
     */
    public static void start(String name, RestartType type) {
        checkName(name);
        Objects.requireNonNull(type, "type: PERMANENT, TRANSIENT or TEMPORARY");
        check(call(new ApplicationController.Start(name, type)));
    }

    /** As {@link #ensureAllStarted(String, RestartType)}, each application temporary. */
    public static List<String> ensureAllStarted(String name) {
        return ensureAllStarted(name, RestartType.TEMPORARY);
    }

    /**
     * Starts application {@code name} and, first, those of its dependencies (and theirs) that do
     * not run, depth first in declaration order, each with {@code type}, as
     * {@code application:ensure_all_started/2}. Every application on the way must be loaded.
     * If one fails to start, the applications this call had started are stopped, most recent
     * first, and the failure is thrown.
     *
     * @return the applications this call started, in start order; empty if {@code name} runs
     * @throws ApplicationException {@link ApplicationException.Kind#NOT_LOADED} naming the
     *                              application, or the dependency, that is not loaded; or the failure of
     *                              {@link #start(String, RestartType)}
     */
    public static List<String> ensureAllStarted(String name, RestartType type) {
        checkName(name);
        Objects.requireNonNull(type, "type: PERMANENT, TRANSIENT or TEMPORARY");
        List<ApplicationSpec> order = new ArrayList<>();
        collect(name, null, new HashSet<>(), order);
        List<String> started = new ArrayList<>();
        for (ApplicationSpec app : order) {
            Object r = call(new ApplicationController.Start(app.name(), type));
            if (r instanceof ApplicationException.Error e && e.kind() == ApplicationException.Kind.ALREADY_STARTED) {
                continue;
            }
            if (r instanceof ApplicationException.Error e) {
                for (int i = started.size() - 1; i >= 0; i--) {
                    stopIfRunning(started.get(i));
                }
                throw e.toException();
            }
            started.add(app.name());
        }
        return List.copyOf(started);
    }

    /**
     * Adds {@code name}'s dependencies, then {@code name}, to {@code order}, each once; stops at
     * running applications, whose dependencies, as in OTP, are not looked into.
     */
    private static void collect(String name, String neededBy, Set<String> done, List<ApplicationSpec> order) {
        // No cycle check: load refuses a spec that would close a cycle, so loaded specs have none.
        if (!done.add(name)) {
            return;
        }
        Optional<ApplicationSpec> spec = call(new ApplicationController.GetSpec(name));
        if (spec.isEmpty()) {
            throw (neededBy == null ? ApplicationException.Error.notLoaded(name)
                    : ApplicationException.Error.notLoadedDependency(neededBy, name)).toException();
        }
        if (getSupervisor(name).isPresent()) {
            return;
        }
        for (String dep : spec.get().dependencies()) {
            collect(dep, name, done, order);
        }
        order.add(spec.get());
    }

    /**
     * Stops application {@code name}, as {@code application:stop/1}: runs its
     * {@link ApplicationCallbacks#prepStop()}, stops its top supervisor with {@code shutdown} and
     * waits for it to exit, runs its {@link ApplicationCallbacks#stop()}, and logs
     * {@code Application <name> exited: stopped, type: <type>}. It stays loaded, with its
     * environment. Applications that depend on it keep running, as in OTP.
     *
     * @throws ApplicationException {@link ApplicationException.Kind#NOT_STARTED} if it does not
     *                              run (also while it is still starting)
     */
    public static void stop(String name) {
        checkName(name);
        check(call(new ApplicationController.Stop(name)));
    }

    private static void stopIfRunning(String name) {
        try {
            stop(name);
        } catch (ApplicationException gone) {
            // stopped or exited since this call started it: nothing to undo
        }
    }

    // ------------------------------------------------------------------ looking

    /**
     * {@return the running applications, most recently started first, as
     * {@code application:which_applications/0}}
     */
    public static List<ApplicationInfo> whichApplications() {
        return call(new ApplicationController.WhichApplications());
    }

    /**
     * {@return the top supervisor of application {@code name}, if it runs} (OTP 26's
     * {@code application:get_supervisor/1}): the root of its tree, for an observer
     */
    public static Optional<Pid> getSupervisor(String name) {
        checkName(name);
        return call(new ApplicationController.GetSupervisor(name));
    }

    /**
     * {@return the application process {@code pid} belongs to, as
     * {@code application:get_application/1}}: the one whose master is its group leader, which
     * every process spawned inside the application's tree inherits. Empty for a dead process, a
     * process outside any application, or one whose application has stopped.
     */
    public static Optional<String> getApplication(Pid pid) {
        Objects.requireNonNull(pid, "pid");
        Optional<Pid> leader = Proc.info(pid).map(ProcessInfo::groupLeader);
        if (leader.isEmpty()) {
            return Optional.empty();
        }
        return call(new ApplicationController.GetApplication(leader.get()));
    }

    /** {@return the application the calling process belongs to, as {@code application:get_application/0}} */
    public static Optional<String> getApplication() {
        return getApplication(Proc.self());
    }

    // ------------------------------------------------------------------ environment

    /**
     * {@return the value of {@code key} in the environment of application {@code app}}, as
     * {@code application:get_env/2}; empty if the key is not set or the application is not
     * loaded. A value from a system property is a {@code String}.
     */
    public static Optional<Object> getEnv(String app, String key) {
        checkName(app);
        Objects.requireNonNull(key, "key");
        return call(new ApplicationController.GetEnv(app, key));
    }

    /**
     * {@return the value of {@code key} in the environment of {@code app}, or {@code defaultValue}}
     * (OTP's {@code application:get_env/3})
     */
    public static Object getEnv(String app, String key, Object defaultValue) {
        Objects.requireNonNull(defaultValue, "defaultValue: use getEnv(app, key) for an Optional");
        return getEnv(app, key).orElse(defaultValue);
    }

    /** {@return the whole environment of {@code app}; empty if it is not loaded} (OTP's {@code get_all_env/1}) */
    public static Map<String, Object> getAllEnv(String app) {
        checkName(app);
        return call(new ApplicationController.GetAllEnv(app));
    }

    /**
     * Sets {@code key} to {@code value} in the environment of {@code app}, as
     * {@code application:set_env/3}; the change lasts until the application is unloaded.
     *
     * @throws ApplicationException {@link ApplicationException.Kind#NOT_LOADED} (OTP keeps the
     *                              value for an application loaded later; otp4j refuses, since
     *                              a misspelt name would otherwise be silently ignored)
     */
    public static void setEnv(String app, String key, Object value) {
        checkName(app);
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value: use unsetEnv to remove a key");
        check(call(new ApplicationController.SetEnv(app, key, value)));
    }

    /**
     * Removes {@code key} from the environment of {@code app}, as {@code application:unset_env/2}.
     *
     * @throws ApplicationException {@link ApplicationException.Kind#NOT_LOADED}
     */
    public static void unsetEnv(String app, String key) {
        checkName(app);
        Objects.requireNonNull(key, "key");
        check(call(new ApplicationController.UnsetEnv(app, key)));
    }

    // ------------------------------------------------------------------ the controller

    private static void checkName(String name) {
        ApplicationSpec.checkName(name, "application");
    }

    private static void check(Object reply) {
        if (reply instanceof ApplicationException.Error e) {
            throw e.toException();
        }
    }

    private static <R> R call(ApplicationController.Request request) {
        return GenServer.call(controller(), request, Proc.INFINITY);
    }

    /** {@return the node's controller, started if there is none} */
    private static Pid controller() {
        Optional<Pid> running = Proc.whereis(CONTROLLER);
        if (running.isPresent()) {
            return running.get();
        }
        // Two processes may get here at once: the name decides, and the loser uses the winner.
        StartResult r = GenServer.start(new ApplicationController(), StartOptions.named(CONTROLLER));
        return switch (r) {
            case StartResult.Started s -> s.pid();
            case StartResult.Failed(Reason.Custom(AlreadyStarted(Pid holder))) -> holder;
            default -> throw new IllegalStateException("the application controller did not start: " + r);
        };
    }
}
