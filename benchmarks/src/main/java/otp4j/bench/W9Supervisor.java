package otp4j.bench;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;

import otp4j.behaviour.ChildInfo;
import otp4j.behaviour.ChildSpec;
import otp4j.behaviour.ChildType;
import otp4j.behaviour.GenServer;
import otp4j.behaviour.InitResult;
import otp4j.behaviour.Result;
import otp4j.behaviour.Shutdown;
import otp4j.behaviour.StartOptions;
import otp4j.behaviour.SupFlags;
import otp4j.behaviour.Supervisor;
import otp4j.runtime.Pid;
import otp4j.runtime.Proc;
import otp4j.runtime.Reason;

/**
 * W9 supervisor restarts: a one_for_one supervisor with an intensity it never reaches
 * (1,000,000 restarts a second) and one permanent worker, registered by name, that tells the
 * bench when it is up and crashes on {@code crash}; the bench crashes it C times, each time
 * waiting until the replacement is up. What a service pays to recover from a crash. Figures, as
 * {@code w9_sup.erl}: restarts/s over all C, over the first 1,000 and over the last 1,000 (a
 * restart costs the same however many came before when the two agree). Checked: each
 * replacement is a new process, and at the end the name and the supervisor's only child are
 * the last one. As in the Erlang program, error reports are turned off (crash and supervisor
 * reports, two per restart).
 *
 * <p>Pekko: {@code Behaviors.supervise(worker).onFailure(SupervisorStrategy.restart())} with
 * the same limit, the worker's failure a thrown exception (without a stack trace, as otp4j's
 * exit). This is not the same work: a typed Pekko actor restarts itself in place: the
 * supervisor is a wrapper around the worker's behaviour, in the worker's own actor, which
 * catches the exception and runs the worker's set-up again. No exit signal goes to another
 * actor, no new actor or mailbox is made, nothing is registered, and the actor's reference
 * stays the same (so "a new process" is checked as a count of set-ups instead). On otp4j and
 * BEAM a restart is a process that dies, a signal to the supervisor's process, and a new
 * process started through the GenServer start protocol.
 *
 * <p>The floor: a hand-rolled restart loop of floor processes. The worker is a virtual thread
 * that puts itself in a map of names, tells the bench it is up, and throws when it receives
 * {@code crash}; a catch at the top of its thread takes its name out and tells the supervisor
 * (a floor process) that it died, and the supervisor starts the next one. No links, monitors,
 * restart intensity, child specs, start protocol or reports.
 *
 * <p>Run with {@code benchmarks/run.sh w9} (all implementations, side by side), or alone
 * as the benchmarks README shows ({@code Bench w9 otp4j}).
 */
final class W9Supervisor {
    private static final String CRASH = "crash";
    private static final String STOP = "stop";
    private static final String WORKER = "w9_worker";
    private static final int INTENSITY = 1_000_000;
    private static final Duration PERIOD = Duration.ofSeconds(1);

    private W9Supervisor() {
    }

    /** When the restarts began, when the first chunk, all but the last chunk and all were done. */
    private record Times(long t0, long t1, long t2, long t3) {
    }

    static void run(Bench.Impl impl, Report out, int restarts) throws InterruptedException {
        int chunk = Math.min(1000, restarts / 2);
        switch (impl) {
            case OTP4J -> Bench.otp4j(() -> report(out, restarts, chunk, otp4j(restarts, chunk)));
            case VT -> Bench.vt(self -> report(out, restarts, chunk, vt(self, restarts, chunk)));
            case PEKKO, PEKKO_VT -> Bench.pekko(impl, pekko -> report(out, restarts, chunk, pekko(pekko, restarts, chunk)));
        }
    }

    // ------------------------------------------------------------------ otp4j

    /** A worker is up. */
    private record Up(Pid pid) {
    }

    /** {@code w9_worker.erl}. */
    private record Worker(Pid bench) implements GenServer<Pid, Object> {
        @Override
        public InitResult<Pid> init() {
            Proc.send(bench, new Up(Proc.self()));
            return GenServer.ok(bench);
        }

        @Override
        public Result<Pid> handleInfo(Object message, Pid state) {
            if (message == CRASH) {
                Proc.exit(Reason.custom(CRASH));
            }
            return GenServer.noreply(state);
        }
    }

    private static Times otp4j(int restarts, int chunk) {
        // otp4j reports through System.Logger, which is java.util.logging unless configured otherwise.
        Logger.getLogger("").setLevel(Level.OFF);
        Pid self = Proc.self();
        Pid sup = Supervisor.startLink(SupFlags.oneForOne().withIntensity(INTENSITY, PERIOD), List.of(
                ChildSpec.worker(WORKER, () -> GenServer.startLink(new Worker(self), StartOptions.named(WORKER)))
                        .withShutdown(Shutdown.brutalKill()))).orThrow();
        Pid p = ((Up) Proc.receive()).pid();
        long t0 = System.nanoTime();
        p = crash(chunk, p);
        long t1 = System.nanoTime();
        p = crash(restarts - 2 * chunk, p);
        long t2 = System.nanoTime();
        p = crash(chunk, p);
        long t3 = System.nanoTime();
        Optional<Pid> named = Proc.whereis(WORKER);
        if (!named.equals(Optional.of(p))) {
            throw Bench.wrong(WORKER + " is " + named + ", expected the last worker " + p);
        }
        List<ChildInfo> children = Supervisor.whichChildren(sup);
        if (!children.equals(List.of(new ChildInfo(WORKER, Optional.of(p), ChildType.WORKER)))) {
            throw Bench.wrong("the supervisor's children are " + children + ", expected only " + p);
        }
        return new Times(t0, t1, t2, t3);
    }

    /** Crashes the current worker {@code k} times, each time waiting until a new one is up; returns the last. */
    private static Pid crash(int k, Pid p) {
        for (int i = 0; i < k; i++) {
            Pid old = p;
            Proc.send(old, CRASH);
            p = Proc.receive(m -> m instanceof Up up && !up.pid().equals(old) ? up.pid() : null);
        }
        return p;
    }

    // ------------------------------------------------------------------ floor

    /** A floor worker is up. */
    private record VtUp(VtProc proc) {
    }

    /** A floor worker died: the supervisor's exit notice. */
    private record VtDied(VtProc proc) {
    }

    /** Stop the floor supervisor; it answers with how many workers it started. */
    private record VtStop(VtProc from) {
    }

    private static Times vt(VtProc bench, int restarts, int chunk) {
        Map<String, VtProc> names = new ConcurrentHashMap<>();
        VtProc sup = VtProc.spawn(self -> {
            VtProc child = startVtWorker(self, bench, names);
            int started = 1;
            Object m = self.receive();
            for (; m instanceof VtDied died; m = self.receive()) {
                if (died.proc() != child) {
                    throw new IllegalStateException("an exit notice from " + died.proc() + ", not from the child");
                }
                child = startVtWorker(self, bench, names);
                started++;
            }
            ((VtStop) m).from().send(started);
        });
        VtProc p = ((VtUp) bench.receive()).proc();
        long t0 = System.nanoTime();
        p = vtCrash(bench, chunk, p);
        long t1 = System.nanoTime();
        p = vtCrash(bench, restarts - 2 * chunk, p);
        long t2 = System.nanoTime();
        p = vtCrash(bench, chunk, p);
        long t3 = System.nanoTime();
        if (names.get(WORKER) != p) {
            throw Bench.wrong(WORKER + " is " + names.get(WORKER) + ", expected the last worker " + p);
        }
        sup.send(new VtStop(bench));
        int started = (Integer) bench.receive();
        if (started != restarts + 1) {
            throw Bench.wrong("the supervisor started " + started + " workers, expected " + (restarts + 1));
        }
        p.send(STOP);
        return new Times(t0, t1, t2, t3);
    }

    /** Starts a floor worker: registered, up, and dead at {@code crash}, which it tells {@code sup}. */
    private static VtProc startVtWorker(VtProc sup, VtProc bench, Map<String, VtProc> names) {
        return VtProc.spawn(self -> {
            try {
                names.put(WORKER, self);
                bench.send(new VtUp(self));
                if (self.receive() == CRASH) {
                    throw new Crash();
                }
            } catch (Crash e) {
                names.remove(WORKER, self);
                sup.send(new VtDied(self));
            }
        });
    }

    /** {@link #crash} on the floor. */
    private static VtProc vtCrash(VtProc bench, int k, VtProc p) {
        for (int i = 0; i < k; i++) {
            VtProc old = p;
            old.send(CRASH);
            VtProc up = ((VtUp) bench.receive()).proc();
            if (up == old) {
                throw Bench.wrong("the worker reported up twice");
            }
            p = up;
        }
        return p;
    }

    // ------------------------------------------------------------------ Pekko

    /** The worker has started for the {@code n}th time. */
    private record Started(int n) {
    }

    /** The worker's failure: an exception without a stack trace, as otp4j's exit. */
    private static final class Crash extends RuntimeException {
        Crash() {
            super(CRASH, null, false, false);
        }
    }

    /** Tells {@code notify} at each (re)start, throws on any message; restarted by its supervisor. */
    private static Behavior<String> pekkoWorker(ActorRef<Started> notify) {
        AtomicInteger starts = new AtomicInteger(); // kept across restarts: outside the behaviour
        Behavior<String> worker = Behaviors.setup(ctx -> {
            notify.tell(new Started(starts.incrementAndGet()));
            return Behaviors.receiveMessage(m -> {
                throw new Crash();
            });
        });
        return Behaviors.supervise(worker).onFailure(
                SupervisorStrategy.restart().withLimit(INTENSITY, PERIOD).withLoggingEnabled(false));
    }

    /** The bench: spawns the worker, then crashes it and waits for its restart, {@code restarts} times. */
    private static final class PekkoBench extends AbstractBehavior<Started> {
        private final int restarts;
        private final int chunk;
        private final CompletableFuture<Times> done;
        private final ActorRef<String> worker;
        private final long[] t = new long[4];
        private int starts;

        PekkoBench(ActorContext<Started> context, int restarts, int chunk, CompletableFuture<Times> done) {
            super(context);
            this.restarts = restarts;
            this.chunk = chunk;
            this.done = done;
            this.worker = context.spawn(pekkoWorker(context.getSelf()), WORKER);
        }

        @Override
        public Receive<Started> createReceive() {
            return newReceiveBuilder().onMessage(Started.class, this::started).build();
        }

        private Behavior<Started> started(Started s) {
            if (s.n() != ++starts) {
                done.completeExceptionally(Bench.wrong("start " + s.n() + " reported as the " + starts + "th"));
                return Behaviors.stopped();
            }
            int restarted = s.n() - 1;
            long now = System.nanoTime();
            if (restarted == 0) {
                t[0] = now;
            }
            if (restarted == chunk) {
                t[1] = now;
            }
            if (restarted == restarts - chunk) {
                t[2] = now;
            }
            if (restarted == restarts) {
                done.complete(new Times(t[0], t[1], t[2], now));
                return Behaviors.stopped();
            }
            worker.tell(CRASH);
            return this;
        }
    }

    private static Times pekko(PekkoSystem pekko, int restarts, int chunk) {
        CompletableFuture<Times> done = new CompletableFuture<>();
        pekko.spawn(Behaviors.<Started>setup(ctx -> new PekkoBench(ctx, restarts, chunk, done)));
        return done.join();
    }

    private static void report(Report out, int restarts, int chunk, Times t) {
        out.rate("w9_restarts_per_s", restarts, t.t3() - t.t0(), "restarts/s");
        out.rate("w9_restarts_first1000_per_s", chunk, t.t1() - t.t0(), "restarts/s");
        out.rate("w9_restarts_last1000_per_s", chunk, t.t3() - t.t2(), "restarts/s");
    }
}
