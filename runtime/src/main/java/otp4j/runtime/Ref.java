package otp4j.runtime;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A unique reference, Erlang's {@code make_ref()}: returned by {@link Proc#makeRef()},
 * {@link Proc#monitor(Pid)} and the timer functions, and compared by identity.
 *
 * <p>A reference made by a process also marks that process's mailbox: a
 * {@link Proc#receive(Ref, Matcher, java.time.Duration) receive after the ref} looks only at
 * messages that arrived after it was made, so a reply is found without scanning a long mailbox.
 */
public final class Ref {
    private static final VarHandle ATTACHMENT;

    static {
        try {
            ATTACHMENT = MethodHandles.lookup().findVarHandle(Ref.class, "attachment", Object.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final int nodeIndex;
    private final long id;
    /** What the ref names while it is active: a {@code Monitor} or a timer; null otherwise. */
    @SuppressWarnings("unused") // accessed through ATTACHMENT
    private Object attachment;

    Ref(int nodeIndex, long id) {
        this.nodeIndex = nodeIndex;
        this.id = id;
    }

    // Acquire/Release: the attachment is published by the thread that made the monitor or timer
    // and read by whoever cancels it; the release store publishes the attachment's fields.
    Object getAttachmentAcquire() {
        return ATTACHMENT.getAcquire(this);
    }

    void setAttachmentRelease(Object a) {
        ATTACHMENT.setRelease(this, a);
    }

    boolean casAttachment(Object expected, Object a) {
        return ATTACHMENT.compareAndSet(this, expected, a);
    }

    long id() {
        return id;
    }

    /** {@return the reference as Erlang prints one, {@code #Ref<node.id>}} */
    @Override
    public String toString() {
        return "#Ref<" + nodeIndex + "." + id + ">";
    }
}
