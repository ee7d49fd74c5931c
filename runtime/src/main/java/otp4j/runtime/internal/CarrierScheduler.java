package otp4j.runtime.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import org.jctools.queues.atomic.MpmcAtomicArrayQueue;

/**
 * The scheduler that runs a node's virtual threads: a fixed set of platform carrier threads,
 * each with its own run queue, built for message hand-offs.
 *
 * <p>The JDK's scheduler wakes an idle carrier for every unparked virtual thread, so each hop of
 * a message between two processes crosses cores. Here a process woken by a message runs next on
 * the sender's carrier, as soon as the sender blocks, like BEAM's and Go's schedulers do.
 */
public final class CarrierScheduler implements Executor, AutoCloseable {
    /*
     * Overview
     *
     * Each carrier (Worker) owns a one-slot "next" and a bounded local queue; a global queue
     * takes submissions from threads that are not carriers and overflow. Where a task goes:
     *   - a virtual thread unparked from code running on a carrier (a send to a waiting
     *     process) goes to that carrier's next slot; the task it displaces goes to the local
     *     queue. The receiver runs as soon as the sender blocks: no cross-core hop, no wake-up.
     *   - a new process (markSpawn) and a process that yields (markYield) go to the tail of the
     *     local queue.
     *   An idle carrier is woken to steal from a local queue only once it holds two tasks or
     *   more (signalBacklog), or by the monitor when the carrier owning the queue stays busy.
     *   - anything else (timer thread, foreign threads) goes to the global queue.
     * A carrier takes: every 61st task from the global queue (so it is never starved); else next
     * (but after NEXT_CHAIN consecutive next-slot tasks, the local queue first, so a ping-pong
     * pair cannot starve the rest); else local, global, stealing from other carriers; then it
     * spins briefly, and parks.
     *
     * Waking: only when no carrier is already searching for work, one parked carrier is woken.
     * A parking carrier raises idleCount and then re-checks the queues; a submitter offers and
     * then reads idleCount. Both are volatile (Dekker), so no wake-up is lost.
     *
     * The monitor thread checks every millisecond, while any carrier is busy, whether a carrier
     * has been running the same task since the last check. If so, its next slot is moved to the
     * global queue for an idle carrier to take (a sender that computes for a long time after a
     * send must not hold its receiver hostage), or, if its local queue holds a task, an idle
     * carrier is woken to steal it; and after RUNAWAY_NANOS the task is reported as a
     * runaway: virtual threads are not preempted, so a process that never blocks keeps its
     * carrier (see runawayNanos).
     *
     * Reading guide: Worker (fields, loop), submission (execute, markSpawn, markYield), waking,
     * monitor, introspection.
     */

    private static final int LOCAL_CAPACITY = 256;
    private static final int NEXT_CHAIN = 64;
    private static final int GLOBAL_EVERY = 61;
    private static final int SPINS = 1 << 12;
    private static final long MONITOR_PERIOD_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    /** A task running longer than this without blocking is reported as a runaway. */
    public static final long RUNAWAY_NANOS = TimeUnit.MILLISECONDS.toNanos(500);

    private static final VarHandle NEXT;
    private static final VarHandle STATE;
    private static final VarHandle CURRENT;
    private static final VarHandle TICKS;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            NEXT = l.findVarHandle(Worker.class, "next", Runnable.class);
            STATE = l.findVarHandle(Worker.class, "state", int.class);
            CURRENT = l.findVarHandle(Worker.class, "current", Object.class);
            TICKS = l.findVarHandle(Worker.class, "ticks", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private static final int RUNNING = 0;
    private static final int PARKED = 1;
    private static final int WOKEN = 2;

    /** A carrier thread. */
    final class Worker extends Thread {
        private final int id;
        private final MpmcAtomicArrayQueue<Runnable> local = new MpmcAtomicArrayQueue<>(LOCAL_CAPACITY);
        /** The task to run next; taken with getAndSet by the owner, or by the monitor. */
        @SuppressWarnings("unused") // accessed through NEXT
        private volatile Runnable next;
        @SuppressWarnings("unused") // accessed through STATE
        private volatile int state;
        /** Tasks started; written by the owner, read by the monitor. */
        @SuppressWarnings("unused") // accessed through TICKS
        private long ticks;
        /** The process the running task belongs to, as set by the process itself. */
        @SuppressWarnings("unused") // accessed through CURRENT
        private Object current;
        // Owner only.
        private int nextChain;
        private int globalCountdown = GLOBAL_EVERY;
        private boolean spawnPending;
        private boolean yieldPending;
        // Monitor only, except stuckSince, which introspection reads (opaque).
        private long seenTicks;
        private volatile long stuckSince;

        Worker(String name, int id) {
            super(name);
            this.id = id;
            setDaemon(true);
        }

        CarrierScheduler owner() {
            return CarrierScheduler.this;
        }

        @Override
        public void run() {
            for (;;) {
                Runnable task = findWork();
                if (task == null) {
                    return; // closed and drained
                }
                // Opaque: only the monitor reads ticks, and a stale value just delays its check.
                TICKS.setOpaque(this, (long) TICKS.get(this) + 1);
                try {
                    task.run();
                } catch (Throwable e) {
                    LOG.log(System.Logger.Level.ERROR, "carrier task failed", e);
                }
                CURRENT.setOpaque(this, null);
            }
        }

        private Runnable findWork() {
            for (;;) {
                Runnable r;
                if (--globalCountdown <= 0) {
                    globalCountdown = GLOBAL_EVERY;
                    if ((r = global.poll()) != null) {
                        return r;
                    }
                }
                r = (Runnable) NEXT.getAndSet(this, null);
                if (r != null) {
                    if (++nextChain < NEXT_CHAIN || local.isEmpty()) {
                        return r;
                    }
                    pushLocal(this, r);
                }
                nextChain = 0;
                if ((r = local.poll()) != null || (r = global.poll()) != null || (r = steal()) != null) {
                    return r;
                }
                r = spin();
                if (r != null) {
                    return r;
                }
                if (closed && allQueuesEmpty()) {
                    return null;
                }
                park();
            }
        }

        private Runnable steal() {
            Worker[] ws = workers;
            int n = ws.length;
            for (int i = 1; i < n; i++) {
                Runnable r = ws[(id + i) % n].local.poll();
                if (r != null) {
                    return r;
                }
            }
            return null;
        }

        private Runnable spin() {
            searching.incrementAndGet();
            try {
                for (int i = 0; i < SPINS; i++) {
                    Thread.onSpinWait();
                    if ((i & 63) == 63) {
                        Runnable r;
                        if ((r = (Runnable) NEXT.getAndSet(this, null)) != null || (r = local.poll()) != null
                                || (r = global.poll()) != null || (r = steal()) != null) {
                            return r;
                        }
                        if (closed) {
                            return null;
                        }
                    }
                }
            } finally {
                searching.decrementAndGet();
            }
            return null;
        }

        private void park() {
            STATE.setVolatile(this, PARKED);
            idleCount.incrementAndGet();
            if (hasWork() || closed) {
                if (STATE.compareAndSet(this, PARKED, RUNNING)) {
                    idleCount.decrementAndGet();
                }
                return;
            }
            while ((int) STATE.getVolatile(this) == PARKED && !closed) {
                LockSupport.park(this);
            }
            if (STATE.compareAndSet(this, PARKED, RUNNING)) {
                idleCount.decrementAndGet(); // closed: nobody woke us
            } else {
                STATE.setVolatile(this, RUNNING); // WOKEN by signalWork, which counted us out
            }
        }

        private boolean hasWork() {
            if (NEXT.getVolatile(this) != null || !local.isEmpty() || !global.isEmpty()) {
                return true;
            }
            for (Worker w : workers) {
                if (!w.local.isEmpty()) {
                    return true;
                }
            }
            return false;
        }
    }

    private static final System.Logger LOG = System.getLogger("otp4j.runtime");

    private final Worker[] workers;
    private final ConcurrentLinkedQueue<Runnable> global = new ConcurrentLinkedQueue<>();
    private final AtomicInteger idleCount = new AtomicInteger();
    private final AtomicInteger searching = new AtomicInteger();
    private final Thread monitor;
    private volatile boolean closed;

    /**
     * Starts {@code carriers} carrier threads and the monitor.
     *
     * @param name     prefix of the threads' names
     * @param carriers number of carrier threads, at least 1
     */
    public CarrierScheduler(String name, int carriers) {
        if (carriers < 1) {
            throw new IllegalArgumentException("carriers must be >= 1, was " + carriers);
        }
        workers = new Worker[carriers];
        for (int i = 0; i < carriers; i++) {
            workers[i] = new Worker(name + "-carrier-" + i, i);
        }
        for (Worker w : workers) {
            w.start();
        }
        monitor = Thread.ofPlatform().name(name + "-monitor").daemon().unstarted(this::monitorLoop);
        monitor.start();
    }

    // ---------------------------------------------------------------- submission

    /** Called by the JDK to run or resume a virtual thread; never rejects. */
    @Override
    public void execute(Runnable task) {
        Worker w = currentWorker();
        if (w != null) {
            if (w.spawnPending || w.yieldPending) {
                w.spawnPending = false;
                w.yieldPending = false;
                pushLocal(w, task);
                signalBacklog(w);
                return;
            }
            // Only this carrier fills its next slot; others (the monitor) only empty it, by CAS.
            // So an empty slot can be filled with a release store, without the full fence of an
            // exchange that a message hand-off would otherwise pay.
            Runnable displaced = (Runnable) NEXT.getAcquire(w);
            if (displaced == null) {
                NEXT.setRelease(w, task);
                return;
            }
            displaced = (Runnable) NEXT.getAndSet(w, task);
            if (displaced != null) {
                pushLocal(w, displaced);
                signalBacklog(w);
            }
            return;
        }
        if (closed) {
            // A virtual thread woken after close (a zombie unparked late) still needs a carrier.
            Thread.ofPlatform().daemon().name("otp4j-late-carrier").start(task);
            return;
        }
        global.offer(task);
        signalWork();
    }

    /**
     * Declares that the next task the current carrier submits is a new process, which goes to
     * the tail of the local queue instead of the next slot. No effect off a carrier.
     */
    public void markSpawn() {
        Worker w = currentWorker();
        if (w != null) {
            w.spawnPending = true;
        }
    }

    /** Clears {@link #markSpawn()} if the submission did not happen. */
    public void clearSpawnMark() {
        Worker w = currentWorker();
        if (w != null) {
            w.spawnPending = false;
        }
    }

    /**
     * Yields the current virtual thread to the back of its carrier's queue, so that the other
     * processes on that carrier run first. Off a carrier, this is {@link Thread#yield()}.
     */
    public void yieldToTail() {
        Worker w = currentWorker();
        if (w != null) {
            if (NEXT.getVolatile(w) == null && w.local.isEmpty() && global.isEmpty()) {
                return; // nobody to yield to
            }
            w.yieldPending = true;
        }
        Thread.yield();
        if (w != null && currentWorker() == w) {
            // Still on the same carrier: either the JDK resubmitted us there (execute() has
            // already cleared the flag) or the yield failed (pinned): clear it for the latter.
            // Resumed elsewhere, w's flags are not ours to touch.
            w.yieldPending = false;
        }
    }

    /** {@return whether the current carrier has nothing else to run: spinning costs nobody} */
    public boolean carrierIsIdle() {
        Worker w = currentWorker();
        return w != null && NEXT.getVolatile(w) == null && w.local.isEmpty() && global.isEmpty();
    }

    /**
     * {@return what the task running on the current carrier last recorded with
     * {@link #setCurrent(Object)}, or null off a carrier}. The caller must check that it is
     * really its own: a virtual thread that blocked outside the runtime may have been resumed on
     * a carrier where another process recorded itself since.
     */
    public static Object currentOwner() {
        Thread t = Thread.currentThread();
        if (t.isVirtual() && VirtualThreads.carrierOf(t) instanceof Worker w) {
            return CURRENT.getOpaque(w);
        }
        return null;
    }

    /** Records that the current task belongs to {@code owner}, for runaway reports. */
    public void setCurrent(Object owner) {
        Worker w = currentWorker();
        if (w != null) {
            // Opaque: read only by introspection, which tolerates a stale owner.
            CURRENT.setOpaque(w, owner);
        }
    }

    private void pushLocal(Worker w, Runnable task) {
        if (!w.local.offer(task)) {
            global.offer(task);
        }
    }

    private Worker currentWorker() {
        Thread t = Thread.currentThread();
        if (t.isVirtual()) {
            t = VirtualThreads.carrierOf(t);
        }
        return t instanceof Worker w && w.owner() == this ? w : null;
    }

    /**
     * Wakes an idle carrier for {@code w}'s local queue only once it holds a backlog. One task
     * there is usually taken by {@code w} itself as soon as its running process blocks (a
     * supervisor waits for the child it has just spawned; a process that woke two others runs
     * one, then the other): woken for it, another carrier would pull a chain of hand-offs onto
     * a second core, with a wake-up and cold caches at every hop. A spinning carrier still
     * steals the single task, and the monitor wakes one for a carrier that stays busy, so a
     * task never waits on a runaway for more than a monitor period.
     */
    private void signalBacklog(Worker w) {
        if (w.local.size() >= 2) {
            signalWork();
        }
    }

    private void signalWork() {
        if (idleCount.get() == 0 || searching.get() > 0) {
            return;
        }
        for (Worker w : workers) {
            if ((int) STATE.getVolatile(w) == PARKED && STATE.compareAndSet(w, PARKED, WOKEN)) {
                idleCount.decrementAndGet();
                LockSupport.unpark(w);
                return;
            }
        }
    }

    private boolean allQueuesEmpty() {
        if (!global.isEmpty()) {
            return false;
        }
        for (Worker w : workers) {
            if (NEXT.getVolatile(w) != null || !w.local.isEmpty()) {
                return false;
            }
        }
        return true;
    }

    // ---------------------------------------------------------------- monitor

    private void monitorLoop() {
        while (!closed) {
            boolean anyBusy = false;
            long now = System.nanoTime();
            for (Worker w : workers) {
                if ((int) STATE.getVolatile(w) == PARKED) {
                    w.stuckSince = 0;
                    continue;
                }
                anyBusy = true;
                long t = (long) TICKS.getOpaque(w);
                if (t != w.seenTicks) {
                    w.seenTicks = t;
                    w.stuckSince = 0;
                    continue;
                }
                if (w.stuckSince == 0) {
                    w.stuckSince = now;
                }
                Runnable held = (Runnable) NEXT.getVolatile(w);
                if (held != null && NEXT.compareAndSet(w, held, null)) {
                    global.offer(held);
                    signalWork();
                } else if (!w.local.isEmpty()) {
                    signalWork(); // a task behind a busy carrier: another carrier steals it
                }
            }
            if (anyBusy) {
                LockSupport.parkNanos(this, MONITOR_PERIOD_NANOS);
            } else {
                LockSupport.parkNanos(this, MONITOR_PERIOD_NANOS * 20);
            }
        }
    }

    // ---------------------------------------------------------------- introspection

    /**
     * {@return how long {@code owner} has been running without blocking, in nanoseconds, if it
     * is a runaway (longer than {@link #RUNAWAY_NANOS}); 0 otherwise}
     */
    public long runawayNanos(Object owner) {
        long now = System.nanoTime();
        for (Worker w : workers) {
            long since = w.stuckSince;
            if (since != 0 && CURRENT.getOpaque(w) == owner && now - since >= RUNAWAY_NANOS) {
                return now - since;
            }
        }
        return 0;
    }

    /** {@return the number of tasks waiting in run queues, an estimate} */
    public int runQueueLength() {
        int n = global.size();
        for (Worker w : workers) {
            n += w.local.size() + (NEXT.getVolatile(w) != null ? 1 : 0);
        }
        return n;
    }

    /** {@return the number of carrier threads} */
    public int carriers() {
        return workers.length;
    }

    /** {@return the number of this scheduler's threads still running} */
    public int liveThreads() {
        int n = monitor.isAlive() ? 1 : 0;
        for (Worker w : workers) {
            if (w.isAlive()) {
                n++;
            }
        }
        return n;
    }

    /**
     * Stops the carriers once their queues are empty, and the monitor. Virtual threads woken
     * later run on a short-lived platform thread. Waits up to {@code timeoutNanos} for the
     * threads to end.
     */
    public void close(long timeoutNanos) {
        closed = true;
        LockSupport.unpark(monitor);
        for (Worker w : workers) {
            LockSupport.unpark(w);
        }
        long deadline = System.nanoTime() + timeoutNanos;
        boolean interrupted = false;
        for (Thread t : workersAndMonitor()) {
            while (t.isAlive()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                try {
                    t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        close(TimeUnit.SECONDS.toNanos(10));
    }

    private Thread[] workersAndMonitor() {
        Thread[] all = new Thread[workers.length + 1];
        System.arraycopy(workers, 0, all, 0, workers.length);
        all[workers.length] = monitor;
        return all;
    }
}
