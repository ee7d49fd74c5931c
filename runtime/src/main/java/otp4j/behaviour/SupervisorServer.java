package otp4j.behaviour;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import otp4j.runtime.Exit;
import otp4j.runtime.Pid;
import otp4j.runtime.Proc;
import otp4j.runtime.Reason;

/**
 * The supervisor's callbacks: a {@link GenServer} that traps exits, starts its children in
 * order, restarts them by its strategy when they exit, and stops them in reverse order.
 */
final class SupervisorServer implements GenServer<SupervisorServer.State, SupervisorServer.Request> {
    /*
     * Overview
     *
     * State: the children in start order (a list, so rest_for_one can find "the ones after"),
     * indexed by id and by pid; and the times of recent restarts. A child's entry stays when it
     * is not running (transient after a clean exit, ignored start, terminate_child) with a null
     * pid; a temporary child's entry goes when it exits (SUP-015, SUP-044).
     *
     * Starting and stopping a child, counting restarts and reporting are in Children, shared
     * with DynamicSupervisor.
     */

    private static final System.Logger LOG = ServerLoop.LOG;

    /** A child's entry. */
    static final class Child {
        final ChildSpec spec;
        Pid pid;

        Child(ChildSpec spec) {
            this.spec = spec;
        }
    }

    /** The supervisor's state; mutated in place, only by the supervisor's process. */
    static final class State {
        SupFlags flags;
        final List<Child> children = new ArrayList<>();
        final Map<Object, Child> byId = new HashMap<>();
        final Map<Pid, Child> byPid = new HashMap<>();
        Children.Intensity intensity;
    }

    /** The requests of {@link Supervisor}'s functions. */
    sealed interface Request {
    }

    record StartChild(ChildSpec spec) implements Request {
    }

    record TerminateChild(Object id) implements Request {
    }

    record RestartChild(Object id) implements Request {
    }

    record DeleteChild(Object id) implements Request {
    }

    record WhichChildren() implements Request {
    }

    record CountChildren() implements Request {
    }

    record GetChildSpec(Object id) implements Request {
    }

    /** A failed restart, retried as OTP's {@code try_again_restart}. */
    private record TryAgain(Object id) {
    }

    /** Misuse of a child function, thrown by the client. */
    enum ChildError {
        NOT_FOUND, RUNNING
    }

    private final SupervisorInit init;
    private Pid self;

    SupervisorServer(SupervisorInit init) {
        this.init = init;
    }

    // ------------------------------------------------------------------ init and terminate

    @Override
    public InitResult<State> init() {
        self = Proc.self();
        Proc.trapExit(true);
        Optional<SupervisorSpec> spec = init.init();
        if (spec == null) {
            throw new IllegalStateException("a supervisor's init returned null; return Optional.empty() to ignore");
        }
        if (spec.isEmpty()) {
            return GenServer.ignore();
        }
        State state = new State();
        state.flags = spec.get().flags();
        state.intensity = new Children.Intensity(state.flags.intensity(), state.flags.period());
        for (ChildSpec c : spec.get().children()) {
            if (state.byId.containsKey(c.id())) {
                throw new IllegalArgumentException("two children have the id " + c.id()
                        + "; ids must be unique within a supervisor");
            }
            Child child = new Child(c);
            state.children.add(child);
            state.byId.put(c.id(), child);
        }
        for (Child child : state.children) {
            StartResult r = Children.start(child.spec);
            switch (r) {
                case StartResult.Started s -> running(state, child, s.pid());
                case StartResult.Ignored i -> child.pid = null;
                case StartResult.Failed f -> {
                    report("start_error", f.reason(), child);
                    stopAll(state);
                    return GenServer.stopInit(Reason.shutdown(new FailedToStartChild(child.spec.id(), f.reason())));
                }
            }
        }
        return GenServer.ok(state);
    }

    @Override
    public void terminate(Reason reason, State state) {
        stopAll(state);
    }

    @Override
    public Object formatStatus(State state) {
        return new SupervisorStatus(false, state.flags.strategy(), whichChildren(state), state.intensity.total());
    }

    private static List<ChildInfo> whichChildren(State state) {
        List<ChildInfo> out = new ArrayList<>(state.children.size());
        for (int i = state.children.size() - 1; i >= 0; i--) {
            Child c = state.children.get(i);
            out.add(new ChildInfo(c.spec.id(), Optional.ofNullable(c.pid), c.spec.type()));
        }
        return List.copyOf(out);
    }

    // ------------------------------------------------------------------ child exits

    @Override
    public Result<State> handleInfo(Object message, State state) {
        switch (message) {
            case Exit(Pid pid, Reason reason) -> {
                Child child = state.byPid.remove(pid);
                if (child == null) {
                    return GenServer.noreply(state); // not a child of ours (any more)
                }
                child.pid = null;
                return childExited(state, child, pid, reason);
            }
            case TryAgain(Object id) -> {
                Child child = state.byId.get(id);
                if (child == null || child.pid != null) {
                    return GenServer.noreply(state);
                }
                return restart(state, child);
            }
            default -> {
                LOG.log(System.Logger.Level.WARNING, () -> "supervisor " + self + " got an unexpected message: " + message);
                return GenServer.noreply(state);
            }
        }
    }

    private Result<State> childExited(State state, Child child, Pid pid, Reason reason) {
        if (!Children.exitedWantsRestart(child.spec, pid, reason)) {
            if (child.spec.restart() == Restart.TEMPORARY) {
                remove(state, child);
            }
            return significantExit(state, child);
        }
        return restart(state, child);
    }

    /** A significant child exited for good: maybe the supervisor goes too (auto_shutdown). */
    private Result<State> significantExit(State state, Child child) {
        if (!child.spec.significant()) {
            return GenServer.noreply(state);
        }
        switch (state.flags.autoShutdown()) {
            case NEVER -> {
                return GenServer.noreply(state);
            }
            case ANY_SIGNIFICANT -> {
                return GenServer.stop(Reason.SHUTDOWN, state);
            }
            case ALL_SIGNIFICANT -> {
                for (Child c : state.children) {
                    if (c.spec.significant() && c.pid != null) {
                        return GenServer.noreply(state);
                    }
                }
                return GenServer.stop(Reason.SHUTDOWN, state);
            }
        }
        throw new AssertionError(state.flags.autoShutdown());
    }

    /** Restarts {@code child} by the strategy, if the intensity allows; gives up otherwise. */
    private Result<State> restart(State state, Child child) {
        if (!state.intensity.add()) {
            report("shutdown", Reason.custom("reached_max_restart_intensity"), child);
            return GenServer.stop(Reason.SHUTDOWN, state);
        }
        List<Child> toStart = switch (state.flags.strategy()) {
            case ONE_FOR_ONE -> List.of(child);
            case ONE_FOR_ALL -> {
                stopAfter(state, -1);
                yield new ArrayList<>(state.children);
            }
            case REST_FOR_ONE -> {
                int at = state.children.indexOf(child);
                stopAfter(state, at);
                yield new ArrayList<>(state.children.subList(at, state.children.size()));
            }
        };
        for (Child c : toStart) {
            if (c.pid != null || !state.byId.containsKey(c.spec.id())) {
                continue;
            }
            switch (Children.start(c.spec)) {
                case StartResult.Started s -> running(state, c, s.pid());
                case StartResult.Ignored i -> c.pid = null;
                case StartResult.Failed f -> {
                    report("start_error", f.reason(), c);
                    Proc.send(self, new TryAgain(c.spec.id())); // counts as a restart when it comes
                    return GenServer.noreply(state);
                }
            }
        }
        return GenServer.noreply(state);
    }

    // ------------------------------------------------------------------ starting and stopping

    private static void running(State state, Child child, Pid pid) {
        child.pid = pid;
        state.byPid.put(pid, child);
    }

    private static void remove(State state, Child child) {
        state.children.remove(child);
        state.byId.remove(child.spec.id());
        if (child.pid != null) {
            state.byPid.remove(child.pid);
        }
    }

    /** Stops every running child after position {@code from}, last started first. */
    private void stopAfter(State state, int from) {
        for (int i = state.children.size() - 1; i > from; i--) {
            Child c = state.children.get(i);
            if (c.pid != null) {
                shutdown(state, c);
                if (c.spec.restart() == Restart.TEMPORARY) {
                    remove(state, c); // a temporary child is not restarted with the others
                }
            }
        }
    }

    private void stopAll(State state) {
        for (int i = state.children.size() - 1; i >= 0; i--) {
            Child c = state.children.get(i);
            if (c.pid != null) {
                shutdown(state, c);
            }
        }
    }

    /** Stops one child by its shutdown policy and waits until it has exited. */
    private static void shutdown(State state, Child child) {
        Pid pid = child.pid;
        state.byPid.remove(pid);
        child.pid = null;
        Children.stop(pid, child.spec);
    }

    // ------------------------------------------------------------------ the child functions

    @Override
    public CallResult<State> handleCall(Request request, From from, State state) {
        return switch (request) {
            case StartChild(ChildSpec spec) -> {
                Child existing = state.byId.get(spec.id());
                if (existing != null) {
                    Reason why = existing.pid != null ? Reason.custom(new AlreadyStarted(existing.pid))
                            : Reason.custom("already_present");
                    yield GenServer.reply(new StartResult.Failed(why), state);
                }
                StartResult r = Children.start(spec);
                if (!(r instanceof StartResult.Failed)) {
                    Child child = new Child(spec);
                    state.children.add(child);
                    state.byId.put(spec.id(), child);
                    if (r instanceof StartResult.Started s) {
                        running(state, child, s.pid());
                    }
                }
                yield GenServer.reply(r, state);
            }
            case TerminateChild(Object id) -> {
                Child child = state.byId.get(id);
                if (child == null) {
                    yield GenServer.reply(ChildError.NOT_FOUND, state);
                }
                if (child.pid != null) {
                    shutdown(state, child);
                }
                if (child.spec.restart() == Restart.TEMPORARY) {
                    remove(state, child);
                }
                yield GenServer.reply(Boolean.TRUE, state);
            }
            case RestartChild(Object id) -> {
                Child child = state.byId.get(id);
                if (child == null) {
                    yield GenServer.reply(ChildError.NOT_FOUND, state);
                }
                if (child.pid != null) {
                    yield GenServer.reply(ChildError.RUNNING, state);
                }
                StartResult r = Children.start(child.spec);
                if (r instanceof StartResult.Started s) {
                    running(state, child, s.pid());
                }
                yield GenServer.reply(r, state);
            }
            case DeleteChild(Object id) -> {
                Child child = state.byId.get(id);
                if (child == null) {
                    yield GenServer.reply(ChildError.NOT_FOUND, state);
                }
                if (child.pid != null) {
                    yield GenServer.reply(ChildError.RUNNING, state);
                }
                remove(state, child);
                yield GenServer.reply(Boolean.TRUE, state);
            }
            case WhichChildren() -> GenServer.reply(whichChildren(state), state);
            case CountChildren() -> {
                int active = 0;
                int supervisors = 0;
                for (Child c : state.children) {
                    if (c.pid != null) {
                        active++;
                    }
                    if (c.spec.type() == ChildType.SUPERVISOR) {
                        supervisors++;
                    }
                }
                int specs = state.children.size();
                yield GenServer.reply(new ChildCounts(specs, active, supervisors, specs - supervisors), state);
            }
            case GetChildSpec(Object id) -> {
                Child child = state.byId.get(id);
                yield GenServer.reply(child == null ? ChildError.NOT_FOUND : child.spec, state);
            }
        };
    }

    // ------------------------------------------------------------------ reports

    private static void report(String context, Reason reason, Child child) {
        Children.report(context, reason, child.spec, child.pid);
    }
}
