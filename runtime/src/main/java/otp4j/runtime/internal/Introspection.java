package otp4j.runtime.internal;

import java.util.Objects;
import java.util.Optional;

import otp4j.runtime.Node;
import otp4j.runtime.Pid;
import otp4j.runtime.ProcessStatus;

/**
 * Lets otp4j's observer read every process of a node cheaply: a walk of the process table that
 * reads the counters each process publishes, without its lock and without building a
 * {@code ProcessInfo} per process. <b>Not API.</b>
 *
 * <p>Cost when unused: nothing; the runtime installs its side once, from {@code Node}'s static
 * initializer.
 */
public final class Introspection {
    private Introspection() {}

    /**
     * One process as a walk sees it. The walk reuses one view for every process, so a visitor
     * must copy what it keeps before it returns. Each value is read when asked for, opaquely: it
     * may be a moment old, and two values of one process may come from different moments.
     */
    public interface ProcessView {
        /** {@return the process} */
        Pid pid();

        /** {@return its serial number within its node, the second number of its pid} */
        long serial();

        /** {@return its registered name, or null} */
        String registeredName();

        /** {@return what it is doing} */
        ProcessStatus status();

        /** {@return the messages in its mailbox} */
        int messageQueueLength();

        /** {@return its memory estimate in bytes, as ProcessInfo's memory} */
        long memory();

        /** {@return its work counter: one per receive and send, as ProcessInfo's reductions} */
        long reductions();

        /** {@return the messages its receives have taken} */
        long messagesReceived();

        /** {@return the code it was spawned with, as ProcessInfo's initial call} */
        String initialCall();

        /**
         * {@return the callback class of the behaviour it runs (a GenServer, a supervisor), or
         * null for a plain process}. A process with a behaviour answers {@code sys} requests; a
         * plain one would leave them in its mailbox.
         */
        Class<?> behaviour();
    }

    /** Sees each live process of a walk. */
    @FunctionalInterface
    public interface ProcessVisitor {
        /** Called once per live process, on the walking thread. */
        void visit(ProcessView process);
    }

    /**
     * Implemented by a process body that runs a behaviour, so that a walk can tell it from a
     * plain process.
     */
    public interface Behaviour {
        /** {@return the behaviour's callback class} */
        Class<?> callbackClass();
    }

    /** The runtime's side. */
    public interface Provider {
        /** As {@link Introspection#forEachProcess}. */
        void forEachProcess(Node node, ProcessVisitor visitor);

        /** As {@link Introspection#pid}. */
        Optional<Pid> pid(Node node, long serial);

        /** As {@link Introspection#behaviour}. */
        Optional<Class<?>> behaviour(Pid pid);

        /** As {@link Introspection#serial}. */
        long serial(Pid pid);
    }

    // Written once by Node's static initializer, which has run before anyone holds a Node.
    // Volatile: a thread handed a Node by a data race has not itself initialised Node.
    private static volatile Provider provider;

    /**
     * Called once by the runtime, from {@code Node}'s static initializer.
     *
     * @throws IllegalStateException if called again
     */
    public static void install(Provider p) {
        if (provider != null) {
            throw new IllegalStateException("the introspection provider is already installed");
        }
        provider = Objects.requireNonNull(p, "p");
    }

    /**
     * Walks the live processes of {@code node}, in serial order. Processes spawned or exiting
     * during the walk may or may not be seen; each process is seen at most once.
     *
     * <p><b>May be called from:</b> any thread.
     */
    public static void forEachProcess(Node node, ProcessVisitor visitor) {
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(visitor, "visitor");
        provider.forEachProcess(node, visitor);
    }

    /**
     * {@return the live process with serial number {@code serial} on {@code node}}, as a pid
     * read back from its printed form.
     *
     * <p><b>May be called from:</b> any thread.
     */
    public static Optional<Pid> pid(Node node, long serial) {
        Objects.requireNonNull(node, "node");
        return provider.pid(node, serial);
    }

    /**
     * {@return the callback class of the behaviour {@code pid} runs}; empty for a plain process
     * or a dead one.
     *
     * <p><b>May be called from:</b> any thread.
     */
    public static Optional<Class<?>> behaviour(Pid pid) {
        Objects.requireNonNull(pid, "pid");
        return provider.behaviour(pid);
    }

    /**
     * {@return the serial number of {@code pid} within its node}, the second number of its
     * printed form and the order of a walk.
     *
     * <p><b>May be called from:</b> any thread.
     */
    public static long serial(Pid pid) {
        Objects.requireNonNull(pid, "pid");
        return provider.serial(pid);
    }
}
