package otp4j.observer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import otp4j.ets.Access;
import otp4j.ets.Ets;
import otp4j.ets.Table;
import otp4j.ets.TableOptions;
import otp4j.observer.internal.TopView;
import otp4j.runtime.AttachedProcess;
import otp4j.runtime.Matcher;
import otp4j.runtime.Node;
import otp4j.runtime.Pid;
import otp4j.runtime.Proc;
import otp4j.runtime.Reason;
import otp4j.testing.NodeExtension;

/** The terminal view, driven with keys from a stream and rendered to a string. */
@ExtendWith(NodeExtension.class)
class TopTest {
    /** Long enough that every frame after the first comes from a key, never from the clock. */
    private static final Duration NEVER = Duration.ofHours(1);

    @Test
    void keysSortTheViewAndQQuits(Node node, AttachedProcess me) throws Exception {
        Pid deaf = node.spawn(() -> Proc.receive(Matcher.type(Void.class)));
        Proc.register("deaf", deaf);
        for (int i = 0; i < 3; i++) {
            Proc.send(deaf, i);
        }
        Table<String, Long> hits = Ets.newTable("hits", TableOptions.defaults().withAccess(Access.PUBLIC));
        hits.insert("home", 1L);
        try (Observer o = Observer.start(node)) {
            o.server().sampleNow();
            ByteArrayOutputStream screen = new ByteArrayOutputStream();
            Top.run(o.url(), 5, NEVER, new ByteArrayInputStream("bxq".getBytes(StandardCharsets.US_ASCII)),
                    new PrintStream(screen, true, StandardCharsets.UTF_8), false);
            String[] frames = screen.toString(StandardCharsets.UTF_8).split("(?=otp4j top: )");
            assertThat(frames).hasSize(3); // the first, after b, after x (an unknown key changes nothing)
            assertThat(frames[0]).contains("Processes by reductions per interval")
                    .contains("node " + node.name()).contains("processes " + node.processes().size());
            List<String> byMailbox = frames[1].lines().filter(l -> l.startsWith("<")).toList();
            int n = node.processes().size();
            assertThat(frames[1]).contains("Processes by mailbox length (" + Math.min(5, n) + " of " + n + ")");
            assertThat(byMailbox.getFirst()).startsWith(deaf.toString()).contains("deaf").contains(" 3 ");
            assertThat(frames[2]).contains("Processes by mailbox length");
            assertThat(frames[0]).contains("Tables by memory (1 of 1)").containsPattern("ets +hits +set +public");
        }
        hits.delete();
        Proc.exit(deaf, Reason.KILL);
    }

    @Test
    void anObserverThatDoesNotAnswerIsSaidSo() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort(); // free once closed: nobody listens there
        }
        ByteArrayOutputStream screen = new ByteArrayOutputStream();
        URI url = URI.create("http://127.0.0.1:" + port + "/");
        Top.run(url, 5, NEVER, new ByteArrayInputStream(new byte[0]), new PrintStream(screen, true,
                StandardCharsets.UTF_8), false);
        assertThat(screen.toString(StandardCharsets.UTF_8)).startsWith("Top: cannot read " + url);
    }

    @Test
    void controlCharactersInNamesCannotMoveTheCursor() {
        Map<String, Object> system = Map.of("node", "n", "otp4jVersion", "v", "javaVersion", "21",
                "jvmUptimeMillis", 61_000L, "sample", Map.of("processes", 1L, "runQueue", 0L, "carriers", 2L,
                        "messagesPerSecond", 0L, "reductionsPerSecond", 0L,
                        "memory", Map.of("heapUsed", 1L, "heapMax", 2048L, "processes", 1100L, "ets", 0L),
                        "gc", Map.of("collections", 0L, "millis", 0L)));
        Map<String, Object> row = Map.of("pid", "<0.1.0>", "name", "evil\033[2Jname", "status", "waiting",
                "messageQueueLength", 0L, "memory", 1100L, "reductions", 0L, "reductionsDelta", 0L);
        String screen = TopView.render(system, Map.of("rows", List.of(row), "total", 1L), Map.of("tables", List.of()),
                TopView.Sort.MEMORY, 200);
        assertThat(screen).doesNotContain("\033").contains("evil?[2Jname").contains("uptime 0h01m01s");
    }
}
