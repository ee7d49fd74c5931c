package otp4j.ets;

import java.io.IOException;
import java.io.InvalidObjectException;
import java.io.ObjectInputStream;
import java.io.Serial;
import java.io.Serializable;
import java.util.Arrays;

/**
 * An immutable row of {@code long} counters: the value type for {@link Table#updateCounters}, as
 * an Erlang object {@code {Key, C1, C2, ...}} whose elements are counters. Counter {@code i} (from
 * 0) is Erlang's position {@code keypos + 1 + i}. Serializable, so that a table of counters can
 * be written by {@link Ets#tab2file}.
 */
public final class Counters implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    /** Never empty, never shared with a caller. */
    private final long[] values;

    private Counters(long[] values) {
        this.values = values;
    }

    /**
     * {@return counters with these initial values}
     *
     * @throws IllegalArgumentException if there are none
     */
    public static Counters of(long... values) {
        if (values.length == 0) {
            throw new IllegalArgumentException("Counters need at least one value");
        }
        return new Counters(values.clone());
    }

    /** {@return the number of counters} */
    public int size() {
        return values.length;
    }

    /**
     * {@return counter {@code index}}
     *
     * @throws IndexOutOfBoundsException if there is no such counter
     */
    public long get(int index) {
        return values[index];
    }

    /**
     * {@return a copy with counter {@code index} set to {@code value}}
     *
     * @throws IndexOutOfBoundsException if there is no such counter
     */
    public Counters with(int index, long value) {
        long[] v = values.clone();
        v[index] = value;
        return new Counters(v);
    }

    /** {@return the counters as a new array} */
    public long[] toArray() {
        return values.clone();
    }

    @Serial
    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
        in.defaultReadObject();
        if (values == null || values.length == 0) {
            throw new InvalidObjectException("Counters need at least one value");
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Counters c && Arrays.equals(values, c.values);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(values);
    }

    @Override
    public String toString() {
        return "Counters" + Arrays.toString(values);
    }
}
