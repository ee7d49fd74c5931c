package otp4j.behaviour;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import otp4j.runtime.AttachedProcess;
import otp4j.runtime.Down;
import otp4j.runtime.Exit;
import otp4j.runtime.Matcher;
import otp4j.runtime.Node;
import otp4j.runtime.Pid;
import otp4j.runtime.Proc;
import otp4j.runtime.Reason;
import otp4j.runtime.Ref;
import otp4j.testing.ManualTicker;
import otp4j.testing.NodeExtension;

@ExtendWith(NodeExtension.class)
class SupervisorTest {
    record Started(Object id) {
    }

    record Stopped(Object id, Reason reason) {
    }

    record Crash(Reason reason) {
    }

    /** A child that traps exits and reports its start and stop to {@code report}. */
    record Child(Pid report, Object id) implements GenServer<Object, Object> {
        @Override
        public InitResult<Object> init() {
            Proc.trapExit(true);
            Proc.send(report, new Started(id));
            return GenServer.ok(id);
        }

        @Override
        public Result<Object> handleCast(Object request, Object state) {
            return request instanceof Crash(Reason r) ? GenServer.stop(r, state) : GenServer.noreply(state);
        }

        @Override
        public void terminate(Reason reason, Object state) {
            Proc.send(report, new Stopped(id, reason));
        }
    }

    private static ChildSpec child(Pid report, Object id) {
        return ChildSpec.worker(id, () -> GenServer.startLink(new Child(report, id)));
    }

    private static List<Object> events(int n) {
        List<Object> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(Proc.receive(m -> m instanceof Started || m instanceof Stopped ? m : null));
        }
        return out;
    }

    private static Pid pidOf(Pid sup, Object id) {
        return Supervisor.whichChildren(sup).stream().filter(c -> c.id().equals(id)).findFirst()
                .flatMap(ChildInfo::pid).orElseThrow();
    }

    @Test
    void restartsByStrategyAndStopsInReverseOrder(Node node, AttachedProcess me) {
        Proc.trapExit(true);
        Pid p = me.pid();
        Pid sup = Supervisor.startLink(SupFlags.restForOne().withIntensity(10, Duration.ofSeconds(10)),
                List.of(child(p, "a"), child(p, "b"), child(p, "c"), child(p, "d"))).orThrow();
        assertThat(events(4)).containsExactly(new Started("a"), new Started("b"), new Started("c"), new Started("d"));
        assertThat(Supervisor.whichChildren(sup)).extracting(ChildInfo::id).containsExactly("d", "c", "b", "a");
        GenServer.cast(pidOf(sup, "b"), new Crash(Reason.custom("boom")));
        assertThat(events(6)).containsExactly(new Stopped("b", Reason.custom("boom")),
                new Stopped("d", Reason.SHUTDOWN), new Stopped("c", Reason.SHUTDOWN),
                new Started("b"), new Started("c"), new Started("d"));
        Proc.exit(sup, Reason.SHUTDOWN);
        assertThat(events(4)).containsExactly(new Stopped("d", Reason.SHUTDOWN), new Stopped("c", Reason.SHUTDOWN),
                new Stopped("b", Reason.SHUTDOWN), new Stopped("a", Reason.SHUTDOWN));
        Exit exit = Proc.receive(Matcher.type(Exit.class));
        assertThat(exit).isEqualTo(new Exit(sup, Reason.SHUTDOWN));
    }

    @Test
    void tooManyRestartsWithinThePeriodStopTheSupervisor(ManualTicker ticker, Node node, AttachedProcess me) {
        Proc.trapExit(true);
        Pid p = me.pid();
        Pid sup = Supervisor.startLink(SupFlags.oneForOne().withIntensity(1, Duration.ofSeconds(1)),
                List.of(child(p, "a"))).orThrow();
        events(1);
        GenServer.cast(pidOf(sup, "a"), new Crash(Reason.custom("boom")));
        events(2);
        ticker.advance(Duration.ofMillis(2100)); // the first restart is out of the period now
        GenServer.cast(pidOf(sup, "a"), new Crash(Reason.custom("boom")));
        events(2);
        GenServer.cast(pidOf(sup, "a"), new Crash(Reason.custom("boom"))); // second within a second
        assertThat(events(1)).containsExactly(new Stopped("a", Reason.custom("boom")));
        Exit exit = Proc.receive(Matcher.type(Exit.class));
        assertThat(exit).isEqualTo(new Exit(sup, Reason.SHUTDOWN));
    }

    @Test
    void childFunctionsReportMisuseAsExceptions(Node node, AttachedProcess me) {
        Proc.trapExit(true);
        Pid p = me.pid();
        Pid sup = Supervisor.startLink(SupFlags.oneForOne(), List.of(child(p, "a"))).orThrow();
        events(1);
        assertThatThrownBy(() -> Supervisor.deleteChild(sup, "a")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("running");
        assertThatThrownBy(() -> Supervisor.terminateChild(sup, "x")).isInstanceOf(NoSuchElementException.class)
                .hasMessageContaining("no child x");
        Supervisor.terminateChild(sup, "a");
        assertThat(events(1)).containsExactly(new Stopped("a", Reason.SHUTDOWN));
        assertThat(Supervisor.whichChildren(sup)).containsExactly(new ChildInfo("a", Optional.empty(), ChildType.WORKER));
        assertThat(Supervisor.restartChild(sup, "a")).isInstanceOf(StartResult.Started.class);
        events(1);
        StartResult again = Supervisor.startChild(sup, child(p, "a"));
        assertThat(again).isEqualTo(new StartResult.Failed(Reason.custom(new AlreadyStarted(pidOf(sup, "a")))));
        assertThat(Supervisor.countChildren(sup)).isEqualTo(new ChildCounts(1, 1, 0, 1));
        assertThat(Supervisor.getChildSpec(sup, "a")).get().extracting(ChildSpec::shutdown)
                .isEqualTo(Shutdown.timeout(OtpDefaults.WORKER_SHUTDOWN));
        GenServer.stop(sup);
        events(1);
    }

    @Test
    void duplicateIdsAndFailingChildrenFailTheStart(Node node, AttachedProcess me) {
        Proc.trapExit(true);
        Pid p = me.pid();
        StartResult dup = Supervisor.startLink(SupFlags.oneForOne(), List.of(child(p, "a"), child(p, "a")));
        assertThat(dup).isInstanceOfSatisfying(StartResult.Failed.class, f -> assertThat(f.reason())
                .isInstanceOfSatisfying(Reason.Crash.class, c -> assertThat(c.exception())
                        .hasMessageContaining("two children have the id a")));
        ChildSpec failing = ChildSpec.worker("b", () -> new StartResult.Failed(Reason.custom("init_failed")));
        StartResult r = Supervisor.startLink(SupFlags.oneForOne(), List.of(child(p, "a"), failing, child(p, "c")));
        assertThat(r).isEqualTo(new StartResult.Failed(Reason.shutdown(new FailedToStartChild("b",
                Reason.custom("init_failed")))));
        assertThat(events(2)).containsExactly(new Started("a"), new Stopped("a", Reason.SHUTDOWN));
    }

    @Test
    void aCrashStormUnderEachStrategyLeavesNothingBehind(Node node, AttachedProcess me) {
        for (Strategy strategy : Strategy.values()) {
            Pid sup = Supervisor.startLink(new SupFlags(strategy, 1_000_000, Duration.ofSeconds(60),
                    AutoShutdown.NEVER), List.of(
                            ChildSpec.worker("a", () -> GenServer.startLink(new Child(me.pid(), "a"))),
                            ChildSpec.worker("b", () -> GenServer.startLink(new Child(me.pid(), "b"))),
                            ChildSpec.worker("c", () -> GenServer.startLink(new Child(me.pid(), "c")))))
                    .orThrow();
            for (int i = 0; i < 1_000; i++) {
                Object id = List.of("a", "b", "c").get(i % 3);
                Pid victim = pidOf(sup, id);
                Ref ref = Proc.monitor(victim);
                Proc.exit(victim, Reason.KILL);
                Proc.receive(m -> m instanceof Down d && d.ref() == ref ? d : null);
                while (Supervisor.countChildren(sup).active() < 3) {
                    Thread.onSpinWait(); // the restart is done inside the supervisor, after our kill
                }
            }
            Ref ref = Proc.monitor(sup);
            Proc.unlink(sup);
            GenServer.stop(sup);
            Proc.receive(m -> m instanceof Down d && d.ref() == ref ? d : null);
            assertThat(node.processes()).as(strategy + ": only the test process is left").containsExactly(me.pid());
            while (Proc.receive(Duration.ZERO).isPresent()) {
                // drop the start and stop reports
            }
        }
    }
}
