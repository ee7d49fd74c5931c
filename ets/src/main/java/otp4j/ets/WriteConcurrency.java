package otp4j.ets;

/**
 * The {@code write_concurrency} option of {@code ets:new/2}: how many stripes the table's writer
 * lock has. A write of one key never waits for another write of one key in any case (it is a
 * compare-and-set on that key's slot); what the lock does is keep those writes out while a write
 * of several objects ({@link Table#insertAll}, {@link Table#insertNewAll},
 * {@link Table#deleteAllObjects}) runs. A single-key write takes one stripe in shared mode, a
 * multi-object write takes every stripe exclusively. With one stripe, every writer updates the
 * same lock word, which becomes a point of contention when many processes write at once; with
 * more stripes, writers spread over several words and a multi-object write pays for locking them
 * all.
 */
public enum WriteConcurrency {
    /** One stripe: cheapest multi-object writes and smallest table. ETS's default ({@code false}). */
    OFF,
    /** 64 stripes, a fixed number, as ETS's {@code {write_concurrency, true}}. */
    ON,
    /**
     * A stripe count from the machine: the smallest power of two at least four times
     * {@link Runtime#availableProcessors()}, at most 64, chosen when the table is made
     * ({@code {write_concurrency, auto}}; ETS adapts its lock count at run time instead).
     */
    AUTO;

    /** {@return the number of lock stripes a table with this option has} */
    public int stripes() {
        return switch (this) {
            case OFF -> 1;
            case ON -> 64;
            case AUTO -> Math.min(64, Integer.highestOneBit(4 * Runtime.getRuntime().availableProcessors() - 1) << 1);
        };
    }
}
