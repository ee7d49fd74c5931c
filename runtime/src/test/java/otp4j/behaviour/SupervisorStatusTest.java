package otp4j.behaviour;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import otp4j.runtime.AttachedProcess;
import otp4j.runtime.Down;
import otp4j.runtime.Matcher;
import otp4j.runtime.Pid;
import otp4j.runtime.Proc;
import otp4j.runtime.Reason;
import otp4j.testing.NodeExtension;

/** A supervisor's status, as observers read it: its children and the restarts it has made. */
@ExtendWith(NodeExtension.class)
class SupervisorStatusTest {
    private record Worker() implements GenServer<Integer, Object> {
        @Override
        public InitResult<Integer> init() {
            return GenServer.ok(0);
        }
    }

    private static void killAndAwaitDown(Pid pid) {
        Proc.monitor(pid);
        Proc.exit(pid, Reason.KILL);
        Proc.receive(Matcher.type(Down.class));
    }

    @Test
    void aSupervisorsStatusListsItsChildrenAndCountsItsRestarts(AttachedProcess me) {
        Pid sup = Supervisor.startLink(SupFlags.restForOne().withIntensity(10, java.time.Duration.ofSeconds(5)),
                List.of(ChildSpec.worker("a", () -> GenServer.startLink(new Worker())),
                        ChildSpec.worker("b", () -> GenServer.startLink(new Worker())))).orThrow();
        SupervisorStatus before = (SupervisorStatus) Sys.getStatus(sup).state();
        assertThat(before.dynamic()).isFalse();
        assertThat(before.strategy()).isEqualTo(Strategy.REST_FOR_ONE);
        assertThat(before.restarts()).isZero();
        assertThat(before.children()).isEqualTo(Supervisor.whichChildren(sup));
        Pid a = before.children().getLast().pid().orElseThrow();
        killAndAwaitDown(a);
        // The supervisor took a's EXIT before we took its DOWN: this request comes after the restart.
        SupervisorStatus after = (SupervisorStatus) Sys.getStatus(sup).state();
        // One restart, as the intensity counts it, though rest for one started a and b again.
        assertThat(after.restarts()).isEqualTo(1);
        assertThat(after.children()).extracting(ChildInfo::id).containsExactly("b", "a");
        assertThat(after.children().getLast().pid()).isPresent().get().isNotEqualTo(a);
        Proc.unlink(sup);
        killAndAwaitDown(sup);
    }

    @Test
    void aDynamicSupervisorsStatusToo(AttachedProcess me) {
        Pid sup = DynamicSupervisor.startLink(DynamicSupervisor.Flags.defaults()).orThrow();
        Pid child = DynamicSupervisor.startChild(sup, ChildSpec.worker("w", () -> GenServer.startLink(new Worker())))
                .orThrow();
        killAndAwaitDown(child);
        SupervisorStatus s = (SupervisorStatus) Sys.getStatus(sup).state();
        assertThat(s.dynamic()).isTrue();
        assertThat(s.strategy()).isEqualTo(Strategy.ONE_FOR_ONE);
        assertThat(s.restarts()).isEqualTo(1);
        assertThat(s.children()).isEqualTo(DynamicSupervisor.whichChildren(sup)).hasSize(1);
        Proc.unlink(sup);
        killAndAwaitDown(sup);
    }
}
