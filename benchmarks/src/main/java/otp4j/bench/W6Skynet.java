package otp4j.bench;

import java.util.concurrent.CompletableFuture;

import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

import otp4j.runtime.Pid;
import otp4j.runtime.Proc;

/**
 * W6 skynet: each process spawns 10 children, down to N leaves (1,111,111 processes for
 * N = 1,000,000); each leaf sends its ordinal to its parent, each parent sends the sum of its
 * children's: short-lived processes created in bursts, spawn and first message as one cost, as
 * a task split into subtasks. Figure, as {@code w6_skynet.erl}: seconds until the root's sum
 * arrives ({@code w6_skynet_s}), and the sum ({@code w6_skynet_result}), checked against
 * N(N-1)/2 (499999500000 for a million leaves). N must be a power of 10.
 *
 * <p>Pekko: each node is an actor that spawns its 10 children in its set-up, sums their 10
 * answers, tells its parent and stops; a leaf tells its parent its ordinal in its set-up and stops.
 *
 * <p>Run with {@code benchmarks/run.sh w6} (all implementations, side by side), or alone
 * as the benchmarks README shows ({@code Bench w6 otp4j}).
 */
final class W6Skynet {
    private static final int DIV = 10;

    private W6Skynet() {
    }

    static void run(Bench.Impl impl, Report out, int size) throws InterruptedException {
        switch (impl) {
            case OTP4J -> Bench.otp4j(() -> {
                Pid parent = Proc.self();
                long t0 = System.nanoTime();
                Proc.spawn(() -> skynet(parent, 0, size));
                long sum = (Long) Proc.receive();
                report(out, size, System.nanoTime() - t0, sum);
            });
            case VT -> Bench.vt(self -> {
                long t0 = System.nanoTime();
                VtProc.spawn(root -> skynet(root, self, 0, size));
                long sum = (Long) self.receive();
                report(out, size, System.nanoTime() - t0, sum);
            });
            case PEKKO, PEKKO_VT -> Bench.pekko(impl, pekko -> {
                CompletableFuture<long[]> done = new CompletableFuture<>();
                // The root's parent, which times: from its set-up until the root's sum arrives.
                pekko.spawn(Behaviors.<Long>setup(ctx -> {
                    long t0 = System.nanoTime();
                    ctx.spawnAnonymous(skynet(ctx.getSelf(), 0, size));
                    return Behaviors.receiveMessage(sum -> {
                        done.complete(new long[] {System.nanoTime() - t0, sum});
                        return Behaviors.stopped();
                    });
                }));
                long[] r = done.join();
                report(out, size, r[0], r[1]);
            });
        }
    }

    private static void skynet(Pid parent, long num, long size) {
        if (size == 1) {
            Proc.send(parent, num);
            return;
        }
        Pid self = Proc.self();
        long sub = size / DIV;
        for (int i = 0; i < DIV; i++) {
            long childNum = num + i * sub;
            Proc.spawn(() -> skynet(self, childNum, sub));
        }
        long sum = 0;
        for (int i = 0; i < DIV; i++) {
            sum += (Long) Proc.receive();
        }
        Proc.send(parent, sum);
    }

    private static void skynet(VtProc self, VtProc parent, long num, long size) {
        if (size == 1) {
            parent.send(num);
            return;
        }
        long sub = size / DIV;
        for (int i = 0; i < DIV; i++) {
            long childNum = num + i * sub;
            VtProc.spawn(child -> skynet(child, self, childNum, sub));
        }
        long sum = 0;
        for (int i = 0; i < DIV; i++) {
            sum += (Long) self.receive();
        }
        parent.send(sum);
    }

    private static Behavior<Long> skynet(ActorRef<Long> parent, long num, long size) {
        return Behaviors.setup(ctx -> {
            if (size == 1) {
                parent.tell(num);
                return Behaviors.stopped();
            }
            long sub = size / DIV;
            for (int i = 0; i < DIV; i++) {
                ctx.spawnAnonymous(skynet(ctx.getSelf(), num + i * sub, sub));
            }
            long[] sumAndCount = new long[2];
            return Behaviors.receiveMessage(x -> {
                sumAndCount[0] += x;
                if (++sumAndCount[1] < DIV) {
                    return Behaviors.same();
                }
                parent.tell(sumAndCount[0]);
                return Behaviors.stopped();
            });
        });
    }

    private static void report(Report out, int size, long nanos, long sum) {
        long expected = (long) size * (size - 1) / 2;
        if (sum != expected) {
            throw Bench.wrong("sum " + sum + ", expected " + expected);
        }
        out.secs("w6_skynet_s", nanos);
        out.num("w6_skynet_result", sum, "sum");
    }
}
