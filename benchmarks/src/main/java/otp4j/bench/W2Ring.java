package otp4j.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

import otp4j.runtime.Pid;
import otp4j.runtime.Proc;
import otp4j.runtime.Reason;

/**
 * W2 ring: N processes in a ring pass an integer token, the number of hops still to make, until
 * it reaches 0: the cost of one message hand-off from a process to the next, with every other
 * process of the ring blocked, as in a pipeline of stages. Two rings, as {@code w2_ring.erl}:
 * 10,000 processes × 1,000 rounds ({@code w2_ring_10k_*}) and 100 processes × 100,000 rounds
 * ({@code w2_ring_100_*}). Figures: hops/s and ns/hop. The token is the check: {@code done}
 * comes only after exactly N×R hops.
 *
 * <p>Pekko: the ring's actors are the children of one actor, which a {@code stop} message ends
 * with its ring; the actor that gets the token at 0 takes the end time.
 *
 * <p>Run with {@code benchmarks/run.sh w2} (all implementations, side by side), or alone
 * as the benchmarks README shows ({@code Bench w2 otp4j}).
 */
final class W2Ring {
    private static final String DONE = "done";

    private W2Ring() {
    }

    private record Next(Object next) {
    }

    static void run(Bench.Impl impl, Report out, int n1, int rounds1, int n2, int rounds2)
            throws InterruptedException {
        switch (impl) {
            case OTP4J -> Bench.otp4j(() -> {
                otp4j(out, n1, rounds1, "w2_ring_10k");
                otp4j(out, n2, rounds2, "w2_ring_100");
            });
            case VT -> Bench.vt(self -> {
                vt(out, self, n1, rounds1, "w2_ring_10k");
                vt(out, self, n2, rounds2, "w2_ring_100");
            });
            case PEKKO, PEKKO_VT -> Bench.pekko(impl, pekko -> {
                pekko(out, pekko, n1, rounds1, "w2_ring_10k");
                pekko(out, pekko, n2, rounds2, "w2_ring_100");
            });
        }
    }

    private static void otp4j(Report out, int n, int rounds, String prefix) {
        Pid parent = Proc.self();
        Pid first = Proc.spawn(() -> hop((Pid) ((Next) Proc.receive()).next(), parent));
        List<Pid> pids = new ArrayList<>(List.of(first));
        Pid prev = first;
        // Each new process sends to the one created before it; the first closes the ring.
        for (int i = 1; i < n; i++) {
            Pid to = prev;
            prev = Proc.spawn(() -> hop(to, parent));
            pids.add(prev);
        }
        Proc.send(first, new Next(prev));
        int hops = Math.multiplyExact(n, rounds);
        long t0 = System.nanoTime();
        Proc.send(first, hops);
        Object m = Proc.receive();
        long t1 = System.nanoTime();
        if (m != DONE) {
            throw Bench.wrong("expected done, got " + m);
        }
        for (Pid p : pids) {
            Proc.exit(p, Reason.KILL);
        }
        report(out, prefix, hops, t1 - t0);
    }

    private static void hop(Pid next, Pid parent) {
        for (;;) {
            int k = (Integer) Proc.receive();
            if (k == 0) {
                Proc.send(parent, DONE);
            } else {
                Proc.send(next, k - 1);
            }
        }
    }

    private static void vt(Report out, VtProc parent, int n, int rounds, String prefix) {
        VtProc first = VtProc.spawn(self -> hop(self, (VtProc) ((Next) self.receive()).next(), parent));
        List<VtProc> procs = new ArrayList<>(List.of(first));
        VtProc prev = first;
        for (int i = 1; i < n; i++) {
            VtProc to = prev;
            prev = VtProc.spawn(self -> hop(self, to, parent));
            procs.add(prev);
        }
        first.send(new Next(prev));
        int hops = Math.multiplyExact(n, rounds);
        long t0 = System.nanoTime();
        first.send(hops);
        Object m = parent.receive();
        long t1 = System.nanoTime();
        if (m != DONE) {
            throw Bench.wrong("expected done, got " + m);
        }
        for (VtProc p : procs) {
            p.send(-1);
        }
        report(out, prefix, hops, t1 - t0);
    }

    /** The floor's ring process; a negative token stops it, since the floor cannot kill. */
    private static void hop(VtProc self, VtProc next, VtProc parent) {
        for (;;) {
            int k = (Integer) self.receive();
            if (k == 0) {
                parent.send(DONE);
            } else if (k > 0) {
                next.send(k - 1);
            } else {
                return;
            }
        }
    }

    /** A ring actor: passes the token on, or takes the end time when it reaches 0. */
    private static Behavior<Object> pekkoHop(ActorRef<Object> next, CompletableFuture<Long> done) {
        return Behaviors.receiveMessage(m -> switch (m) {
            case Next(Object first) -> pekkoHop(asRef(first), done);
            case Integer k when k == 0 -> {
                done.complete(System.nanoTime());
                yield Behaviors.same();
            }
            case Integer k -> {
                next.tell(k - 1);
                yield Behaviors.same();
            }
            default -> {
                done.completeExceptionally(Bench.wrong("a ring actor got " + m));
                yield Behaviors.stopped();
            }
        });
    }

    @SuppressWarnings("unchecked") // Next carries the reference of a ring actor
    private static ActorRef<Object> asRef(Object ref) {
        return (ActorRef<Object>) ref;
    }

    private static void pekko(Report out, PekkoSystem pekko, int n, int rounds, String prefix) {
        CompletableFuture<ActorRef<Object>> ring = new CompletableFuture<>();
        CompletableFuture<Long> done = new CompletableFuture<>();
        // Each new actor sends to the one created before it; the first closes the ring.
        ActorRef<String> owner = pekko.spawn(Behaviors.setup(ctx -> {
            ActorRef<Object> first = ctx.spawnAnonymous(pekkoHop(null, done));
            ActorRef<Object> prev = first;
            for (int i = 1; i < n; i++) {
                prev = ctx.spawnAnonymous(pekkoHop(prev, done));
            }
            first.tell(new Next(prev));
            ring.complete(first);
            return Behaviors.receiveMessage(stop -> Behaviors.stopped());
        }));
        ActorRef<Object> first = ring.join();
        int hops = Math.multiplyExact(n, rounds);
        long t0 = System.nanoTime();
        first.tell(hops);
        long t1 = done.join();
        owner.tell(DONE);
        report(out, prefix, hops, t1 - t0);
    }

    private static void report(Report out, String prefix, int hops, long nanos) {
        out.rate(prefix + "_hops_per_s", hops, nanos, "hops/s");
        out.num(prefix + "_ns_per_hop", (double) nanos / hops, "ns/hop");
    }
}
