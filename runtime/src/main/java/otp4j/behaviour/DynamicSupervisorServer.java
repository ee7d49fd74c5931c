package otp4j.behaviour;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import otp4j.runtime.Exit;
import otp4j.runtime.Pid;
import otp4j.runtime.Proc;
import otp4j.runtime.Reason;

/**
 * The dynamic supervisor's callbacks: a {@link GenServer} that traps exits, starts children on
 * request and restarts each on its own.
 */
final class DynamicSupervisorServer
        implements GenServer<DynamicSupervisorServer.State, DynamicSupervisorServer.Request> {
    /*
     * State: the children in the order they were added, and the running ones by pid. A child
     * whose restart failed stays, with a null pid, until the retry (a TryAgain to ourselves)
     * starts it; it counts toward max_children, as in Elixir.
     */

    /** A child's entry; identity matters, a TryAgain refers to the entry. */
    static final class Child {
        final ChildSpec spec;
        Pid pid;

        Child(ChildSpec spec) {
            this.spec = spec;
        }
    }

    /** Mutated in place, only by the supervisor's process. */
    static final class State {
        final LinkedHashSet<Child> children = new LinkedHashSet<>();
        final Map<Pid, Child> byPid = new HashMap<>();
        Children.Intensity intensity;
    }

    /** The requests of {@link DynamicSupervisor}'s functions. */
    sealed interface Request {
    }

    record StartChild(ChildSpec spec) implements Request {
    }

    record TerminateChild(Pid pid) implements Request {
    }

    record WhichChildren() implements Request {
    }

    record CountChildren() implements Request {
    }

    /** A failed restart, retried. */
    private record TryAgain(Child child) {
    }

    private final DynamicSupervisor.Flags flags;
    private Pid self;

    DynamicSupervisorServer(DynamicSupervisor.Flags flags) {
        this.flags = flags;
    }

    @Override
    public InitResult<State> init() {
        self = Proc.self();
        Proc.trapExit(true);
        State state = new State();
        state.intensity = new Children.Intensity(flags.intensity(), flags.period());
        return GenServer.ok(state);
    }

    @Override
    public void terminate(Reason reason, State state) {
        Map<Pid, ChildSpec> running = new LinkedHashMap<>();
        state.byPid.forEach((pid, child) -> running.put(pid, child.spec));
        state.byPid.clear();
        state.children.clear();
        Children.stopAll(running);
    }

    @Override
    public Object formatStatus(State state) {
        return new SupervisorStatus(true, Strategy.ONE_FOR_ONE, whichChildren(state), state.intensity.total());
    }

    private static List<ChildInfo> whichChildren(State state) {
        List<ChildInfo> out = new ArrayList<>(state.children.size());
        for (Child c : state.children.reversed()) {
            out.add(new ChildInfo(c.spec.id(), Optional.ofNullable(c.pid), c.spec.type()));
        }
        return List.copyOf(out);
    }

    @Override
    public CallResult<State> handleCall(Request request, From from, State state) {
        return switch (request) {
            case StartChild(ChildSpec spec) -> {
                if (state.children.size() >= flags.maxChildren()) {
                    yield GenServer.reply(new StartResult.Failed(Reason.custom("max_children")), state);
                }
                StartResult r = Children.start(spec);
                if (r instanceof StartResult.Started s) {
                    Child child = new Child(spec);
                    state.children.add(child);
                    running(state, child, s.pid());
                }
                yield GenServer.reply(r, state);
            }
            case TerminateChild(Pid pid) -> {
                Child child = state.byPid.remove(pid);
                if (child == null) {
                    yield GenServer.reply(Boolean.FALSE, state);
                }
                state.children.remove(child);
                Children.stop(pid, child.spec);
                yield GenServer.reply(Boolean.TRUE, state);
            }
            case WhichChildren() -> GenServer.reply(whichChildren(state), state);
            case CountChildren() -> {
                int supervisors = 0;
                for (Child c : state.children) {
                    if (c.spec.type() == ChildType.SUPERVISOR) {
                        supervisors++;
                    }
                }
                int specs = state.children.size();
                yield GenServer.reply(new ChildCounts(specs, state.byPid.size(), supervisors, specs - supervisors),
                        state);
            }
        };
    }

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
            case TryAgain(Child child) -> {
                if (!state.children.contains(child) || child.pid != null) {
                    return GenServer.noreply(state);
                }
                return restart(state, child);
            }
            default -> {
                ServerLoop.LOG.log(System.Logger.Level.WARNING,
                        () -> "dynamic supervisor " + self + " got an unexpected message: " + message);
                return GenServer.noreply(state);
            }
        }
    }

    private Result<State> childExited(State state, Child child, Pid pid, Reason reason) {
        if (!Children.exitedWantsRestart(child.spec, pid, reason)) {
            state.children.remove(child);
            return GenServer.noreply(state);
        }
        return restart(state, child);
    }

    private Result<State> restart(State state, Child child) {
        if (!state.intensity.add()) {
            Children.report("shutdown", Reason.custom("reached_max_restart_intensity"), child.spec, null);
            return GenServer.stop(Reason.SHUTDOWN, state);
        }
        switch (Children.start(child.spec)) {
            case StartResult.Started s -> running(state, child, s.pid());
            case StartResult.Ignored i -> state.children.remove(child);
            case StartResult.Failed f -> {
                Children.report("start_error", f.reason(), child.spec, null);
                Proc.send(self, new TryAgain(child)); // counts as a restart when it comes
            }
        }
        return GenServer.noreply(state);
    }

    private static void running(State state, Child child, Pid pid) {
        child.pid = pid;
        state.byPid.put(pid, child);
    }
}
