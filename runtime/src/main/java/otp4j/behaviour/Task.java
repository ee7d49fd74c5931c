package otp4j.behaviour;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

import otp4j.runtime.DemonitorOption;
import otp4j.runtime.Dest;
import otp4j.runtime.Down;
import otp4j.runtime.Pid;
import otp4j.runtime.Proc;
import otp4j.runtime.Reason;
import otp4j.runtime.Ref;
import otp4j.runtime.Spawned;
import otp4j.runtime.Ticker;

/**
 * Elixir's {@code Task}: a computation in a process of its own, whose result its owner awaits.
 *
 * {@snippet :
 * Task<Price> a = Task.async(() -> quote("a"));
 * Task<Price> b = Task.async(() -> quote("b"));
 * Price best = min(a.await(), b.await());          // both ran at once; 5 s each at most
 * }
 *
 * <p>{@link #async(Callable)} links the task to its owner and monitors it: if the task throws,
 * the owner gets the exit signal and crashes too, unless it traps exits, as in Elixir; that is
 * what makes a failure impossible to ignore. {@link #async(Dest, Callable)} and
 * {@link #asyncNolink} start the task under a {@link DynamicSupervisor} (Elixir's
 * {@code Task.Supervisor}); without the link, a crash is only the result of {@link #yield}.
 *
 * <table>
 *   <caption>Getting the result</caption>
 *   <tr><th>method</th><th>result ready</th><th>task exited without one</th><th>time is up</th></tr>
 *   <tr><td>{@link #await(Duration)}</td><td>returns it</td><td>throws {@link TaskException} EXIT</td>
 *       <td>throws {@link TaskException} TIMEOUT; the task keeps running, its result is dropped</td></tr>
 *   <tr><td>{@link #yield(Duration)}</td><td>{@link Outcome.Ok}</td><td>{@link Outcome.Exited}</td>
 *       <td>empty; ask again later</td></tr>
 *   <tr><td>{@link #shutdown(Shutdown)}</td><td>{@link Outcome.Ok}, if it was ready</td>
 *       <td>{@link Outcome.Exited}, if it crashed</td><td>stops it; empty</td></tr>
 * </table>
 *
 * <p>A result is taken once: after {@code await}, a {@code yield} that returned it, or
 * {@code shutdown}, the task is done, and awaiting it again throws
 * {@link IllegalStateException}. A result that comes after its owner gave up never reaches the
 * owner's mailbox: the task and the owner agree on one of the two with a compare-and-set, so an
 * owner that catches a timeout and goes on receiving finds no stray reply.
 *
 * <p><b>May be called from:</b> a process; only the owner, the process that started the task,
 * may take its result.
 *
 * @param <T> the result
 */
public final class Task<T> {

    /** A function run by a task of {@link #asyncStream}; it may throw, which crashes its task. */
    @FunctionalInterface
    public interface TaskFunction<A, B> {
        /** {@return the result for {@code input}} */
        B apply(A input) throws Exception;
    }

    /** How a task ended: Elixir's {@code {:ok, value}} or {@code {:exit, reason}}. */
    public sealed interface Outcome<T> permits Outcome.Ok, Outcome.Exited {
        /**
         * The task returned {@code value}.
         *
         * @param value its result
         */
        record Ok<T>(T value) implements Outcome<T> {
        }

        /**
         * The task exited without a result.
         *
         * @param reason why
         */
        record Exited<T>(Reason reason) implements Outcome<T> {
            public Exited {
                Objects.requireNonNull(reason, "reason");
            }
        }
    }

    /** What an {@link #asyncStream} does with a task that runs past its timeout. */
    public enum OnTimeout {
        /** Stop every task of the stream and throw {@link TaskException} TIMEOUT (Elixir's {@code :exit}). */
        EXIT,
        /** Kill that task and emit {@code Exited(timeout)} for it (Elixir's {@code :kill_task}). */
        KILL_TASK
    }

    /**
     * How an {@link #asyncStream} runs its tasks.
     *
     * @param maxConcurrency how many tasks run at once; the number of processors by default
     * @param ordered        whether results come in the order of the inputs (by default), or as
     *                       the tasks finish
     * @param timeout        how long each task may run; 5 s by default
     * @param onTimeout      what a task running past {@code timeout} does to the stream
     */
    public record StreamOptions(int maxConcurrency, boolean ordered, Duration timeout, OnTimeout onTimeout) {
        public StreamOptions {
            if (maxConcurrency < 1) {
                throw new IllegalArgumentException("maxConcurrency must be >= 1, was " + maxConcurrency);
            }
            Objects.requireNonNull(timeout, "timeout");
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("a task timeout must be positive, was " + timeout);
            }
            Objects.requireNonNull(onTimeout, "onTimeout");
        }

        /** {@return Elixir's defaults: one task per processor, ordered, 5 s, exit on timeout} */
        public static StreamOptions defaults() {
            return new StreamOptions(Runtime.getRuntime().availableProcessors(), true, OtpDefaults.CALL_TIMEOUT,
                    OnTimeout.EXIT);
        }

        /** {@return a copy running at most {@code maxConcurrency} tasks at once} */
        public StreamOptions withMaxConcurrency(int maxConcurrency) {
            return new StreamOptions(maxConcurrency, ordered, timeout, onTimeout);
        }

        /** {@return a copy emitting results in input order or not} */
        public StreamOptions withOrdered(boolean ordered) {
            return new StreamOptions(maxConcurrency, ordered, timeout, onTimeout);
        }

        /** {@return a copy giving each task {@code timeout}, and doing {@code onTimeout} after it} */
        public StreamOptions withTimeout(Duration timeout, OnTimeout onTimeout) {
            return new StreamOptions(maxConcurrency, ordered, timeout, onTimeout);
        }
    }

    /*
     * The reply slot. The task sets PENDING -> REPLIED and only then sends its result; an owner
     * giving up sets PENDING -> ABANDONED and only then stops looking. Whoever loses knows what
     * the other did: a task that finds ABANDONED sends nothing; an owner that finds REPLIED knows
     * the result (or, should the task be killed between the CAS and the send, its DOWN) is
     * coming, and takes it. So a result is delivered exactly when someone will take it.
     */
    private static final int PENDING = 0;
    private static final int REPLIED = 1;
    private static final int ABANDONED = 2;

    private static final DemonitorOption[] FLUSH = {DemonitorOption.FLUSH};

    /** A task's result, tagged with its pid (unique on its node). */
    private record Reply(Pid task, Object value) {
    }

    /** Tells a supervised task that its owner now links and monitors it. */
    private record Go() {
    }

    private static final Go GO = new Go();

    private final Pid pid;
    private final Pid owner;
    private final Ref monitor;
    private final AtomicInteger slot;
    private boolean done; // owner only: the result was taken or given up

    private Task(Pid pid, Pid owner, Ref monitor, AtomicInteger slot) {
        this.pid = pid;
        this.owner = owner;
        this.monitor = monitor;
        this.slot = slot;
    }

    // ------------------------------------------------------------------ starting

    /** Runs {@code fn} in a new process linked to and monitored by the caller, its owner. */
    public static <T> Task<T> async(Callable<? extends T> fn) {
        Objects.requireNonNull(fn, "fn");
        Pid owner = Proc.self();
        AtomicInteger slot = new AtomicInteger(PENDING);
        Spawned s = Proc.spawnLinkMonitor(() -> run(owner, slot, fn));
        return new Task<>(s.pid(), owner, s.ref(), slot);
    }

    /**
     * Runs {@code fn} in a new temporary child of dynamic supervisor {@code supervisor}, linked
     * to and monitored by the caller (Elixir's {@code Task.Supervisor.async}).
     *
     * @throws StartException if the supervisor did not start it ({@code max_children})
     */
    public static <T> Task<T> async(Dest supervisor, Callable<? extends T> fn) {
        return supervised(supervisor, fn, true);
    }

    /**
     * Runs {@code fn} in a new temporary child of dynamic supervisor {@code supervisor},
     * monitored by the caller but not linked (Elixir's {@code Task.Supervisor.async_nolink}): a
     * crash is reported by {@link #yield} as {@link Outcome.Exited}, and the caller lives on.
     *
     * @throws StartException if the supervisor did not start it ({@code max_children})
     */
    public static <T> Task<T> asyncNolink(Dest supervisor, Callable<? extends T> fn) {
        return supervised(supervisor, fn, false);
    }

    /**
     * Runs {@code body} in a new temporary child of dynamic supervisor {@code supervisor}, with no
     * result to await (Elixir's {@code Task.Supervisor.start_child}).
     */
    public static StartResult startChild(Dest supervisor, Runnable body) {
        Objects.requireNonNull(body, "body");
        return DynamicSupervisor.startChild(supervisor, ChildSpec.worker("task",
                () -> new StartResult.Started(Proc.spawnLink(body))).withRestart(Restart.TEMPORARY));
    }

    /**
     * Runs {@code body} in a new process linked to the caller: a task to put in a supervision
     * tree, as {@code ChildSpec.worker(id, () -> Task.startLink(body))}. Elixir's
     * {@code Task.start_link}; such a child is usually {@link Restart#TEMPORARY}.
     */
    public static StartResult startLink(Runnable body) {
        Objects.requireNonNull(body, "body");
        return new StartResult.Started(Proc.spawnLink(body));
    }

    private static <T> Task<T> supervised(Dest supervisor, Callable<? extends T> fn, boolean link) {
        Objects.requireNonNull(fn, "fn");
        Pid owner = Proc.self();
        AtomicInteger slot = new AtomicInteger(PENDING);
        // The task waits for GO so that it cannot finish, or crash, before its owner links and
        // monitors it: the owner learns its real exit reason either way.
        StartResult r = DynamicSupervisor.startChild(supervisor, ChildSpec.worker("task",
                () -> new StartResult.Started(Proc.spawnLink(() -> {
                    Proc.receive(m -> m == GO ? m : null);
                    run(owner, slot, fn);
                }))).withRestart(Restart.TEMPORARY));
        Pid pid = r.orThrow();
        if (link) {
            Proc.link(pid);
        }
        Ref monitor = Proc.monitor(pid);
        Proc.send(pid, GO);
        return new Task<>(pid, owner, monitor, slot);
    }

    private static void run(Pid owner, AtomicInteger slot, Callable<?> fn) {
        Object value;
        try {
            value = fn.call();
        } catch (Exception e) {
            throw Task.<RuntimeException>sneaky(e); // the process crashes with e itself, checked or not
        }
        if (slot.compareAndSet(PENDING, REPLIED)) {
            Proc.send(owner, new Reply(Proc.self(), value));
        }
    }

    @SuppressWarnings("unchecked")
    private static <E extends Throwable> E sneaky(Throwable e) throws E {
        throw (E) e;
    }

    // ------------------------------------------------------------------ the result

    /** {@return the task's process} */
    public Pid pid() {
        return pid;
    }

    /** {@return the process that started the task, the only one that may take its result} */
    public Pid owner() {
        return owner;
    }

    /** {@return the result, waiting at most 5 s (Elixir's default)} */
    public T await() {
        return await(OtpDefaults.CALL_TIMEOUT);
    }

    /**
     * {@return the result, waiting at most {@code timeout}} ({@link Proc#INFINITY} waits for
     * ever). After a timeout the task runs on, linked as before, but its result is dropped.
     *
     * @throws TaskException         if the task exited without a result (EXIT) or did not finish
     *                               in time (TIMEOUT)
     * @throws IllegalStateException if the caller is not the owner, or the result was taken
     */
    public T await(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        checkTakeable("await");
        Optional<Object> m = Proc.receive(monitor, this::match, timeout);
        if (m.isEmpty()) {
            if (slot.compareAndSet(PENDING, ABANDONED)) {
                done = true;
                Proc.demonitor(monitor, FLUSH);
                throw new TaskException(TaskException.Kind.TIMEOUT, pid, null, timeout);
            }
            m = Optional.of(Proc.receive(monitor, this::match, Proc.INFINITY).orElseThrow()); // sent just now
        }
        return switch (take(m.get())) {
            case Outcome.Ok<T>(T value) -> value;
            case Outcome.Exited<T>(Reason reason) -> throw new TaskException(TaskException.Kind.EXIT, pid, reason,
                    timeout);
        };
    }

    /**
     * {@return the outcome, if the task ends within {@code timeout}; empty if not, and then the
     * task runs on and may be yielded or awaited again}
     *
     * @throws IllegalStateException if the caller is not the owner, or the result was taken
     */
    public Optional<Outcome<T>> yield(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        checkTakeable("yield");
        return Proc.receive(monitor, this::match, timeout).map(this::take);
    }

    /** As {@link #shutdown(Shutdown)} with 5 s, Elixir's default. */
    public Optional<Outcome<T>> shutdown() {
        return shutdown(Shutdown.timeout(OtpDefaults.WORKER_SHUTDOWN));
    }

    /**
     * Stops the task as a supervisor stops a child: unlinks it, sends it {@code shutdown} and
     * kills it if it is still running when {@code how} runs out (or at once, for
     * {@link Shutdown#brutalKill()}). {@return the outcome if there was one: {@link Outcome.Ok}
     * if the result was ready, {@link Outcome.Exited} if the task had crashed; empty if it was
     * stopped}
     *
     * @throws IllegalStateException if the caller is not the owner, or the result was taken
     */
    public Optional<Outcome<T>> shutdown(Shutdown how) {
        Objects.requireNonNull(how, "how");
        checkTakeable("shutdown");
        Proc.unlink(pid);
        if (!slot.compareAndSet(PENDING, ABANDONED)) {
            return Optional.of(take(Proc.receive(monitor, this::match, Proc.INFINITY).orElseThrow()));
        }
        Optional<Object> down = switch (how) {
            case Shutdown.BrutalKill b -> {
                Proc.exit(pid, Reason.KILL);
                yield Optional.empty();
            }
            case Shutdown.Timeout t -> {
                Proc.exit(pid, Reason.SHUTDOWN);
                yield Proc.receive(monitor, this::match, t.timeout());
            }
            case Shutdown.Infinity i -> {
                Proc.exit(pid, Reason.SHUTDOWN);
                yield Optional.empty();
            }
        };
        if (down.isEmpty()) {
            if (!(how instanceof Shutdown.Infinity)) {
                Proc.exit(pid, Reason.KILL);
            }
            down = Proc.receive(monitor, this::match, Proc.INFINITY);
        }
        Outcome<T> outcome = take(down.orElseThrow());
        if (outcome instanceof Outcome.Exited<T>(Reason r) && (!r.isAbnormal() || r instanceof Reason.Killed)) {
            return Optional.empty(); // stopped as asked, or finished after we gave up on its result
        }
        return Optional.of(outcome);
    }

    /** Gives up on the result without stopping the task; takes the result if it was already sent. */
    private void abandon() {
        if (done) {
            return;
        }
        if (slot.compareAndSet(PENDING, ABANDONED)) {
            done = true;
            Proc.demonitor(monitor, FLUSH);
        } else {
            take(Proc.receive(monitor, this::match, Proc.INFINITY).orElseThrow());
        }
    }

    /** Accepts this task's reply or DOWN. */
    private Object match(Object m) {
        return m instanceof Reply r && r.task == pid || m instanceof Down d && d.ref() == monitor ? m : null;
    }

    /** Turns the accepted message into the outcome; the task is done. */
    @SuppressWarnings("unchecked")
    private Outcome<T> take(Object m) {
        done = true;
        if (m instanceof Reply r) {
            Proc.demonitor(monitor, FLUSH);
            return new Outcome.Ok<>((T) r.value);
        }
        return new Outcome.Exited<>(((Down) m).reason());
    }

    private void checkTakeable(String what) {
        if (!owner.equals(Proc.self())) {
            throw new IllegalStateException(what + ": task " + pid + " belongs to " + owner + ", not to "
                    + Proc.self() + "; only the process that started a task may take its result");
        }
        if (done) {
            throw new IllegalStateException(what + ": the result of task " + pid + " was already taken");
        }
    }

    // ------------------------------------------------------------------ many tasks

    /**
     * {@return the results of {@code tasks}, in their order, waiting at most {@code timeout} for
     * all of them} (Elixir's {@code await_many})
     *
     * @throws TaskException if one exited without a result (the others run on), or time ran out
     *                       (all that are left run on)
     */
    public static <T> List<T> awaitMany(List<Task<T>> tasks, Duration timeout) {
        Objects.requireNonNull(tasks, "tasks");
        Objects.requireNonNull(timeout, "timeout");
        Deadline deadline = new Deadline(timeout);
        List<T> out = new ArrayList<>(tasks.size());
        try {
            for (Task<T> t : tasks) {
                out.add(t.await(deadline.left()));
            }
        } catch (TaskException e) {
            tasks.forEach(Task::abandon); // no result of theirs may turn up later
            throw e;
        }
        return out;
    }

    /**
     * {@return the outcome of each of {@code tasks} that ended within {@code timeout}, in their
     * order; empty for the others, which run on} (Elixir's {@code yield_many})
     */
    public static <T> List<Optional<Outcome<T>>> yieldMany(List<Task<T>> tasks, Duration timeout) {
        Objects.requireNonNull(tasks, "tasks");
        Objects.requireNonNull(timeout, "timeout");
        Deadline deadline = new Deadline(timeout);
        List<Optional<Outcome<T>>> out = new ArrayList<>(tasks.size());
        for (Task<T> t : tasks) {
            out.add(t.yield(deadline.left()));
        }
        return out;
    }

    /** A point in time on the node's clock, the one receive timeouts run on. */
    private static final class Deadline {
        private final Ticker ticker = Proc.node().options().ticker();
        private final long at;

        Deadline(Duration timeout) {
            at = timeout.equals(Proc.INFINITY) ? Long.MAX_VALUE : ticker.nanoTime() + timeout.toNanos();
        }

        /** {@return the time left; {@link Proc#INFINITY} if there is no deadline} */
        Duration left() {
            return at == Long.MAX_VALUE ? Proc.INFINITY : Duration.ofNanos(Math.max(0, at - ticker.nanoTime()));
        }

        boolean before(Deadline other) {
            return at < other.at;
        }
    }

    // ------------------------------------------------------------------ streams

    /**
     * Runs {@code fn} on each input in tasks linked to the caller, at most
     * {@link StreamOptions#maxConcurrency()} at once (Elixir's {@code Task.async_stream}). The
     * stream is lazy: tasks start as results are consumed, so an endless input is fine. Consume
     * it in the calling process; close it (try-with-resources) if you may stop early, which
     * kills the tasks still running.
     */
    public static <A, B> Stream<Outcome<B>> asyncStream(Iterable<? extends A> inputs, TaskFunction<? super A, ? extends B> fn,
                                                        StreamOptions options) {
        Objects.requireNonNull(fn, "fn");
        return stream(inputs, a -> async(() -> fn.apply(a)), options);
    }

    /** As {@link #asyncStream(Iterable, TaskFunction, StreamOptions)}, the tasks children of {@code supervisor}. */
    public static <A, B> Stream<Outcome<B>> asyncStream(Dest supervisor, Iterable<? extends A> inputs,
                                                        TaskFunction<? super A, ? extends B> fn, StreamOptions options) {
        Objects.requireNonNull(fn, "fn");
        return stream(inputs, a -> async(supervisor, () -> fn.apply(a)), options);
    }

    /**
     * As {@link #asyncStream(Dest, Iterable, TaskFunction, StreamOptions)} without links: a task
     * that crashes gives {@link Outcome.Exited} and the stream goes on.
     */
    public static <A, B> Stream<Outcome<B>> asyncStreamNolink(Dest supervisor, Iterable<? extends A> inputs,
                                                              TaskFunction<? super A, ? extends B> fn,
                                                              StreamOptions options) {
        Objects.requireNonNull(fn, "fn");
        return stream(inputs, a -> asyncNolink(supervisor, () -> fn.apply(a)), options);
    }

    private static <A, B> Stream<Outcome<B>> stream(Iterable<? extends A> inputs,
                                                    Function<A, Task<B>> start,
                                                    StreamOptions options) {
        Objects.requireNonNull(inputs, "inputs");
        Objects.requireNonNull(options, "options");
        TaskStream<A, B> s = new TaskStream<>(inputs.iterator(), start, options);
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(s, Spliterator.ORDERED | Spliterator.NONNULL),
                false).onClose(s::close);
    }

    /** The iterator behind a task stream; owned by the process consuming it. */
    private static final class TaskStream<A, B> implements Iterator<Outcome<B>> {
        /*
         * running: the tasks started and not yet ended, by pid, with their input's index and
         * deadline. finished: outcomes not yet emitted, by index. In order, the next to emit is
         * index `emitted`; otherwise whichever finished first. A task's timeout runs from its
         * start; the wait for the next message ends at the earliest deadline.
         */
        private record Running<B>(Task<B> task, long index, Deadline deadline) {
        }

        private final Iterator<? extends A> inputs;
        private final Function<A, Task<B>> start;
        private final StreamOptions options;
        private final HashMap<Pid, Running<B>> running = new HashMap<>();
        private final TreeMap<Long, Outcome<B>> finished = new TreeMap<>();
        private final ArrayDeque<Outcome<B>> ready = new ArrayDeque<>();
        private long started;
        private long emitted;

        TaskStream(Iterator<? extends A> inputs, Function<A, Task<B>> start, StreamOptions options) {
            this.inputs = inputs;
            this.start = start;
            this.options = options;
        }

        @Override
        public boolean hasNext() {
            while (true) {
                if (!ready.isEmpty()) {
                    return true;
                }
                while (running.size() < options.maxConcurrency() && inputs.hasNext()) {
                    Task<B> t = start.apply(inputs.next());
                    running.put(t.pid, new Running<>(t, started++, new Deadline(options.timeout())));
                }
                if (running.isEmpty()) {
                    return false;
                }
                awaitOne();
            }
        }

        @Override
        public Outcome<B> next() {
            if (!hasNext()) {
                throw new NoSuchElementException("the task stream is exhausted");
            }
            return ready.poll();
        }

        private void awaitOne() {
            Running<B> first = null;
            for (Running<B> r : running.values()) {
                if (first == null || r.deadline.before(first.deadline)) {
                    first = r;
                }
            }
            Optional<Object> m = Proc.receive(this::match, first.deadline.left());
            if (m.isPresent()) {
                Running<B> r = running.remove(m.get() instanceof Reply reply ? reply.task : ((Down) m.get()).target());
                finish(r, r.task.take(m.get()));
                return;
            }
            if (options.onTimeout() == OnTimeout.EXIT) {
                Pid late = first.task.pid;
                close();
                throw new TaskException(TaskException.Kind.TIMEOUT, late, null, options.timeout());
            }
            running.remove(first.task.pid);
            Optional<Outcome<B>> o = first.task.shutdown(Shutdown.brutalKill());
            finish(first, o.orElse(new Outcome.Exited<>(Reason.custom("timeout"))));
        }

        private Object match(Object m) {
            if (m instanceof Reply r) {
                return running.containsKey(r.task) ? m : null;
            }
            if (m instanceof Down d && d.target() instanceof Pid p) {
                Running<B> r = running.get(p);
                return r != null && r.task.monitor == d.ref() ? m : null;
            }
            return null;
        }

        private void finish(Running<B> r, Outcome<B> outcome) {
            if (!options.ordered()) {
                ready.add(outcome);
                return;
            }
            finished.put(r.index, outcome);
            for (Outcome<B> o; (o = finished.remove(emitted)) != null; emitted++) {
                ready.add(o);
            }
        }

        /** Kills the tasks still running, leaving nothing of theirs in the owner's mailbox. */
        void close() {
            for (Running<B> r : running.values()) {
                r.task.shutdown(Shutdown.brutalKill());
            }
            running.clear();
        }
    }
}
