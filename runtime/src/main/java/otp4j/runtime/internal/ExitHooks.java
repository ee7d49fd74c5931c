package otp4j.runtime.internal;

import java.util.Objects;

import otp4j.runtime.Pid;

/**
 * Lets otp4j's own modules act on a process's death before anyone hears of it: ETS deletes or
 * hands over the tables a process owns. <b>Not API.</b>
 *
 * <p>A hook added to a live process runs once, in its order of death, after its registered name
 * is released and before its links and monitors are notified. So whoever sees the process's
 * {@code EXIT} or {@code DOWN} already sees what the hook did (ETS-015, ETS-016). It runs on
 * whichever thread the process dies on (its own, or the thread of a process that killed it),
 * must be short, must not block, and must not throw; a hook that throws is logged and the
 * death goes on. Hooks are kept in a set: adding the same hook object twice adds it once.
 *
 * <p>Cost when unused: one null field per process, read once as it dies.
 */
public final class ExitHooks {
    private ExitHooks() {}

    /** Code to run when a process dies. */
    @FunctionalInterface
    public interface Hook {
        /** Called once when process {@code pid} dies, before its links and monitors fire. */
        void exited(Pid pid);
    }

    /** The runtime's side. */
    public interface Registrar {
        /** As {@link ExitHooks#add}. */
        boolean add(Pid pid, Hook hook);

        /** As {@link ExitHooks#deliver}. */
        void deliver(Pid to, Object message);
    }

    // Written once by Pid's static initializer, which has run before anyone can hold a Pid to
    // pass to add. Volatile: a thread handed a Pid by a data race has not itself initialised Pid.
    private static volatile Registrar registrar;

    /**
     * Called once by the runtime, from {@code Pid}'s static initializer.
     *
     * @throws IllegalStateException if called again
     */
    public static void install(Registrar r) {
        if (registrar != null) {
            throw new IllegalStateException("the exit-hook registrar is already installed");
        }
        registrar = Objects.requireNonNull(r, "r");
    }

    /**
     * Adds {@code hook} to the process {@code pid}; returns false, adding nothing, if that
     * process is no longer alive (it has died, or is dying). Once this returns true the hook
     * will run when the process dies: the check and the addition are one step under the
     * process's lock, the same lock under which it leaves ALIVE.
     *
     * <p><b>May be called from:</b> any thread.
     */
    public static boolean add(Pid pid, Hook hook) {
        Objects.requireNonNull(pid, "pid");
        Objects.requireNonNull(hook, "hook");
        return registrar.add(pid, hook);
    }

    /**
     * Queues {@code message} for {@code to}, dropped if it is dead: a send for hooks, which run
     * while a process dies, where {@code Proc.send} would end the dying sender instead. A message
     * a hook delivers to a process linked to or monitoring the dying one arrives before the
     * {@code EXIT} or {@code DOWN} (ETS-016).
     *
     * <p><b>May be called from:</b> an exit hook (any thread).
     */
    public static void deliver(Pid to, Object message) {
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(message, "message");
        registrar.deliver(to, message);
    }
}
