package otp4j.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import otp4j.behaviour.GenServer;
import otp4j.behaviour.InitResult;
import otp4j.runtime.internal.Introspection;
import otp4j.testing.NodeExtension;

/** The observer's walk of a node's processes reads what process info reads, without a lock. */
@ExtendWith(NodeExtension.class)
class IntrospectionTest {
    private record Idle() implements GenServer<Integer, Object> {
        @Override
        public InitResult<Integer> init() {
            return GenServer.ok(0);
        }
    }

    private record Row(Pid pid, long serial, String name, ProcessStatus status, int queue, long memory,
                       long reductions, long received, String initialCall, Class<?> behaviour) {
    }

    private static List<Row> walk(Node node) {
        List<Row> rows = new ArrayList<>();
        Introspection.forEachProcess(node, p -> rows.add(new Row(p.pid(), p.serial(), p.registeredName(), p.status(),
                p.messageQueueLength(), p.memory(), p.reductions(), p.messagesReceived(), p.initialCall(),
                p.behaviour())));
        return rows;
    }

    @Test
    void aWalkSeesEveryLiveProcessInSerialOrderAsInfoDoes(Node node, AttachedProcess me) {
        Pid deaf = node.spawn(() -> Proc.receive(Matcher.type(Void.class)));
        Proc.register("deaf", deaf);
        Proc.send(deaf, "a");
        Proc.send(deaf, "b");
        Pid server = GenServer.start(new Idle()).orThrow();
        List<Row> rows = walk(node);
        assertThat(rows).extracting(Row::pid).containsExactlyElementsOf(node.processes());
        assertThat(rows).extracting(Row::serial).isSorted();
        Row d = rows.stream().filter(r -> r.pid().equals(deaf)).findFirst().orElseThrow();
        ProcessInfo info = Proc.info(deaf).orElseThrow();
        assertThat(d.name()).isEqualTo("deaf");
        assertThat(d.status()).isEqualTo(ProcessStatus.WAITING).isEqualTo(info.status());
        assertThat(d.queue()).isEqualTo(2).isEqualTo(info.messageQueueLength());
        assertThat(d.memory()).isEqualTo(info.memory());
        assertThat(d.reductions()).isEqualTo(info.reductions());
        assertThat(d.received()).isEqualTo(info.messagesReceived());
        assertThat(d.initialCall()).isEqualTo(info.initialCall());
        assertThat(d.behaviour()).isNull();
        assertThat(rows.stream().filter(r -> r.pid().equals(server)).findFirst().orElseThrow().behaviour())
                .isEqualTo(Idle.class);
        assertThat(Introspection.behaviour(server)).contains(Idle.class);
        assertThat(Introspection.behaviour(deaf)).isEmpty();
        assertThat(Introspection.serial(deaf)).isEqualTo(d.serial());
        assertThat(Introspection.pid(node, d.serial())).contains(deaf);

        Ref ref = Proc.monitor(deaf);
        Proc.exit(deaf, Reason.KILL);
        Proc.receive(m -> m instanceof Down down && down.ref() == ref ? down : null);
        assertThat(walk(node)).extracting(Row::pid).doesNotContain(deaf);
        assertThat(Introspection.pid(node, d.serial())).isEmpty();
        assertThat(Introspection.behaviour(deaf)).isEmpty();
        GenServer.stop(server);
    }
}
