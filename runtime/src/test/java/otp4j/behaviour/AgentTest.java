package otp4j.behaviour;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import otp4j.runtime.AttachedProcess;
import otp4j.runtime.Down;
import otp4j.runtime.Name;
import otp4j.runtime.Pid;
import otp4j.runtime.Proc;
import otp4j.runtime.Reason;
import otp4j.runtime.Ref;
import otp4j.testing.NodeExtension;

@ExtendWith(NodeExtension.class)
class AgentTest {

    @Test
    void stateIsReadAndChangedByFunctions(AttachedProcess me) {
        Pid counter = Agent.startLink(() -> 0).orThrow();
        Agent.update(counter, (Integer n) -> n + 1);
        Agent.cast(counter, (Integer n) -> n + 10);
        int n = Agent.get(counter, (Integer s) -> s); // the cast was handled first: same sender, in order
        assertThat(n).isEqualTo(11);
        String old = Agent.getAndUpdate(counter, (Integer s) -> new Agent.Change<>("was " + s, s * 2));
        assertThat(old).isEqualTo("was 11");
        Object nothing = Agent.get(counter, (Integer s) -> null);
        assertThat(nothing).as("a function may return null").isNull();
        int doubled = Agent.get(counter, (Integer s) -> s);
        assertThat(doubled).isEqualTo(22);
        assertThat(Sys.getState(counter)).isEqualTo(22);
    }

    @Test
    void aNamedAgentUnderConcurrentUpdatesLosesNone(AttachedProcess me) {
        Agent.startLink(ArrayList::new, StartOptions.named("log")).orThrow();
        int writers = 50;
        int each = 200;
        List<Ref> refs = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            refs.add(Proc.spawnMonitor(() -> {
                for (int i = 0; i < each; i++) {
                    Agent.update(new Name("log"), (List<Integer> l) -> {
                        l.add(1); // mutating is safe here: the function runs in the agent
                        return l;
                    });
                }
            }).ref());
        }
        for (Ref r : refs) {
            Down d = Proc.receive(m -> m instanceof Down x && x.ref() == r ? x : null);
            assertThat(d.reason()).isEqualTo(Reason.NORMAL);
        }
        int size = Agent.get(new Name("log"), (List<Integer> l) -> l.size());
        assertThat(size).isEqualTo(writers * each);
    }

    @Test
    void aFunctionThatThrowsCrashesTheAgentAndTheCallerHearsWhy(AttachedProcess me) {
        Proc.trapExit(true);
        Pid agent = Agent.startLink(() -> "state").orThrow();
        assertThatThrownBy(() -> Agent.update(agent, (String s) -> {
            throw new IllegalStateException("bad update");
        })).isInstanceOfSatisfying(CallException.class, e -> {
            assertThat(e.kind()).isEqualTo(CallException.Kind.EXIT);
            assertThat(e.exitReason()).get().isInstanceOfSatisfying(Reason.Crash.class,
                    c -> assertThat(c.exception()).hasMessage("bad update"));
        });
        assertThat(Proc.isAlive(agent)).isFalse();
        assertThatThrownBy(() -> Agent.getAndUpdate(Agent.startLink(() -> 1).orThrow(), (Integer s) -> null))
                .isInstanceOfSatisfying(CallException.class, e -> assertThat(e.exitReason().orElseThrow().toString())
                        .contains("return new Agent.Change(reply, state)"));
    }
}
