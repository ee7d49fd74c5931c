package otp4j.samples.ring;

import java.time.Duration;
import java.util.Locale;

import otp4j.runtime.AttachedProcess;
import otp4j.runtime.Matcher;
import otp4j.runtime.Node;
import otp4j.runtime.Pid;
import otp4j.runtime.Proc;

/**
 * Starts a ring of processes, sends a token round it, and prints the hop rate each second.
 *
 * <p>Run it from the repository root: {@code ./mvnw -q -pl samples -am package exec:exec -DskipTests
 * -Dexec.main=otp4j.samples.ring.RingDemo}; {@code -Dexec.args="100000 20"} sets the ring size and the
 * seconds to run.
 */
public final class RingDemo {
    private RingDemo() {
    }

    public static void main(String[] args) {
        int size = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        try (Node node = Node.start(); AttachedProcess me = node.attach()) {
            System.out.printf(Locale.ROOT, "otp4j ring: %,d processes on node %s (%s scheduler, %d carriers)%n",
                    size, node.name(), node.scheduler(), node.systemInfo().carriers());
            Pid first = Ring.start(size, me.pid());
            Proc.send(first, new Ring.Token(0));
            long start = System.nanoTime();
            long lastTime = start;
            long lastHops = 0;
            long hops = 0;
            for (int second = 1; second <= seconds; second++) {
                long until = start + Duration.ofSeconds(second).toNanos();
                for (long left; (left = until - System.nanoTime()) > 0; ) {
                    Ring.Lap lap = Proc.receive(Matcher.type(Ring.Lap.class), Duration.ofNanos(left)).orElse(null);
                    if (lap != null) {
                        hops = lap.hops();
                    }
                }
                long now = System.nanoTime();
                System.out.printf(Locale.ROOT, "%3d s  %,12d hops  %,7.2f M hops/s  %,d processes%n", second, hops,
                        (hops - lastHops) * 1e3 / (now - lastTime), node.systemInfo().processCount());
                lastTime = now;
                lastHops = hops;
            }
            System.out.printf(Locale.ROOT, "done: %,d hops in %d s; shutting the ring down%n", hops, seconds);
        }
    }
}
