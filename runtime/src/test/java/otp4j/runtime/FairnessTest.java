package otp4j.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import otp4j.testing.NodeExtension;

/** A process that never runs out of messages still lets others run on its carrier. */
@ExtendWith(NodeExtension.class)
class FairnessTest {

    private static Pid busyLoop(Node node) {
        return node.spawn(() -> {
            Pid self = Proc.self();
            Proc.send(self, 0L);
            for (;;) {
                long n = (Long) Proc.receive(); // always a message waiting: never parks
                Proc.send(self, n + 1);
            }
        });
    }

    private static Pid echo(Node node) {
        return node.spawn(() -> {
            for (;;) {
                if (Proc.receive() instanceof Pid from) {
                    Proc.send(from, "pong");
                }
            }
        });
    }

    @Test
    @NodeExtension.Config(carriers = 1)
    void busyProcessesYieldTheirOnlyCarrier(Node node, AttachedProcess me) {
        busyLoop(node);
        busyLoop(node);
        Pid echo = echo(node);
        for (int i = 0; i < 100; i++) {
            Proc.send(echo, me.pid());
            assertThat(Proc.receive(Duration.ofSeconds(10))).contains("pong");
        }
        Pid busy = busyLoop(node);
        long before = Proc.info(busy).orElseThrow().reductions();
        Proc.send(echo, me.pid());
        assertThat(Proc.receive(Duration.ofSeconds(10))).contains("pong");
        Proc.send(echo, me.pid());
        assertThat(Proc.receive(Duration.ofSeconds(10))).contains("pong");
        assertThat(Proc.info(busy).orElseThrow().reductions()).isGreaterThanOrEqualTo(before);
    }

    @Test
    @NodeExtension.Config(carriers = 1)
    void aPingPongPairDoesNotStarveItsCarrier(Node node, AttachedProcess me) {
        Pid[] pair = new Pid[2];
        pair[0] = node.spawn(() -> {
            Pid other = (Pid) Proc.receive();
            for (long n = 0; ; n++) {
                Proc.send(other, n);
                Proc.receive();
            }
        });
        pair[1] = node.spawn(() -> {
            for (;;) {
                Object n = Proc.receive();
                Proc.send(pair[0], n);
            }
        });
        Proc.send(pair[0], pair[1]);
        // A process spawned on the pair's carrier waits in that carrier's local queue, behind the
        // pair, which hands the carrier back and forth through its "next" slot.
        Pid spawner = node.spawn(() -> {
            for (;;) {
                if (Proc.receive() instanceof Pid from) {
                    Proc.spawn(() -> Proc.send(from, "started"));
                }
            }
        });
        for (int i = 0; i < 20; i++) {
            Proc.send(spawner, me.pid());
            assertThat(Proc.receive(Duration.ofSeconds(10))).contains("started");
        }
    }

    /**
     * A process spawned or woken by one that then computes without blocking is not left behind
     * it: with two carriers, the other one takes it (woken by the scheduler's monitor when its
     * carrier stays busy), although a single waiting task does not wake an idle carrier at once.
     */
    @Test
    @NodeExtension.Config(carriers = 2)
    void aProcessSpawnedBeforeALongComputationRunsOnTheOtherCarrier(Node node, AttachedProcess me) {
        for (int round = 0; round < 20; round++) {
            AtomicBoolean ran = new AtomicBoolean();
            Pid test = me.pid();
            node.spawn(() -> {
                Proc.spawn(() -> ran.set(true));
                while (!ran.get()) {
                    Thread.onSpinWait(); // computes, never calls the runtime: keeps its carrier
                }
                Proc.send(test, "released");
            });
            assertThat(Proc.receive(Duration.ofSeconds(10))).contains("released");
        }
    }
}
