package otp4j.samples.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import otp4j.behaviour.DynamicSupervisor;
import otp4j.behaviour.GenServer;
import otp4j.behaviour.SupFlags;
import otp4j.behaviour.Supervisor;
import otp4j.runtime.AttachedProcess;
import otp4j.runtime.Down;
import otp4j.runtime.Name;
import otp4j.runtime.Pid;
import otp4j.runtime.Proc;
import otp4j.runtime.Reason;
import otp4j.testing.Mailbox;
import otp4j.testing.NodeExtension;

@ExtendWith(NodeExtension.class)
class PipelineTest {
    private static final Duration DEADLINE = Duration.ofSeconds(10);

    /** What a test runner tells the test: it started {@code job}. */
    record Started(String input) {
    }

    /** What {@link NotifyingStore} tells the test: job {@code id} has finished. */
    record FinishedInStore(long id) {
    }

    /** A store that tells {@code test} of each job finished, after recording it. */
    private record NotifyingStore(JobStore store, Pid test) implements JobStore {
        @Override
        public long add(Job job) {
            return store.add(job);
        }

        @Override
        public List<StoredJob> pending() {
            return store.pending();
        }

        @Override
        public OptionalInt attempt(long id) {
            return store.attempt(id);
        }

        @Override
        public void finish(long id, Outcome outcome) {
            store.finish(id, outcome);
            Proc.send(test, new FinishedInStore(id));
        }
    }

    private static Pid start(Pipeline pipeline) {
        return Supervisor.startLink(SupFlags.oneForOne(), List.of(pipeline.childSpec())).orThrow();
    }

    private static Pipeline.JobFinished awaitFinished() {
        return Mailbox.await(m -> m instanceof Pipeline.JobFinished f ? f : null, DEADLINE);
    }

    @Test
    void everyJobRunsOnceWithAtMostMaxConcurrencyAtATime(AttachedProcess me) {
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();
        Pid test = me.pid();
        Pipeline pipeline = new Pipeline(new MemoryJobStore(), job -> {
            most.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            runs.computeIfAbsent(job.input(), k -> new AtomicInteger()).incrementAndGet();
            Proc.send(test, new Started(job.input()));
            release.await();
            inFlight.decrementAndGet();
            return job.input().toUpperCase();
        }, 3, 1);
        Pid sup = start(pipeline);
        for (int i = 0; i < 10; i++) {
            Pipeline.submit(new Job("upper", "job" + i));
        }
        for (int i = 0; i < 3; i++) {
            Mailbox.await(m -> m instanceof Started s ? s : null, DEADLINE);
        }
        assertThat(Pipeline.stats()).isEqualTo(new Pipeline.Stats(7, 3));
        release.countDown();
        Map<Long, Outcome> outcomes = new HashMap<>();
        for (int i = 0; i < 10; i++) {
            Pipeline.JobFinished f = awaitFinished();
            outcomes.put(f.id(), f.outcome());
        }
        assertThat(outcomes).hasSize(10);
        assertThat(outcomes.values()).extracting(o -> ((Outcome.Done) o).result())
                .containsExactlyInAnyOrder("JOB0", "JOB1", "JOB2", "JOB3", "JOB4", "JOB5", "JOB6", "JOB7", "JOB8", "JOB9");
        assertThat(most.get()).isEqualTo(3);
        assertThat(runs).hasSize(10).allSatisfy((k, n) -> assertThat(n.get()).as(k).isEqualTo(1));
        assertThat(Pipeline.stats()).isEqualTo(new Pipeline.Stats(0, 0));
        GenServer.stop(sup);
    }

    @Test
    void aFailedJobIsRetriedByItsWorkersTransientRestart(AttachedProcess me) {
        MemoryJobStore store = new MemoryJobStore();
        Map<String, AtomicInteger> tries = new ConcurrentHashMap<>();
        Pipeline pipeline = new Pipeline(store, job -> {
            if (tries.computeIfAbsent(job.input(), k -> new AtomicInteger()).incrementAndGet() < 3) {
                throw new IllegalStateException("not yet");
            }
            return "done " + job.input();
        }, 2, 5);
        Pid sup = start(pipeline);
        long id = Pipeline.submit(new Job("flaky", "a"));
        assertThat(awaitFinished()).isEqualTo(new Pipeline.JobFinished(id, new Outcome.Done("done a", 3)));
        assertThat(store.pending()).isEmpty();
        GenServer.stop(sup);
    }

    @Test
    void aJobThatFailsEveryAttemptIsGivenUp(AttachedProcess me) {
        MemoryJobStore store = new MemoryJobStore();
        Pipeline pipeline = new Pipeline(store, job -> {
            throw new java.io.IOException("disk full");
        }, 2, 3);
        Pid sup = start(pipeline);
        long id = Pipeline.submit(new Job("doomed", "a"));
        assertThat(awaitFinished()).isEqualTo(new Pipeline.JobFinished(id,
                new Outcome.GaveUp(3, "java.io.IOException: disk full")));
        assertThat(store.pending()).isEmpty();
        assertThat(Pipeline.stats()).isEqualTo(new Pipeline.Stats(0, 0));
        GenServer.stop(sup);
    }

    @Test
    void aRestartedDispatcherRunsThePendingJobsAndNoRunningJobTwice(AttachedProcess me) {
        JobStore store = new NotifyingStore(new MemoryJobStore(), me.pid());
        CountDownLatch release = new CountDownLatch(1);
        Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();
        Pid test = me.pid();
        Pipeline pipeline = new Pipeline(store, job -> {
            runs.computeIfAbsent(job.input(), k -> new AtomicInteger()).incrementAndGet();
            Proc.send(test, new Started(job.input()));
            release.await();
            return "ok";
        }, 2, 1);
        Pid sup = start(pipeline);
        for (int i = 0; i < 5; i++) {
            Pipeline.submit(new Job("slow", "job" + i));
        }
        for (int i = 0; i < 2; i++) {
            Mailbox.await(m -> m instanceof Started s ? s : null, DEADLINE);
        }
        Pid dispatcher = Proc.whereis(Pipeline.NAME).orElseThrow();
        Proc.monitor(dispatcher);
        Proc.exit(dispatcher, Reason.KILL);
        Mailbox.await(m -> m instanceof Down d && d.target().equals(dispatcher) ? d : null, DEADLINE);
        Supervisor.whichChildren(new Name(Pipeline.SUPERVISOR));   // answered after the restart
        // the two jobs whose workers run are not queued again
        assertThat(Pipeline.stats()).isEqualTo(new Pipeline.Stats(3, 2));
        release.countDown();
        for (int i = 0; i < 3; i++) {
            Mailbox.await(m -> m instanceof Started s ? s : null, DEADLINE);
        }
        // the submitters of the lost dispatcher are not told; the store tells when each is done
        for (int i = 0; i < 5; i++) {
            Mailbox.await(m -> m instanceof FinishedInStore f ? f : null, DEADLINE);
        }
        assertThat(runs).hasSize(5).allSatisfy((k, n) -> assertThat(n.get()).as(k).isEqualTo(1));
        assertThat(store.pending()).isEmpty();
        GenServer.stop(sup);
    }

    @Test
    void aWorkerKilledAfterFinishingItsJobIsRestartedAndFreesItsSlot(AttachedProcess me) {
        Pid test = me.pid();
        AtomicBoolean holdFirst = new AtomicBoolean(true);
        // a store whose first finish tells the test, then waits in the worker until it is killed
        JobStore store = new NotifyingStore(new MemoryJobStore(), test);
        JobStore holding = new JobStore() {
            @Override
            public long add(Job job) {
                return store.add(job);
            }

            @Override
            public List<StoredJob> pending() {
                return store.pending();
            }

            @Override
            public OptionalInt attempt(long id) {
                return store.attempt(id);
            }

            @Override
            public void finish(long id, Outcome outcome) {
                store.finish(id, outcome);
                if (holdFirst.getAndSet(false)) {
                    Proc.receive(m -> null);
                }
            }
        };
        AtomicInteger runs = new AtomicInteger();
        Pid sup = start(new Pipeline(holding, job -> {
            runs.incrementAndGet();
            return job.input();
        }, 1, 3));
        long first = Pipeline.submit(new Job("echo", "first"));
        Mailbox.await(m -> m instanceof FinishedInStore f && f.id() == first ? f : null, DEADLINE);
        Pid worker = DynamicSupervisor.whichChildren(new Name(Pipeline.WORKERS)).getFirst().pid().orElseThrow();
        Proc.monitor(worker);
        Proc.exit(worker, Reason.KILL);
        Mailbox.await(m -> m instanceof Down d && d.target().equals(worker) ? d : null, DEADLINE);

        long second = Pipeline.submit(new Job("echo", "second"));   // runs only once the slot is free
        assertThat(awaitFinished()).isEqualTo(new Pipeline.JobFinished(second, new Outcome.Done("second", 1)));
        assertThat(runs.get()).as("the restarted worker did not run the finished job again").isEqualTo(2);
        GenServer.stop(sup);
    }

    @Test
    void badSpecificationsAreRefusedWithWhatIsWrong() {
        assertThatThrownBy(() -> new Pipeline(new MemoryJobStore(), job -> "", 0, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("maxConcurrency must be at least 1, was 0");
        assertThatThrownBy(() -> new Pipeline(new MemoryJobStore(), job -> "", 1, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("maxAttempts must be at least 1, was 0");
        assertThatThrownBy(() -> new Job(null, "x")).isInstanceOf(NullPointerException.class).hasMessage("kind");
    }
}
