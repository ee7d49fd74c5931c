package otp4j.observer.internal;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.locks.ReentrantLock;

import otp4j.behaviour.Sys;
import otp4j.behaviour.TraceEvent;
import otp4j.runtime.Down;
import otp4j.runtime.Node;
import otp4j.runtime.Pid;
import otp4j.runtime.Proc;
import otp4j.runtime.Reason;
import otp4j.runtime.internal.Introspection;

/**
 * The message trace of one process at a time: a tracer process of the node receives the
 * {@code sys} trace events of the traced server (each message it takes, each reply it sends)
 * and keeps the last {@link #CAPACITY} in a ring; the pages read them by sequence number.
 */
final class Tracer {
    /*
     * Overview
     *
     * One trace at a time. start: spawn the tracer process (it monitors the target and ends when
     * the target does, or on stop), then ask the target by sys to send it trace events. stop:
     * ask the target to stop (if alive), then end the tracer. The ring and the current trace are
     * guarded by lock; the tracer process appends under it, the HTTP threads read under it.
     */

    /** Events kept per trace; older ones are dropped, and the page says how many. */
    static final int CAPACITY = 1000;

    /** One traced event. */
    record Event(long seq, long epochMillis, String direction, String text) {
    }

    private final Node node;
    private final ReentrantLock lock = new ReentrantLock();
    // Guarded by lock.
    private final ArrayDeque<Event> ring = new ArrayDeque<>();
    private Pid target;
    private Pid tracer;
    private boolean active;
    private String endedBecause;
    private long seq;
    private long dropped;

    Tracer(Node node) {
        this.node = node;
    }

    /** Starts tracing {@code pid}, ending any trace before. */
    void start(Pid pid) {
        if (Introspection.behaviour(pid).isEmpty()) {
            throw HttpError.badRequest("process " + pid + " runs no behaviour: only a GenServer or a supervisor"
                    + " answers the sys requests a trace is made of");
        }
        stop();
        Pid t = node.spawn(() -> traceLoop(pid));
        lock.lock();
        try {
            ring.clear();
            dropped = 0;
            target = pid;
            tracer = t;
            active = true;
            endedBecause = null;
        } finally {
            lock.unlock();
        }
        Calls.inProcess(node, Duration.ofSeconds(5), "process " + pid, () -> {
            Sys.trace(pid, t);
            return null;
        });
    }

    /** Stops the current trace, if any; its events stay readable. */
    void stop() {
        Pid p;
        Pid t;
        lock.lock();
        try {
            p = target;
            t = tracer;
            if (active) {
                active = false;
                endedBecause = "stopped";
            }
            tracer = null;
        } finally {
            lock.unlock();
        }
        if (p != null && Proc.isAlive(p)) {
            try {
                Calls.inProcess(node, Duration.ofSeconds(5), "process " + p, () -> {
                    Sys.untrace(p);
                    return null;
                });
            } catch (HttpError | IllegalStateException e) {
                // it died or would not answer: the tracer below ends anyway
            }
        }
        if (t != null) {
            Proc.exit(t, Reason.KILL);
        }
    }

    private void traceLoop(Pid pid) {
        Proc.monitor(pid);
        for (;;) {
            Object m = Proc.receive();
            if (m instanceof Down d) {
                ended("process exited: " + d.reason());
                return;
            }
            if (m instanceof TraceEvent e) {
                record(e);
            }
        }
    }

    private void record(TraceEvent e) {
        String text = e.message() instanceof TraceEvent.Sent s
                ? "reply to " + s.to() + ": " + Text.show(s.message()) : Text.show(e.message());
        lock.lock();
        try {
            if (!Proc.self().equals(tracer)) {
                return; // a tracer stopped before, still unwinding
            }
            if (ring.size() == CAPACITY) {
                ring.removeFirst();
                dropped++;
            }
            ring.addLast(new Event(++seq, System.currentTimeMillis(), e.direction().name().toLowerCase(Locale.ROOT), text));
        } finally {
            lock.unlock();
        }
    }

    private void ended(String why) {
        lock.lock();
        try {
            if (!Proc.self().equals(tracer)) {
                return;
            }
            active = false;
            endedBecause = why;
        } finally {
            lock.unlock();
        }
    }

    /** Writes the current or last trace's events after sequence number {@code after}. */
    void write(Json j, long after) {
        List<Event> events = new ArrayList<>();
        lock.lock();
        try {
            j.field("pid", target == null ? null : target.toString());
            j.field("active", active);
            j.field("ended", endedBecause);
            j.field("dropped", dropped);
            j.field("capacity", CAPACITY);
            for (Event e : ring) {
                if (e.seq() > after) {
                    events.add(e);
                }
            }
        } finally {
            lock.unlock();
        }
        j.name("events").beginArray();
        for (Event e : events) {
            j.beginObject().field("seq", e.seq()).field("time", e.epochMillis()).field("direction", e.direction())
                    .field("message", e.text()).endObject();
        }
        j.endArray();
    }
}
