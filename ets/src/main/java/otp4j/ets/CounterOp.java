package otp4j.ets;

import java.util.Optional;

/**
 * One increment of {@link Table#updateCounter(Object, CounterOp)}, as Erlang's
 * {@code {Pos, Incr}} and {@code {Pos, Incr, Threshold, SetValue}}.
 *
 * <p>With a threshold, the counter wraps as in ETS (ETS-033): if {@code increment >= 0} and the
 * result would be greater than {@code threshold}, or {@code increment < 0} and the result would
 * be less than {@code threshold}, the counter is set to {@code setValue} instead.
 *
 * @param index     which counter: 0 for a {@code Long} value, 0 to {@code size - 1} for {@link Counters}
 * @param increment added to the counter (negative to decrement)
 * @param wrap      the threshold and the value to set when it is crossed, if any
 */
public record CounterOp(int index, long increment, Optional<Wrap> wrap) {
    /**
     * The threshold rule of a counter.
     *
     * @param threshold the bound the result may reach but not cross
     * @param setValue  the value the counter takes when the result crosses it
     */
    public record Wrap(long threshold, long setValue) {
    }

    /**
     * Checks the index and that {@code wrap} is not null.
     *
     * @throws BadArgException if {@code index} is negative
     */
    public CounterOp {
        if (index < 0) {
            throw new BadArgException("counter index must be >= 0 (0 is the first counter after the key), was "
                    + index);
        }
        if (wrap == null) {
            throw new NullPointerException("wrap");
        }
    }

    /** {@return {@code {Pos, Incr}}: add {@code increment} to counter {@code index}} */
    public static CounterOp add(int index, long increment) {
        return new CounterOp(index, increment, Optional.empty());
    }

    /** {@return {@code {Pos, Incr, Threshold, SetValue}}} */
    public static CounterOp wrap(int index, long increment, long threshold, long setValue) {
        return new CounterOp(index, increment, Optional.of(new Wrap(threshold, setValue)));
    }

    /**
     * {@return the new value of a counter that was {@code old}}
     *
     * @throws BadArgException if the result does not fit in a {@code long}
     */
    public long apply(long old) {
        long r;
        try {
            r = Math.addExact(old, increment);
        } catch (ArithmeticException e) {
            throw new BadArgException("counter " + index + " overflows: " + old + " + " + increment);
        }
        if (wrap.isPresent()) {
            Wrap w = wrap.get();
            if (increment >= 0 ? r > w.threshold() : r < w.threshold()) {
                return w.setValue();
            }
        }
        return r;
    }
}
