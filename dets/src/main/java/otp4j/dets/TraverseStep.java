package otp4j.dets;

import java.util.Objects;

/**
 * What the function given to {@link DiskTable#traverse} returns for each object, as the results
 * of the fun of {@code dets:traverse/2} (DETS-008).
 *
 * @param <R> the type of the collected values
 */
public sealed interface TraverseStep<R> {

    /** {@code continue}: go on, collect nothing. */
    record Continue<R>() implements TraverseStep<R> {
    }

    /**
     * {@code {continue, Value}}: collect {@code value} and go on.
     *
     * @param value the value to collect
     */
    record Collect<R>(R value) implements TraverseStep<R> {
        /** Checks that the value is not null. */
        public Collect {
            Objects.requireNonNull(value, "value");
        }
    }

    /**
     * {@code {done, Value}}: stop; the traversal returns {@code [value]}, dropping what was collected.
     *
     * @param value the traversal's only result
     */
    record Done<R>(R value) implements TraverseStep<R> {
        /** Checks that the value is not null. */
        public Done {
            Objects.requireNonNull(value, "value");
        }
    }

    /** {@return {@code continue}} */
    static <R> TraverseStep<R> proceed() {
        return new Continue<>();
    }

    /** {@return {@code {continue, value}}} */
    static <R> TraverseStep<R> collect(R value) {
        return new Collect<>(value);
    }

    /** {@return {@code {done, value}}} */
    static <R> TraverseStep<R> done(R value) {
        return new Done<>(value);
    }
}
