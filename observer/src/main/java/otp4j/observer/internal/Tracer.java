package otp4j.observer.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

import otp4j.runtime.Down;
import otp4j.runtime.Node;
import otp4j.runtime.NoProcException;
import otp4j.runtime.Pid;
import otp4j.runtime.Proc;
import otp4j.runtime.Reason;
import otp4j.runtime.Ref;
import otp4j.runtime.TraceEvent;
import otp4j.runtime.TraceFlag;

/**
 * The message trace of one process at a time: a tracer process of the node receives the
 * runtime's trace events of the traced process ({@link Proc#trace}: each message queued in its
 * mailbox, each message it sends) and keeps the last {@link #CAPACITY} in a ring; the pages read
 * them by sequence number.
 */
final class Tracer {
    /*
     * Overview
     *
     * One trace at a time. start: spawn the tracer process (it monitors the target and ends when
     * the target does, or on stop), then Proc.trace the target to it. stop: untrace the target
     * if the trace is still ours, then end the tracer. The ring and the current trace are
     * guarded by lock; the tracer process appends under it, the HTTP threads read under it.
     *
     * A busy target can send events faster than the tracer turns them into text: the tracer's
     * mailbox is bounded (Proc.setMessageQueueLimit), so a trace that falls too far behind ends
     * (the runtime kills the tracer, which ends the trace) instead of filling the heap.
     */

    /** Events kept per trace; older ones are dropped, and the page says how many. */
    static final int CAPACITY = 1000;
    /** Events the tracer may fall behind before its trace ends. */
    static final int BACKLOG = 100_000;

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
        Proc.tracer(pid).filter(t -> !t.equals(currentTracer())).ifPresent(t -> {
            throw new HttpError(409, "process " + pid + " is already traced by " + t
                    + "; a process has one tracer, and the observer does not take another's");
        });
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
        try {
            Proc.trace(pid, t, EnumSet.of(TraceFlag.SEND, TraceFlag.RECEIVE));
        } catch (NoProcException e) {
            stop();
            throw HttpError.notFound("process " + pid + " has exited");
        }
    }

    private Pid currentTracer() {
        lock.lock();
        try {
            return tracer;
        } finally {
            lock.unlock();
        }
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
        if (p != null && t != null && Proc.tracer(p).filter(t::equals).isPresent()) {
            Proc.untrace(p);
        }
        if (t != null) {
            Proc.exit(t, Reason.KILL);
        }
    }

    private void traceLoop(Pid pid) {
        Proc.setMessageQueueLimit(BACKLOG);
        Ref watch = Proc.monitor(pid);
        for (;;) {
            Object m = Proc.receive();
            if (m instanceof Down d && d.ref().equals(watch)) {
                ended("process exited: " + d.reason());
                return;
            }
            if (m instanceof TraceEvent e) {
                record(e);
            }
        }
    }

    private void record(TraceEvent e) {
        String direction;
        String text;
        switch (e) {
            case TraceEvent.Receive r -> {
                direction = "in";
                text = Text.show(r.message());
            }
            case TraceEvent.Send s -> {
                direction = "out";
                text = "to " + s.to() + ": " + Text.show(s.message());
            }
        }
        lock.lock();
        try {
            if (!Proc.self().equals(tracer)) {
                return; // a tracer stopped before, still unwinding
            }
            if (ring.size() == CAPACITY) {
                ring.removeFirst();
                dropped++;
            }
            ring.addLast(new Event(++seq, System.currentTimeMillis(), direction, text));
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
            if (active && !Proc.isAlive(tracer)) {
                // Killed by its mailbox bound (or by the node's shutdown): the runtime has ended the trace.
                active = false;
                endedBecause = "the trace fell more than " + BACKLOG + " events behind the process and was stopped";
            }
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
