package otp4j.runtime;

import otp4j.runtime.internal.TimerService;

/**
 * A timer made by {@code sendAfter} or {@code startTimer}. It belongs to its destination, as in
 * Erlang: it fires even if its creator has exited (PROC-047), and is cancelled when a pid
 * destination exits (PROC-043). A {@link Name} or {@link Via} is resolved when the timer fires
 * (PROC-044).
 */
final class SendTimer extends TimerService.Timer {
    final Ref ref;
    private final Node node;
    private final Dest dest;
    /** The destination process for a pid destination, null for a name. */
    final ProcessImpl target;
    private final Object message;

    SendTimer(long deadline, Ref ref, Node node, Dest dest, ProcessImpl target, Object message) {
        super(deadline);
        this.ref = ref;
        this.node = node;
        this.dest = dest;
        this.target = target;
        this.message = message;
    }

    @Override
    protected void fire() {
        ref.casAttachment(this, null);
        if (target != null) {
            target.forgetTimer(this);
            target.deliver(message);
        } else {
            ProcessImpl p = switch (dest) {
                case Name name -> node.lookup(name.name());
                case Via via -> via.service().whereisName(via.key()).map(Pid::getProcOpaque).orElse(null);
                case Pid pid -> throw new IllegalStateException("a pid destination has a target");
            };
            if (p != null) {
                p.deliver(message);
            }
        }
    }
}
