package otp4j.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.logging.LogRecord;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import otp4j.testing.LogCapture;
import otp4j.testing.NodeExtension;

/** The limits a node and a process can be given: a node's process count, a process's mailbox. */
@ExtendWith(NodeExtension.class)
class ResourceLimitsTest {
    private record Go() {
    }

    private static Reason reasonOf(Spawned p) {
        return Proc.receive(m -> m instanceof Down d && d.ref() == p.ref() ? d.reason() : null);
    }

    @Test
    void aSpawnPastTheNodesLimitIsASystemLimitAndRoomComesBackWhenAProcessDies() {
        try (Node node = Node.start(NodeOptions.defaults().withName("small").withMaxProcesses(3));
             AttachedProcess me = node.attach()) {
            assertThat(node.options().maxProcesses()).isEqualTo(3);
            Spawned a = Proc.spawnMonitor(() -> Proc.receive(m -> m instanceof Go ? m : null));
            Proc.spawnMonitor(() -> Proc.receive(m -> m instanceof Go ? m : null));
            assertThatThrownBy(() -> Proc.spawn(() -> { })).isInstanceOf(SystemLimitException.class)
                    .hasMessageContaining("system_limit").hasMessageContaining("small")
                    .hasMessageContaining("3 processes").hasMessageContaining("withMaxProcesses");
            assertThatThrownBy(() -> node.spawn(() -> { })).isInstanceOf(SystemLimitException.class);
            assertThat(node.processes()).hasSize(3).contains(me.pid());
            Proc.send(a.pid(), new Go());
            Proc.receive(m -> m instanceof Down d && d.ref() == a.ref() ? d : null);
            Spawned c = Proc.spawnMonitor(() -> { });
            assertThat(reasonOf(c))
                    .isEqualTo(Reason.NORMAL);
        }
    }

    @Test
    void theProcessLimitMustBePositive() {
        assertThatThrownBy(() -> NodeOptions.defaults().withMaxProcesses(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxProcesses must be >= 1, was 0");
        assertThat(NodeOptions.defaults().maxProcesses()).isEqualTo(NodeOptions.DEFAULT_MAX_PROCESSES);
    }

    @Test
    void aMailboxPastItsLimitKillsItsProcessAndNeverTheSender(Node node, AttachedProcess me) {
        try (LogCapture log = new LogCapture("otp4j.runtime")) {
            Spawned p = Proc.spawnMonitor(() -> {
                assertThat(Proc.setMessageQueueLimit(10)).isZero();
                Proc.send(me.pid(), new Go());
                Proc.receive(m -> null); // keeps every message queued
            });
            Proc.receive(m -> m instanceof Go ? m : null);
            for (int i = 0; i < 10; i++) {
                Proc.send(p.pid(), i);
            }
            assertThat(Proc.isAlive(p.pid())).as("10 queued: at the limit, not over it").isTrue();
            Proc.send(p.pid(), 10);
            Down down = Proc.receive(m -> m instanceof Down d && d.ref() == p.ref() ? d : null);
            assertThat(down.reason()).isEqualTo(Reason.KILLED);
            Proc.send(p.pid(), "after"); // to a dead pid: nothing happens, as always
            List<String> messages = log.records().stream().map(LogRecord::getMessage).toList();
            assertThat(messages).anyMatch(m -> m.contains(p.pid().toString()) && m.contains("11 messages queued")
                    && m.contains("limit of 10"));
        }
    }

    @Test
    void aProcessTrappingExitsIsKilledAllTheSame(Node node, AttachedProcess me) {
        try (LogCapture log = new LogCapture("otp4j.runtime")) {
            Spawned p = Proc.spawnMonitor(() -> {
                Proc.trapExit(true);
                Proc.setMessageQueueLimit(1);
                Proc.send(me.pid(), new Go());
                Proc.receive(m -> null);
            });
            Proc.receive(m -> m instanceof Go ? m : null);
            Proc.send(p.pid(), 1);
            Proc.send(p.pid(), 2);
            assertThat(reasonOf(p)).isEqualTo(Reason.KILLED);
            assertThat(log.records()).anyMatch(r -> r.getMessage().contains("limit of 1 "));
        }
    }

    @Test
    void settingALimitBelowTheQueueKillsAtOnceAndZeroTurnsItOff(Node node, AttachedProcess me) {
        try (LogCapture log = new LogCapture("otp4j.runtime")) {
            Spawned unbounded = Proc.spawnMonitor(() -> {
                Proc.setMessageQueueLimit(5);
                assertThat(Proc.setMessageQueueLimit(0)).isEqualTo(5);
                Proc.send(me.pid(), new Go());
                Proc.receive(m -> m.equals(99) ? m : null); // 100 messages queue up before it
            });
            Proc.receive(m -> m instanceof Go ? m : null);
            for (int i = 0; i < 100; i++) {
                Proc.send(unbounded.pid(), i);
            }
            assertThat(reasonOf(unbounded))
                    .isEqualTo(Reason.NORMAL);

            Spawned late = Proc.spawnMonitor(() -> {
                Proc.send(me.pid(), new Go());
                Proc.receive(m -> m.equals("bound") ? m : null);
                Proc.setMessageQueueLimit(2); // three messages are queued: it dies here
            });
            Proc.receive(m -> m instanceof Go ? m : null);
            for (int i = 0; i < 3; i++) {
                Proc.send(late.pid(), i);
            }
            Proc.send(late.pid(), "bound");
            assertThat(reasonOf(late))
                    .isEqualTo(Reason.KILLED);
            assertThat(log.records()).hasSize(1).allMatch(r -> r.getMessage().contains(late.pid().toString()));
        }
    }

    @Test
    void aNegativeLimitIsRefused(Node node, AttachedProcess me) {
        assertThatThrownBy(() -> Proc.setMessageQueueLimit(-1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("was -1");
    }
}
