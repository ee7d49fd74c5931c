package otp4j.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import otp4j.testing.NodeExtension;

@ExtendWith(NodeExtension.class)
class NodeLifecycleTest {

    @Test
    void closeShutsDownEveryProcessAndEveryThread() throws Exception {
        Node node = Node.start(NodeOptions.defaults().withName("short-lived"));
        List<Pid> pids = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            pids.add(node.spawn(() -> Proc.receive(m -> null)));
        }
        assertThat(node.processes()).containsExactlyElementsOf(pids);
        node.close();
        assertThat(node.isClosed()).isTrue();
        assertThat(node.processes()).isEmpty();
        assertThat(pids).noneMatch(Proc::isAlive);
        SystemInfo info = node.systemInfo();
        assertThat(info.processCount()).isZero();
        assertThat(info.lingeringCount()).isZero();
        assertThat(info.runtimeThreads()).isZero();
        assertThat(info.spawned()).isEqualTo(1000);
        node.close(); // again: nothing happens
    }

    @Test
    void aTrappingProcessHearsShutdownAndMayFinishItsWork() throws Exception {
        Node node = Node.start(NodeOptions.defaults().withName("orderly"));
        CountDownLatch ready = new CountDownLatch(1);
        List<Object> heard = new ArrayList<>();
        CountDownLatch done = new CountDownLatch(1);
        node.spawn(() -> {
            Proc.trapExit(true);
            ready.countDown();
            heard.add(Proc.receive());
            done.countDown();
        });
        ready.await();
        node.close();
        assertThat(done.getCount()).isZero();
        assertThat(heard).singleElement().isInstanceOfSatisfying(Exit.class,
                e -> assertThat(e.reason()).isEqualTo(Reason.SHUTDOWN));
    }

    @Test
    void aProcessIgnoringShutdownIsKilledAfterTheTimeout() throws Exception {
        Node node = Node.start(NodeOptions.defaults().withName("stubborn").withShutdownTimeout(Duration.ofMillis(100)));
        CountDownLatch ready = new CountDownLatch(1);
        Pid stubborn = node.spawn(() -> {
            Proc.trapExit(true);
            ready.countDown();
            for (;;) {
                Proc.receive();
            }
        });
        ready.await();
        node.close();
        assertThat(Proc.isAlive(stubborn)).isFalse();
        assertThat(node.lingering()).isEmpty();
    }

    @Test
    void aSupervisorLikeProcessRestartingDuringShutdownExitsQuietly() throws Exception {
        Node node = Node.start(NodeOptions.defaults().withName("restarter"));
        CountDownLatch ready = new CountDownLatch(1);
        Pid restarter = node.spawn(() -> {
            Proc.trapExit(true);
            Proc.spawnLink(() -> Proc.receive(m -> null));
            ready.countDown();
            for (;;) {
                if (Proc.receive() instanceof Exit) {
                    Proc.spawnLink(() -> Proc.receive(m -> null)); // refused: the node is closing
                }
            }
        });
        ready.await();
        node.close();
        assertThat(Proc.isAlive(restarter)).isFalse();
        assertThat(node.processes()).isEmpty();
    }

    @Test
    void nodesInOneJvmAreIndependent(Node node, AttachedProcess me) {
        try (Node other = Node.start(NodeOptions.defaults().withName("second").withCarriers(1))) {
            Pid here = node.spawn(() -> Proc.receive(m -> null));
            Pid there = other.spawn(() -> Proc.receive(m -> null));
            assertThat(here.node()).isSameAs(node);
            assertThat(there.node()).isSameAs(other);
            assertThat(here).isNotEqualTo(there);
            assertThat(here.toString()).startsWith("<" + node.index() + ".");
            assertThat(there.toString()).startsWith("<" + other.index() + ".");
            assertThat(other.processes()).containsExactly(there);
            assertThat(node.processes()).contains(here).doesNotContain(there);
        }
    }

    @Test
    void pidsPrintLikeErlangAndSortBySpawnOrder(Node node) {
        Pid a = node.spawn(() -> Proc.receive(m -> null));
        Pid b = node.spawn(() -> Proc.receive(m -> null));
        assertThat(a.toString()).matches("<\\d+\\.\\d+\\.0>");
        assertThat(a).isLessThan(b);
        assertThat(a).isEqualTo(a).hasSameHashCodeAs(a);
        assertThat(node.processes()).containsExactly(a, b);
    }

    @Test
    void aDeadPidStaysValidAndHarmless(Node node, AttachedProcess me) {
        Spawned s = Proc.spawnMonitor(() -> { });
        Proc.receive(m -> m instanceof Down d && d.ref() == s.ref() ? d : null);
        Pid dead = s.pid();
        Proc.send(dead, "ignored");
        Proc.exit(dead, Reason.KILL);
        Proc.unlink(dead);
        assertThat(Proc.isAlive(dead)).isFalse();
        assertThat(Proc.info(dead)).isEmpty();
        assertThat(Proc.stackTrace(dead)).isEmpty();
        assertThat(dead.toString()).isEqualTo(s.pid().toString());
    }

    @Test
    @NodeExtension.Config(scheduler = SchedulerType.JDK)
    void theJdkSchedulerCanBeChosen(Node node, AttachedProcess me) {
        assertThat(node.scheduler()).isEqualTo(SchedulerType.JDK);
        Pid echo = node.spawn(() -> {
            Object m = Proc.receive();
            if (m instanceof Pid from) {
                Proc.send(from, "pong");
            }
        });
        Proc.send(echo, me.pid());
        assertThat(Proc.receive()).isEqualTo("pong");
    }

    @Test
    void closeHooksRunFirstNewestFirstWhileTheNodeStillRuns() throws Exception {
        Node node = Node.start(NodeOptions.defaults().withName("hooked"));
        List<String> ran = new java.util.concurrent.CopyOnWriteArrayList<>();
        Pid worker = node.spawn(() -> Proc.receive(m -> null));
        node.addCloseHook(() -> ran.add("first"));
        Runnable removed = () -> ran.add("removed");
        node.addCloseHook(removed);
        node.addCloseHook(() -> {
            ran.add("second, worker alive: " + Proc.isAlive(worker));
            try (AttachedProcess me = node.attach()) { // the node still runs: a hook may call processes
                Pid echo = Proc.spawn(() -> Proc.send((Pid) Proc.receive(), "echo"));
                Proc.send(echo, me.pid());
                ran.add("second heard " + Proc.receive());
            }
            node.close(); // closing again from a hook does not wait for itself
        });
        node.addCloseHook(() -> {
            throw new IllegalStateException("a failing hook is logged and the close goes on");
        });
        assertThat(node.removeCloseHook(removed)).isTrue();
        node.close();
        assertThat(ran).containsExactly("second, worker alive: true", "second heard echo", "first");
        assertThat(node.processes()).isEmpty();
    }
}
