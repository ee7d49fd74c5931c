package otp4j.ets.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A set's {@code Long} value that {@code update_counter} has turned into a mutable cell, so that
 * the next increments are one compare-and-set on the cell instead of a new {@code Long} swapped
 * into the map under the writer lock. Nobody outside {@link TableImpl} sees a cell: reads turn it
 * back into a {@code Long}.
 *
 * <p>Invariants. Only {@link #add} changes a live cell. Every write whose new slot depends on the
 * old value (delete_object, update_element, the general update_counter, select_replace, take)
 * first <em>seals</em> the cell, which fixes its count for good, and then replaces it in the map
 * by a plain {@code Long} of that count (or removes it); an increment that finds the cell sealed
 * does that replacement itself, then retries on the map's new slot. So no increment is lost
 * between a writer's read of a count and its write. Writes that do not depend on the old value
 * (insert, delete, delete_all_objects) replace or drop a cell without sealing it: an increment
 * that lands on the cell after that is ordered before the write, which it overlapped, and the
 * write's result does not depend on it.
 *
 * <p>Memory ordering. {@code value} is volatile: an increment's compare-and-set publishes the new
 * count, and a reader's load sees it. A sealer stores the final count in {@code sealedValue}
 * (plain) before its compare-and-set turns {@code value} into {@link #SEALED}, so a reader that
 * loads {@code SEALED} then reads the count the seal fixed: reads never wait. Only the one thread
 * that won {@code sealer} writes {@code sealedValue}; another sealer waits for it, briefly (a
 * few instructions of a thread that is running).
 */
final class CounterSlot {
    /**
     * {@code value} once sealed. A live cell never holds it: a count that would become it is left
     * to the general path, which stores it as a plain {@code Long}. Also {@link #add}'s "not added".
     */
    static final long SEALED = Long.MIN_VALUE;

    private static final VarHandle VALUE;
    private static final VarHandle SEALER;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            VALUE = l.findVarHandle(CounterSlot.class, "value", long.class);
            SEALER = l.findVarHandle(CounterSlot.class, "sealer", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private volatile long value;
    private long sealedValue;
    /** 1 once a thread has claimed the right to seal. */
    private volatile int sealer;

    /** A live cell holding {@code count}, which must not be {@link #SEALED}. */
    CounterSlot(long count) {
        value = count;
    }

    /**
     * Adds {@code increment}; {@return the new count, or {@link #SEALED} if nothing was added}:
     * the cell is sealed, or the sum overflows or would be {@code SEALED}. The caller then tells
     * which with {@link #isSealed()}.
     */
    long add(long increment) {
        for (;;) {
            long c = value;
            if (c == SEALED) {
                return SEALED;
            }
            long n = c + increment;
            if (((c ^ n) & (increment ^ n)) < 0 || n == SEALED) { // overflow: Math.addExact's test
                return SEALED;
            }
            if (VALUE.compareAndSet(this, c, n)) {
                return n;
            }
        }
    }

    boolean isSealed() {
        return value == SEALED;
    }

    /** {@return the count} The count at the seal once sealed. */
    long get() {
        long c = value;
        return c != SEALED ? c : sealedValue;
    }

    /** Seals the cell, if nobody has; {@return the count it keeps for good} */
    long seal() {
        if (!SEALER.compareAndSet(this, 0, 1)) {
            while (value != SEALED) { // the winner is between its claim and its compare-and-set
                Thread.onSpinWait();
            }
            return sealedValue;
        }
        for (;;) {
            long c = value;
            sealedValue = c;
            if (VALUE.compareAndSet(this, c, SEALED)) {
                return c;
            }
        }
    }

    @Override
    public String toString() {
        return Long.toString(get());
    }
}
