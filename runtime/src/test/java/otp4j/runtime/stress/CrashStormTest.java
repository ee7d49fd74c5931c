package otp4j.runtime.stress;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import otp4j.behaviour.AutoShutdown;
import otp4j.behaviour.ChildSpec;
import otp4j.behaviour.GenServer;
import otp4j.behaviour.InitResult;
import otp4j.behaviour.StartOptions;
import otp4j.behaviour.Strategy;
import otp4j.behaviour.SupFlags;
import otp4j.behaviour.Supervisor;
import otp4j.runtime.AttachedProcess;
import otp4j.runtime.Down;
import otp4j.runtime.Node;
import otp4j.runtime.Pid;
import otp4j.runtime.Proc;
import otp4j.runtime.Reason;
import otp4j.runtime.Ref;
import otp4j.runtime.SystemInfo;
import otp4j.testing.NodeExtension;

/**
 * A supervision tree under each strategy takes a storm of crashes (10^4 here, 10^6 per strategy
 * in the stress profile): every crash is followed by the restart its strategy calls for, and
 * afterwards the node is back where it started: the same processes, names and armed timers, and,
 * after a full GC, the same heap give or take 64 MB (a leak of 64 bytes per crash would show).
 * NodeExtension then checks that closing the node leaves no process, timer or thread.
 */
@Tag("stress")
@ExtendWith(NodeExtension.class)
class CrashStormTest {
    private static final int CHILDREN = 4;

    private record Up(int child, Pid pid) {
    }

    /** A registered worker that reports each start of its own to the storm's driver. */
    private record Worker(Pid driver, int child) implements GenServer<Object, Object> {
        @Override
        public InitResult<Object> init() {
            Proc.send(driver, new Up(child, Proc.self()));
            return GenServer.ok(child);
        }
    }

    private static long heapAfterGc() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    @ParameterizedTest
    @EnumSource(Strategy.class)
    void aStormOfCrashesLeavesTheNodeAsItWas(Strategy strategy, Node node, AttachedProcess me) {
        long crashes = Stress.soak(10_000, 1_000_000);
        List<ChildSpec> children = new ArrayList<>();
        for (int c = 0; c < CHILDREN; c++) {
            int child = c;
            children.add(ChildSpec.worker(c, () -> GenServer.startLink(new Worker(me.pid(), child),
                    StartOptions.named("storm_worker_" + child))));
        }
        SystemInfo before = node.systemInfo();
        long heapBefore = heapAfterGc();
        Pid sup = Supervisor.startLink(new SupFlags(strategy, Integer.MAX_VALUE, Duration.ofSeconds(1),
                AutoShutdown.NEVER), children).orThrow();
        Pid[] current = new Pid[CHILDREN];
        for (int c = 0; c < CHILDREN; c++) {
            Up up = Proc.receive(m -> m instanceof Up u ? u : null);
            current[up.child()] = up.pid();
        }
        for (long i = 0; i < crashes; i++) {
            int victim = (int) (i % CHILDREN);
            Proc.exit(current[victim], Reason.custom("crash"));
            // one_for_one restarts the victim, rest_for_one it and those after it, one_for_all all.
            int restarted = switch (strategy) {
                case ONE_FOR_ONE -> 1;
                case REST_FOR_ONE -> CHILDREN - victim;
                case ONE_FOR_ALL -> CHILDREN;
            };
            for (int r = 0; r < restarted; r++) {
                Up up = Proc.receive(m -> m instanceof Up u ? u : null);
                current[up.child()] = up.pid();
            }
            assertThat(Proc.whereis("storm_worker_" + victim)).contains(current[victim]);
        }
        Ref ref = Proc.monitor(sup);
        Proc.unlink(sup);
        GenServer.stop(sup);
        Proc.receive(m -> m instanceof Down d && d.ref() == ref ? d : null);
        assertThat(Proc.messages()).as("no start beyond those the strategy calls for").isEmpty();
        SystemInfo after = node.systemInfo();
        assertThat(node.processes()).containsExactly(me.pid());
        assertThat(after.processCount()).isEqualTo(before.processCount());
        assertThat(node.registered()).noneMatch(n -> n.startsWith("storm_worker_"));
        assertThat(after.armedTimers()).isEqualTo(before.armedTimers());
        assertThat(after.spawned() - before.spawned()).as("processes started")
                .isGreaterThanOrEqualTo(crashes + CHILDREN + 1);
        assertThat(heapAfterGc()).as("heap after %d crashes", crashes).isLessThan(heapBefore + (64L << 20));
    }
}
