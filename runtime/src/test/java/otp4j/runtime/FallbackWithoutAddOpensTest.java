package otp4j.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import otp4j.runtime.internal.VirtualThreads;
import otp4j.testing.NodeExtension;

/**
 * Runs in a JVM started without {@code --add-opens java.base/java.lang=...} (a surefire
 * execution of its own): otp4j cannot install its scheduler, says so once per node, and works
 * on the JDK's.
 */
@ExtendWith(NodeExtension.class)
class FallbackWithoutAddOpensTest {

    @Test
    void aNodeFallsBackToTheJdkSchedulerAndSaysHowToFixIt() {
        assertThat(VirtualThreads.unavailableBecause()).isPresent();
        List<String> warnings = new ArrayList<>();
        Handler h = new Handler() {
            @Override
            public void publish(LogRecord r) {
                warnings.add(r.getMessage());
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger log = Logger.getLogger("otp4j.runtime");
        log.addHandler(h);
        try (Node node = Node.start(NodeOptions.defaults().withName("fallback"))) {
            assertThat(node.scheduler()).isEqualTo(SchedulerType.JDK);
        } finally {
            log.removeHandler(h);
        }
        assertThat(warnings).singleElement().asString()
                .contains("fallback").contains("--add-opens java.base/java.lang=ALL-UNNAMED");
    }

    @Test
    void processesMessagesLinksAndKillsWorkOnTheJdkScheduler(Node node, AttachedProcess me) {
        assertThat(node.scheduler()).isEqualTo(SchedulerType.JDK);
        Pid echo = node.spawn(() -> {
            for (;;) {
                if (Proc.receive() instanceof Pid from) {
                    Proc.send(from, "pong");
                }
            }
        });
        for (int i = 0; i < 1000; i++) {
            Proc.send(echo, me.pid());
            assertThat(Proc.receive(Duration.ofSeconds(10))).contains("pong");
        }
        assertThat(Proc.receive(Duration.ofMillis(1))).isEmpty();
        Proc.trapExit(true);
        Proc.link(echo);
        Proc.exit(echo, Reason.KILL);
        assertThat(Proc.receive(Matcher.type(Exit.class)).reason()).isEqualTo(Reason.KILLED);
        assertThat(Proc.isAlive(echo)).isFalse();
    }
}
