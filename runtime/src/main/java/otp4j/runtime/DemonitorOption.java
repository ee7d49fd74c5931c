package otp4j.runtime;

/** Options of {@link Proc#demonitor(Ref, DemonitorOption...)}, as {@code erlang:demonitor/2}'s. */
public enum DemonitorOption {
    /** Also remove a {@link Down} for this monitor that is already in the mailbox (EXIT-033). */
    FLUSH,
    /** Return whether the monitor was still active, instead of always true (EXIT-034). */
    INFO
}
