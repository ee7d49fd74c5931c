package otp4j.runtime;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * One monitor: {@code watcher} gets a {@link Down} tagged {@code ref} when {@code target} exits.
 *
 * <p>It sits in the watcher's {@code monitors} and the target's {@code monitoredBy}. Its state
 * moves once, by CAS, from ACTIVE to FIRED (the target died: the DOWN is sent) or CANCELLED
 * (demonitor, or the watcher died). Whoever wins the CAS does the work; the entry left behind in
 * the other process's set is removed later by that process (when its set grows, or when it
 * dies), so that a million processes dying at once do not all queue for their watcher's lock.
 */
final class Monitor {
    private static final int ACTIVE = 0;
    private static final int FIRED = 1;
    private static final int CANCELLED = 2;
    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(Monitor.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final Ref ref;
    final ProcessImpl watcher;
    final ProcessImpl target;
    /** What the DOWN names: the target's pid, or the name it was monitored by. */
    final Dest item;
    @SuppressWarnings("unused") // accessed through STATE
    private volatile int state;
    /** Set once the DOWN of a fired monitor is in the watcher's mailbox. */
    private volatile boolean delivered;

    Monitor(Ref ref, ProcessImpl watcher, ProcessImpl target, Dest item) {
        this.ref = ref;
        this.watcher = watcher;
        this.target = target;
        this.item = item;
    }

    boolean isActive() {
        return state == ACTIVE;
    }

    boolean isFired() {
        return state == FIRED;
    }

    /** Claims the monitor for its target's death; true if the DOWN is ours to send. */
    boolean fire() {
        return STATE.compareAndSet(this, ACTIVE, FIRED);
    }

    /** Claims the monitor for a demonitor or the watcher's death; true if it was still active. */
    boolean cancel() {
        return STATE.compareAndSet(this, ACTIVE, CANCELLED);
    }

    /** Called by the dying target once the DOWN is queued. */
    void markDelivered() {
        delivered = true;
    }

    /**
     * Waits until the DOWN of this fired monitor is in the watcher's mailbox, so that a
     * demonitor with {@code FLUSH} finds it there (EXIT-033). The target queues it right after
     * winning the monitor, without blocking, so a short spin then yield suffices.
     */
    void awaitDelivered() {
        for (int spins = 0; !delivered; spins++) {
            if (spins < 128) {
                Thread.onSpinWait();
            } else {
                Thread.yield();
            }
        }
    }
}
