package otp4j.bench;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

import org.jctools.queues.MpscUnboundedXaddArrayQueue;

/**
 * The floor every otp4j figure is compared with: a process that is one virtual thread on the
 * JDK's default scheduler plus a JCTools mailbox with a parked-flag wake-up, and nothing else
 * (no links, monitors, names, selective receive or scheduler of its own). What otp4j adds costs
 * the difference between its figures and these.
 */
final class VtProc {
    /** Slots per mailbox chunk: the same as otp4j's mailboxes, since most hold few messages. */
    private static final int CHUNK = 16;
    private static final VarHandle PARKED;

    static {
        try {
            PARKED = MethodHandles.lookup().findVarHandle(VtProc.class, "parked", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final MpscUnboundedXaddArrayQueue<Object> mailbox = new MpscUnboundedXaddArrayQueue<>(CHUNK);
    private final Thread thread;
    /** Set by the owner before it parks; cleared by the one sender that wakes it. */
    private volatile boolean parked;

    private VtProc(Consumer<VtProc> body) {
        this.thread = Thread.ofVirtual().unstarted(() -> body.accept(this));
    }

    /** {@return a new process running {@code body}, which gets the process as its argument} */
    static VtProc spawn(Consumer<VtProc> body) {
        VtProc p = new VtProc(body);
        p.thread.start();
        return p;
    }

    void send(Object message) {
        mailbox.offer(message);
        // The flag is read after the offer; the owner sets it before its last look at the
        // mailbox. Both are volatile, so either the owner sees the message or we see the flag.
        if (parked && PARKED.compareAndSet(this, true, false)) {
            LockSupport.unpark(thread);
        }
    }

    /** {@return the oldest message, waiting for one}; owner only */
    Object receive() {
        Object m = mailbox.poll();
        while (m == null) {
            parked = true;
            m = mailbox.poll();
            if (m != null) {
                parked = false;
                break;
            }
            while (parked) {
                LockSupport.park(this);
            }
            m = mailbox.poll();
        }
        return m;
    }

    /** {@return whether the owner is parked in (or about to park in) a receive} */
    boolean isParked() {
        return parked;
    }

    Thread thread() {
        return thread;
    }
}
