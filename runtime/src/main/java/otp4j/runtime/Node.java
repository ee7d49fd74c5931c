package otp4j.runtime;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import otp4j.runtime.internal.CarrierScheduler;
import otp4j.runtime.internal.Introspection;
import otp4j.runtime.internal.ProcessEvents;
import otp4j.runtime.internal.ProcessTable;
import otp4j.runtime.internal.TimerService;
import otp4j.runtime.internal.VirtualThreads;

/**
 * A running otp4j runtime: its processes, registered names, timers and scheduler. Erlang's node,
 * within one JVM; several nodes may run side by side (each test may have its own), but their
 * processes do not mix.
 *
 * {@snippet :
 * try (Node node = Node.start()) {
 *     Pid echo = node.spawn(() -> {
 *         for (;;) {
 *             if (Proc.receive() instanceof Ping(Pid from)) Proc.send(from, "pong");
 *         }
 *     });
 *     try (AttachedProcess me = node.attach()) {
 *         Proc.send(echo, new Ping(me.pid()));
 *         System.out.println(Proc.receive());   // pong
 *     }
 * }
 * }
 *
 * <p><b>May be called from:</b> any thread, except {@link #close()}, which a process of this
 * node may not call.
 */
public final class Node implements AutoCloseable {
    /*
     * Overview
     *
     * The process table holds every process whose virtual thread has not finished: live ones,
     * and zombies (dead, thread still unwinding), which lingering() lists. liveCount counts the
     * live ones. Attached processes leave the table when they die, since their thread is the
     * caller's.
     *
     * Names: lookups read the name map without locking; register, unregister and release take
     * nameLock, so "the name is free" and "the process has no name" are decided together.
     *
     * Shutdown (close): one closer runs the close hooks while the node still runs (others
     * calling close wait for CLOSED); then stop spawning; send shutdown to every live process, newest first (so
     * children hear it before the processes that started them); wait up to the shutdown
     * timeout; kill what is left; wait for every process thread to finish; stop the timer
     * thread and the carriers.
     */

    /** The process bound to the current thread, if any. */
    static final ThreadLocal<ProcessImpl> CURRENT = new ThreadLocal<>();

    private static final AtomicInteger INDEXES = new AtomicInteger();
    private static final System.Logger LOG = System.getLogger("otp4j.runtime");

    static {
        // Here, because whoever walks a node's processes holds a Node: this has run before.
        Introspection.install(new Introspection.Provider() {
            @Override
            public void forEachProcess(Node node, Introspection.ProcessVisitor visitor) {
                ProcessView view = new ProcessView();
                node.processes.forEach(p -> {
                    if (p.isAlive()) {
                        view.process = p;
                        visitor.visit(view);
                    }
                });
            }

            @Override
            public Optional<Pid> pid(Node node, long serial) {
                ProcessImpl p = node.processes.get(serial);
                return p != null && p.isAlive() ? Optional.of(p.pid) : Optional.empty();
            }

            @Override
            public Optional<Class<?>> behaviour(Pid pid) {
                ProcessImpl p = pid.getProcOpaque();
                return p == null || !p.isAlive() ? Optional.empty() : Optional.ofNullable(p.behaviour());
            }

            @Override
            public long serial(Pid pid) {
                return pid.serial();
            }
        });
    }

    /** A walk's view of one process at a time; one per walk, moved from process to process. */
    private static final class ProcessView implements Introspection.ProcessView {
        ProcessImpl process;

        @Override public Pid pid() { return process.pid; }
        @Override public long serial() { return process.pid.serial(); }
        @Override public String registeredName() { return process.registeredName(); }
        @Override public ProcessStatus status() { return process.status(); }
        @Override public int messageQueueLength() { return process.messageCount(); }
        @Override public long memory() {
            return ProcessInfo.BASE_MEMORY + (long) process.messageCount() * ProcessInfo.BYTES_PER_MESSAGE;
        }
        @Override public long reductions() { return process.getReductionsOpaque(); }
        @Override public long messagesReceived() { return process.getReceivedOpaque(); }
        @Override public String initialCall() { return process.initialCall(); }
        @Override public Class<?> behaviour() { return process.behaviour(); }
    }

    private static final int RUNNING = 0;
    private static final int CLOSING = 1;
    private static final int CLOSED = 2;

    private final int index;
    private final String name;
    private final NodeOptions options;
    final TimerService timers;
    /** The carrier scheduler, or null when processes run on the JDK's scheduler. */
    final CarrierScheduler scheduler;
    private final Thread.Builder.OfVirtual threads;
    private final ProcessTable<ProcessImpl> processes = new ProcessTable<>(1);
    private final ConcurrentHashMap<String, ProcessImpl> names = new ConcurrentHashMap<>();
    private final ReentrantLock nameLock = new ReentrantLock();
    private final AtomicLong serials = new AtomicLong(1);
    private final AtomicLong refs = new AtomicLong(1);
    /** Live processes; striped, since every spawn and every exit on every carrier counts. */
    private final LongAdder liveCount = new LongAdder();
    /** Stands for "the node itself" as the sender of signals from threads that are not processes. */
    private final Pid systemPid;
    private volatile int runState = RUNNING;
    /** The thread running close(), from the moment it runs the close hooks; guarded by closeLock. */
    private Thread closer;
    private final java.util.concurrent.CopyOnWriteArrayList<Runnable> closeHooks =
            new java.util.concurrent.CopyOnWriteArrayList<>();
    private final ReentrantLock closeLock = new ReentrantLock();
    private final Condition changed = closeLock.newCondition();

    private Node(NodeOptions options, int index) {
        this.options = options;
        this.index = index;
        this.name = options.name().orElse("node" + index);
        this.systemPid = new Pid(this, 0, null);
        CarrierScheduler s = null;
        Thread.Builder.OfVirtual b;
        if (options.scheduler() == SchedulerType.OTP4J && VirtualThreads.unavailableBecause().isEmpty()) {
            s = new CarrierScheduler("otp4j-" + name, options.carriers());
            b = VirtualThreads.builder(s);
        } else {
            if (options.scheduler() == SchedulerType.OTP4J) {
                LOG.log(System.Logger.Level.WARNING, () -> "otp4j node " + name
                        + " runs on the JDK's default virtual-thread scheduler, which is slower for message"
                        + " passing; start the JVM with " + VirtualThreads.openFlag()
                        + " to use otp4j's scheduler (" + VirtualThreads.unavailableBecause().orElse("") + ")");
            }
            b = Thread.ofVirtual();
        }
        this.scheduler = s;
        this.threads = b.inheritInheritableThreadLocals(false);
        this.timers = new TimerService("otp4j-" + name + "-timer", options.ticker());
    }

    /** {@return a node started with {@link NodeOptions#defaults()}} */
    public static Node start() {
        return start(NodeOptions.defaults());
    }

    /** {@return a node started with {@code options}} */
    public static Node start(NodeOptions options) {
        Objects.requireNonNull(options, "options");
        WarmUp.once();
        return new Node(options, INDEXES.getAndIncrement());
    }

    /**
     * Takes a few processes through the paths a parked process follows when it wakes: a message,
     * a timeout, a kill. Once per JVM, on a node of its own, before any other node starts.
     *
     * <p>Why: a process parks deep in runtime code, and its frames stay frozen in whatever code
     * the JIT had compiled when it parked. If a million processes spawn and park before any has
     * ever woken, the JIT compiles the code after the park as unreachable; when they are woken,
     * each frame deoptimizes on its own, at several microseconds per process (measured: 10 µs
     * instead of 1 µs per exit of a million processes). Running the wake paths first makes the
     * JIT compile them.
     */
    private static final class WarmUp {
        private static final AtomicInteger DONE = new AtomicInteger();

        static void once() {
            if (DONE.get() != 0 || !DONE.compareAndSet(0, 1)) {
                return;
            }
            SchedulerType scheduler = VirtualThreads.unavailableBecause().isEmpty() ? SchedulerType.OTP4J
                    : SchedulerType.JDK; // the user's node warns about the fallback, not this one
            NodeOptions options = NodeOptions.defaults().withName("otp4j-warm-up").withCarriers(1)
                    .withScheduler(scheduler);
            try (Node node = new Node(options, -1)) {
                CountDownLatch done = new CountDownLatch(1);
                node.spawn(() -> {
                    try {
                        warmUp();
                    } finally {
                        done.countDown();
                    }
                });
                boolean interrupted = false;
                for (;;) {
                    try {
                        done.await();
                        break;
                    } catch (InterruptedException e) {
                        interrupted = true;
                    }
                }
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        /** A message, a timeout and a kill, each met by a process parked in receive. */
        private static void warmUp() {
            for (int i = 0; i < 3; i++) {
                Spawned woken = Proc.spawnMonitor(() -> Proc.receive());
                Proc.send(woken.pid(), "wake");
                Proc.receive(m -> m instanceof Down d && d.ref() == woken.ref() ? d : null);
                Spawned timedOut = Proc.spawnMonitor(() -> Proc.receive(Duration.ofNanos(1)));
                Proc.receive(m -> m instanceof Down d && d.ref() == timedOut.ref() ? d : null);
                Spawned killed = Proc.spawnMonitor(() -> Proc.receive());
                Proc.exit(killed.pid(), Reason.KILL);
                Proc.receive(m -> m instanceof Down d && d.ref() == killed.ref() ? d : null);
            }
        }
    }

    /** {@return the node's name} */
    public String name() {
        return name;
    }

    /** {@return the node's index in this JVM: the first number of its pids} */
    public int index() {
        return index;
    }

    /** {@return the options the node was started with} */
    public NodeOptions options() {
        return options;
    }

    /** {@return the scheduler actually in use (OTP4J falls back to JDK without the JVM flag)} */
    public SchedulerType scheduler() {
        return scheduler != null ? SchedulerType.OTP4J : SchedulerType.JDK;
    }

    // ------------------------------------------------------------------ spawning

    /**
     * Starts a process running {@code body}, as Erlang's {@code spawn/1}. The process exits
     * {@code normal} when {@code body} returns, and with {@link Reason.Crash} when it throws.
     *
     * <p><b>May be called from:</b> any thread.
     *
     * @throws NodeClosedException if the node was shut down
     */
    public Pid spawn(Runnable body) {
        return spawnProcess(Objects.requireNonNull(body, "body"), null, false, null).pid;
    }

    /**
     * Starts a process; if {@code link}, {@code parent} is linked to it, and if {@code monitorRef}
     * is given, {@code parent} monitors it under that ref; both before its code runs (EXIT-027,
     * EXIT-046).
     */
    ProcessImpl spawnProcess(Runnable body, ProcessImpl parent, boolean link, Ref monitorRef) {
        refuseIfClosing(parent);
        if (parent != null) {
            parent.checkAlive(); // a zombie spawns nothing
        }
        if (processes.size() >= options.maxProcesses()) {
            throw new SystemLimitException("system_limit: node " + name + " holds " + processes.size()
                    + " processes, its limit (NodeOptions.withMaxProcesses); the spawn was refused");
        }
        ProcessImpl p = new ProcessImpl(this, serials.getAndIncrement(), body);
        if (parent != null) {
            // A process without a leader leads itself: its children follow it, as in Erlang.
            p.groupLeader = parent.groupLeader();
        }
        // The thread is set before the process enters the table, so that whoever finds it there
        // (close, a kill) also sees the thread to interrupt.
        Thread t = threads.unstarted(p);
        p.thread = t;
        processes.put(p.pid.serial(), p);
        liveCount.increment();
        boolean started = false;
        try {
            refuseIfClosing(parent);
            if (link) {
                parent.link(p);
            }
            if (monitorRef != null) {
                parent.monitor(monitorRef, p, p.pid);
            }
            if (scheduler != null) {
                scheduler.markSpawn();
            }
            t.start();
            started = true;
            ProcessEvents.Spawn event = new ProcessEvents.Spawn();
            if (event.isEnabled()) {
                event.node = name;
                event.pid = p.pid.toString();
                event.parent = parent == null ? "" : parent.pid.toString();
                event.initialCall = p.initialCall();
                event.commit();
            }
        } finally {
            if (!started) {
                // Refused, or the parent died while linking: the process never runs.
                if (scheduler != null) {
                    scheduler.clearSpawnMark();
                }
                ProcessImpl.terminate(p, Reason.SHUTDOWN);
                processes.remove(p.pid.serial());
            }
        }
        return p;
    }

    /**
     * Makes the calling thread a process of this node until the returned scope is closed, so
     * that code outside processes (a main method, a test, a request thread) can receive, link
     * and monitor. Closing the scope ends the process with reason {@code normal}.
     *
     * {@snippet :
     * try (AttachedProcess me = node.attach()) {
     *     Ref ref = Proc.monitor(worker);
     *     Proc.send(worker, new Job(me.pid()));
     *     Object reply = Proc.receive();
     * }
     * }
     *
     * <p><b>May be called from:</b> any thread that is not already a process.
     *
     * @throws IllegalStateException if the calling thread already is a process
     * @throws NodeClosedException   if the node was shut down
     */
    public AttachedProcess attach() {
        ProcessImpl cur = CURRENT.get();
        if (cur != null) {
            throw new IllegalStateException("this thread already is process " + cur.pid
                    + "; attach() is for threads that are not processes");
        }
        ensureOpen();
        ProcessImpl p = new ProcessImpl(this, serials.getAndIncrement(), null);
        p.thread = Thread.currentThread();
        processes.put(p.pid.serial(), p);
        liveCount.increment();
        if (runState != RUNNING) {
            processes.remove(p.pid.serial());
            liveCount.decrement();
            throw new NodeClosedException(this);
        }
        CURRENT.set(p);
        return new AttachedProcess(p);
    }

    /** Ends an attached process: exits it normally if still alive and unbinds the thread. */
    void detach(ProcessImpl p) {
        try {
            ProcessImpl.terminate(p, Reason.NORMAL);
        } finally {
            CURRENT.remove();
            p.releaseMailbox();
            Thread.interrupted(); // a kill may have interrupted the caller's thread
        }
    }

    // ------------------------------------------------------------------ names

    /** Registers {@code p} under {@code name} (PROC-024..028). */
    void register(String name, ProcessImpl p) {
        nameLock.lock();
        try {
            ProcessImpl holder = names.get(name);
            if (holder != null) {
                throw new IllegalArgumentException("name \"" + name + "\" is already registered to " + holder.pid
                        + "; unregister it first or choose another name");
            }
            if (p == null || !p.isAlive()) {
                throw new IllegalArgumentException("cannot register \"" + name + "\": the process is not alive");
            }
            String old = p.registeredName();
            if (old != null) {
                throw new IllegalArgumentException("cannot register " + p.pid + " as \"" + name
                        + "\": it is already registered as \"" + old + "\" (one name per process)");
            }
            names.put(name, p);
            p.setRegisteredNameOpaque(name);
        } finally {
            nameLock.unlock();
        }
    }

    /** Removes {@code name} (PROC-032). */
    void unregister(String name) {
        nameLock.lock();
        try {
            ProcessImpl p = names.remove(name);
            if (p == null) {
                throw new IllegalArgumentException("name \"" + name + "\" is not registered");
            }
            p.setRegisteredNameOpaque(null);
        } finally {
            nameLock.unlock();
        }
    }

    /** Frees the name of a dying process (order of death, step 1). */
    void releaseName(ProcessImpl p) {
        if (p.registeredName() == null) {
            return;
        }
        nameLock.lock();
        try {
            String n = p.registeredName();
            if (n != null) {
                names.remove(n, p);
                p.setRegisteredNameOpaque(null);
            }
        } finally {
            nameLock.unlock();
        }
    }

    /** {@return the live process registered as {@code name}, or null} */
    ProcessImpl lookup(String name) {
        ProcessImpl p = names.get(name);
        return p != null && p.isAlive() ? p : null;
    }

    /**
     * {@return the process registered as {@code name}, as Erlang's {@code whereis/1}}
     *
     * <p><b>May be called from:</b> any thread.
     */
    public Optional<Pid> whereis(String name) {
        Objects.requireNonNull(name, "name");
        ProcessImpl p = lookup(name);
        return p == null ? Optional.empty() : Optional.of(p.pid);
    }

    /**
     * {@return the registered names, as Erlang's {@code registered/0}}
     *
     * <p><b>May be called from:</b> any thread.
     */
    public Set<String> registered() {
        return Set.copyOf(names.keySet());
    }

    // ------------------------------------------------------------------ introspection

    /**
     * {@return the live processes, oldest first}
     *
     * <p><b>May be called from:</b> any thread.
     */
    public List<Pid> processes() {
        List<Pid> out = new ArrayList<>();
        for (ProcessImpl p : processes.values()) {
            if (p.isAlive()) {
                out.add(p.pid);
            }
        }
        out.sort(Comparator.naturalOrder());
        return out;
    }

    /**
     * {@return the processes that have exited but whose threads are still running: killed
     * while computing without calling the runtime, or blocked outside it}. A virtual thread
     * cannot be stopped from outside; it unwinds at its next runtime call or blocking point.
     *
     * <p><b>May be called from:</b> any thread.
     */
    public List<Lingering> lingering() {
        List<Lingering> out = new ArrayList<>();
        for (ProcessImpl p : processes.values()) {
            Reason r = p.exitReason();
            if (r != null && !p.isAttached()) {
                Thread t = p.thread;
                out.add(new Lingering(p.pid, r, t.getState(), List.of(t.getStackTrace())));
            }
        }
        out.sort(Comparator.comparing(Lingering::pid));
        return out;
    }

    /**
     * {@return the node's counters}
     *
     * <p><b>May be called from:</b> any thread.
     */
    public SystemInfo systemInfo() {
        int live = liveCount.intValue();
        // The table holds the live processes and the lingering ones; both counts move while we
        // read them, so the difference is an estimate.
        int lingering = Math.max(0, processes.size() - live);
        int carriers = scheduler != null ? scheduler.carriers() : jdkParallelism();
        int runQueue = scheduler != null ? scheduler.runQueueLength() : 0;
        int threadsAlive = (timers.isRunning() ? 1 : 0) + (scheduler != null ? scheduler.liveThreads() : 0);
        return new SystemInfo(name, live, lingering, timers.armedCount(), scheduler(), carriers,
                runQueue, serials.get() - 1, threadsAlive);
    }

    private static int jdkParallelism() {
        String p = System.getProperty("jdk.virtualThreadScheduler.parallelism");
        if (p != null) {
            try {
                return Integer.parseInt(p);
            } catch (NumberFormatException e) {
                return Runtime.getRuntime().availableProcessors();
            }
        }
        return Runtime.getRuntime().availableProcessors();
    }

    /**
     * Cross-checks the node's bookkeeping: every link is mutual, no live process links to or
     * monitors a dead one, every registered name belongs to a live process under that name.
     * Returns a description of each inconsistency; empty when all is well. For tests and
     * diagnostics.
     *
     * <p><b>May be called from:</b> any thread. Links and monitors made or removed while it runs
     * may be reported; call it when the processes are quiet.
     */
    public List<String> checkInvariants() {
        List<String> out = new ArrayList<>();
        for (ProcessImpl p : processes.values()) {
            p.checkInvariants(out);
        }
        names.forEach((n, p) -> {
            if (!p.isAlive()) {
                out.add("name \"" + n + "\" still refers to dead " + p.pid);
            } else if (!n.equals(p.registeredName())) {
                out.add("name \"" + n + "\" refers to " + p.pid + ", which is registered as " + p.registeredName());
            }
        });
        return out;
    }

    /** {@return whether {@link #close()} has been called} */
    public boolean isClosed() {
        return runState != RUNNING;
    }

    // ------------------------------------------------------------------ runtime internals

    Ref makeRef() {
        return new Ref(index, refs.getAndIncrement());
    }

    Pid systemPid() {
        return systemPid;
    }

    void ensureOpen() {
        if (runState != RUNNING) {
            throw new NodeClosedException(this);
        }
    }

    /**
     * Refuses to spawn once the node is shutting down. A process of the node that tries (a
     * supervisor restarting a child that the shutdown just stopped) exits quietly with
     * {@code shutdown}, as it is about to anyway; any other caller gets NodeClosedException.
     */
    private void refuseIfClosing(ProcessImpl caller) {
        if (runState == RUNNING) {
            return;
        }
        if (caller != null && !caller.isAttached()) {
            ProcessImpl.terminate(caller, Reason.SHUTDOWN);
            caller.checkAlive();
        }
        throw new NodeClosedException(this);
    }

    /** A process left ALIVE: it no longer counts, before anyone hears of its death. */
    void processExiting(ProcessImpl p) {
        liveCount.decrement();
        if (runState != RUNNING) {
            signalChanged();
        }
    }

    /** A process has queued every notification of its death (order of death, step 4). */
    void processDead(ProcessImpl p) {
        if (p.isAttached()) {
            processes.remove(p.pid.serial());
        }
    }

    /** A process's virtual thread has finished. */
    void threadEnded(ProcessImpl p) {
        p.releaseMailbox();
        processes.remove(p.pid.serial());
        if (runState != RUNNING) {
            signalChanged();
        }
    }

    void yieldCarrier() {
        if (scheduler != null) {
            scheduler.yieldToTail();
        } else {
            Thread.yield();
        }
    }

    private void signalChanged() {
        closeLock.lock();
        try {
            changed.signalAll();
        } finally {
            closeLock.unlock();
        }
    }

    // ------------------------------------------------------------------ shutdown

    /**
     * Registers {@code hook} to run at the start of {@link #close()}, before any process is
     * signalled: the node still runs, so the hook may attach, call processes and wait for them
     * (the application controller stops the applications this way, in reverse start order).
     * Hooks run on the closing thread, one after the other, most recently added first; a hook
     * that throws is logged and the close goes on. A hook should bound its own wait, since
     * {@code close} waits for it.
     *
     * <p><b>May be called from:</b> any thread.
     */
    public void addCloseHook(Runnable hook) {
        closeHooks.add(Objects.requireNonNull(hook, "hook"));
    }

    /**
     * Removes a hook added with {@link #addCloseHook(Runnable)}; returns whether it was there.
     *
     * <p><b>May be called from:</b> any thread.
     */
    public boolean removeCloseHook(Runnable hook) {
        return closeHooks.remove(Objects.requireNonNull(hook, "hook"));
    }

    /**
     * Shuts the node down: the close hooks run first (see {@link #addCloseHook(Runnable)}); then
     * every process gets exit signal {@code shutdown}, newest first; those
     * still alive after {@link NodeOptions#shutdownTimeout()} are killed; then the call waits
     * (up to the same timeout again) for their threads to finish, and stops the node's timer
     * and carrier threads. Calling it again does nothing.
     *
     * <p><b>May be called from:</b> any thread that is not a process of this node.
     *
     * @throws IllegalCallerException if called by a process of this node
     */
    @Override
    public void close() {
        ProcessImpl cur = CURRENT.get();
        if (cur != null && cur.node == this) {
            throw new IllegalCallerException("process " + cur.pid + " cannot close its own node " + name
                    + (cur.isAttached() ? "; close its AttachedProcess first" : ""));
        }
        closeLock.lock();
        try {
            if (runState != RUNNING || closer != null) {
                if (closer == Thread.currentThread()) {
                    return; // a close hook closing its node again: the close is under way
                }
                while (runState != CLOSED) {
                    changed.awaitUninterruptibly();
                }
                return;
            }
            closer = Thread.currentThread();
        } finally {
            closeLock.unlock();
        }
        // The hooks run while the node still runs, so that they can attach, call and spawn.
        List<Runnable> hooks = new ArrayList<>(closeHooks);
        for (int i = hooks.size() - 1; i >= 0; i--) {
            Runnable hook = hooks.get(i);
            try {
                hook.run();
            } catch (RuntimeException | Error e) {
                LOG.log(System.Logger.Level.ERROR, "node " + name + ": close hook " + hook + " failed", e);
            }
        }
        closeLock.lock();
        try {
            runState = CLOSING;
        } finally {
            closeLock.unlock();
        }
        long timeout = options.shutdownTimeout().toNanos();
        List<ProcessImpl> live = new ArrayList<>(processes.values());
        live.sort(Comparator.comparing((ProcessImpl p) -> p.pid).reversed());
        for (ProcessImpl p : live) {
            p.exitSignal(systemPid, Reason.SHUTDOWN);
        }
        awaitUntil(() -> liveCount.sum() == 0, System.nanoTime() + timeout);
        for (ProcessImpl p : new ArrayList<>(processes.values())) {
            p.exitSignal(systemPid, Reason.KILL);
        }
        awaitUntil(processes::isEmpty, System.nanoTime() + Math.max(timeout, TimeUnit.SECONDS.toNanos(1)));
        timers.close();
        if (scheduler != null) {
            scheduler.close(TimeUnit.SECONDS.toNanos(5));
        }
        if (!processes.isEmpty()) {
            LOG.log(System.Logger.Level.WARNING, () -> "node " + name + " closed with " + processes.size()
                    + " process threads still running (see Node.lingering()): " + lingering());
        }
        closeLock.lock();
        try {
            runState = CLOSED;
            changed.signalAll();
        } finally {
            closeLock.unlock();
        }
    }

    private void awaitUntil(java.util.function.BooleanSupplier done, long deadline) {
        closeLock.lock();
        try {
            while (!done.getAsBoolean()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return;
                }
                changed.awaitNanos(Math.min(left, TimeUnit.MILLISECONDS.toNanos(100)));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            closeLock.unlock();
        }
    }

    @Override
    public String toString() {
        return "Node[" + name + ", " + liveCount.sum() + " processes" + (isClosed() ? ", closed" : "") + "]";
    }

    /**
     * A process that has exited while its thread is still running.
     *
     * @param pid         the process
     * @param reason      the reason it exited with
     * @param threadState its thread's state: {@code RUNNABLE} means it is computing without
     *                    calling the runtime
     * @param stack       where its thread is
     */
    public record Lingering(Pid pid, Reason reason, Thread.State threadState, List<StackTraceElement> stack) {
        public Lingering {
            Objects.requireNonNull(pid, "pid");
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(threadState, "threadState");
            stack = List.copyOf(stack);
        }
    }

    /** {@return {@code d} in nanoseconds, saturated; negative durations are rejected} */
    static long toNanos(Duration d, String what) {
        Objects.requireNonNull(d, what);
        if (d.isNegative()) {
            throw new IllegalArgumentException(what + " must not be negative, was " + d);
        }
        try {
            return d.toNanos();
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }
}
