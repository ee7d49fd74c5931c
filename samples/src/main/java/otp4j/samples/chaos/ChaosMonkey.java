package otp4j.samples.chaos;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.function.Consumer;

import otp4j.behaviour.CallException;
import otp4j.behaviour.CallResult;
import otp4j.behaviour.ChildInfo;
import otp4j.behaviour.ChildSpec;
import otp4j.behaviour.ChildType;
import otp4j.behaviour.DynamicSupervisor;
import otp4j.behaviour.From;
import otp4j.behaviour.GenServer;
import otp4j.behaviour.InitResult;
import otp4j.behaviour.Result;
import otp4j.behaviour.StartOptions;
import otp4j.behaviour.StartResult;
import otp4j.behaviour.Supervisor;
import otp4j.runtime.Down;
import otp4j.runtime.Name;
import otp4j.runtime.Pid;
import otp4j.runtime.Proc;
import otp4j.runtime.Reason;
import otp4j.runtime.Ref;

/**
 * A process that kills random workers of the supervisors it is given, with the untrappable
 * {@code kill}, on a timer or when asked: the supervisors restart them, and the applications
 * they serve keep answering. Only workers are killed, never supervisors, and never the monkey.
 *
 * {@snippet :
 * ChaosMonkey monkey = new ChaosMonkey(List.of(new ChaosMonkey.Workers("samples_sup"),
 *         new ChaosMonkey.DynamicWorkers("chat_bots_sup")), Optional.of(Duration.ofSeconds(10)), 42, strike -> {});
 * Supervisor.startLink(SupFlags.oneForOne(), List.of(..., monkey.childSpec()));
 * Optional<ChaosMonkey.Strike> s = ChaosMonkey.strike();   // one more, now
 * }
 *
 * <p>A strike picks one of the supervisors at random, then one of its running workers at
 * random, kills it and waits for its {@code Down}: when {@link #strike()} returns, the worker is
 * dead and its supervisor has the exit in its mailbox, so the next request to that supervisor
 * ({@code whichChildren}, say) is answered after the restart.
 */
public final class ChaosMonkey {

    /** The monkey's registered name, and its child id. */
    public static final String NAME = "chaos_monkey";

    /** A supervisor whose workers the monkey may kill. */
    public sealed interface Prey permits Workers, DynamicWorkers {
        /** {@return the supervisor's registered name} */
        String supervisor();
    }

    /**
     * The workers of a {@link Supervisor}.
     *
     * @param supervisor its registered name
     */
    public record Workers(String supervisor) implements Prey {
        public Workers {
            Objects.requireNonNull(supervisor, "supervisor");
        }
    }

    /**
     * The workers of a {@link DynamicSupervisor}.
     *
     * @param supervisor its registered name
     */
    public record DynamicWorkers(String supervisor) implements Prey {
        public DynamicWorkers {
            Objects.requireNonNull(supervisor, "supervisor");
        }
    }

    /**
     * A worker killed.
     *
     * @param supervisor the supervisor it belonged to
     * @param id         its child id
     * @param pid        the process killed
     */
    public record Strike(String supervisor, Object id, Pid pid) {
    }

    private final List<Prey> prey;
    private final Optional<Duration> every;
    private final long seed;
    private final Consumer<Strike> onStrike;

    /**
     * Specifies a monkey.
     *
     * @param prey     the supervisors whose workers it kills
     * @param every    how often it strikes on its own; empty to strike only when asked
     * @param seed     the seed of its choices, so a run can be replayed
     * @param onStrike told of each strike, in the monkey's process (to print it, say)
     * @throws IllegalArgumentException if there is no prey or {@code every} is not positive
     */
    public ChaosMonkey(List<Prey> prey, Optional<Duration> every, long seed, Consumer<Strike> onStrike) {
        this.prey = List.copyOf(Objects.requireNonNull(prey, "prey"));
        if (this.prey.isEmpty()) {
            throw new IllegalArgumentException("a chaos monkey needs at least one supervisor to prey on");
        }
        this.every = Objects.requireNonNull(every, "every");
        every.ifPresent(d -> {
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("every must be positive, was " + d + "; use Optional.empty() to "
                        + "strike only when asked");
            }
        });
        this.seed = seed;
        this.onStrike = Objects.requireNonNull(onStrike, "onStrike");
    }

    /** {@return a permanent worker running the monkey, registered as {@value #NAME}} */
    public ChildSpec childSpec() {
        return ChildSpec.worker(NAME, this::startLink);
    }

    /** {@return the monkey started, linked to the caller} <b>May be called from:</b> a process. */
    public StartResult startLink() {
        return GenServer.startLink(new Server(this), StartOptions.named(NAME));
    }

    /**
     * {@return the worker killed; empty if none of the supervisors had a running worker}
     * Strikes once, now, and returns when the worker is dead.
     *
     * <p><b>May be called from:</b> any process.
     */
    public static Optional<Strike> strike() {
        return GenServer.call(new Name(NAME), new StrikeNow());
    }

    /** {@return how many workers the monkey has killed since it started} <b>May be called from:</b> any process. */
    public static long strikes() {
        return GenServer.call(new Name(NAME), new CountStrikes());
    }

    private sealed interface Request permits StrikeNow, CountStrikes {
    }

    private record StrikeNow() implements Request {
    }

    private record CountStrikes() implements Request {
    }

    /** The timer's message, private so that only the monkey's own timer makes it strike. */
    private record Tick() {
    }

    private static final class State {
        final Random random;
        long strikes;

        State(Random random) {
            this.random = random;
        }
    }

    private record Server(ChaosMonkey monkey) implements GenServer<State, Request> {
        @Override
        public InitResult<State> init() {
            monkey.every.ifPresent(d -> Proc.sendAfter(d, Proc.self(), new Tick()));
            return GenServer.ok(new State(new Random(monkey.seed)));
        }

        @Override
        public CallResult<State> handleCall(Request request, From from, State state) {
            return switch (request) {
                case StrikeNow() -> GenServer.reply(strikeOnce(state), state);
                case CountStrikes() -> GenServer.reply(state.strikes, state);
            };
        }

        @Override
        public Result<State> handleInfo(Object message, State state) {
            if (message instanceof Tick) {
                // armed before the strike, so the strike's report happens after the next tick's timer is set
                monkey.every.ifPresent(d -> Proc.sendAfter(d, Proc.self(), new Tick()));
                strikeOnce(state);
                return GenServer.noreply(state);
            }
            return GenServer.super.handleInfo(message, state);
        }

        private Optional<Strike> strikeOnce(State state) {
            List<Prey> order = new ArrayList<>(monkey.prey);
            // try the supervisors in a random order until one has a worker to kill
            while (!order.isEmpty()) {
                Prey p = order.remove(state.random.nextInt(order.size()));
                List<ChildInfo> workers = runningWorkers(p);
                if (!workers.isEmpty()) {
                    ChildInfo victim = workers.get(state.random.nextInt(workers.size()));
                    Pid pid = victim.pid().orElseThrow();
                    Ref ref = Proc.monitor(pid);
                    Proc.exit(pid, Reason.KILL);
                    Proc.receive(m -> m instanceof Down d && d.ref().equals(ref) ? d : null);
                    Strike strike = new Strike(p.supervisor(), victim.id(), pid);
                    state.strikes++;
                    monkey.onStrike.accept(strike);
                    return Optional.of(strike);
                }
            }
            return Optional.empty();
        }

        /** The supervisor's running workers, but the monkey; none if the supervisor is itself restarting. */
        private static List<ChildInfo> runningWorkers(Prey p) {
            List<ChildInfo> children;
            try {
                children = switch (p) {
                    case Workers(String sup) -> Supervisor.whichChildren(new Name(sup));
                    case DynamicWorkers(String sup) -> DynamicSupervisor.whichChildren(new Name(sup));
                };
            } catch (CallException e) {
                return List.of();
            }
            Pid self = Proc.self();
            return children.stream()
                    .filter(c -> c.type() == ChildType.WORKER && c.pid().isPresent() && !c.pid().get().equals(self))
                    .toList();
        }

        @Override
        public Object formatStatus(State state) {
            return "chaos monkey: " + state.strikes + " strikes, preying on " + monkey.prey;
        }
    }
}
