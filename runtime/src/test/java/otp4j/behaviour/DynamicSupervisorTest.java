package otp4j.behaviour;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

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
import otp4j.testing.NodeExtension;

@ExtendWith(NodeExtension.class)
class DynamicSupervisorTest {
    record Stopping(Object id, Pid child) {
    }

    record Go() {
    }

    /** Traps exits; on terminate tells {@code report} and, if {@code hold}, waits for a Go. */
    record Slow(Pid report, Object id, boolean hold) implements GenServer<Object, Object> {
        @Override
        public InitResult<Object> init() {
            Proc.trapExit(true);
            return GenServer.ok(id);
        }

        @Override
        public void terminate(Reason reason, Object state) {
            Proc.send(report, new Stopping(id, Proc.self()));
            if (hold) {
                Proc.receive(Matcher.type(Go.class));
            }
        }
    }

    /** Ignores exit signals other than kill: its terminate never returns. */
    record Stubborn(Pid report) implements GenServer<Object, Object> {
        @Override
        public InitResult<Object> init() {
            Proc.trapExit(true);
            return GenServer.ok("stubborn");
        }

        @Override
        public void terminate(Reason reason, Object state) {
            Proc.send(report, new Stopping("stubborn", Proc.self()));
            Proc.receive(Matcher.type(Go.class)); // never sent
        }
    }

    private static ChildSpec worker(Object id, GenServer<?, ?> server) {
        return ChildSpec.worker(id, () -> GenServer.startLink(server));
    }

    private static Pid sup(DynamicSupervisor.Flags flags) {
        return DynamicSupervisor.startLink(flags).orThrow();
    }

    private static void awaitDown(Pid pid) {
        Ref ref = Proc.monitor(pid);
        Proc.receive(m -> m instanceof Down d && d.ref() == ref ? d : null);
    }

    @Test
    void maxChildrenCountsRunningChildrenAndFreesUpAsTheyGo(AttachedProcess me) {
        Pid sup = sup(DynamicSupervisor.Flags.defaults().withMaxChildren(2));
        Pid a = DynamicSupervisor.startChild(sup, worker("a", new Slow(me.pid(), "a", false))).orThrow();
        DynamicSupervisor.startChild(sup, worker("b", new Slow(me.pid(), "b", false))).orThrow();
        assertThat(DynamicSupervisor.startChild(sup, worker("c", new Slow(me.pid(), "c", false))))
                .isEqualTo(new StartResult.Failed(Reason.custom("max_children")));
        DynamicSupervisor.terminateChild(sup, a);
        assertThat(DynamicSupervisor.startChild(sup, worker("c", new Slow(me.pid(), "c", false))))
                .isInstanceOf(StartResult.Started.class);
        assertThat(DynamicSupervisor.whichChildren(sup)).extracting(ChildInfo::id).containsExactly("c", "b");
    }

    @Test
    void ignoredAndFailedStartsAreNotKept(AttachedProcess me) {
        Pid sup = sup(DynamicSupervisor.Flags.defaults());
        assertThat(DynamicSupervisor.startChild(sup, ChildSpec.worker("i", StartResult.Ignored::new)))
                .isEqualTo(new StartResult.Ignored());
        assertThat(DynamicSupervisor.startChild(sup, ChildSpec.worker("t", () -> {
            throw new IllegalStateException("no database");
        }))).isInstanceOfSatisfying(StartResult.Failed.class, f -> assertThat(f.reason())
                .isInstanceOfSatisfying(Reason.Crash.class, c -> assertThat(c.exception()).hasMessage("no database")));
        assertThat(DynamicSupervisor.startChild(sup, ChildSpec.worker("n", () -> null)))
                .isInstanceOfSatisfying(StartResult.Failed.class, f -> assertThat(f.reason().toString())
                        .contains("start function of child n returned null"));
        assertThat(DynamicSupervisor.countChildren(sup)).isEqualTo(new ChildCounts(0, 0, 0, 0));
    }

    @Test
    void temporaryChildrenAreNotRestarted(AttachedProcess me) {
        Pid sup = sup(DynamicSupervisor.Flags.defaults());
        Pid t = DynamicSupervisor.startChild(sup, worker("t", new Slow(me.pid(), "t", false))
                .withRestart(Restart.TEMPORARY)).orThrow();
        Proc.exit(t, Reason.KILL);
        awaitDown(t);
        assertThat(DynamicSupervisor.countChildren(sup)).isEqualTo(new ChildCounts(0, 0, 0, 0));
    }

    @Test
    void aFailedRestartIsRetriedUntilTheIntensityIsSpent(AttachedProcess me) {
        Proc.trapExit(true);
        AtomicInteger starts = new AtomicInteger();
        // Starts once, then fails every restart: the first failure is retried (a restart of its
        // own), and the retry exceeds an intensity of 2.
        ChildSpec flaky = ChildSpec.worker("flaky", () -> starts.incrementAndGet() == 1
                ? GenServer.startLink(new Slow(me.pid(), "flaky", false))
                : new StartResult.Failed(Reason.custom("down")));
        Pid sup = sup(DynamicSupervisor.Flags.defaults().withIntensity(2, Duration.ofSeconds(60)));
        Pid child = DynamicSupervisor.startChild(sup, flaky).orThrow();
        Proc.exit(child, Reason.KILL);
        Exit exit = Proc.receive(m -> m instanceof Exit e && e.from().equals(sup) ? e : null);
        assertThat(exit.reason()).isEqualTo(Reason.SHUTDOWN);
        assertThat(starts).hasValue(3); // the first start, the restart, its retry; the next gave up
    }

    @Test
    void aRestartingChildCountsButHasNoPid(AttachedProcess me) {
        AtomicInteger starts = new AtomicInteger();
        Pid sup = sup(DynamicSupervisor.Flags.defaults().withIntensity(1_000_000, Duration.ofSeconds(60)));
        // Fails its first restart; the retry, a message the supervisor sends itself, succeeds.
        ChildSpec spec = ChildSpec.worker("r", () -> starts.incrementAndGet() == 2
                ? new StartResult.Failed(Reason.custom("not yet"))
                : GenServer.startLink(new Slow(me.pid(), "r", false)));
        Pid first = DynamicSupervisor.startChild(sup, spec).orThrow();
        // Suspended, the supervisor leaves the EXIT and our request queued in that order; resumed,
        // it fails the restart and queues its retry behind our request, which sees the child
        // between the two.
        Sys.suspend(sup);
        Proc.exit(first, Reason.KILL);
        awaitDown(first); // the EXIT is queued before the DOWN
        GenServer.RequestId which = GenServer.sendRequest(sup, new DynamicSupervisorServer.WhichChildren());
        Sys.resume(sup);
        GenServer.Response r = GenServer.receiveResponse(which, Proc.INFINITY);
        assertThat(r).isEqualTo(new GenServer.Response.Replied(List.of(
                new ChildInfo("r", Optional.empty(), ChildType.WORKER))));
        assertThat(DynamicSupervisor.countChildren(sup)).isEqualTo(new ChildCounts(1, 1, 0, 1));
        assertThat(starts).hasValue(3);
    }

    @Test
    void stoppingTheSupervisorStopsChildrenConcurrently(AttachedProcess me) {
        Proc.trapExit(true);
        Pid sup = sup(DynamicSupervisor.Flags.defaults());
        for (int i = 0; i < 3; i++) {
            DynamicSupervisor.startChild(sup, worker(i, new Slow(me.pid(), i, true))).orThrow();
        }
        Proc.exit(sup, Reason.SHUTDOWN);
        // Every child is told to stop before any has finished: one by one, the second would not
        // hear of it while the first holds on, and this would time out.
        List<Stopping> stopping = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Optional<Stopping> s = Proc.receive(Matcher.type(Stopping.class), Duration.ofSeconds(30));
            assertThat(s).as("child %d of 3 told to stop", i + 1).isPresent();
            stopping.add(s.get());
        }
        stopping.forEach(s -> Proc.send(s.child(), new Go()));
        Exit exit = Proc.receive(m -> m instanceof Exit e && e.from().equals(sup) ? e : null);
        assertThat(exit.reason()).isEqualTo(Reason.SHUTDOWN);
        assertThat(stopping).extracting(Stopping::id).containsExactlyInAnyOrder(0, 1, 2);
    }

    @Test
    void aChildThatOutlivesItsShutdownTimeoutIsKilled(Node node, AttachedProcess me) {
        Proc.trapExit(true);
        Pid sup = sup(DynamicSupervisor.Flags.defaults());
        Pid stubborn = DynamicSupervisor.startChild(sup, worker("s", new Stubborn(me.pid()))
                .withShutdown(Shutdown.timeout(Duration.ofMillis(50)))).orThrow();
        Pid quick = DynamicSupervisor.startChild(sup, worker("q", new Slow(me.pid(), "q", false))
                .withShutdown(Shutdown.infinity())).orThrow();
        Pid brutal = DynamicSupervisor.startChild(sup, worker("b", new Stubborn(me.pid()))
                .withShutdown(Shutdown.brutalKill())).orThrow();
        Ref s = Proc.monitor(stubborn);
        Ref b = Proc.monitor(brutal);
        Ref q = Proc.monitor(quick);
        Proc.exit(sup, Reason.SHUTDOWN);
        Exit exit = Proc.receive(m -> m instanceof Exit e && e.from().equals(sup) ? e : null);
        assertThat(exit.reason()).isEqualTo(Reason.SHUTDOWN);
        // The supervisor exits only after its children: their DOWNs are all here.
        Down sd = Proc.receive(m -> m instanceof Down d && d.ref() == s ? d : null, Duration.ZERO).orElseThrow();
        Down bd = Proc.receive(m -> m instanceof Down d && d.ref() == b ? d : null, Duration.ZERO).orElseThrow();
        Down qd = Proc.receive(m -> m instanceof Down d && d.ref() == q ? d : null, Duration.ZERO).orElseThrow();
        assertThat(sd.reason()).isEqualTo(Reason.KILLED);
        assertThat(bd.reason()).isEqualTo(Reason.KILLED);
        assertThat(qd.reason()).isEqualTo(Reason.SHUTDOWN);
        assertThat(node.processes()).containsExactly(me.pid());
    }

    @Test
    void badInputIsRefusedWithWhatToFix(AttachedProcess me) {
        assertThatThrownBy(() -> DynamicSupervisor.Flags.defaults().withMaxChildren(-1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxChildren must be >= 0");
        assertThatThrownBy(() -> DynamicSupervisor.Flags.defaults().withIntensity(-1, Duration.ofSeconds(5)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("intensity must be >= 0");
        Pid sup = sup(DynamicSupervisor.Flags.defaults());
        ChildSpec significant = worker("s", new Slow(me.pid(), "s", false)).withRestart(Restart.TRANSIENT)
                .withSignificant(true);
        assertThatThrownBy(() -> DynamicSupervisor.startChild(sup, significant))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("child s is significant");
        assertThatThrownBy(() -> DynamicSupervisor.startChild(sup, null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> DynamicSupervisor.terminateChild(sup, null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void aCrashStormLeavesEveryChildRunningAndNothingBehind(Node node, AttachedProcess me) {
        Proc.trapExit(true);
        int children = 200;
        int rounds = 10;
        Pid sup = sup(DynamicSupervisor.Flags.defaults().withIntensity(1_000_000, Duration.ofSeconds(60)));
        for (int i = 0; i < children; i++) {
            DynamicSupervisor.startChild(sup, worker(i, new Slow(me.pid(), i, false))).orThrow();
        }
        for (int r = 0; r < rounds; r++) {
            List<Pid> pids = DynamicSupervisor.whichChildren(sup).stream().map(c -> c.pid().orElseThrow()).toList();
            // Kill them all at once; then the DOWNs, after which the supervisor has every EXIT queued.
            List<Ref> refs = pids.stream().map(Proc::monitor).toList();
            pids.forEach(p -> Proc.exit(p, Reason.KILL));
            for (Ref ref : refs) {
                Proc.receive(m -> m instanceof Down d && d.ref() == ref ? d : null);
            }
            assertThat(DynamicSupervisor.countChildren(sup)).isEqualTo(new ChildCounts(children, children, 0, children));
        }
        GenServer.stop(sup);
        Exit exit = Proc.receive(m -> m instanceof Exit e && e.from().equals(sup) ? e : null);
        assertThat(exit.reason()).isEqualTo(Reason.NORMAL);
        assertThat(node.processes()).containsExactly(me.pid());
    }
}
