package otp4j.ets;

/** The four kinds of ETS table, as the type options of {@code ets:new/2}. */
public enum TableType {
    /** One value per key; keys compared by {@code equals} (as Erlang's exact match {@code =:=}). Hash table. */
    SET,
    /**
     * One value per key, keys kept in order: by the table's comparator, by default
     * {@link Ets#keyOrder()} (numbers by value, so {@code 1} and {@code 1.0} are the same key, as
     * Erlang's {@code ==}). Skip list: first, last, next, prev and key ranges are cheap.
     */
    ORDERED_SET,
    /** Several values per key, each value at most once (by {@code equals}), in insertion order. */
    BAG,
    /** Several values per key, duplicates kept, in insertion order. */
    DUPLICATE_BAG;

    /** {@return whether a key holds at most one value} */
    public boolean isSet() {
        return this == SET || this == ORDERED_SET;
    }
}
