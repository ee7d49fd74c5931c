package otp4j.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import otp4j.testing.NodeExtension;

@ExtendWith(NodeExtension.class)
class SmokeTest {
    record Ping(Pid from, int n) {}

    @Test
    void pingPong(Node node, AttachedProcess me) {
        Pid echo = node.spawn(() -> {
            for (;;) {
                if (Proc.receive() instanceof Ping(Pid from, int n)) {
                    Proc.send(from, n);
                }
            }
        });
        for (int i = 0; i < 1000; i++) {
            Proc.send(echo, new Ping(me.pid(), i));
            assertThat(Proc.receive()).isEqualTo(i);
        }
        Ref ref = Proc.monitor(echo);
        Proc.exit(echo, Reason.KILL);
        assertThat(Proc.receive(Duration.ofSeconds(10))).contains(new Down(ref, echo, Reason.KILLED));
    }

    @Test
    void ring(Node node, AttachedProcess me) {
        int n = 1000;
        Pid main = me.pid();
        Pid[] pids = new Pid[n];
        Pid next = main;
        for (int i = n - 1; i >= 0; i--) {
            Pid to = next;
            pids[i] = node.spawn(() -> {
                for (;;) {
                    int k = (Integer) Proc.receive();
                    Proc.send(to, k + 1);
                }
            });
            next = pids[i];
        }
        for (int r = 0; r < 10; r++) {
            Proc.send(pids[0], 0);
            assertThat(Proc.receive()).isEqualTo(n);
        }
    }
}
