package otp4j.runtime;

import java.util.Optional;

/**
 * A place where processes register under keys of its own, as an Erlang {@code via} module:
 * servers started with a {@link Via} name register there, and messages and calls to a
 * {@code Via} are sent to whoever is registered. Implemented by {@code otp4j.behaviour.Registry}.
 *
 * <p>Implementations must be safe to call from any thread, and must forget a process when it
 * exits.
 */
public interface NameService {

    /**
     * Registers {@code pid} under {@code key}; returns false, changing nothing, if {@code key}
     * is taken.
     */
    boolean registerName(Object key, Pid pid);

    /** Removes {@code key} if it is registered; does nothing otherwise. */
    void unregisterName(Object key);

    /** {@return the live process registered under {@code key}} */
    Optional<Pid> whereisName(Object key);
}
