package otp4j.bench;

import java.util.concurrent.CompletableFuture;

import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;

import otp4j.runtime.Pid;
import otp4j.runtime.Proc;
import otp4j.runtime.Reason;

/**
 * W3 ping-pong: process A sends an integer to B, B sends it back, N times: the latency of a
 * request and its reply between two processes, as a client waiting on a server. Figures, as
 * {@code w3_pingpong.erl}: ns per round trip and round trips/s, timed inside A. A checks every
 * reply against what it sent.
 *
 * <p>Run with {@code benchmarks/run.sh w3} (all implementations, side by side), or alone
 * as the benchmarks README shows ({@code Bench w3 otp4j}).
 */
final class W3PingPong {
    private static final String STOP = "stop";

    private W3PingPong() {
    }

    private record Go(Object pong) {
    }

    private record Done(long nanos) {
    }

    static void run(Bench.Impl impl, Report out, int n) throws InterruptedException {
        switch (impl) {
            case OTP4J -> Bench.otp4j(() -> report(out, n, otp4j(n)));
            case VT -> Bench.vt(self -> report(out, n, vt(self, n)));
            case PEKKO, PEKKO_VT -> Bench.pekko(impl, pekko -> report(out, n, pekko(pekko, n)));
        }
    }

    private static long otp4j(int n) {
        Pid parent = Proc.self();
        Pid ping = Proc.spawn(() -> {
            Pid pong = (Pid) ((Go) Proc.receive()).pong();
            long t0 = System.nanoTime();
            for (int k = n; k > 0; k--) {
                Proc.send(pong, k);
                Object reply = Proc.receive();
                if ((Integer) reply != k) {
                    throw Bench.wrong("sent " + k + ", got back " + reply);
                }
            }
            Proc.send(parent, new Done(System.nanoTime() - t0));
        });
        Pid pong = Proc.spawn(() -> {
            for (;;) {
                Proc.send(ping, Proc.receive());
            }
        });
        Proc.send(ping, new Go(pong));
        Done done = (Done) Proc.receive();
        Proc.exit(pong, Reason.KILL);
        return done.nanos();
    }

    private static long vt(VtProc parent, int n) {
        VtProc ping = VtProc.spawn(self -> {
            VtProc pong = (VtProc) ((Go) self.receive()).pong();
            long t0 = System.nanoTime();
            for (int k = n; k > 0; k--) {
                pong.send(k);
                Object reply = self.receive();
                if ((Integer) reply != k) {
                    throw Bench.wrong("sent " + k + ", got back " + reply);
                }
            }
            parent.send(new Done(System.nanoTime() - t0));
        });
        VtProc pong = VtProc.spawn(self -> {
            for (Object m = self.receive(); m != STOP; m = self.receive()) {
                ping.send(m);
            }
        });
        ping.send(new Go(pong));
        Done done = (Done) parent.receive();
        pong.send(STOP); // the floor cannot kill
        return done.nanos();
    }

    private record PekkoGo(ActorRef<Integer> pong) {
    }

    /** Sends {@code n}, n-1, ... 1 to pong, each when the one before came back; completes {@code done} with the time. */
    private static final class PekkoPing extends AbstractBehavior<Object> {
        private final CompletableFuture<Long> done;
        private ActorRef<Integer> pong;
        private int k;
        private long t0;

        PekkoPing(ActorContext<Object> context, int n, CompletableFuture<Long> done) {
            super(context);
            this.k = n;
            this.done = done;
        }

        @Override
        public Receive<Object> createReceive() {
            return newReceiveBuilder().onMessage(PekkoGo.class, go -> {
                pong = go.pong();
                t0 = System.nanoTime();
                pong.tell(k);
                return this;
            }).onMessage(Integer.class, reply -> {
                if (reply != k) {
                    done.completeExceptionally(Bench.wrong("sent " + k + ", got back " + reply));
                    return Behaviors.stopped();
                }
                if (--k == 0) {
                    done.complete(System.nanoTime() - t0);
                    return Behaviors.stopped();
                }
                pong.tell(k);
                return this;
            }).build();
        }
    }

    private static long pekko(PekkoSystem pekko, int n) {
        CompletableFuture<Long> done = new CompletableFuture<>();
        ActorRef<Object> ping = pekko.spawn(Behaviors.setup(ctx -> new PekkoPing(ctx, n, done)));
        ActorRef<Integer> pong = pekko.spawn(Behaviors.receiveMessage(k -> {
            ping.tell(k);
            return Behaviors.same();
        }));
        ping.tell(new PekkoGo(pong));
        return done.join();
    }

    private static void report(Report out, int n, long nanos) {
        out.num("w3_pingpong_ns_per_rt", (double) nanos / n, "ns/roundtrip");
        out.rate("w3_pingpong_rt_per_s", n, nanos, "roundtrips/s");
    }
}
