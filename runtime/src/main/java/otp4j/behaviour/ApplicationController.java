package otp4j.behaviour;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import otp4j.runtime.Exit;
import otp4j.runtime.Node;
import otp4j.runtime.Pid;
import otp4j.runtime.Proc;
import otp4j.runtime.Reason;

/**
 * OTP's {@code application_controller}: the {@link GenServer} that keeps a node's loaded
 * applications, their environments, the running ones, and decides what happens when one exits.
 */
final class ApplicationController implements GenServer<ApplicationController.State, ApplicationController.Request> {
    /*
     * Overview
     *
     * A loaded application has a spec and an environment; a started one also has a master
     * process (ApplicationMaster), spawned linked by the controller, which runs the callbacks and
     * is the parent and group leader of the top supervisor. The controller traps exits.
     *
     * The controller never waits for a master: a start or a stop is a request it answers later
     * (the From is kept) when the master reports Running or exits. So callbacks, which run in
     * the master, may call the controller (getEnv in start or stop) without a deadlock.
     *
     * A started application moves STARTING -> RUNNING -> STOPPING and leaves when its master
     * exits; what the exit means depends on the phase: a failed start, a top supervisor that
     * exited on its own (the restart type decides), or a stop done.
     *
     * Halting: when a permanent or transient application takes the node down, or the node's
     * close hook asks (StopAll), the controller stops the running applications one at a time,
     * most recently started first, as Application.stop does, still answering requests but
     * starting nothing. Applications still starting are stopped once they run. When none is
     * left, it answers StopAll, and if it is taking the node down, closes the node from a
     * platform thread of its own: a process cannot close its own node, and Node.close runs the
     * close hook, which calls the controller, so the controller must not be the one waiting.
     */

    private static final System.Logger LOG = ServerLoop.LOG;

    /** The reply of a request that has nothing to return; failures reply an ApplicationException.Error. */
    static final Object OK = "ok";

    /** Where a started application is in its life. */
    enum Phase {
        STARTING, RUNNING, STOPPING
    }

    /** A loaded application. */
    record Loaded(ApplicationSpec spec, Map<String, Object> env) {
    }

    /** A started application; mutated in place, only by the controller's process. */
    static final class App {
        final ApplicationSpec spec;
        final Application.RestartType type;
        final Pid master;
        Phase phase = Phase.STARTING;
        Pid supervisor;
        /** The callers waiting for the start (STARTING) or the stop (STOPPING) to finish. */
        final List<From> waiting = new ArrayList<>();

        App(ApplicationSpec spec, Application.RestartType type, Pid master) {
            this.spec = spec;
            this.type = type;
            this.master = master;
        }

        String name() {
            return spec.name();
        }
    }

    /** The controller's state; mutated in place, only by the controller's process. */
    static final class State {
        /** Loaded applications, in load order, each with its environment. */
        final Map<String, Loaded> loaded = new LinkedHashMap<>();
        /** Every application that has a master, by name and by master. */
        final Map<String, App> apps = new HashMap<>();
        final Map<Pid, App> byMaster = new HashMap<>();
        /** RUNNING and STOPPING applications, in the order they started running. */
        final List<App> running = new ArrayList<>();
        /** Stopping every application: nothing starts any more. */
        boolean halting;
        /** Close the node once every application has stopped. */
        boolean closeNode;
        boolean closeStarted;
        /** The close hooks waiting for every application to stop. */
        final List<From> stopAllWaiting = new ArrayList<>();
    }

    /** The requests of {@link Application}'s functions. */
    sealed interface Request {
    }

    record Load(ApplicationSpec spec) implements Request {
    }

    record Unload(String name) implements Request {
    }

    record Start(String name, Application.RestartType type) implements Request {
    }

    record Stop(String name) implements Request {
    }

    /** From the node's close hook: stop every application, answer when none runs. */
    record StopAll() implements Request {
    }

    record WhichApplications() implements Request {
    }

    record LoadedApplications() implements Request {
    }

    record GetSpec(String name) implements Request {
    }

    record GetSupervisor(String name) implements Request {
    }

    record GetApplication(Pid leader) implements Request {
    }

    record GetEnv(String app, String key) implements Request {
    }

    record GetAllEnv(String app) implements Request {
    }

    record SetEnv(String app, String key, Object value) implements Request {
    }

    record UnsetEnv(String app, String key) implements Request {
    }

    private Pid self;
    private Node node;
    private Runnable closeHook;

    // ------------------------------------------------------------------ init and terminate

    @Override
    public InitResult<State> init() {
        self = Proc.self();
        node = Proc.node();
        // Started lazily by whichever process first needs it: it must not pass for a process of
        // that process's application.
        Proc.groupLeader(self, self);
        Proc.trapExit(true);
        Pid controller = self;
        Duration timeout = node.options().shutdownTimeout();
        closeHook = () -> stopAllBeforeClose(controller, timeout);
        node.addCloseHook(closeHook);
        return GenServer.ok(new State());
    }

    @Override
    public void terminate(Reason reason, State state) {
        node.removeCloseHook(closeHook);
    }

    /**
     * The node's close hook, on the closing thread: asks the controller to stop every
     * application and waits, at most the node's shutdown timeout, since close must end.
     */
    private static void stopAllBeforeClose(Pid controller, Duration timeout) {
        if (Proc.isProcess()) {
            // A process of another node cannot call this node's processes: wait from a plain thread.
            AtomicReference<RuntimeException> failed = new AtomicReference<>();
            Thread t = Thread.ofPlatform().name("otp4j-application-stop").start(() -> {
                try {
                    stopAllBeforeClose(controller, timeout);
                } catch (RuntimeException e) {
                    failed.set(e);
                }
            });
            boolean interrupted = false;
            while (t.isAlive()) {
                try {
                    t.join();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            if (failed.get() != null) {
                throw failed.get();
            }
            return;
        }
        try {
            GenServer.call(controller, new StopAll(), timeout);
        } catch (CallException e) {
            if (e.kind() == CallException.Kind.TIMEOUT) {
                LOG.log(System.Logger.Level.WARNING, () -> "the applications of node " + controller.node().name()
                        + " did not stop within " + timeout + "; closing the node stops what is left");
            }
            // NOPROC or EXIT: the controller is gone, and its masters with it.
        }
    }

    // ------------------------------------------------------------------ requests

    @Override
    public CallResult<State> handleCall(Request request, From from, State state) {
        return switch (request) {
            case Load(ApplicationSpec spec) -> GenServer.reply(load(spec, state), state);
            case Unload(String name) -> {
                Object r;
                if (!state.loaded.containsKey(name)) {
                    r = ApplicationException.Error.notLoaded(name);
                } else if (state.apps.containsKey(name)) {
                    r = ApplicationException.Error.running(name);
                } else {
                    state.loaded.remove(name);
                    r = OK;
                }
                yield GenServer.reply(r, state);
            }
            case Start(String name, Application.RestartType type) -> start(name, type, from, state);
            case Stop(String name) -> {
                App app = state.apps.get(name);
                if (app == null || app.phase == Phase.STARTING) {
                    yield GenServer.reply(ApplicationException.Error.notRunning(name), state);
                }
                if (app.phase == Phase.RUNNING) {
                    stop(app);
                }
                app.waiting.add(from);
                yield GenServer.noreply(state);
            }
            case StopAll() -> {
                state.halting = true;
                state.stopAllWaiting.add(from);
                yield halt(state);
            }
            case WhichApplications() -> {
                List<ApplicationInfo> out = new ArrayList<>();
                for (int i = state.running.size() - 1; i >= 0; i--) {
                    out.add(info(state.running.get(i).spec, state));
                }
                yield GenServer.reply(List.copyOf(out), state);
            }
            case LoadedApplications() -> GenServer.reply(
                    state.loaded.values().stream().map(l -> info(l.spec(), state)).toList(), state);
            case GetSpec(String name) -> {
                Loaded l = state.loaded.get(name);
                yield GenServer.reply(Optional.ofNullable(l == null ? null : l.spec()), state);
            }
            case GetSupervisor(String name) -> {
                App app = state.apps.get(name);
                yield GenServer.reply(Optional.ofNullable(app == null ? null : app.supervisor), state);
            }
            case GetApplication(Pid leader) -> {
                App app = state.byMaster.get(leader);
                yield GenServer.reply(Optional.ofNullable(app == null ? null : app.name()), state);
            }
            case GetEnv(String name, String key) -> {
                Loaded l = state.loaded.get(name);
                yield GenServer.reply(Optional.ofNullable(l == null ? null : l.env().get(key)), state);
            }
            case GetAllEnv(String name) -> {
                Loaded l = state.loaded.get(name);
                yield GenServer.reply(l == null ? Map.of() : Map.copyOf(l.env()), state);
            }
            case SetEnv(String name, String key, Object value) -> {
                Loaded l = state.loaded.get(name);
                if (l != null) {
                    l.env().put(key, value);
                }
                yield GenServer.reply(l != null ? OK : ApplicationException.Error.notLoaded(name), state);
            }
            case UnsetEnv(String name, String key) -> {
                Loaded l = state.loaded.get(name);
                if (l != null) {
                    l.env().remove(key);
                }
                yield GenServer.reply(l != null ? OK : ApplicationException.Error.notLoaded(name), state);
            }
        };
    }

    private static ApplicationInfo info(ApplicationSpec spec, State state) {
        App app = state.apps.get(spec.name());
        boolean up = app != null && app.supervisor != null;
        return new ApplicationInfo(spec.name(), spec.description(), spec.version(),
                Optional.ofNullable(up ? app.supervisor : null), Optional.ofNullable(up ? app.type : null));
    }

    private static Object load(ApplicationSpec spec, State state) {
        String name = spec.name();
        if (state.loaded.containsKey(name)) {
            return ApplicationException.Error.alreadyLoaded(name);
        }
        // Loaded specs never form a cycle, so a cycle must go through the new one: look for a
        // path from its dependencies back to it.
        List<String> path = new ArrayList<>(List.of(name));
        if (reaches(spec.dependencies(), name, path, state, new java.util.HashSet<>())) {
            return ApplicationException.Error.cycle(name, String.join(" -> ", path));
        }
        Map<String, Object> env = new HashMap<>(spec.env());
        env.putAll(overrides(name));
        state.loaded.put(name, new Loaded(spec, env));
        return OK;
    }

    /** Whether a path of loaded dependencies leads from {@code deps} to {@code target}; if so, {@code path} holds it. */
    private static boolean reaches(List<String> deps, String target, List<String> path, State state,
                                   java.util.Set<String> visited) {
        for (String d : deps) {
            path.add(d);
            if (d.equals(target)) {
                return true;
            }
            Loaded l = state.loaded.get(d);
            if (l != null && visited.add(d) && reaches(l.spec().dependencies(), target, path, state, visited)) {
                return true;
            }
            path.remove(path.size() - 1);
        }
        return false;
    }

    /**
     * {@return the system properties {@code otp4j.app.<name>.<key>}, by key}: strings, as on
     * erl's command line, where {@code -app key value} is an Erlang term but a property is text.
     */
    private static Map<String, Object> overrides(String name) {
        String prefix = Application.ENV_PROPERTY_PREFIX + name + ".";
        Map<String, Object> out = new HashMap<>();
        for (String property : System.getProperties().stringPropertyNames()) {
            if (property.startsWith(prefix) && property.length() > prefix.length()) {
                String value = System.getProperty(property);
                if (value != null) { // removed since the names were listed
                    out.put(property.substring(prefix.length()), value);
                }
            }
        }
        return out;
    }

    private CallResult<State> start(String name, Application.RestartType type, From from, State state) {
        Loaded loaded = state.loaded.get(name);
        if (loaded == null) {
            return GenServer.reply(ApplicationException.Error.notLoaded(name), state);
        }
        App existing = state.apps.get(name);
        if (existing != null) {
            if (existing.phase == Phase.STARTING) {
                existing.waiting.add(from); // as OTP: the second caller gets the first one's result
                return GenServer.noreply(state);
            }
            return GenServer.reply(ApplicationException.Error.alreadyStarted(name), state);
        }
        if (state.halting) {
            return GenServer.reply(ApplicationException.Error.nodeStopping(name), state);
        }
        for (String dep : loaded.spec().dependencies()) {
            App d = state.apps.get(dep);
            if (d == null || d.phase != Phase.RUNNING) {
                return GenServer.reply(ApplicationException.Error.notStarted(name, dep), state);
            }
        }
        Pid master = Proc.spawnLink(new ApplicationMaster(self, loaded.spec()));
        App app = new App(loaded.spec(), type, master);
        app.waiting.add(from);
        state.apps.put(name, app);
        state.byMaster.put(master, app);
        return GenServer.noreply(state);
    }

    private static void stop(App app) {
        app.phase = Phase.STOPPING;
        Proc.send(app.master, new ApplicationMaster.Stop());
    }

    // ------------------------------------------------------------------ masters and signals

    @Override
    public Result<State> handleInfo(Object message, State state) {
        switch (message) {
            case ApplicationMaster.Running(Pid master, Pid supervisor) -> {
                App app = state.byMaster.get(master);
                if (app != null && app.phase == Phase.STARTING) {
                    app.phase = Phase.RUNNING;
                    app.supervisor = supervisor;
                    state.running.add(app);
                    answer(app, OK);
                    LOG.log(System.Logger.Level.INFO, () -> "Application " + app.name() + " started, type: "
                            + typeName(app));
                }
                return halt(state);
            }
            case Exit(Pid from, Reason reason) -> {
                App app = state.byMaster.get(from);
                if (app != null) {
                    return masterExited(state, app, reason);
                }
                if (reason instanceof Reason.Normal) {
                    return GenServer.noreply(state); // as a process that does not trap exits would
                }
                // An exit signal (Node.close's shutdown): the close hook has stopped the
                // applications already, or gave up waiting; the masters hear of this through
                // their links.
                return GenServer.stop(reason, state);
            }
            default -> {
                LOG.log(System.Logger.Level.WARNING, () -> "application controller " + self
                        + " got an unexpected message: " + message);
                return GenServer.noreply(state);
            }
        }
    }

    private Result<State> masterExited(State state, App app, Reason reason) {
        state.byMaster.remove(app.master);
        state.apps.remove(app.name());
        state.running.remove(app);
        switch (app.phase) {
            case STARTING -> {
                LOG.log(System.Logger.Level.ERROR, () -> "Application " + app.name() + " failed to start: " + reason,
                        reason instanceof Reason.Crash c ? c.exception() : null);
                exited(app, reason.toString(), System.Logger.Level.INFO);
                answer(app, ApplicationException.Error.startFailed(app.name(), reason));
                if (app.type != Application.RestartType.TEMPORARY) {
                    takeDown(state, "{application_start_failure, " + app.name() + ", " + reason + "}");
                }
            }
            case STOPPING -> {
                exited(app, "stopped", System.Logger.Level.INFO);
                answer(app, OK);
            }
            case RUNNING -> {
                exited(app, reason.toString(), reason.isAbnormal() ? System.Logger.Level.ERROR : System.Logger.Level.INFO);
                boolean fatal = switch (app.type) {
                    case PERMANENT -> true;
                    case TRANSIENT -> !(reason instanceof Reason.Normal);
                    case TEMPORARY -> false;
                };
                if (fatal) {
                    takeDown(state, "{application_terminated, " + app.name() + ", " + reason + "}");
                }
            }
        }
        return halt(state);
    }

    /** Starts taking the node down: the other applications stop, then the node closes. */
    private void takeDown(State state, String why) {
        if (state.closeNode) {
            return;
        }
        state.halting = true;
        state.closeNode = true;
        LOG.log(System.Logger.Level.ERROR, () -> "Application controller: " + why + "; stopping the other "
                + "applications, then closing node " + node.name());
    }

    /** The next step of halting, if halting: stop the latest application, or finish. */
    private NoReply<State> halt(State state) {
        if (!state.halting) {
            return GenServer.noreply(state);
        }
        for (App app : state.running) {
            if (app.phase == Phase.STOPPING) {
                return GenServer.noreply(state); // one at a time: wait for its master to exit
            }
        }
        if (!state.running.isEmpty()) {
            stop(state.running.get(state.running.size() - 1));
            return GenServer.noreply(state);
        }
        if (!state.apps.isEmpty()) {
            return GenServer.noreply(state); // still starting: stopped once it runs
        }
        for (From f : state.stopAllWaiting) {
            f.reply(OK);
        }
        state.stopAllWaiting.clear();
        if (state.closeNode && !state.closeStarted) {
            state.closeStarted = true;
            Node n = node;
            LOG.log(System.Logger.Level.INFO, () -> "Application controller: closing node " + n.name());
            Thread.ofPlatform().name("otp4j-" + n.name() + "-application-halt").start(n::close);
        }
        return GenServer.noreply(state);
    }

    private static void answer(App app, Object reply) {
        for (From f : app.waiting) {
            f.reply(reply);
        }
        app.waiting.clear();
    }

    private static String typeName(App app) {
        return app.type.name().toLowerCase(Locale.ROOT);
    }

    /** OTP's report of an application's end: {@code application: A, exited: R, type: T}. */
    private static void exited(App app, String how, System.Logger.Level level) {
        LOG.log(level, () -> "Application " + app.name() + " exited: " + how + ", type: " + typeName(app));
    }

    @Override
    public Object formatStatus(State state) {
        List<String> apps = new ArrayList<>();
        state.loaded.keySet().forEach(n -> {
            App a = state.apps.get(n);
            apps.add(n + "=" + (a == null ? "LOADED" : a.phase));
        });
        return "application controller " + apps + (state.halting ? " halting" : "");
    }
}
