package otp4j.samples.pipeline;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

import otp4j.behaviour.CallResult;
import otp4j.behaviour.ChildInfo;
import otp4j.behaviour.ChildSpec;
import otp4j.behaviour.DynamicSupervisor;
import otp4j.behaviour.From;
import otp4j.behaviour.GenServer;
import otp4j.behaviour.InitResult;
import otp4j.behaviour.Restart;
import otp4j.behaviour.Result;
import otp4j.behaviour.StartOptions;
import otp4j.behaviour.StartResult;
import otp4j.behaviour.SupFlags;
import otp4j.behaviour.Supervisor;
import otp4j.behaviour.SupervisorSpec;
import otp4j.behaviour.Task;
import otp4j.runtime.Name;
import otp4j.runtime.Pid;
import otp4j.runtime.Proc;

/**
 * A job pipeline: jobs go into a {@link JobStore}, a dispatcher runs at most
 * {@code maxConcurrency} of them at a time, each in a worker {@link Task} under a
 * {@link DynamicSupervisor}; a worker whose job throws crashes, and since it is a
 * {@link Restart#TRANSIENT} child its supervisor starts it again, for another attempt, until
 * {@code maxAttempts} are spent. As in OTP, where such a worker is a {@code transient} child of a
 * {@code simple_one_for_one} supervisor and a job that throws is simply let crash.
 *
 * {@snippet :
 * Pipeline pipeline = new Pipeline(new MemoryJobStore(), job -> resize(job.input()), 4, 3);
 * Supervisor.startLink(SupFlags.oneForOne(), List.of(pipeline.childSpec()));
 * long id = Pipeline.submit(new Job("resize", "cat.png"));
 * Pipeline.JobFinished done = Proc.receive(Matcher.type(Pipeline.JobFinished.class));
 * }
 *
 * <p>The tree: {@value #SUPERVISOR} ({@code rest_for_one}) over the workers' supervisor
 * {@value #WORKERS} and the dispatcher {@value #NAME}. The store holds what must survive: the
 * jobs not finished and their attempts. A restarted dispatcher takes the pending jobs from the
 * store, leaving those whose worker still runs; so a job runs at least once, and more than once
 * only if its worker dies between the end of the job and its {@link JobStore#finish}. A worker
 * killed after the {@code finish}, and restarted, finds its job finished and frees its slot; the
 * job's submitter is then not told.
 */
public final class Pipeline {

    /** The pipeline's supervisor's registered name. */
    public static final String SUPERVISOR = "pipeline_sup";

    /** The workers' dynamic supervisor's registered name. */
    public static final String WORKERS = "pipeline_workers";

    /** The dispatcher's registered name. */
    public static final String NAME = "pipeline";

    /**
     * What the submitter of a job receives when it finishes (unless the dispatcher restarted in
     * between: the submitters to tell are kept in its memory, not in the store).
     *
     * @param id      the job's id
     * @param outcome how it finished
     */
    public record JobFinished(long id, Outcome outcome) {
    }

    /**
     * The pipeline's figures.
     *
     * @param queued  jobs waiting for a worker
     * @param running jobs with a worker
     */
    public record Stats(int queued, int running) {
    }

    private final JobStore store;
    private final JobRunner runner;
    private final int maxConcurrency;
    private final int maxAttempts;

    /**
     * Specifies a pipeline.
     *
     * @param store          where jobs wait and attempts are counted
     * @param runner         what runs a job
     * @param maxConcurrency the most jobs run at once
     * @param maxAttempts    the attempts a job gets before it is given up
     * @throws IllegalArgumentException if {@code maxConcurrency} or {@code maxAttempts} is below 1
     */
    public Pipeline(JobStore store, JobRunner runner, int maxConcurrency, int maxAttempts) {
        this.store = Objects.requireNonNull(store, "store");
        this.runner = Objects.requireNonNull(runner, "runner");
        if (maxConcurrency < 1) {
            throw new IllegalArgumentException("maxConcurrency must be at least 1, was " + maxConcurrency);
        }
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1, was " + maxAttempts);
        }
        this.maxConcurrency = maxConcurrency;
        this.maxAttempts = maxAttempts;
    }

    /** {@return the pipeline's supervisor, {@value #SUPERVISOR}, as a child of another} */
    public ChildSpec childSpec() {
        return ChildSpec.supervisor(SUPERVISOR, this::startLink);
    }

    /** {@return the pipeline's supervisor started, linked to the caller} <b>May be called from:</b> a process. */
    public StartResult startLink() {
        // Restarts are how jobs are retried, so the workers' supervisor allows one per attempt of
        // every running job in a second; past that it restarts, and the dispatcher with it.
        DynamicSupervisor.Flags workerFlags = DynamicSupervisor.Flags.defaults()
                .withIntensity(maxConcurrency * maxAttempts, Duration.ofSeconds(1));
        SupervisorSpec spec = new SupervisorSpec(SupFlags.restForOne().withIntensity(5, Duration.ofSeconds(10)), List.of(
                ChildSpec.supervisor(WORKERS, () -> DynamicSupervisor.startLink(workerFlags, StartOptions.named(WORKERS))),
                ChildSpec.worker(NAME, () -> GenServer.startLink(new Dispatcher(this), StartOptions.named(NAME)))));
        return Supervisor.startLink(() -> Optional.of(spec), StartOptions.named(SUPERVISOR));
    }

    /**
     * {@return the job's id} Stores {@code job} and runs it when a worker is free; the caller
     * gets a {@link JobFinished} when it has finished.
     *
     * <p><b>May be called from:</b> a process.
     */
    public static long submit(Job job) {
        return GenServer.call(new Name(NAME), new Submit(Objects.requireNonNull(job, "job"), Proc.self()));
    }

    /** {@return the pipeline's figures} <b>May be called from:</b> any process. */
    public static Stats stats() {
        return GenServer.call(new Name(NAME), new GetStats());
    }

    /** One attempt at job {@code id}, in the worker's process; a throw crashes it, for a restart. */
    private void attempt(long id, Job job) throws Exception {
        OptionalInt counted = store.attempt(id);
        if (counted.isEmpty()) {
            // killed after finishing the job, before telling the dispatcher: free its slot
            Proc.send(new Name(NAME), new Released(id));
            return;
        }
        int attempt = counted.getAsInt();
        Outcome outcome;
        try {
            outcome = new Outcome.Done(runner.run(job), attempt);
        } catch (Exception e) {
            if (attempt < maxAttempts) {
                throw e;
            }
            outcome = new Outcome.GaveUp(attempt, e.toString());
        }
        store.finish(id, outcome);
        Proc.send(new Name(NAME), new Finished(id, outcome));
    }

    private sealed interface Request permits Submit, GetStats {
    }

    private record Submit(Job job, Pid replyTo) implements Request {
    }

    private record GetStats() implements Request {
    }

    /** A worker's last message: sent only by workers, which are started by the dispatcher. */
    private record Finished(long id, Outcome outcome) {
    }

    /** A restarted worker's message: its job had finished already, and nobody was told how. */
    private record Released(long id) {
    }

    /**
     * The dispatcher's state; only its process touches it.
     *
     * @param queued   pending jobs without a worker, oldest first
     * @param running  jobs with a worker
     * @param replyTo  who to tell when a job finishes
     */
    private record State(ArrayDeque<JobStore.StoredJob> queued, Set<Long> running, Map<Long, Pid> replyTo) {
    }

    private record Dispatcher(Pipeline pipeline) implements GenServer<State, Request> {
        @Override
        public InitResult<State> init() {
            // After a restart: a pending job whose worker still runs is running, the rest are
            // queued. A worker that has finished its job but not exited yet is not counted: its
            // job is no longer pending (it finishes in the store before it tells the dispatcher,
            // whose name is registered before this init runs).
            List<JobStore.StoredJob> pending = pipeline.store.pending();
            Set<Object> workers = new HashSet<>();
            for (ChildInfo c : DynamicSupervisor.whichChildren(new Name(WORKERS))) {
                workers.add(c.id());
            }
            Set<Long> running = new HashSet<>();
            ArrayDeque<JobStore.StoredJob> queued = new ArrayDeque<>();
            for (JobStore.StoredJob s : pending) {
                if (workers.contains(s.id())) {
                    running.add(s.id());
                } else {
                    queued.add(s);
                }
            }
            State state = new State(queued, running, new HashMap<>());
            fill(state);
            return GenServer.ok(state);
        }

        @Override
        public CallResult<State> handleCall(Request request, From from, State state) {
            return switch (request) {
                case Submit(Job job, Pid replyTo) -> {
                    long id = pipeline.store.add(job);
                    state.queued().add(new JobStore.StoredJob(id, job, 0));
                    state.replyTo().put(id, replyTo);
                    fill(state);
                    yield GenServer.reply(id, state);
                }
                case GetStats() -> GenServer.reply(new Stats(state.queued().size(), state.running().size()), state);
            };
        }

        @Override
        public Result<State> handleInfo(Object message, State state) {
            if (message instanceof Finished(long id, Outcome outcome)) {
                state.running().remove(id);
                Pid to = state.replyTo().remove(id);
                if (to != null) {
                    Proc.send(to, new JobFinished(id, outcome));
                }
                fill(state);
                return GenServer.noreply(state);
            }
            if (message instanceof Released(long id)) {
                state.running().remove(id);
                state.replyTo().remove(id);
                fill(state);
                return GenServer.noreply(state);
            }
            return GenServer.super.handleInfo(message, state);
        }

        /** Starts workers for queued jobs while fewer than maxConcurrency run. */
        private void fill(State state) {
            while (state.running().size() < pipeline.maxConcurrency && !state.queued().isEmpty()) {
                JobStore.StoredJob s = state.queued().poll();
                ChildSpec worker = ChildSpec.worker(s.id(), () -> Task.startLink(() -> {
                    try {
                        pipeline.attempt(s.id(), s.job());
                    } catch (RuntimeException e) {
                        throw e;
                    } catch (Exception e) {
                        throw new JobFailedException(s.id(), e);
                    }
                })).withRestart(Restart.TRANSIENT);
                DynamicSupervisor.startChild(new Name(WORKERS), worker).orThrow();
                state.running().add(s.id());
            }
        }

        @Override
        public Object formatStatus(State state) {
            return "pipeline: " + state.queued().size() + " queued, " + state.running().size() + " running";
        }
    }

    /** A job's checked exception, carried out of the worker's body so that the worker crashes with it. */
    static final class JobFailedException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        JobFailedException(long id, Exception cause) {
            super("job " + id + " failed: " + cause, cause);
        }
    }
}
