package otp4j.behaviour;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Objects;

import otp4j.runtime.Pid;
import otp4j.runtime.Proc;
import otp4j.runtime.Ref;

/**
 * A caller waiting in {@link GenServer#call}: OTP's {@code From}, the caller's pid and a tag
 * (GS-012). A server that returns {@link NoReply} from {@code handleCall} keeps it and answers
 * later with {@link #reply(Object)}, from the server or from any other process (GS-010, 011).
 *
 * <p>A caller that gave up (its call timed out) gets nothing: a late reply is dropped, never
 * left in its mailbox. Each call is answered at most once.
 */
public final class From {
    /*
     * One CAS decides between the reply and the caller's timeout: whoever moves OPEN first wins.
     * A reply that wins is sent; the caller, having lost, waits for it (it is on its way). A
     * timeout that wins makes every later reply a no-op, so no stray reply is ever queued.
     */
    private static final int OPEN = 0;
    private static final int REPLIED = 1;
    private static final int ABANDONED = 2;
    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(From.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Pid caller;
    private final Ref tag;
    @SuppressWarnings("unused") // accessed through STATE
    private volatile int state;

    From(Pid caller, Ref tag) {
        this.caller = caller;
        this.tag = tag;
    }

    /** {@return the calling process} */
    public Pid caller() {
        return caller;
    }

    /** {@return the call's tag} */
    public Ref tag() {
        return tag;
    }

    /**
     * Answers the call with {@code value}, as {@code gen_server:reply/2}. Replying to a caller
     * that has died or given up does nothing (GS-044).
     *
     * <p><b>May be called from:</b> any thread.
     */
    public void reply(Object value) {
        Objects.requireNonNull(value, "value: a server cannot reply null");
        if (STATE.compareAndSet(this, OPEN, REPLIED)) {
            Proc.send(caller, new CallReply(tag, value));
        }
    }

    /** The caller's timeout: true if no reply was sent, and none will be. */
    boolean abandon() {
        return STATE.compareAndSet(this, OPEN, ABANDONED);
    }

    @Override
    public String toString() {
        return "{" + caller + ", " + tag + "}";
    }
}
