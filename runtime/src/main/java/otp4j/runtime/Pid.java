package otp4j.runtime;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

import otp4j.runtime.internal.ExitHooks;

/**
 * A process identifier: printed like Erlang's {@code <0.42.0>}, comparable, and usable as a map
 * key. A pid stays valid after its process has exited: sending to it is then a no-op, and
 * {@link Proc#isAlive(Pid)} answers false.
 *
 * <p>Pids are made only by spawning; two pids are equal when they name the same process. The
 * first number is the index of the {@link Node} that spawned the process (several nodes may run
 * in one JVM), the second a serial number unique within that node.
 */
public final class Pid implements Dest, Comparable<Pid> {
    private static final VarHandle PROC;

    static {
        try {
            PROC = MethodHandles.lookup().findVarHandle(Pid.class, "proc", ProcessImpl.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
        // Here, because whoever adds a hook holds a Pid: this has run before (see ExitHooks).
        ExitHooks.install(new ExitHooks.Registrar() {
            @Override
            public boolean add(Pid pid, ExitHooks.Hook hook) {
                ProcessImpl p = pid.getProcOpaque(); // stale non-null after death: addExitHook checks
                return p != null && p.addExitHook(hook);
            }

            @Override
            public void deliver(Pid to, Object message) {
                ProcessImpl p = to.getProcOpaque(); // stale: the message goes to a dead mailbox, as a send would
                if (p != null) {
                    p.deliver(message);
                }
            }
        });
    }

    private final Node node;
    private final long serial;
    /** The live process, or null once it has exited, so that a kept pid does not keep its process. */
    @SuppressWarnings("unused") // accessed through PROC
    private ProcessImpl proc;

    Pid(Node node, long serial, ProcessImpl proc) {
        this.node = node;
        this.serial = serial;
        this.proc = proc;
    }

    /** {@return the node this process belongs to} */
    public Node node() {
        return node;
    }

    // Opaque: a sender that still sees the process just after it died offers to a dead mailbox,
    // which nobody reads; the message is dropped as Erlang drops a send to a dead pid.
    ProcessImpl getProcOpaque() {
        return (ProcessImpl) PROC.getOpaque(this);
    }

    void setProcOpaque(ProcessImpl p) {
        PROC.setOpaque(this, p);
    }

    long serial() {
        return serial;
    }

    @Override
    public int compareTo(Pid other) {
        int c = Integer.compare(node.index(), other.node.index());
        return c != 0 ? c : Long.compare(serial, other.serial);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Pid p && p.serial == serial && p.node == node;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(serial * 0x9E3779B97F4A7C15L) ^ node.index();
    }

    /** {@return the pid as Erlang prints it, {@code <node.serial.0>}} */
    @Override
    public String toString() {
        return "<" + node.index() + "." + serial + ".0>";
    }
}
