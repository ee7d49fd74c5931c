package otp4j.observer.internal;

import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * The HTTP server's executor: a few platform threads, each request bounded in time.
 *
 * <p>Why: {@code jdk.httpserver} hands a connection to its executor at the first byte of a
 * request and reads the rest of it there, blocking, with no deadline; a client that sends half a
 * request and stops would hold a thread for good, and as many such clients as threads would stop
 * the observer. So each request runs under a deadline: a thread still reading the request, or
 * still writing the answer, when its deadline passes is interrupted, which closes the connection
 * (a blocking socket channel is closed by an interrupt) and frees the thread. The time the
 * observer itself takes to work out an answer is not the client's: while a handler computes,
 * the request is shielded from its deadline, and the answer gets a deadline of its own.
 */
final class RequestThreads implements Executor {
    private final ExecutorService threads;
    private final ScheduledExecutorService watchdog;
    private final long timeoutNanos;
    private static final ThreadLocal<Request> CURRENT = new ThreadLocal<>();

    RequestThreads(int count, ThreadFactory factory, ScheduledExecutorService watchdog, Duration timeout) {
        this.threads = Executors.newFixedThreadPool(count, factory);
        this.watchdog = watchdog;
        this.timeoutNanos = timeout.toNanos();
    }

    @Override
    public void execute(Runnable exchange) {
        threads.execute(new Request(exchange));
    }

    /** Stops the threads, interrupting requests under way. */
    void shutdownNow() {
        threads.shutdownNow();
    }

    boolean awaitTermination(Duration d) throws InterruptedException {
        return threads.awaitTermination(d.toNanos(), TimeUnit.NANOSECONDS);
    }

    /**
     * Called by a handler when it has the request and starts working out its answer: takes the
     * request off its deadline. {@return false if the deadline has already passed}: the client
     * was too slow, and the handler answers nothing.
     */
    static boolean startAnswer() {
        Request r = CURRENT.get();
        return r == null || r.shield();
    }

    /** Called by a handler before it writes its answer: the answer gets a deadline of its own. */
    static void startWriting() {
        Request r = CURRENT.get();
        if (r != null) {
            r.unshield();
        }
    }

    private final class Request implements Runnable {
        private static final int EXPOSED = 0;
        private static final int SHIELDED = 1;
        private static final int DONE = 2;

        private final Runnable exchange;
        private Thread thread;
        // Guarded by this: the watchdog interrupts only an exposed request, so that an interrupt
        // never reaches a handler mid-computation or the thread's next request.
        private int state = EXPOSED;
        private ScheduledFuture<?> deadline;
        private boolean expired;

        Request(Runnable exchange) {
            this.exchange = exchange;
        }

        @Override
        public void run() {
            thread = Thread.currentThread();
            CURRENT.set(this);
            try {
                arm();
                exchange.run();
            } finally {
                synchronized (this) {
                    state = DONE;
                    if (deadline != null) {
                        deadline.cancel(false);
                    }
                }
                CURRENT.remove();
                // An interrupt that came in before DONE was set is this request's, not the next's.
                Thread.interrupted();
            }
        }

        private synchronized void arm() {
            try {
                deadline = watchdog.schedule(this::expire, timeoutNanos, TimeUnit.NANOSECONDS);
            } catch (RejectedExecutionException e) {
                // the observer is closing: its threads are being interrupted anyway
                deadline = null;
            }
        }

        private synchronized void expire() {
            if (state == EXPOSED) {
                expired = true;
                thread.interrupt();
            }
        }

        synchronized boolean shield() {
            if (expired) {
                return false;
            }
            state = SHIELDED;
            if (deadline != null) {
                deadline.cancel(false);
            }
            return true;
        }

        synchronized void unshield() {
            if (state == SHIELDED) {
                state = EXPOSED;
                arm();
            }
        }
    }
}
