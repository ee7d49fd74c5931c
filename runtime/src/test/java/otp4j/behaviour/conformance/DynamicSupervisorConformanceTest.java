package otp4j.behaviour.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import otp4j.behaviour.ChildCounts;
import otp4j.behaviour.ChildInfo;
import otp4j.behaviour.ChildSpec;
import otp4j.behaviour.ChildType;
import otp4j.behaviour.DynamicSupervisor;
import otp4j.behaviour.GenServer;
import otp4j.behaviour.InitResult;
import otp4j.behaviour.Restart;
import otp4j.behaviour.Result;
import otp4j.behaviour.StartResult;
import otp4j.runtime.AttachedProcess;
import otp4j.runtime.Down;
import otp4j.runtime.Exit;
import otp4j.runtime.Matcher;
import otp4j.runtime.Pid;
import otp4j.runtime.Proc;
import otp4j.runtime.Reason;
import otp4j.runtime.Ref;
import otp4j.testing.NodeExtension;

/**
 * The {@code simple_one_for_one} scenarios of the supervisor section, on {@link DynamicSupervisor},
 * which replaces it. Where the scenario starts a child with arguments appended to a template, the
 * test builds that child's {@link ChildSpec} with the arguments captured; where OTP counts the one
 * template as a spec, the dynamic supervisor counts its children (both documented on the class).
 */
@ExtendWith(NodeExtension.class)
class DynamicSupervisorConformanceTest {
    record Start(Object arg) {
    }

    record Stop(Object arg, Reason reason) {
    }

    record ExitWith(Reason reason) {
    }

    /** The scenarios' conf_child: reports its start and its terminate; traps exits. */
    record ConfChild(Pid log, Object arg, Reason fail) implements GenServer<Object, Object> {
        @Override
        public InitResult<Object> init() {
            if (fail != null) {
                return GenServer.stopInit(fail);
            }
            Proc.trapExit(true);
            Proc.send(log, new Start(arg));
            return GenServer.ok(arg);
        }

        @Override
        public Result<Object> handleCast(Object request, Object state) {
            return request instanceof ExitWith(Reason r) ? GenServer.stop(r, state) : GenServer.noreply(state);
        }

        @Override
        public void terminate(Reason reason, Object state) {
            Proc.send(log, new Stop(arg, reason));
        }
    }

    private static ChildSpec dyn(Pid log, Object arg) {
        return ChildSpec.worker("t", () -> GenServer.startLink(new ConfChild(log, arg, null)));
    }

    private static List<Object> collect(int n) {
        List<Object> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(Proc.receive(m -> m instanceof Start || m instanceof Stop ? m : null));
        }
        return out;
    }

    private static Pid sup() {
        return DynamicSupervisor.startLink(DynamicSupervisor.Flags.defaults()).orThrow();
    }

    /** SUP-008: simple_one_for_one: start_child(Sup, ExtraArgs) appends ExtraArgs to the template's args; which_children shows id undefined. */
    @Test
    void SUP_008_startChildPassesItsArguments(AttachedProcess me) {
        Proc.trapExit(true);
        Pid sup = sup();
        Pid p1 = DynamicSupervisor.startChild(sup, dyn(me.pid(), "one")).orThrow();
        Pid p2 = DynamicSupervisor.startChild(sup, dyn(me.pid(), "two")).orThrow();
        assertThat(collect(2)).containsExactly(new Start("one"), new Start("two"));
        assertThat(DynamicSupervisor.whichChildren(sup)).containsExactlyInAnyOrder(
                new ChildInfo("t", Optional.of(p1), ChildType.WORKER), new ChildInfo("t", Optional.of(p2), ChildType.WORKER));
    }

    /** SUP-009: simple_one_for_one: a crashed (permanent) child is restarted with the same arguments; its siblings are untouched. */
    @Test
    void SUP_009_crashedChildRestartsWithItsArguments(AttachedProcess me) {
        Proc.trapExit(true);
        Pid sup = sup();
        Pid p1 = DynamicSupervisor.startChild(sup, dyn(me.pid(), "one")).orThrow();
        Pid p2 = DynamicSupervisor.startChild(sup, dyn(me.pid(), "two")).orThrow();
        collect(2);
        GenServer.cast(p1, new ExitWith(Reason.custom("boom")));
        assertThat(collect(2)).containsExactly(new Stop("one", Reason.custom("boom")), new Start("one"));
        List<Pid> pids = DynamicSupervisor.whichChildren(sup).stream().map(c -> c.pid().orElseThrow()).toList();
        assertThat(pids).doesNotContain(p1).contains(p2).hasSize(2);
    }

    /** SUP-010: simple_one_for_one: terminate_child(Sup, Pid) stops and removes that child; terminate_child with a non-pid gives {error, simple_one_for_one}. */
    @Test
    void SUP_010_terminateChildByPidStopsAndRemovesIt(AttachedProcess me) {
        Proc.trapExit(true);
        Pid sup = sup();
        Pid p1 = DynamicSupervisor.startChild(sup, dyn(me.pid(), "one")).orThrow();
        collect(1);
        DynamicSupervisor.terminateChild(sup, p1);
        // The non-pid half cannot be written: terminateChild takes a Pid. A pid that is not a
        // child is the nearest mistake, and is refused.
        assertThatThrownBy(() -> DynamicSupervisor.terminateChild(sup, p1))
                .isInstanceOf(NoSuchElementException.class).hasMessageContaining("is not a child");
        assertThat(collect(1)).containsExactly(new Stop("one", Reason.SHUTDOWN));
        assertThat(DynamicSupervisor.countChildren(sup)).isEqualTo(new ChildCounts(0, 0, 0, 0));
    }

    /** SUP-011: simple_one_for_one: shutting the supervisor down stops every child with reason shutdown. */
    @Test
    void SUP_011_supervisorShutdownStopsEveryChild(AttachedProcess me) {
        Proc.trapExit(true);
        Pid sup = sup();
        for (int n = 1; n <= 3; n++) {
            DynamicSupervisor.startChild(sup, dyn(me.pid(), n)).orThrow();
        }
        collect(3);
        Proc.exit(sup, Reason.SHUTDOWN);
        assertThat(collect(3)).containsExactlyInAnyOrder(new Stop(1, Reason.SHUTDOWN), new Stop(2, Reason.SHUTDOWN),
                new Stop(3, Reason.SHUTDOWN));
        Exit exit = Proc.receive(Matcher.type(Exit.class));
        assertThat(exit).isEqualTo(new Exit(sup, Reason.SHUTDOWN));
    }

    /** SUP-049: simple_one_for_one: transient child with normal exit is removed (not restarted, not kept); count_children reflects it. */
    @Test
    void SUP_049_transientChildExitingNormallyIsRemoved(AttachedProcess me) {
        Proc.trapExit(true);
        Pid sup = sup();
        Pid p = DynamicSupervisor.startChild(sup, dyn(me.pid(), "one").withRestart(Restart.TRANSIENT)).orThrow();
        collect(1);
        Ref mon = Proc.monitor(p);
        GenServer.cast(p, new ExitWith(Reason.NORMAL));
        assertThat(collect(1)).containsExactly(new Stop("one", Reason.NORMAL));
        // A dying process signals its links before its monitors: once our DOWN is here, the
        // supervisor's EXIT is queued ahead of the call below.
        Proc.receive(m -> m instanceof Down d && d.ref() == mon ? d : null);
        assertThat(DynamicSupervisor.whichChildren(sup)).isEmpty();
        assertThat(DynamicSupervisor.countChildren(sup)).isEqualTo(new ChildCounts(0, 0, 0, 0));
    }

    /** SUP-050: start_child on simple_one_for_one whose child init fails: {error, Reason}. */
    @Test
    void SUP_050_startChildWhoseInitFailsReturnsTheReason(AttachedProcess me) {
        Proc.trapExit(true);
        Pid sup = sup();
        StartResult r = DynamicSupervisor.startChild(sup,
                ChildSpec.worker("t", () -> GenServer.startLink(new ConfChild(me.pid(), "one", Reason.custom("nope")))));
        assertThat(r).isEqualTo(new StartResult.Failed(Reason.custom("nope")));
        assertThat(DynamicSupervisor.whichChildren(sup)).isEmpty();
    }
}
