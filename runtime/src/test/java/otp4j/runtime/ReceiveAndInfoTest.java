package otp4j.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import otp4j.testing.ManualTicker;
import otp4j.testing.NodeExtension;

/** Selective receive after a mark, process info beyond the conformance scenarios, shared timers. */
@ExtendWith(NodeExtension.class)
class ReceiveAndInfoTest {
    private record Reply(Ref ref, String text) {
    }

    @Test
    void aReplyAfterAMarkIsFoundWithoutLookingAtOlderMessages(Node node, AttachedProcess me) {
        for (int i = 0; i < 10_000; i++) {
            Proc.send(me.pid(), "noise " + i);
        }
        Ref ref = Proc.makeRef();
        Pid server = Proc.spawn(() -> {
            Reply r = (Reply) Proc.receive();
            Proc.send(me.pid(), new Reply(r.ref(), "pong"));
        });
        Proc.send(server, new Reply(ref, "ping"));
        AtomicInteger looked = new AtomicInteger();
        String text = Proc.receive(ref, m -> {
            looked.incrementAndGet();
            return m instanceof Reply r && r.ref() == ref ? r.text() : null;
        }, Duration.ofSeconds(10)).orElseThrow();
        assertThat(text).isEqualTo("pong");
        assertThat(looked.get()).as("messages the matcher looked at").isEqualTo(1);
        assertThat(Proc.info(me.pid()).orElseThrow().messageQueueLength()).isEqualTo(10_000);
    }

    @Test
    void aReceiveWithAnOlderMarkStillFindsEverything(Node node, AttachedProcess me) {
        Ref old = Proc.makeRef();
        Proc.send(me.pid(), "after old");
        Proc.makeRef(); // a newer mark replaces the old one
        Proc.send(me.pid(), "after new");
        assertThat(Proc.receive(old, m -> m.equals("after old") ? m : null, Duration.ZERO)).contains("after old");
        assertThat(Proc.receive(old, m -> m.equals("after new") ? m : null, Duration.ZERO)).contains("after new");
    }

    @Test
    void infoCountsWorkAndDescribesTheProcess(Node node, AttachedProcess me) {
        Instant before = Instant.now().minusSeconds(1);
        Pid worker = node.spawn(() -> {
            for (;;) {
                Pid from = Proc.receive(m -> m instanceof Pid p ? p : null); // leaves the rest queued
                Proc.send(from, "done");
            }
        });
        for (int i = 0; i < 10; i++) {
            Proc.send(worker, me.pid());
            Proc.receive();
        }
        ProcessInfo info = Proc.info(worker).orElseThrow();
        assertThat(info.messagesReceived()).isEqualTo(10);
        assertThat(info.reductions()).isGreaterThanOrEqualTo(20); // 10 receives, 10 sends
        assertThat(info.initialCall()).isEqualTo(ReceiveAndInfoTest.class.getName() + "::lambda");
        assertThat(info.spawnedAt()).isAfter(before).isBeforeOrEqualTo(Instant.now());
        assertThat(info.memory()).isEqualTo(ProcessInfo.BASE_MEMORY);
        assertThat(info.runaway()).isEmpty();
        assertThat(Proc.stackTrace(worker).orElseThrow())
                .anyMatch(e -> e.getClassName().equals(ProcessImpl.class.getName()));
        for (int i = 0; i < 5; i++) {
            Proc.send(worker, "never taken, so it stays queued");
        }
        assertThat(Proc.info(worker).orElseThrow().memory()).isGreaterThan(ProcessInfo.BASE_MEMORY);
    }

    @Test
    void timersShareOneThread(ManualTicker ticker, Node node, AttachedProcess me) {
        int threads = node.systemInfo().runtimeThreads();
        for (int i = 0; i < 10_000; i++) {
            Proc.sendAfter(Duration.ofSeconds(1 + i % 10), me.pid(), i);
        }
        assertThat(node.systemInfo().armedTimers()).isEqualTo(10_000);
        assertThat(node.systemInfo().runtimeThreads()).isEqualTo(threads);
        ticker.advance(Duration.ofSeconds(10));
        for (int i = 0; i < 10_000; i++) {
            Proc.receive(Matcher.type(Integer.class));
        }
        assertThat(node.systemInfo().armedTimers()).isZero();
    }

    @Test
    void aReceiveTimeoutFollowsTheNodesClock(ManualTicker ticker, Node node, AttachedProcess me) {
        Pid waiter = Proc.spawn(() -> {
            Object r = Proc.receive(Duration.ofMinutes(5)).orElse("timed out");
            Proc.send(me.pid(), r);
        });
        // Wait until it is blocked in its receive, so the timeout is armed.
        while (Proc.info(waiter).map(ProcessInfo::status).orElse(null) != ProcessStatus.WAITING) {
            Thread.onSpinWait();
        }
        // The timer thread fires due timers in deadline order: once this 4-minute probe has
        // arrived, a 5-minute timeout fired too early would have woken the waiter already.
        Proc.sendAfter(Duration.ofMinutes(4), me.pid(), "probe");
        ticker.advance(Duration.ofMinutes(4));
        assertThat(Proc.receive()).isEqualTo("probe");
        assertThat(Proc.info(waiter).map(ProcessInfo::status)).contains(ProcessStatus.WAITING);
        ticker.advance(Duration.ofMinutes(1));
        assertThat(Proc.receive()).isEqualTo("timed out");
    }

    @Test
    void anInfiniteTimeoutWaitsForTheMessage(Node node, AttachedProcess me) {
        Proc.spawn(() -> Proc.send(me.pid(), "late"));
        assertThat(Proc.receive(Matcher.type(String.class), Proc.INFINITY)).contains("late");
        assertThat(Proc.receive(Duration.ZERO)).isEmpty();
    }

    @Test
    void shutdownReasonsReachMonitorsAsTheyWere(Node node, AttachedProcess me) {
        Spawned plain = Proc.spawnMonitor(() -> Proc.exit(Reason.SHUTDOWN));
        Spawned detailed = Proc.spawnMonitor(() -> Proc.exit(Reason.shutdown("maintenance")));
        Reason first = Proc.receive(m -> m instanceof Down d && d.ref() == plain.ref() ? d.reason() : null);
        Reason second = Proc.receive(m -> m instanceof Down d && d.ref() == detailed.ref() ? d.reason() : null);
        assertThat(first).isEqualTo(Reason.SHUTDOWN).hasToString("shutdown");
        assertThat(second).isEqualTo(Reason.shutdown("maintenance")).hasToString("{shutdown, maintenance}");
    }

    @Test
    void aGroupLeaderIsInheritedAtSpawnAndMayBeChanged(Node node, AttachedProcess me) {
        assertThat(Proc.groupLeader()).as("an attached process leads itself").isEqualTo(me.pid());
        Pid leader = Proc.spawn(() -> Proc.receive());
        Pid child = Proc.spawn(() -> {
            Proc.groupLeader(leader, Proc.self());
            Pid grandchild = Proc.spawn(() -> Proc.receive());
            Proc.send(me.pid(), grandchild);
            Proc.receive();
        });
        Pid grandchild = Proc.receive(Matcher.type(Pid.class));
        assertThat(Proc.info(child).orElseThrow().groupLeader()).isEqualTo(leader);
        assertThat(Proc.info(grandchild).orElseThrow().groupLeader()).as("inherited").isEqualTo(leader);
        assertThat(Proc.info(leader).orElseThrow().groupLeader()).as("inherited from us").isEqualTo(me.pid());
        assertThat(Proc.info(node.spawn(() -> Proc.receive())).orElseThrow().groupLeader())
                .as("spawned from outside any process").isNotEqualTo(me.pid());
        Proc.groupLeader(grandchild, grandchild);
        assertThat(Proc.info(grandchild).orElseThrow().groupLeader()).isEqualTo(grandchild);
    }
}
