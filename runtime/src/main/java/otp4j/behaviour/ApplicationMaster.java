package otp4j.behaviour;

import java.time.Duration;

import otp4j.runtime.Down;
import otp4j.runtime.Exit;
import otp4j.runtime.Pid;
import otp4j.runtime.Proc;
import otp4j.runtime.ProcessExit;
import otp4j.runtime.ProcessInfo;
import otp4j.runtime.Reason;
import otp4j.runtime.Ref;

/**
 * OTP's {@code application_master}: the process of one application. It runs the application's
 * callbacks, is the parent of its top supervisor, and exits when the application ends: normally
 * after a stop, with the top supervisor's reason when that exited on its own, with the failure
 * when the start failed.
 */
final class ApplicationMaster implements Runnable {
    /*
     * OTP splits this in two processes (the master, which is the group leader, and a child that
     * calls Mod:start and waits); here one process does both: it makes itself its own group
     * leader before the start function runs, so the whole tree inherits it. It traps exits, so
     * it hears of its top supervisor and of the controller (its link) as messages.
     *
     * What ends the application, and what runs:
     *   STOP from the controller            prepStop, tree stopped, stop; exits normal
     *   the top supervisor exits on its own prepStop, stop (OTP 25 runs both); exits with its reason
     *   an exit signal (the controller's    prepStop, tree stopped, stop; exits with the signal's
     *   exit, Node.close's shutdown)        reason, as a process that does not trap would
     */

    /** From the controller: stop the application. */
    record Stop() {
    }

    /** To the controller: the start function returned the running top supervisor. */
    record Running(Pid master, Pid supervisor) {
    }

    private final Pid controller;
    private final ApplicationSpec spec;
    private Pid self;

    ApplicationMaster(Pid controller, ApplicationSpec spec) {
        this.controller = controller;
        this.spec = spec;
    }

    @Override
    public void run() {
        self = Proc.self();
        // The processes of the application inherit their group leader from the master: it is how
        // Application.getApplication(pid) finds a process's application, as in OTP.
        Proc.groupLeader(self, self);
        Proc.trapExit(true);
        Pid top = start();
        Proc.link(top); // a start function that forgot to link still has its tree watched
        String notSupervisor = notSupervisor(top);
        if (notSupervisor != null) {
            Proc.unlink(top);
            Proc.exit(top, Reason.KILL); // misconfigured: no orderly shutdown to rely on
            Proc.exit(Reason.crash(new IllegalStateException(notSupervisor)));
        }
        Proc.send(controller, new Running(self, top));
        for (;;) {
            Object m = Proc.receive(x -> x instanceof Stop || x instanceof Exit ? x : null);
            switch (m) {
                case Stop s -> end(top, Reason.NORMAL);
                case Exit(Pid from, Reason reason) when from.equals(top) -> {
                    hook("prepStop", spec.callbacks()::prepStop);
                    hook("stop", spec.callbacks()::stop);
                    Proc.exit(reason);
                }
                case Exit(Pid from, Reason reason) when from.equals(controller)
                        || !(reason instanceof Reason.Normal) -> end(top, reason);
                default -> {
                    // normal from another process: ignored, as by a process that does not trap exits
                }
            }
        }
    }

    /** Runs the start function; exits with the failure if it did not start a tree. */
    private Pid start() {
        Reason failure;
        try {
            StartResult r = spec.callbacks().start();
            switch (r) {
                case StartResult.Started s -> {
                    return s.pid();
                }
                case StartResult.Failed f -> failure = f.reason();
                case StartResult.Ignored i -> failure = Reason.crash(new IllegalStateException("the start function of "
                        + "application " + spec.name() + " returned ignore; it must start the application's top "
                        + "supervisor (OTP: {bad_return, ignore})"));
                case null -> failure = Reason.crash(new IllegalStateException("the start function of application "
                        + spec.name() + " returned null; return the StartResult of starting its top supervisor"));
            }
        } catch (ProcessExit e) {
            if (!Proc.isAlive(self)) {
                throw e; // killed: already dead
            }
            failure = e.reason();
        } catch (Throwable e) {
            failure = Reason.crash(e);
        }
        Proc.exit(failure);
        throw new AssertionError("Proc.exit returns only by throwing");
    }

    /**
     * {@return why {@code top} is not a running supervisor, or null if it is one}. A supervisor
     * is a server whose callbacks are a supervisor's; asking its status is a sys request, which
     * any server answers at once after its init.
     */
    private String notSupervisor(Pid top) {
        String fix = "; the start function of application " + spec.name() + " must return the StartResult of "
                + "Supervisor.startLink or DynamicSupervisor.startLink";
        ProcessInfo info = Proc.info(top).orElse(null);
        if (info == null) {
            return "the top supervisor " + top + " exited as soon as it started" + fix;
        }
        if (!info.initialCall().equals(ServerLoop.class.getName())) {
            return "the process " + top + " (" + info.initialCall() + ") is not a supervisor" + fix;
        }
        String module;
        try {
            module = Sys.getStatus(top).module();
        } catch (CallException e) {
            return "the top supervisor " + top + " did not answer: " + e.getMessage() + fix;
        }
        if (!module.equals(SupervisorServer.class.getName()) && !module.equals(DynamicSupervisorServer.class.getName())) {
            return "the process " + top + " is a " + module + " server, not a supervisor" + fix;
        }
        return null;
    }

    /** Stops the application: prepStop, the tree, stop; then exits with {@code reason}. */
    private void end(Pid top, Reason reason) {
        hook("prepStop", spec.callbacks()::prepStop);
        stopTree(top);
        hook("stop", spec.callbacks()::stop);
        Proc.exit(reason);
    }

    /**
     * Stops the top supervisor with {@code shutdown} and waits, without a limit as OTP does, until
     * it has exited. Watched by a monitor: unlinking first means no EXIT arrives after this.
     */
    private static void stopTree(Pid top) {
        Ref mon = Proc.monitor(top);
        Proc.unlink(top);
        Proc.exit(top, Reason.SHUTDOWN);
        Proc.receive(mon, m -> m instanceof Down d && d.ref() == mon ? d : null, Proc.INFINITY);
        Proc.receive(m -> m instanceof Exit e && e.from().equals(top) ? e : null, Duration.ZERO);
    }

    /** Runs a stop hook; a throw is logged and the stop goes on. */
    private void hook(String name, Runnable hook) {
        try {
            hook.run();
        } catch (ProcessExit e) {
            if (!Proc.isAlive(self)) {
                throw e;
            }
            ServerLoop.LOG.log(System.Logger.Level.ERROR, () -> "Application " + spec.name() + ": " + name
                    + " exited with " + e.reason() + "; the application stops anyway");
        } catch (Throwable e) {
            ServerLoop.LOG.log(System.Logger.Level.ERROR, "Application " + spec.name() + ": " + name
                    + " threw; the application stops anyway", e);
        }
    }
}
