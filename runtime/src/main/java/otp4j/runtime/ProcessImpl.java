package otp4j.runtime;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

import otp4j.runtime.internal.CarrierScheduler;
import otp4j.runtime.internal.ExitHooks;
import otp4j.runtime.internal.Introspection;
import otp4j.runtime.internal.Mailbox;
import otp4j.runtime.internal.ProcessEvents;
import otp4j.runtime.internal.SmallSet;
import otp4j.runtime.internal.TimerService;

/**
 * A process: the implementation behind a {@link Pid}. Runs as the body of one virtual thread
 * (or is bound to a caller's thread by {@link Node#attach()}). It extends its own mailbox, to
 * spare a send the cache misses of one more object (see {@link Mailbox}).
 */
final class ProcessImpl extends Mailbox implements Runnable {
    /*
     * Overview
     *
     * States: ALIVE -> EXITING -> DEAD, each step once. The transition out of ALIVE happens under
     * the process's lock, on whichever thread wins it: the process returning or throwing, or a
     * thread delivering a fatal exit signal (exit/2, a linked process dying, kill). Whoever wins
     * runs the order of death (die) to the end. A process that died while its thread was still
     * running is a zombie: its thread is interrupted, and every runtime call it makes throws
     * ProcessExit, so it unwinds at its next receive, send or blocking point.
     *
     * The lock guards links, monitors, monitoredBy, timers and the state transition, and is held
     * only for a few collection operations: never while calling user code, sending or blocking.
     * A link or monitor takes both processes' locks, lower serial first. Because a process leaves
     * ALIVE under its lock, a link or monitor made under that lock either sees it alive (and the
     * death that follows will find it) or sees it gone (and reports noproc): none is lost.
     *
     * Wake-up: the owner sets parked, re-checks the mailbox, then parks; a sender offers, then
     * reads parked and, if it wins the CAS back to false, unparks. Each side stores one variable
     * and loads the other, so both are volatile (see the internal package's naming rules).
     *
     * Reading guide: fields; lifecycle (run, die); signals (deliver, exit signals); receive and
     * parking; links and monitors; timers; introspection.
     */

    static final int ALIVE = 0;
    static final int EXITING = 1;
    static final int DEAD = 2;

    /**
     * Runtime calls (receives and sends) between yields of the carrier; BEAM gives 4000
     * reductions. Must be a power of two.
     */
    private static final int BUDGET = 2048;

    private static final VarHandle STATE;
    private static final VarHandle PARKED;
    private static final VarHandle STATUS;
    private static final VarHandle RECEIVED;
    private static final VarHandle REDUCTIONS;
    private static final VarHandle NAME;
    private static final VarHandle TRACING;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            STATE = l.findVarHandle(ProcessImpl.class, "state", int.class);
            PARKED = l.findVarHandle(ProcessImpl.class, "parked", boolean.class);
            STATUS = l.findVarHandle(ProcessImpl.class, "status", int.class);
            RECEIVED = l.findVarHandle(ProcessImpl.class, "received", long.class);
            REDUCTIONS = l.findVarHandle(ProcessImpl.class, "reductions", long.class);
            NAME = l.findVarHandle(ProcessImpl.class, "registeredName", String.class);
            TRACING = l.findVarHandle(ProcessImpl.class, "tracing", Tracing.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private static final System.Logger LOG = System.getLogger("otp4j.runtime");
    /** ProcessStatus.values() copies the array on every call; status() is called per process by walks. */
    private static final ProcessStatus[] STATUSES = ProcessStatus.values();
    /** The matcher of a plain receive: takes the oldest message without a scan. */
    static final Matcher<Object> ANY = Matcher.any();

    final Node node;
    final Pid pid;
    /** The process's code; null for an attached thread. */
    private final Runnable body;
    private final long spawnedAtMillis = System.currentTimeMillis();
    /** Set before the thread starts; Thread.start publishes it. */
    Thread thread;

    private final ReentrantLock lock = new ReentrantLock();
    // Guarded by lock; allocated on first use.
    private SmallSet<ProcessImpl> links;
    private SmallSet<Monitor> monitors;
    private SmallSet<Monitor> monitoredBy;
    private SmallSet<SendTimer> timers;
    private SmallSet<ExitHooks.Hook> exitHooks;
    /** Written under lock before state leaves ALIVE; read after an acquire of state. */
    private Reason exitReason;

    @SuppressWarnings("unused") // accessed through STATE
    private int state;
    @SuppressWarnings("unused") // accessed through PARKED
    private boolean parked;
    @SuppressWarnings("unused") // accessed through STATUS
    private int status;
    @SuppressWarnings("unused") // accessed through RECEIVED
    private long received;
    @SuppressWarnings("unused") // accessed through REDUCTIONS
    private long reductions;
    @SuppressWarnings("unused") // accessed through NAME
    private String registeredName;
    private volatile boolean trapExit;
    /**
     * Who traces this process, or null (Proc.trace). Set from any thread and read on every send
     * by and delivery to this process, hence volatile: on x86 a plain load. Cleared when the
     * tracer is found dead and when this process ends, so it never keeps a tracer alive.
     */
    private volatile Tracing tracing;
    /**
     * Erlang's group leader: inherited from the spawning process (set before the thread starts),
     * changed by any process later, hence volatile. A pid, not the process, so that a dead
     * leader is not kept. Null means the process leads itself, as one spawned from outside any
     * process does.
     */
    volatile Pid groupLeader;

    // Owner only.
    private HashMap<Object, Object> dictionary;

    ProcessImpl(Node node, long serial, Runnable body) {
        this.node = node;
        this.body = body;
        this.pid = new Pid(node, serial, this);
    }

    // ------------------------------------------------------------------ lifecycle

    /**
     * {@return the process bound to the calling thread, or null}. A process records itself on
     * its carrier each time the runtime resumes it, so the common case reads the carrier's
     * record (fields already in cache) instead of the thread-local map (several cache misses on
     * a process that has not run for a while). The record is checked against the thread, since a
     * process that blocked outside the runtime may have been resumed on another carrier.
     */
    static ProcessImpl current() {
        if (CarrierScheduler.currentOwner() instanceof ProcessImpl p && p.thread == Thread.currentThread()) {
            return p;
        }
        ProcessImpl p = Node.CURRENT.get();
        if (p != null) {
            p.markCarrier();
        }
        return p;
    }

    /** The virtual thread's body. */
    @Override
    public void run() {
        Node.CURRENT.set(this);
        markCarrier();
        Reason reason;
        Throwable crash = null;
        try {
            checkAlive(); // killed (through a link) between spawn and start
            body.run();
            reason = Reason.NORMAL;
        } catch (ProcessExit e) {
            reason = e.reason();
        } catch (Throwable e) {
            reason = Reason.crash(e);
            crash = e;
        }
        try {
            if (crash != null && isAlive()) {
                crashReport(crash); // before the DOWN, so whoever sees the DOWN can find the report
            }
            terminate(this, reason);
        } finally {
            Node.CURRENT.remove();
            node.threadEnded(this);
        }
    }

    /** As Erlang's "Error in process ~p with exit value: ~p" for an uncaught error or throw (PROC-053). */
    private void crashReport(Throwable e) {
        ProcessEvents.Crash event = new ProcessEvents.Crash();
        if (event.isEnabled()) {
            event.node = node.name();
            event.pid = pid.toString();
            event.exception = e.getClass().getName();
            event.message = e.getMessage();
            event.commit();
        }
        LOG.log(System.Logger.Level.ERROR,
                () -> "Error in process " + pid + " on node " + node.name() + " with exit value: " + e, e);
    }

    /**
     * Makes {@code first} exit with {@code reason}, and every process that dies with it through
     * links; returns whether {@code first} died by this call (false if it was already exiting).
     * Runs on the calling thread: the signals are delivered when it returns.
     */
    static boolean terminate(ProcessImpl first, Reason reason) {
        // Most deaths take nobody with them: the cascade is allocated by the first that does.
        Cascade cascade = new Cascade();
        boolean died = first.die(reason, cascade);
        ArrayDeque<Object> work = cascade.work;
        while (work != null && !work.isEmpty()) {
            ProcessImpl p = (ProcessImpl) work.poll();
            Doom d = (Doom) work.poll();
            p.finishDeath(d, cascade);
        }
        return died;
    }

    /**
     * Processes that must die with the one dying: pairs of a process already out of ALIVE and
     * what it held then.
     */
    private static final class Cascade {
        ArrayDeque<Object> work;

        void add(ProcessImpl p, Doom d) {
            if (work == null) {
                work = new ArrayDeque<>();
            }
            work.add(p);
            work.add(d);
        }
    }

    /** What a process held as it left ALIVE; the rest of its death works through it. */
    private record Doom(Reason reason, SmallSet<ProcessImpl> links, SmallSet<Monitor> monitors,
                        SmallSet<Monitor> watchers, SmallSet<SendTimer> timers, SmallSet<ExitHooks.Hook> hooks) {
    }

    /*
     * Order of death. Runs once, on whichever thread takes the process out of ALIVE.
     *  1. Release the registered name.  A supervisor restarting us on our EXIT re-registers the
     *                                   same name at once, so it must already be free (PROC-033).
     *  1b. Run exit hooks (ExitHooks):  Same reason: whoever sees our EXIT or DOWN must find our
     *     ETS tables deleted or given   tables gone and their names free (ETS-015), or in the
     *     to their heir.                heir's hands with its ETS-TRANSFER queued (ETS-016).
     *  2. Cancel timers aimed at us     (PROC-043).
     *  3. Exit signals to links, then   Only after our last message has been queued: what we sent
     *     DOWN to monitors; drop the    before dying arrives before our EXIT or DOWN (EXIT-038,
     *     monitors we hold.             039). A non-trapping partner dies too unless the reason
     *                                   is normal (EXIT-015, 016); trapping ones get an Exit.
     *  4. Mark DEAD, forget the pid.    isAlive and the process count drop when the process
     *                                   leaves ALIVE, before any notification; DEAD means every
     *                                   notification has been queued.
     *  5. Interrupt the thread if it    So a zombie unwinds at its next blocking point. An
     *     is not the current one.       attached thread belongs to its caller: it is only
     *                                   unparked, which ends a receive.
     * Partners that must die are pushed on cascade instead of recursing, so a chain of 100,000
     * linked processes does not overflow the stack. They leave ALIVE at once, though, under their
     * lock as the exit signal reaches them: our DOWNs, sent next, must not find one of them still
     * taking messages. Signals between two processes arrive in order, so in Erlang a process that
     * both links and monitors a crashing one dies of the link before it can read the DOWN.
     */
    private boolean die(Reason reason, Cascade cascade) {
        Doom d;
        lock.lock();
        try {
            d = leaveAliveLocked(reason);
        } finally {
            lock.unlock();
        }
        if (d == null) {
            return false;
        }
        finishDeath(d, cascade);
        return true;
    }

    /** Takes the process out of ALIVE with {@code reason}; null if it had left already. Holds lock. */
    private Doom leaveAliveLocked(Reason reason) {
        if (getStatePlain() != ALIVE) {
            return null;
        }
        exitReason = reason;
        setStateRelease(EXITING);
        node.processExiting(this);
        Doom d = new Doom(reason, links, monitors, monitoredBy, timers, exitHooks);
        exitHooks = null;
        links = null;
        monitors = null;
        monitoredBy = null;
        timers = null;
        return d;
    }

    /** Steps 1 to 5 of the order of death, for a process that has left ALIVE. */
    private void finishDeath(Doom d, Cascade cascade) {
        Reason reason = d.reason();
        SmallSet<ProcessImpl> myLinks = d.links();
        SmallSet<Monitor> myMonitors = d.monitors();
        SmallSet<Monitor> myWatchers = d.watchers();
        SmallSet<SendTimer> myTimers = d.timers();
        SmallSet<ExitHooks.Hook> myHooks = d.hooks();
        setStatusOpaque(ProcessStatus.EXITING.ordinal());
        ProcessEvents.Exit event = new ProcessEvents.Exit();
        if (event.isEnabled()) {
            event.node = node.name();
            event.pid = pid.toString();
            event.reason = reason.toString();
            event.commit();
        }

        node.releaseName(this);                                               // 1

        if (myHooks != null) {                                                // 1b
            myHooks.forEach(this::runExitHook);
        }

        if (myTimers != null) {                                               // 2
            myTimers.forEach(t -> {
                if (t.cancel()) {
                    t.ref.casAttachment(t, null);
                }
            });
        }

        if (myLinks != null) {                                                // 3
            myLinks.forEach(q -> {
                boolean notify;
                Doom doomed = null;
                q.lock.lock();
                try {
                    // Still linked? q may have unlinked since our snapshot: once unlink returns,
                    // the link has no further effect.
                    boolean linked = q.links != null && q.links.remove(this);
                    notify = linked && q.getStatePlain() == ALIVE && q.trapExit;
                    if (linked && !q.trapExit && !(reason instanceof Reason.Normal)) {
                        doomed = q.leaveAliveLocked(reason);
                    }
                } finally {
                    q.lock.unlock();
                }
                if (notify) {
                    q.deliver(new Exit(pid, reason));
                } else if (doomed != null) {
                    cascade.add(q, doomed);
                }
            });
        }
        if (myWatchers != null) {
            myWatchers.forEach(m -> {
                if (m.fire()) {
                    m.watcher.deliver(new Down(m.ref, m.item, reason));
                    m.markDelivered();
                    m.ref.casAttachment(m, null); // only now: a demonitor may be waiting for the DOWN
                }
            });
        }
        if (myMonitors != null) {
            myMonitors.forEach(m -> {
                if (m.cancel()) {
                    m.ref.casAttachment(m, null);
                }
            });
        }

        setStateRelease(DEAD);                                                // 4
        pid.setProcOpaque(null);
        node.processDead(this);

        Thread t = thread;                                                    // 5
        if (t != null && t != Thread.currentThread()) {
            if (body == null) {
                LockSupport.unpark(t); // an attached thread is the caller's: wake its receive only
            } else {
                t.interrupt();
            }
        }
    }

    private void runExitHook(ExitHooks.Hook hook) {
        try {
            hook.exited(pid);
        } catch (RuntimeException | Error e) {
            LOG.log(System.Logger.Level.ERROR, () -> "exit hook " + hook + " failed for " + pid, e);
        }
    }

    /** As {@link ExitHooks#add}: false if this process has left ALIVE. */
    boolean addExitHook(ExitHooks.Hook hook) {
        lock.lock();
        try {
            if (getStatePlain() != ALIVE) {
                return false;
            }
            if (exitHooks == null) {
                exitHooks = new SmallSet<>();
            }
            exitHooks.add(hook);
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Called on the process's own thread when it ends, dead or not. */
    void releaseMailbox() {
        tracing = null;
        clear();
    }

    // ------------------------------------------------------------------ state accessors

    private int getStatePlain() {
        return (int) STATE.get(this);
    }

    /** Acquire: seeing a state other than ALIVE makes exitReason visible. */
    int getStateAcquire() {
        return (int) STATE.getAcquire(this);
    }

    private void setStateRelease(int s) {
        STATE.setRelease(this, s);
    }

    boolean isAlive() {
        return getStateAcquire() == ALIVE;
    }

    /** {@return the exit reason, once the process is no longer alive} */
    Reason exitReason() {
        return getStateAcquire() == ALIVE ? null : exitReason;
    }

    /** Throws {@link ProcessExit} if this process has died: the zombie's way out. */
    void checkAlive() {
        if (getStateAcquire() != ALIVE) {
            throw new ProcessExit(exitReason);
        }
    }

    // Opaque: status is read by introspection only; a stale value is harmless.
    private void setStatusOpaque(int s) {
        STATUS.setOpaque(this, s);
    }

    ProcessStatus status() {
        return STATUSES[(int) STATUS.getOpaque(this)];
    }

    String registeredName() {
        // Opaque: set and cleared under the node's name lock; readers tolerate a stale name.
        return (String) NAME.getOpaque(this);
    }

    void setRegisteredNameOpaque(String name) {
        NAME.setOpaque(this, name);
    }

    boolean trapExit() {
        return trapExit;
    }

    boolean setTrapExit(boolean on) {
        boolean old = trapExit;
        trapExit = on;
        return old;
    }

    // ------------------------------------------------------------------ signals

    /** Queues {@code message} and wakes the process if it waits. Any thread. */
    void deliver(Object message) {
        enqueue(message);
        Tracing t = tracing;
        if (t != null && t.receive()) {
            trace(t, new TraceEvent.Receive(pid, message));
        }
    }

    private void enqueue(Object message) {
        offer(message);
        if (queueLimit != 0) {
            checkQueueLimit();
        }
        wake();
    }

    // ------------------------------------------------------------------ tracing

    /** A trace of this process: where its events go, and which. */
    record Tracing(ProcessImpl tracer, boolean send, boolean receive) {}

    void setTracing(Tracing t) {
        tracing = t;
    }

    /** {@return the tracing of this process, or null} */
    Tracing tracing() {
        Tracing t = tracing;
        return t == null || t.tracer().isAlive() ? t : null;
    }

    boolean tracesSends() {
        Tracing t = tracing;
        return t != null && t.send();
    }

    /** On a send by this process (its own thread): a SEND event if it is traced for sends. */
    void traceSend(Object message, Dest to) {
        Tracing t = tracing;
        if (t != null && t.send()) {
            trace(t, new TraceEvent.Send(pid, message, to));
        }
    }

    /**
     * Gives {@code event} to the tracer, or ends the trace if the tracer has died. The event is
     * queued without being traced itself, as Erlang's trace messages are not: a tracer that is
     * traced, or two processes tracing each other, cannot feed each other events forever.
     */
    private void trace(Tracing t, TraceEvent event) {
        if (t.tracer().isAlive()) {
            t.tracer().enqueue(event);
        } else {
            TRACING.compareAndSet(this, t, null);
        }
    }

    /**
     * The bound of Proc.setMessageQueueLimit, 0 for none. Volatile: written by the owner, read by
     * every sender, which on x86 costs a sender a plain load.
     */
    private volatile int queueLimit;

    int setMessageQueueLimit(int limit) {
        int old = queueLimit;
        queueLimit = limit;
        if (limit != 0) {
            checkQueueLimit(); // already over it: as if the last message had just arrived
        }
        return old;
    }

    /** Kills the process if its queue has outgrown its bound. Any thread. */
    private void checkQueueLimit() {
        int limit = queueLimit;
        int queued = messageCount();
        if (limit != 0 && queued > limit && isAlive()) {
            LOG.log(System.Logger.Level.ERROR, () -> "Process " + pid + " on node " + node.name() + " has "
                    + queued + " messages queued, over its limit of " + limit
                    + " (Proc.setMessageQueueLimit): killed");
            exitSignal(pid, Reason.KILL);
        }
    }

    /** Wakes the process if it is parked in receive. Any thread. */
    void wake() {
        if ((boolean) PARKED.getVolatile(this) && PARKED.compareAndSet(this, true, false)) {
            setStatusOpaque(ProcessStatus.RUNNABLE.ordinal());
            LockSupport.unpark(thread);
        }
    }

    /**
     * Delivers exit signal {@code reason} from {@code from} (a process, or the node's system pid)
     * to this process, with Erlang's rules (EXIT-001..009, 041..043). Any thread.
     */
    void exitSignal(Pid from, Reason reason) {
        if (!isAlive()) {
            return;
        }
        if (reason instanceof Reason.Kill) {
            terminate(this, Reason.KILLED);
        } else if (trapExit) {
            deliver(new Exit(from, reason));
        } else if (reason instanceof Reason.Normal) {
            if (from == pid) {
                terminate(this, Reason.NORMAL); // exit(self(), normal) ends a non-trapping process
            }
        } else {
            terminate(this, reason);
        }
    }

    // ------------------------------------------------------------------ receive

    /** Counts one unit of work and yields the carrier when the budget is spent. Owner only. */
    void countWork() {
        long r = (long) REDUCTIONS.get(this) + 1;
        // Opaque: only the owner writes; introspection reads a recent count.
        REDUCTIONS.setOpaque(this, r);
        if ((r & (BUDGET - 1)) == 0) {
            if (body != null) {
                node.yieldCarrier();
                markCarrier(); // it may resume on another carrier
                checkAlive();
            }
        }
    }

    /**
     * Receives the oldest message {@code m} accepts (after {@code mark}, if it is this mailbox's
     * current mark), waiting up to {@code timeoutNanos} (negative: forever). Returns null on
     * timeout. Owner only.
     */
    @SuppressWarnings("unchecked") // ANY is a Matcher<Object>: R is Object
    <R> R receive(Matcher<R> m, Object mark, long timeoutNanos) {
        checkAlive();
        countWork();
        R r = m == ANY ? (R) takeFirst() : select(m, mark);
        if (r != null || timeoutNanos == 0) {
            return received(r);
        }
        ReceiveTimer timer = null;
        if (timeoutNanos > 0) {
            timer = new ReceiveTimer(node.timers.now() + timeoutNanos, this);
            node.timers.schedule(timer);
        }
        try {
            for (;;) {
                boolean messages = await(timer);
                r = m == ANY ? (R) takeFirst() : select(m, mark);
                if (r != null || !messages) {
                    return received(r);
                }
            }
        } finally {
            if (timer != null) {
                timer.cancel();
            }
        }
    }

    private <R> R received(R r) {
        if (r != null) {
            RECEIVED.setOpaque(this, (long) RECEIVED.get(this) + 1);
        }
        return r;
    }

    /**
     * Blocks until a message arrives, the timer fires or the process is killed; returns false
     * when the timer fired with no new message. Throws ProcessExit if the process died.
     */
    private boolean await(ReceiveTimer timer) {
        setStatusOpaque(ProcessStatus.WAITING.ordinal());
        PARKED.setVolatile(this, true);
        if (!hasIncoming() && (timer == null || !timer.hasFired())) {
            // The test after park is in its own loop, which only a woken process reaches. A
            // million processes that spawn and park before any is woken must not teach the JIT
            // that a parked process never wakes: each frame compiled that way would deoptimize on
            // its own when its process is woken, at several microseconds per process.
            do {
                LockSupport.park(); // no blocker object: it costs two stores per receive
            } while (stillWaiting(timer));
        }
        // Usually a sender has already cleared parked (and unparked us); clear it ourselves only
        // after a timeout, a kill or a message found before parking, so that no later sender
        // pays for a needless unpark. A stale true read here just costs one volatile store.
        if ((boolean) PARKED.getOpaque(this)) {
            PARKED.setVolatile(this, false);
        }
        setStatusOpaque(ProcessStatus.RUNNING.ordinal());
        markCarrier();
        checkAlive();
        return timer == null || !timer.hasFired() || hasIncoming();
    }

    /** After a wake-up: whether to park again (a spurious wake-up, or a user's interrupt). */
    private boolean stillWaiting(ReceiveTimer timer) {
        if (!(boolean) PARKED.getVolatile(this) || getStateAcquire() != ALIVE
                || (timer != null && timer.hasFired())) {
            return false;
        }
        // Not killed: an interrupt from user code does not end a receive (see Proc).
        Thread.interrupted();
        return true;
    }

    private void markCarrier() {
        CarrierScheduler s = node.scheduler;
        if (s != null && body != null) {
            s.setCurrent(this);
        }
    }

    /** A receive timeout: wakes the process when due. */
    private static final class ReceiveTimer extends TimerService.Timer {
        private final ProcessImpl process;

        ReceiveTimer(long deadline, ProcessImpl process) {
            super(deadline);
            this.process = process;
        }

        @Override
        protected void fire() {
            process.wake();
        }
    }

    // ------------------------------------------------------------------ links and monitors

    private static void lockBoth(ProcessImpl a, ProcessImpl b) {
        if (a == b) {
            a.lock.lock();
        } else if (a.pid.serial() < b.pid.serial()) {
            a.lock.lock();
            b.lock.lock();
        } else {
            b.lock.lock();
            a.lock.lock();
        }
    }

    private static void unlockBoth(ProcessImpl a, ProcessImpl b) {
        a.lock.unlock();
        if (a != b) {
            b.lock.unlock();
        }
    }

    /**
     * Waits until this process, which has left ALIVE, has queued every notification of its death.
     * A noproc answer about it must not overtake what it sent while dying: its EXIT to a linked
     * process, its messages (EXIT-022, EXIT-038). Dying never blocks for long, and never on the
     * caller, so a short spin then yield suffices.
     */
    private void awaitDeathNotified() {
        for (int spins = 0; getStateAcquire() != DEAD; spins++) {
            if (spins < 128) {
                Thread.onSpinWait();
            } else {
                Thread.yield();
            }
        }
    }

    /**
     * Links this process and {@code other} (null: a process that has exited). Returns false if
     * {@code other} is not alive; nothing is linked then.
     */
    boolean link(ProcessImpl other) {
        if (other == this) {
            return true; // link(self()) makes no link (EXIT-025)
        }
        if (other == null) {
            return false;
        }
        boolean alive;
        lockBoth(this, other);
        try {
            if (getStatePlain() != ALIVE) {
                throw new ProcessExit(exitReason);
            }
            alive = other.getStatePlain() == ALIVE;
            if (alive) {
                if (links == null) {
                    links = new SmallSet<>();
                }
                if (other.links == null) {
                    other.links = new SmallSet<>();
                }
                links.add(other);
                other.links.add(this);
            }
        } finally {
            unlockBoth(this, other);
        }
        if (!alive) {
            other.awaitDeathNotified();
        }
        return alive;
    }


    /** Removes the link with {@code other}, in both directions (EXIT-021, 023, 026). */
    void unlink(ProcessImpl other) {
        if (other == null || other == this) {
            return;
        }
        boolean otherAlive;
        lockBoth(this, other);
        try {
            if (links != null) {
                links.remove(other);
            }
            if (other.links != null) {
                other.links.remove(this);
            }
            otherAlive = other.getStatePlain() == ALIVE;
        } finally {
            unlockBoth(this, other);
        }
        if (!otherAlive) {
            // A dying process takes the link out of our set under our lock but queues its EXIT
            // after letting go of it: wait for that EXIT, so none arrives after unlink returns
            // (EXIT-022c). One queued before the return is allowed, as in Erlang.
            other.awaitDeathNotified();
        }
    }

    /**
     * Makes this process monitor {@code target} (null: not alive), tagging the monitor
     * {@code ref}; if the target is not alive, a {@code noproc} DOWN is queued at once
     * (EXIT-030, 036).
     */
    void monitor(Ref ref, ProcessImpl target, Dest item) {
        if (target == this) {
            return; // allowed, never fires (EXIT-048)
        }
        boolean alive = false;
        if (target != null) {
            Monitor m = new Monitor(ref, this, target, item);
            lockBoth(this, target);
            try {
                if (getStatePlain() != ALIVE) {
                    throw new ProcessExit(exitReason);
                }
                if (target.getStatePlain() == ALIVE) {
                    alive = true;
                    monitors = addMonitor(monitors, m);
                    target.monitoredBy = addMonitor(target.monitoredBy, m);
                    ref.setAttachmentRelease(m);
                }
            } finally {
                unlockBoth(this, target);
            }
        }
        if (!alive) {
            if (target != null) {
                target.awaitDeathNotified();
            }
            deliver(new Down(ref, item, Reason.NOPROC));
        }
    }

    /**
     * Adds {@code m} to {@code set} (allocating it on first use), first dropping the monitors that
     * have fired or been cancelled when the set is full or has doubled since the last sweep: the
     * other side of a monitor leaves its entry here when it ends the monitor (see {@link Monitor}),
     * and this bounds what such entries cost at twice the live ones, in amortised constant time.
     * The first sweep comes when the array is full, before it turns into a hash set: a supervisor
     * whose new children die before it has demonitored them (its start protocol) collects one
     * stale entry per restart, and would otherwise hash every later monitor.
     */
    private static SmallSet<Monitor> addMonitor(SmallSet<Monitor> set, Monitor m) {
        if (set == null) {
            set = new SmallSet<>();
        } else if (set.size() >= SmallSet.SMALL && Integer.bitCount(set.size()) == 1) {
            set.removeIf(x -> !x.isActive());
        }
        set.add(m);
        return set;
    }

    /**
     * Turns off the monitor {@code ref}; returns whether it was active. If it had fired, waits
     * until its DOWN is in the mailbox, so that a flush that follows finds it.
     */
    boolean demonitor(Ref ref) {
        if (!(ref.getAttachmentAcquire() instanceof Monitor m) || m.watcher != this) {
            return false;
        }
        if (!m.cancel()) {
            if (m.isFired()) {
                m.awaitDelivered();
            }
            return false;
        }
        ref.casAttachment(m, null);
        lock.lock();
        try {
            if (monitors != null) {
                monitors.remove(m);
            }
        } finally {
            lock.unlock();
        }
        return true;
    }

    // ------------------------------------------------------------------ timers

    /** Arms {@code t}, aimed at this process; returns false (and arms nothing) if it is not alive. */
    boolean addTimer(SendTimer t) {
        lock.lock();
        try {
            if (getStatePlain() != ALIVE) {
                return false;
            }
            if (timers == null) {
                timers = new SmallSet<>();
            }
            timers.add(t);
        } finally {
            lock.unlock();
        }
        return true;
    }

    void forgetTimer(SendTimer t) {
        lock.lock();
        try {
            if (timers != null) {
                timers.remove(t);
            }
        } finally {
            lock.unlock();
        }
    }

    // ------------------------------------------------------------------ dictionary (owner only)

    Optional<Object> put(Object key, Object value) {
        if (dictionary == null) {
            dictionary = new HashMap<>();
        }
        return Optional.ofNullable(dictionary.put(key, value));
    }

    Optional<Object> get(Object key) {
        return dictionary == null ? Optional.empty() : Optional.ofNullable(dictionary.get(key));
    }

    Optional<Object> erase(Object key) {
        return dictionary == null ? Optional.empty() : Optional.ofNullable(dictionary.remove(key));
    }

    Map<Object, Object> dictionary() {
        return dictionary == null ? Map.of() : Map.copyOf(dictionary);
    }

    // ------------------------------------------------------------------ introspection

    /** {@return the first {@code limit} queued messages, or null if the process is not alive} */
    List<Object> peekMessages(int limit) {
        if (!isAlive()) {
            return null;
        }
        List<Object> messages = List.copyOf(peek(limit));
        return isAlive() ? messages : null;
    }

    /** {@return a snapshot for {@link Proc#info(Pid)}, or null if the process is not alive} */
    ProcessInfo info() {
        List<Pid> linkList = new ArrayList<>();
        List<Dest> monitorList = new ArrayList<>();
        List<Pid> watcherList = new ArrayList<>();
        lock.lock();
        try {
            if (getStatePlain() != ALIVE) {
                return null;
            }
            if (links != null) {
                links.forEach(p -> linkList.add(p.pid));
            }
            if (monitors != null) {
                monitors.forEach(m -> {
                    if (m.isActive()) {
                        monitorList.add(m.item);
                    }
                });
            }
            if (monitoredBy != null) {
                monitoredBy.forEach(m -> {
                    if (m.isActive()) {
                        watcherList.add(m.watcher.pid);
                    }
                });
            }
        } finally {
            lock.unlock();
        }
        long runaway = node.scheduler == null ? 0 : node.scheduler.runawayNanos(this);
        int queued = messageCount();
        return new ProcessInfo(pid, Optional.ofNullable(registeredName()), status(), queued,
                List.copyOf(linkList), List.copyOf(monitorList), List.copyOf(watcherList), trapExit, groupLeader(),
                getReceivedOpaque(), getReductionsOpaque(),
                ProcessInfo.BASE_MEMORY + (long) queued * ProcessInfo.BYTES_PER_MESSAGE, initialCall(),
                Instant.ofEpochMilli(spawnedAtMillis),
                runaway == 0 ? Optional.empty() : Optional.of(java.time.Duration.ofNanos(runaway)));
    }

    // Opaque: counters the owner bumps; introspection reads them a moment old.
    long getReductionsOpaque() {
        return (long) REDUCTIONS.getOpaque(this);
    }

    long getReceivedOpaque() {
        return (long) RECEIVED.getOpaque(this);
    }

    /** {@return the callback class of the behaviour the process runs, or null for a plain process} */
    Class<?> behaviour() {
        return body instanceof Introspection.Behaviour b ? b.callbackClass() : null;
    }

    /** {@return the group leader's pid: the process's own when it has none} */
    Pid groupLeader() {
        Pid g = groupLeader;
        return g == null ? pid : g;
    }

    /** {@return a readable name for the code the process started with} */
    String initialCall() {
        if (body == null) {
            return "attached:" + (thread == null ? "?" : thread.getName());
        }
        String n = body.getClass().getName();
        int lambda = n.indexOf("$$Lambda");
        return lambda >= 0 ? n.substring(0, lambda) + "::lambda" : n;
    }

    boolean isAttached() {
        return body == null;
    }

    /** Cross-checks this process's links and monitors; appends what is wrong to {@code out}. */
    void checkInvariants(List<String> out) {
        List<ProcessImpl> ls;
        List<Monitor> ms;
        List<Monitor> ws;
        lock.lock();
        try {
            if (getStatePlain() != ALIVE) {
                return;
            }
            ls = links == null ? List.of() : links.toList();
            ms = monitors == null ? List.of() : monitors.toList();
            ws = monitoredBy == null ? List.of() : monitoredBy.toList();
        } finally {
            lock.unlock();
        }
        for (ProcessImpl q : ls) {
            q.lock.lock();
            try {
                if (q.getStatePlain() == ALIVE && (q.links == null || !q.links.contains(this))) {
                    out.add(pid + " links to " + q.pid + " but not the other way round");
                }
            } finally {
                q.lock.unlock();
            }
            if (q.getStateAcquire() == DEAD) {
                out.add(pid + " still links to dead " + q.pid);
            }
        }
        for (Monitor m : ms) {
            if (m.isActive() && m.target.getStateAcquire() == DEAD) {
                out.add(pid + " still monitors dead " + m.target.pid);
            }
        }
        for (Monitor m : ws) {
            if (m.isActive() && m.watcher.getStateAcquire() == DEAD) {
                out.add(pid + " is still monitored by dead " + m.watcher.pid);
            }
        }
    }
}
