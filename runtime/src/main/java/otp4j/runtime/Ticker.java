package otp4j.runtime;

/**
 * The clock a {@link Node} measures timeouts and timers with. Production nodes use
 * {@link #system()}; tests may inject a manual ticker and advance it instead of waiting.
 *
 * <p>A ticker whose time can jump forward must call the listeners registered with
 * {@link #addListener(Runnable)} after each jump, so that timers that became due fire.
 */
public interface Ticker {

    /** {@return the current time in nanoseconds, from an arbitrary origin; never decreasing} */
    long nanoTime();

    /**
     * Registers {@code listener} to run after this ticker's time jumps forward. The system
     * ticker never jumps and ignores listeners.
     */
    default void addListener(Runnable listener) {
    }

    /** Removes a listener added with {@link #addListener(Runnable)}. */
    default void removeListener(Runnable listener) {
    }

    /** {@return the ticker of {@link System#nanoTime()}} */
    static Ticker system() {
        return SystemTicker.INSTANCE;
    }
}

/** {@link System#nanoTime()} as a {@link Ticker}. */
enum SystemTicker implements Ticker {
    INSTANCE;

    @Override
    public long nanoTime() {
        return System.nanoTime();
    }
}
