package otp4j.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import otp4j.testing.NodeExtension;

/**
 * A process that computes without calling the runtime cannot be preempted or stopped on the JVM;
 * the runtime makes it visible instead: as a runaway while alive, and as lingering once killed.
 */
@ExtendWith(NodeExtension.class)
class RunawayTest {
    private static volatile boolean release;

    /** Polls {@code probe} until it yields a value; runaway detection is about elapsed time by nature. */
    private static <T> T eventually(Supplier<Optional<T>> probe) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        for (;;) {
            Optional<T> v = probe.get();
            if (v.isPresent()) {
                return v.get();
            }
            assertThat(System.nanoTime()).as("waited 10 s").isLessThan(deadline);
            Proc.receive(Duration.ofMillis(20)); // a pause that keeps the test thread a process
        }
    }

    @Test
    void aSpinningProcessIsReportedAsRunawayThenLingersAfterKill(Node node, AttachedProcess me) throws Exception {
        release = false;
        CountDownLatch spinning = new CountDownLatch(1);
        Pid spinner = node.spawn(() -> {
            spinning.countDown();
            while (!release) {
                Thread.onSpinWait(); // never calls the runtime, never blocks
            }
        });
        spinning.await();
        Duration runaway = eventually(() -> Proc.info(spinner).flatMap(ProcessInfo::runaway));
        assertThat(runaway).isGreaterThanOrEqualTo(Duration.ofMillis(500));

        Ref ref = Proc.monitor(spinner);
        Proc.exit(spinner, Reason.KILL);
        // Dead to the world at once ...
        assertThat(Proc.isAlive(spinner)).isFalse();
        Reason reason = Proc.receive(m -> m instanceof Down d && d.ref() == ref ? d.reason() : null);
        assertThat(reason).isEqualTo(Reason.KILLED);
        // ... while its thread keeps computing, and says so.
        assertThat(node.lingering()).singleElement().satisfies(l -> {
            assertThat(l.pid()).isEqualTo(spinner);
            assertThat(l.reason()).isEqualTo(Reason.KILLED);
            assertThat(l.threadState()).isEqualTo(Thread.State.RUNNABLE);
            assertThat(l.stack()).anyMatch(e -> e.getClassName().equals(RunawayTest.class.getName()));
        });
        assertThat(node.systemInfo().lingeringCount()).isEqualTo(1);
        release = true; // the extension checks that its thread then finishes
    }

    @Test
    void aKilledZombieUnwindsAtItsNextRuntimeCall(Node node, AttachedProcess me) throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch killed = new CountDownLatch(1);
        Throwable[] seen = new Throwable[1];
        CountDownLatch unwound = new CountDownLatch(1);
        Pid p = node.spawn(() -> {
            started.countDown();
            try {
                killed.await();
            } catch (InterruptedException e) {
                // The kill interrupts the thread; it goes on to call the runtime below.
            }
            try {
                Proc.send(Proc.self(), "anything");
            } catch (ProcessExit e) {
                seen[0] = e;
                unwound.countDown();
                throw e;
            }
        });
        started.await();
        Proc.exit(p, Reason.KILL);
        killed.countDown();
        unwound.await();
        assertThat(seen[0]).isInstanceOfSatisfying(ProcessExit.class,
                e -> assertThat(e.reason()).isEqualTo(Reason.KILLED));
    }
}
