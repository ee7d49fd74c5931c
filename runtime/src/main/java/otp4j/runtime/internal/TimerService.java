package otp4j.runtime.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import org.jctools.queues.atomic.unpadded.MpscUnboundedAtomicUnpaddedArrayQueue;

import otp4j.runtime.Ticker;

/**
 * One thread that fires every timer of a node: {@code sendAfter}, receive timeouts and the
 * runtime's own periodic checks. No thread per timer.
 */
public final class TimerService implements AutoCloseable {
    /*
     * Overview
     *
     * Any thread schedules; only the timer thread touches the heap. schedule() offers the timer
     * to an MPSC queue and wakes the timer thread only if the new deadline is earlier than the
     * one it sleeps until (wakeAt), or if many timers are waiting to be drained. Cancelling is a
     * CAS on the timer's state, with no message to the timer thread: a cancelled timer stays in
     * the heap until it reaches the top, or until a purge when cancelled timers outnumber the
     * live ones (a server making a million calls a second with a 5 s timeout cancels nearly all
     * of them).
     *
     * Wake-up: the timer thread publishes wakeAt, then re-checks the queue before parking; a
     * scheduler offers, then reads wakeAt. Each side stores one variable and loads the other, so
     * both are volatile (see the internal package's naming rules).
     *
     * Time comes from a Ticker. A manual ticker jumps; it calls our listener, which wakes the
     * thread to fire what became due.
     */

    /** Timers waiting in the queue that force a drain even when no deadline is near. */
    private static final int DRAIN_BATCH = 4096;
    private static final System.Logger LOG = System.getLogger("otp4j.runtime");

    /** A timer: a deadline and what to do then. */
    public abstract static class Timer {
        private static final int PENDING = 0;
        private static final int FIRED = 1;
        private static final int CANCELLED = 2;
        private static final VarHandle STATE;

        static {
            try {
                STATE = MethodHandles.lookup().findVarHandle(Timer.class, "state", int.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        private final long deadline;
        @SuppressWarnings("unused") // accessed through STATE
        private volatile int state;
        private TimerService service;

        /** @param deadline when to fire, in the node ticker's nanoseconds */
        protected Timer(long deadline) {
            this.deadline = deadline;
        }

        /** Runs on the timer thread when the deadline has passed; must not block. */
        protected abstract void fire();

        /** {@return the deadline, in ticker nanoseconds} */
        public final long deadline() {
            return deadline;
        }

        /** Cancels the timer; returns whether it was still pending (so it will never fire). */
        public final boolean cancel() {
            if (STATE.compareAndSet(this, PENDING, CANCELLED)) {
                TimerService s = service;
                if (s != null) {
                    s.armed.decrementAndGet();
                }
                return true;
            }
            return false;
        }

        /** {@return whether the timer has neither fired nor been cancelled} */
        public final boolean isPending() {
            return state == PENDING;
        }

        /** {@return whether the timer has fired} */
        public final boolean hasFired() {
            return state == FIRED;
        }

        private boolean claimFire() {
            return STATE.compareAndSet(this, PENDING, FIRED);
        }
    }

    private static final VarHandle WAKE_AT;

    static {
        try {
            WAKE_AT = MethodHandles.lookup().findVarHandle(TimerService.class, "wakeAt", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Ticker ticker;
    private final boolean systemTicker;
    private final MpscUnboundedAtomicUnpaddedArrayQueue<Timer> incoming =
            new MpscUnboundedAtomicUnpaddedArrayQueue<>(256);
    private final AtomicLong armed = new AtomicLong();
    private final Thread thread;
    private final Runnable onTick = this::wake;
    @SuppressWarnings("unused") // accessed through WAKE_AT
    private volatile long wakeAt = Long.MAX_VALUE;
    private volatile boolean closed;

    // Timer thread only.
    private Timer[] heap = new Timer[64];
    private int heapSize;

    /**
     * Starts the timer thread.
     *
     * @param name   the thread's name
     * @param ticker the clock deadlines are measured in
     */
    public TimerService(String name, Ticker ticker) {
        this.ticker = ticker;
        this.systemTicker = ticker == Ticker.system();
        ticker.addListener(onTick);
        this.thread = Thread.ofPlatform().name(name).daemon().unstarted(this::loop);
        thread.start();
    }

    /** {@return the ticker's current time} */
    public long now() {
        return ticker.nanoTime();
    }

    /** Arms {@code timer}. Any thread; never blocks. */
    public void schedule(Timer timer) {
        timer.service = this;
        armed.incrementAndGet();
        incoming.offer(timer);
        if (timer.deadline < getWakeAtVolatile() || incoming.size() >= DRAIN_BATCH) {
            LockSupport.unpark(thread);
        }
    }

    /** {@return the number of timers armed and not yet fired or cancelled} */
    public long armedCount() {
        return armed.get();
    }

    /** {@return whether {@code t} is the timer thread} */
    public boolean isTimerThread(Thread t) {
        return t == thread;
    }

    /** Stops the timer thread; pending timers never fire. */
    @Override
    public void close() {
        closed = true;
        ticker.removeListener(onTick);
        LockSupport.unpark(thread);
        boolean interrupted = false;
        while (thread.isAlive()) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** {@return whether the timer thread is still running} */
    public boolean isRunning() {
        return thread.isAlive();
    }

    private void wake() {
        LockSupport.unpark(thread);
    }

    private long getWakeAtVolatile() {
        return (long) WAKE_AT.getVolatile(this);
    }

    private void setWakeAtVolatile(long t) {
        WAKE_AT.setVolatile(this, t);
    }

    private void loop() {
        while (!closed) {
            Timer t;
            while ((t = incoming.poll()) != null) {
                if (t.isPending()) {
                    push(t);
                }
            }
            if (heapSize > 1024 && heapSize > 2 * armed.get()) {
                purgeCancelled();
            }
            long now = ticker.nanoTime();
            while (heapSize > 0 && heap[0].deadline - now <= 0) {
                Timer due = pop();
                if (due.claimFire()) {
                    armed.decrementAndGet();
                    try {
                        due.fire();
                    } catch (Throwable e) {
                        LOG.log(System.Logger.Level.ERROR, "timer action failed", e);
                    }
                }
            }
            long next = heapSize > 0 ? heap[0].deadline : Long.MAX_VALUE;
            setWakeAtVolatile(next);
            if (!incoming.isEmpty() || closed) {
                continue;
            }
            if (next == Long.MAX_VALUE || !systemTicker) {
                LockSupport.park(this);
            } else {
                LockSupport.parkNanos(this, Math.max(next - ticker.nanoTime(), TimeUnit.MICROSECONDS.toNanos(1)));
            }
            setWakeAtVolatile(Long.MIN_VALUE);
        }
        // Closed: whatever is still armed will never fire.
        Timer t;
        while ((t = incoming.poll()) != null) {
            t.cancel();
        }
        for (int i = 0; i < heapSize; i++) {
            heap[i].cancel();
            heap[i] = null;
        }
        heapSize = 0;
    }

    // A binary min-heap on deadline; timer thread only.

    private void push(Timer t) {
        if (heapSize == heap.length) {
            heap = Arrays.copyOf(heap, heap.length * 2);
        }
        int i = heapSize++;
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            Timer p = heap[parent];
            if (p.deadline - t.deadline <= 0) {
                break;
            }
            heap[i] = p;
            i = parent;
        }
        heap[i] = t;
    }

    private Timer pop() {
        Timer top = heap[0];
        Timer last = heap[--heapSize];
        heap[heapSize] = null;
        if (heapSize > 0) {
            siftDown(0, last);
        }
        return top;
    }

    private void siftDown(int i, Timer t) {
        int half = heapSize >>> 1;
        while (i < half) {
            int child = 2 * i + 1;
            Timer c = heap[child];
            int right = child + 1;
            if (right < heapSize && heap[right].deadline - c.deadline < 0) {
                child = right;
                c = heap[child];
            }
            if (t.deadline - c.deadline <= 0) {
                break;
            }
            heap[i] = c;
            i = child;
        }
        heap[i] = t;
    }

    private void purgeCancelled() {
        int n = 0;
        for (int i = 0; i < heapSize; i++) {
            if (heap[i].isPending()) {
                heap[n++] = heap[i];
            }
        }
        Arrays.fill(heap, n, heapSize, null);
        heapSize = n;
        for (int i = (heapSize >>> 1) - 1; i >= 0; i--) {
            siftDown(i, heap[i]);
        }
    }
}
