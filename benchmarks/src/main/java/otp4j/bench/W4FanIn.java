package otp4j.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

import otp4j.runtime.Pid;
import otp4j.runtime.Proc;

/**
 * W4 fan-in: S senders each send M small messages to one receiver: many producers contending
 * for one mailbox, as workers reporting to a collector or clients of one server. Timed, as
 * {@code w4_fanin.erl}, from the first {@code go} until the receiver has taken the (S×M)th
 * message. Figure: msgs/s. The receiver sums what it takes; the sum is checked.
 *
 * <p>Run with {@code benchmarks/run.sh w4} (all implementations, side by side), or alone
 * as the benchmarks README shows ({@code Bench w4 otp4j}).
 */
final class W4FanIn {
    private static final String GO = "go";

    private W4FanIn() {
    }

    /** What the receiver reports: when it took the last message, and the sum of them all. */
    private record Done(long at, long sum) {
    }

    static void run(Bench.Impl impl, Report out, int senders, int perSender) throws InterruptedException {
        switch (impl) {
            case OTP4J -> Bench.otp4j(() -> otp4j(out, senders, perSender));
            case VT -> Bench.vt(self -> vt(out, self, senders, perSender));
            case PEKKO, PEKKO_VT -> Bench.pekko(impl, pekko -> pekko(out, pekko, senders, perSender));
        }
    }

    private static void otp4j(Report out, int senders, int perSender) {
        Pid parent = Proc.self();
        long total = (long) senders * perSender;
        Pid receiver = Proc.spawn(() -> {
            long sum = 0;
            for (long i = 0; i < total; i++) {
                sum += (Integer) Proc.receive();
            }
            Proc.send(parent, new Done(System.nanoTime(), sum));
        });
        Pid[] pids = new Pid[senders];
        for (int i = 0; i < senders; i++) {
            pids[i] = Proc.spawn(() -> {
                Proc.receive();
                for (int k = perSender; k > 0; k--) {
                    Proc.send(receiver, k);
                }
            });
        }
        long t0 = System.nanoTime();
        for (Pid p : pids) {
            Proc.send(p, GO);
        }
        report(out, senders, perSender, t0, (Done) Proc.receive());
    }

    private static void vt(Report out, VtProc parent, int senders, int perSender) {
        long total = (long) senders * perSender;
        VtProc receiver = VtProc.spawn(self -> {
            long sum = 0;
            for (long i = 0; i < total; i++) {
                sum += (Integer) self.receive();
            }
            parent.send(new Done(System.nanoTime(), sum));
        });
        VtProc[] procs = new VtProc[senders];
        for (int i = 0; i < senders; i++) {
            procs[i] = VtProc.spawn(self -> {
                self.receive();
                for (int k = perSender; k > 0; k--) {
                    receiver.send(k);
                }
            });
        }
        long t0 = System.nanoTime();
        for (VtProc p : procs) {
            p.send(GO);
        }
        report(out, senders, perSender, t0, (Done) parent.receive());
    }

    private static void pekko(Report out, PekkoSystem pekko, int senders, int perSender) {
        long total = (long) senders * perSender;
        CompletableFuture<Done> done = new CompletableFuture<>();
        ActorRef<Integer> receiver = pekko.spawn(Behaviors.setup(ctx -> {
            long[] sumAndCount = new long[2];
            return Behaviors.receiveMessage(k -> {
                sumAndCount[0] += k;
                if (++sumAndCount[1] == total) {
                    done.complete(new Done(System.nanoTime(), sumAndCount[0]));
                    return Behaviors.stopped();
                }
                return Behaviors.same();
            });
        }));
        List<ActorRef<String>> refs = new ArrayList<>(senders);
        for (int i = 0; i < senders; i++) {
            refs.add(pekko.spawn(Behaviors.receiveMessage(go -> {
                for (int k = perSender; k > 0; k--) {
                    receiver.tell(k);
                }
                return Behaviors.stopped();
            })));
        }
        long t0 = System.nanoTime();
        for (ActorRef<String> r : refs) {
            r.tell(GO);
        }
        report(out, senders, perSender, t0, done.join());
    }

    private static void report(Report out, int senders, int perSender, long t0, Done done) {
        long expected = senders * ((long) perSender * (perSender + 1) / 2);
        if (done.sum() != expected) {
            throw Bench.wrong("sum " + done.sum() + ", expected " + expected);
        }
        out.rate("w4_fanin_msgs_per_s", (long) senders * perSender, done.at() - t0, "msgs/s");
    }
}
