package otp4j.behaviour;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import java.util.stream.Stream;

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
import otp4j.runtime.Spawned;
import otp4j.testing.NodeExtension;

@ExtendWith(NodeExtension.class)
class TaskTest {
    record Go() {
    }

    /** Blocks the calling task until it is sent a Go. */
    private static void awaitGo() {
        Proc.receive(Matcher.type(Go.class));
    }

    private static Reason awaitDown(Ref ref) {
        return Proc.receive(m -> m instanceof Down d && d.ref() == ref ? d : null).reason();
    }

    /** Waits until {@code pid} has exited, whether or not it had before we looked. */
    private static void awaitExit(Pid pid) {
        awaitDown(Proc.monitor(pid));
    }

    /** Waits until every process in {@code pids} has exited. */
    private static void awaitExits(Collection<Pid> pids) {
        pids.forEach(TaskTest::awaitExit);
    }

    @Test
    void asyncTasksRunAtOnceAndAreAwaited(Node node, AttachedProcess me) {
        // Each task waits for the other's pid: they can only finish if both run at once.
        Task<String> a = Task.async(() -> {
            Pid other = Proc.receive(Matcher.type(Pid.class));
            Proc.send(other, "from a");
            return Proc.receive(Matcher.type(String.class));
        });
        Task<String> b = Task.async(() -> {
            Pid other = Proc.receive(Matcher.type(Pid.class));
            Proc.send(other, "from b");
            return Proc.receive(Matcher.type(String.class));
        });
        Proc.send(a.pid(), b.pid());
        Proc.send(b.pid(), a.pid());
        assertThat(a.await()).isEqualTo("from b");
        assertThat(b.await()).isEqualTo("from a");
        assertThat(a.owner()).isEqualTo(me.pid());
        assertThat(Proc.messages()).as("no reply or DOWN left behind").isEmpty();
        assertThatThrownBy(a::await).isInstanceOf(IllegalStateException.class).hasMessageContaining("already taken");
    }

    @Test
    void aResultThatComesAfterTheTimeoutNeverReachesTheOwner(AttachedProcess me) {
        Task<String> t = Task.async(() -> {
            awaitGo();
            return "late";
        });
        assertThatThrownBy(() -> t.await(Duration.ofMillis(20))).isInstanceOfSatisfying(TaskException.class,
                e -> assertThat(e.kind()).isEqualTo(TaskException.Kind.TIMEOUT));
        Ref ref = Proc.monitor(t.pid());
        Proc.send(t.pid(), new Go());
        assertThat(awaitDown(ref)).isEqualTo(Reason.NORMAL); // it finished, and sent nothing
        assertThat(Proc.messages()).isEmpty();
    }

    @Test
    void timeoutsRacingResultsLeaveNoStrayMessage(AttachedProcess me) {
        int n = 2_000;
        int results = 0;
        List<Pid> pids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int v = i;
            Task<Integer> t = Task.async(() -> v);
            pids.add(t.pid());
            try {
                assertThat(t.await(Duration.ofNanos(i % 7 * 1_000))).isEqualTo(v);
                results++;
            } catch (TaskException e) {
                assertThat(e.kind()).isEqualTo(TaskException.Kind.TIMEOUT);
            }
        }
        awaitExits(pids);
        assertThat(Proc.messages()).as("after %d results and %d timeouts", results, n - results).isEmpty();
    }

    @Test
    void aCrashingLinkedTaskTakesItsOwnerAlong(AttachedProcess me) {
        Spawned owner = Proc.spawnMonitor(() -> Task.async(() -> {
            throw new IllegalStateException("boom");
        }).await());
        Down d = Proc.receive(m -> m instanceof Down x && x.ref() == owner.ref() ? x : null);
        assertThat(d.reason()).isInstanceOfSatisfying(Reason.Crash.class,
                c -> assertThat(c.exception()).hasMessage("boom"));
    }

    @Test
    void aTrappingOwnerGetsTheCrashFromAwaitAndAnExit(AttachedProcess me) {
        Proc.trapExit(true);
        Task<Object> t = Task.async(() -> {
            throw new IOException("disk full"); // checked: the task crashes with it as it is
        });
        assertThatThrownBy(t::await).isInstanceOfSatisfying(TaskException.class, e -> {
            assertThat(e.kind()).isEqualTo(TaskException.Kind.EXIT);
            assertThat(e.getCause()).isInstanceOf(IOException.class).hasMessage("disk full");
        });
        Exit exit = Proc.receive(Matcher.type(Exit.class));
        assertThat(exit.from()).isEqualTo(t.pid());
    }

    @Test
    void yieldWaitsAsLongAsAskedAndMayBeRepeated(AttachedProcess me) {
        Task<String> t = Task.async(() -> {
            awaitGo();
            return "done";
        });
        assertThat(t.yield(Duration.ofMillis(10))).isEmpty();
        Proc.send(t.pid(), new Go());
        assertThat(t.yield(Proc.INFINITY)).contains(new Task.Outcome.Ok<>("done"));
        assertThatThrownBy(() -> t.yield(Duration.ZERO)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void shutdownStopsARunningTaskOrGivesWhatItHad(AttachedProcess me) {
        Task<String> running = Task.async(() -> {
            awaitGo();
            return "never";
        });
        assertThat(running.shutdown()).isEmpty();
        assertThat(Proc.isAlive(running.pid())).isFalse();

        Task<String> finished = Task.async(() -> "ready");
        awaitExit(finished.pid()); // its reply is in our mailbox
        assertThat(finished.shutdown(Shutdown.brutalKill())).contains(new Task.Outcome.Ok<>("ready"));

        Task<String> stubborn = Task.async(() -> {
            Proc.trapExit(true);
            awaitGo();
            return "never";
        });
        assertThat(stubborn.shutdown(Shutdown.timeout(Duration.ofMillis(20)))).isEmpty(); // killed after 20 ms
        assertThat(Proc.messages()).isEmpty();
    }

    @Test
    void onlyTheOwnerTakesTheResult(AttachedProcess me) {
        Task<String> t = Task.async(() -> "mine");
        Object[] seen = new Object[1];
        Ref ref = Proc.spawnMonitor(() -> {
            try {
                t.await();
            } catch (IllegalStateException e) {
                seen[0] = e.getMessage();
            }
        }).ref();
        awaitDown(ref);
        assertThat((String) seen[0]).contains("belongs to " + me.pid());
        assertThat(t.await()).isEqualTo("mine");
    }

    @Test
    void supervisedTasks(Node node, AttachedProcess me) {
        Pid sup = DynamicSupervisor.startLink(DynamicSupervisor.Flags.defaults()).orThrow();
        Task<String> linked = Task.async(sup, () -> {
            awaitGo();
            return "supervised";
        });
        assertThat(DynamicSupervisor.whichChildren(sup)).extracting(c -> c.pid().orElseThrow())
                .containsExactly(linked.pid());
        assertThat(Proc.info(me.pid()).orElseThrow().links()).contains(linked.pid());
        Proc.send(linked.pid(), new Go());
        assertThat(linked.await()).isEqualTo("supervised");

        Task<String> crashing = Task.asyncNolink(sup, () -> {
            throw new IllegalStateException("bad input");
        });
        Optional<Task.Outcome<String>> o = crashing.yield(Proc.INFINITY);
        assertThat(o).get().isInstanceOfSatisfying(Task.Outcome.Exited.class, e -> assertThat(e.reason())
                .isInstanceOfSatisfying(Reason.Crash.class, c -> assertThat(c.exception()).hasMessage("bad input")));
        assertThat(Proc.isAlive(me.pid())).isTrue();

        Pid child = Task.startChild(sup, () -> Proc.send(me.pid(), "ran")).orThrow();
        assertThat(Proc.receive(Matcher.type(String.class))).isEqualTo("ran");
        awaitExit(child);
        assertThat(DynamicSupervisor.countChildren(sup).specs()).as("temporary children go").isZero();

        Pid bounded = DynamicSupervisor.startLink(DynamicSupervisor.Flags.defaults().withMaxChildren(0)).orThrow();
        assertThatThrownBy(() -> Task.async(bounded, () -> "x")).isInstanceOf(StartException.class)
                .hasMessageContaining("max_children");
    }

    @Test
    void awaitManyAndYieldMany(AttachedProcess me) {
        List<Task<Integer>> tasks = IntStream.range(0, 10).mapToObj(i -> Task.async(() -> i * i)).toList();
        assertThat(Task.awaitMany(tasks, Duration.ofSeconds(30))).containsExactly(0, 1, 4, 9, 16, 25, 36, 49, 64, 81);

        Task<Integer> quick = Task.async(() -> 1);
        Task<Integer> slow = Task.async(() -> {
            awaitGo();
            return 2;
        });
        awaitExit(quick.pid());
        assertThat(Task.yieldMany(List.of(quick, slow), Duration.ofMillis(10)))
                .containsExactly(Optional.of(new Task.Outcome.Ok<>(1)), Optional.empty());
        Task<Integer> another = Task.async(() -> 3);
        awaitExit(another.pid());
        assertThatThrownBy(() -> Task.awaitMany(List.of(slow, another), Duration.ofMillis(10)))
                .isInstanceOf(TaskException.class);
        assertThat(Proc.messages()).as("awaitMany gave up on all of them").isEmpty();
    }

    @Test
    void asyncStreamBoundsConcurrencyAndKeepsOrder(Node node, AttachedProcess me) {
        AtomicInteger now = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        List<Integer> inputs = IntStream.range(0, 200).boxed().toList();
        Queue<Pid> tasks = new ConcurrentLinkedQueue<>();
        List<Task.Outcome<Integer>> out = Task.asyncStream(inputs, i -> {
            tasks.add(Proc.self());
            most.accumulateAndGet(now.incrementAndGet(), Math::max);
            Thread.yield();
            now.decrementAndGet();
            return i * 2;
        }, Task.StreamOptions.defaults().withMaxConcurrency(4)).toList();
        assertThat(out).containsExactlyElementsOf(inputs.stream()
                .map(i -> (Task.Outcome<Integer>) new Task.Outcome.Ok<>(i * 2)).toList());
        assertThat(most.get()).isBetween(1, 4);

        List<Task.Outcome<Integer>> unordered = Task.asyncStream(inputs, i -> {
            tasks.add(Proc.self());
            return i;
        }, Task.StreamOptions.defaults().withOrdered(false)).toList();
        assertThat(unordered).containsExactlyInAnyOrderElementsOf(inputs.stream()
                .map(i -> (Task.Outcome<Integer>) new Task.Outcome.Ok<>(i)).toList());
        assertThat(tasks).hasSize(400);
        awaitExits(tasks); // those that returned a result exit just after, on their own
        assertThat(node.processes()).containsExactly(me.pid());
        assertThat(Proc.messages()).isEmpty();
    }

    @Test
    void asyncStreamTimeouts(Node node, AttachedProcess me) {
        Task.StreamOptions killTask = Task.StreamOptions.defaults()
                .withTimeout(Duration.ofMillis(50), Task.OnTimeout.KILL_TASK);
        Queue<Pid> tasks = new ConcurrentLinkedQueue<>();
        List<Task.Outcome<Integer>> out = Task.asyncStream(List.of(1, 2, 3), i -> {
            tasks.add(Proc.self());
            if (i == 2) {
                awaitGo(); // never comes
            }
            return i;
        }, killTask).toList();
        assertThat(out).containsExactly(new Task.Outcome.Ok<>(1), new Task.Outcome.Exited<>(Reason.custom("timeout")),
                new Task.Outcome.Ok<>(3));

        Task.StreamOptions exit = Task.StreamOptions.defaults().withTimeout(Duration.ofMillis(50), Task.OnTimeout.EXIT);
        assertThatThrownBy(() -> Task.asyncStream(List.of(1, 2, 3), i -> {
            awaitGo();
            return i;
        }, exit).toList()).isInstanceOfSatisfying(TaskException.class,
                e -> assertThat(e.kind()).isEqualTo(TaskException.Kind.TIMEOUT));
        awaitExits(tasks);
        assertThat(node.processes()).as("the stream's tasks were stopped").containsExactly(me.pid());
        assertThat(Proc.messages()).isEmpty();
    }

    @Test
    void closingAStreamEarlyStopsItsTasks(Node node, AttachedProcess me) {
        Stream<Integer> endless = Stream.iterate(0, i -> i + 1);
        List<Task.Outcome<Integer>> firstThree;
        Queue<Pid> tasks = new ConcurrentLinkedQueue<>();
        try (Stream<Task.Outcome<Integer>> s = Task.asyncStream(endless::iterator, i -> {
            tasks.add(Proc.self());
            if (i >= 3) {
                awaitGo(); // these run on until the stream is closed
            }
            return i;
        }, Task.StreamOptions.defaults().withMaxConcurrency(8))) {
            firstThree = s.limit(3).toList();
        }
        assertThat(firstThree).containsExactly(new Task.Outcome.Ok<>(0), new Task.Outcome.Ok<>(1),
                new Task.Outcome.Ok<>(2));
        awaitExits(tasks); // those that returned exit on their own; close killed the others

        assertThat(node.processes()).containsExactly(me.pid());
        assertThat(Proc.messages()).isEmpty();
    }

    @Test
    void aNolinkStreamReportsCrashesAndGoesOn(AttachedProcess me) {
        Pid sup = DynamicSupervisor.startLink(DynamicSupervisor.Flags.defaults()).orThrow();
        List<Task.Outcome<Integer>> out = Task.asyncStreamNolink(sup, List.of(1, 0, 2), i -> 10 / i,
                Task.StreamOptions.defaults()).toList();
        assertThat(out).hasSize(3);
        assertThat(out.get(0)).isEqualTo(new Task.Outcome.Ok<>(10));
        assertThat(out.get(1)).isInstanceOfSatisfying(Task.Outcome.Exited.class, e -> assertThat(e.reason())
                .isInstanceOfSatisfying(Reason.Crash.class, c -> assertThat(c.exception())
                        .isInstanceOf(ArithmeticException.class)));
        assertThat(out.get(2)).isEqualTo(new Task.Outcome.Ok<>(5));
    }

    @Test
    void aTaskInASupervisionTree(AttachedProcess me) {
        Pid sup = Supervisor.startLink(SupFlags.oneForOne(), List.of(ChildSpec.worker("job",
                () -> Task.startLink(() -> Proc.send(me.pid(), "job done"))).withRestart(Restart.TRANSIENT))).orThrow();
        assertThat(Proc.receive(Matcher.type(String.class))).isEqualTo("job done");
        assertThat(Supervisor.whichChildren(sup)).hasSize(1);
    }

    @Test
    void badInput(AttachedProcess me) {
        assertThatThrownBy(() -> Task.async(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> Task.StreamOptions.defaults().withMaxConcurrency(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxConcurrency must be >= 1");
        assertThatThrownBy(() -> Task.StreamOptions.defaults().withTimeout(Duration.ZERO, Task.OnTimeout.EXIT))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must be positive");
        Task<Integer> t = Task.async(() -> 1);
        assertThatThrownBy(() -> t.await(null)).isInstanceOf(NullPointerException.class);
        assertThat(t.await()).isEqualTo(1);
    }
}
