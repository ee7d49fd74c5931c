package otp4j.behaviour;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Optional;

import otp4j.runtime.DemonitorOption;
import otp4j.runtime.Down;
import otp4j.runtime.Exit;
import otp4j.runtime.Pid;
import otp4j.runtime.Proc;
import otp4j.runtime.Reason;
import otp4j.runtime.Ref;

/** What every supervisor does with a child: start it, stop it, count its restarts, report it. */
final class Children {
    private Children() {
    }

    private static final DemonitorOption[] FLUSH = {DemonitorOption.FLUSH};

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

    private static Optional<Reason> awaitDown(Ref mon, Duration timeout) {
        Optional<Reason> r = Proc.receive(mon, m -> m instanceof Down d && d.ref() == mon ? d.reason() : null, timeout);
        if (r.isEmpty()) {
            Proc.demonitor(mon, FLUSH);
        }
        return r;
    }

    /** OTP's supervisor report (SUP-021): a child exit, a failed start, giving up. */
    static void report(String context, Reason reason, ChildSpec spec, Pid child) {
        Throwable cause = reason instanceof Reason.Crash c ? c.exception() : null;
        ServerLoop.LOG.log(System.Logger.Level.ERROR, "** Supervisor report\n    supervisor: " + Proc.self()
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
        private final SupFlags flags;
        private final ArrayDeque<Long> restarts = new ArrayDeque<>();

        Intensity(SupFlags flags) {
            this.flags = flags;
        }

        /** Records a restart now; false if that makes more than the intensity within the period. */
        boolean add() {
            long now = Math.floorDiv(Proc.node().options().ticker().nanoTime(), 1_000_000_000L);
            long oldest = now - flags.period().toSeconds();
            while (!restarts.isEmpty() && restarts.peekFirst() < oldest) {
                restarts.pollFirst();
            }
            restarts.addLast(now);
            return restarts.size() <= flags.intensity();
        }
    }
}
