package otp4j.behaviour;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;

import otp4j.runtime.Down;
import otp4j.runtime.Exit;
import otp4j.runtime.Pid;
import otp4j.runtime.Proc;
import otp4j.runtime.Reason;
import otp4j.runtime.Ref;
import otp4j.runtime.Ticker;

/** What every supervisor does with a child: start it, stop it, count its restarts, report it. */
final class Children {
    private Children() {
    }

    /** Starts a child from the calling supervisor; a throw or a null becomes a failure. */
    static StartResult start(ChildSpec spec) {
        try {
            StartResult r = spec.start().start();
            if (r == null) {
                return new StartResult.Failed(Reason.crash(new IllegalStateException(
                        "the start function of child " + spec.id() + " returned null")));
            }
            return r;
        } catch (RuntimeException e) {
            return new StartResult.Failed(Reason.crash(e));
        }
    }

    /*
     * Stopping a child (OTP's shutdown/2): monitor it, unlink it (an EXIT already queued tells us
     * it has died), then send shutdown and wait for the DOWN, killing it when its shutdown
     * timeout passes; or kill it at once for brutal_kill. The DOWN, not an EXIT, ends the wait,
     * so a child that unlinked itself cannot make the supervisor wait forever.
     */

    /** Stops child {@code pid} by {@code spec}'s shutdown and waits until it has exited; reports a surprise. */
    static Reason stop(Pid pid, ChildSpec spec) {
        Ref mon = Proc.monitor(pid);
        Proc.unlink(pid);
        Optional<Exit> early = Proc.receive(m -> m instanceof Exit e && e.from().equals(pid) ? e : null, Duration.ZERO);
        Reason reason;
        if (early.isPresent()) {
            awaitDown(mon, Proc.INFINITY);
            reason = early.get().reason(); // it had died already
        } else {
            reason = switch (spec.shutdown()) {
                case Shutdown.BrutalKill b -> {
                    Proc.exit(pid, Reason.KILL);
                    yield awaitDown(mon, Proc.INFINITY).orElseThrow();
                }
                case Shutdown.Timeout t -> {
                    Proc.exit(pid, Reason.SHUTDOWN);
                    Optional<Reason> r = awaitDown(mon, t.timeout());
                    if (r.isPresent()) {
                        yield r.get();
                    }
                    Proc.exit(pid, Reason.KILL);
                    yield awaitDown(mon, Proc.INFINITY).orElseThrow();
                }
                case Shutdown.Infinity i -> {
                    Proc.exit(pid, Reason.SHUTDOWN);
                    yield awaitDown(mon, Proc.INFINITY).orElseThrow();
                }
            };
        }
        boolean expected = reason instanceof Reason.Shutdown
                || (reason instanceof Reason.Killed && spec.shutdown() instanceof Shutdown.BrutalKill);
        if (!expected) {
            report("shutdown_error", reason, spec, pid);
        }
        return reason;
    }

    /*
     * Stopping many children at once (OTP's terminate_dynamic_children): monitor and unlink each,
     * collect the EXITs already queued, send every live one its exit signal, then take the DOWNs
     * as they come. Each child's shutdown timeout runs from the moment its signal was sent; the
     * deadlines sit in a queue ordered by time, so a thousand children cost a thousand DOWNs and
     * not a thousand scans. How many children there are does not change how long it takes.
     */

    /** Stops {@code children} concurrently, each by its spec's shutdown; waits until all have exited. */
    static void stopAll(Map<Pid, ChildSpec> children) {
        record Pending(Pid pid, ChildSpec spec, long deadline) {
        }
        Ticker ticker = Proc.node().options().ticker();
        Map<Ref, Pending> pending = new HashMap<>();
        for (Map.Entry<Pid, ChildSpec> c : children.entrySet()) {
            Pid pid = c.getKey();
            pending.put(Proc.monitor(pid), new Pending(pid, c.getValue(), Long.MAX_VALUE));
            Proc.unlink(pid);
        }
        // EXITs already queued: those children are dead, their DOWN will say why.
        Map<Pid, Reason> early = new HashMap<>();
        for (Optional<Exit> e; (e = Proc.receive(m -> m instanceof Exit x && children.containsKey(x.from()) ? x : null,
                Duration.ZERO)).isPresent(); ) {
            early.put(e.get().from(), e.get().reason());
        }
        PriorityQueue<Map.Entry<Long, Ref>> deadlines = new PriorityQueue<>(Map.Entry.comparingByKey());
        long now = ticker.nanoTime();
        for (Map.Entry<Ref, Pending> e : pending.entrySet()) {
            Pending p = e.getValue();
            if (early.containsKey(p.pid())) {
                continue;
            }
            switch (p.spec().shutdown()) {
                case Shutdown.BrutalKill b -> Proc.exit(p.pid(), Reason.KILL);
                case Shutdown.Infinity i -> Proc.exit(p.pid(), Reason.SHUTDOWN);
                case Shutdown.Timeout t -> {
                    Proc.exit(p.pid(), Reason.SHUTDOWN);
                    long deadline = now + t.timeout().toNanos();
                    e.setValue(new Pending(p.pid(), p.spec(), deadline));
                    deadlines.add(Map.entry(deadline, e.getKey()));
                }
            }
        }
        while (!pending.isEmpty()) {
            while (!deadlines.isEmpty() && !pending.containsKey(deadlines.peek().getValue())) {
                deadlines.poll(); // that child is gone already
            }
            Duration wait = deadlines.isEmpty() ? Proc.INFINITY
                    : Duration.ofNanos(Math.max(0, deadlines.peek().getKey() - ticker.nanoTime()));
            Optional<Down> down = Proc.receive(m -> m instanceof Down d && pending.containsKey(d.ref()) ? d : null, wait);
            if (down.isEmpty()) {
                Map.Entry<Long, Ref> late = deadlines.poll();
                Pending p = pending.get(late.getValue());
                Proc.exit(p.pid(), Reason.KILL); // its DOWN, with killed, is reported below
                continue;
            }
            Pending p = pending.remove(down.get().ref());
            Reason reason = early.getOrDefault(p.pid(), down.get().reason());
            boolean expected = reason instanceof Reason.Shutdown
                    || (reason instanceof Reason.Killed && p.spec().shutdown() instanceof Shutdown.BrutalKill);
            if (!expected) {
                report("shutdown_error", reason, p.spec(), p.pid());
            }
        }
    }

    /** Waits for the DOWN of {@code mon}; the monitor stays on after a timeout, as the caller kills next. */
    private static Optional<Reason> awaitDown(Ref mon, Duration timeout) {
        return Proc.receive(mon, m -> m instanceof Down d && d.ref() == mon ? d.reason() : null, timeout);
    }

    /**
     * A child exited: reports it as OTP does (a permanent child's every exit, any child's
     * abnormal one) and returns whether its restart type wants it restarted.
     */
    static boolean exitedWantsRestart(ChildSpec spec, Pid pid, Reason reason) {
        Restart restart = spec.restart();
        if (restart == Restart.PERMANENT || reason.isAbnormal()) {
            report("child_terminated", reason, spec, pid);
        }
        return switch (restart) {
            case PERMANENT -> true;
            case TRANSIENT -> reason.isAbnormal();
            case TEMPORARY -> false;
        };
    }

    /** OTP's supervisor report (SUP-021): a child exit, a failed start, giving up. */
    static void report(String context, Reason reason, ChildSpec spec, Pid child) {
        Throwable cause = reason instanceof Reason.Crash c ? c.exception() : null;
        Pid supervisor = Proc.self();
        ServerLoop.LOG.log(System.Logger.Level.ERROR, () -> "** Supervisor report\n    supervisor: " + supervisor
                + "\n    errorContext: " + context + "\n    reason: " + reason + "\n    offender: [id: " + spec.id()
                + ", pid: " + (child == null ? "undefined" : child) + ", restart: " + spec.restart() + ", shutdown: "
                + spec.shutdown() + ", type: " + spec.type() + "]", cause);
    }

    /**
     * Restart intensity, as OTP counts it: restart times are whole seconds of the node's clock,
     * and a restart counts while its second is >= now - period. Times are kept oldest first; the
     * old ones are dropped from the front before each count, so a restart costs the same however
     * many came before it (OTP walks a list on every restart and slows down as they pile up).
     */
    static final class Intensity {
        private final int intensity;
        private final long periodSeconds;
        private final ArrayDeque<Long> restarts = new ArrayDeque<>();
        /** Every restart since the supervisor started, for its status. */
        private long total;

        Intensity(int intensity, Duration period) {
            this.intensity = intensity;
            this.periodSeconds = period.toSeconds();
        }

        /** Records a restart now; false if that makes more than the intensity within the period. */
        boolean add() {
            long now = Math.floorDiv(Proc.node().options().ticker().nanoTime(), 1_000_000_000L);
            long oldest = now - periodSeconds;
            while (!restarts.isEmpty() && restarts.peekFirst() < oldest) {
                restarts.pollFirst();
            }
            restarts.addLast(now);
            total++;
            return restarts.size() <= intensity;
        }

        /** {@return the restarts recorded since the supervisor started} */
        long total() {
            return total;
        }
    }
}
