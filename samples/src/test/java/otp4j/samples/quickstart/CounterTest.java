package otp4j.samples.quickstart;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import otp4j.behaviour.GenServer;
import otp4j.runtime.AttachedProcess;
import otp4j.runtime.Node;
import otp4j.runtime.Pid;

class CounterTest {

    @Test
    @SuppressWarnings("try")
    void theReadmeCounterAddsAndAnswers() {
        try (Node node = Node.start(); AttachedProcess me = node.attach()) {
            Pid counter = GenServer.startLink(new Counter()).orThrow();
            GenServer.cast(counter, new Counter.Add(5));
            GenServer.cast(counter, new Counter.Add(-2));
            long total = GenServer.call(counter, new Counter.Get());
            assertThat(total).isEqualTo(3);
            GenServer.stop(counter);
        }
    }

    @Test
    void superviseItPrintsWhatTheReadmeSays() {
        PrintStream out = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            SuperviseIt.main(new String[0]);
        } finally {
            System.setOut(out);
        }
        assertThat(captured.toString(StandardCharsets.UTF_8).lines()).containsExactly("5", "false", "0");
    }
}
