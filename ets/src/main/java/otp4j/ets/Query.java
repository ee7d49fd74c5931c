package otp4j.ets;

import java.util.Comparator;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.BiPredicate;

/**
 * A typed match specification: which keys to visit, which objects match, and what to return for
 * each, as the pattern, guards and body of an ETS match spec. Immutable; each {@code with}-style
 * method returns a new query.
 *
 * {@snippet :
 * // ets:select(T, [{{'$1', '$2'}, [{'>', '$2', 1}], ['$1']}])          (ETS-049)
 * List<String> keys = table.select(Query.<String, Long>all().where((k, v) -> v > 1).map((k, v) -> k));
 * // ordered_set, keys from "b" up to, not including, "d": visits only that range
 * table.select(Query.<String, Long>all().from("b", true).to("d", false));
 * }
 *
 * <p><b>Visiting only what is needed.</b> With {@link #key}, a select looks up that key and
 * nothing else (as a match spec with the key bound, ETS-059). On an
 * {@link TableType#ORDERED_SET}, {@link #from} and {@link #to} bound the walk to that sub-range
 * of the skip list. On other types a key range is a filter applied to every key, compared by the
 * table's key order.
 *
 * <p>The predicate and projection run on the calling thread, outside any lock. They must not
 * use the table they query.
 *
 * @param key        visit only this key, if present
 * @param from       the lower key bound, if any
 * @param to         the upper key bound, if any
 * @param filter     which objects match (the guards)
 * @param projection what a matching object gives (the body)
 * @param <K>        the key type
 * @param <V>        the value type
 * @param <R>        the result type
 */
public record Query<K, V, R>(Optional<K> key, Optional<Bound<K>> from, Optional<Bound<K>> to,
                             BiPredicate<? super K, ? super V> filter,
                             BiFunction<? super K, ? super V, ? extends R> projection) {

    /**
     * One end of a key range.
     *
     * @param key       the bound
     * @param inclusive whether the bound itself is in the range
     * @param <K>       the key type
     */
    public record Bound<K>(K key, boolean inclusive) {
        /** Checks that the key is not null. */
        public Bound {
            Objects.requireNonNull(key, "key");
        }
    }

    /** Checks that no part is null. */
    public Query {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(filter, "filter");
        Objects.requireNonNull(projection, "projection");
    }

    /** {@return a query matching every object and returning it as a key-value entry ({@code '$_'})} */
    public static <K, V> Query<K, V, Map.Entry<K, V>> all() {
        return new Query<>(Optional.empty(), Optional.empty(), Optional.empty(), (k, v) -> true, Map::entry);
    }

    /** {@return this query restricted to objects with key {@code k}} */
    public Query<K, V, R> key(K k) {
        return new Query<>(Optional.of(Objects.requireNonNull(k, "k")), from, to, filter, projection);
    }

    /** {@return this query restricted to keys after {@code lo} (or at it, if {@code inclusive})} */
    public Query<K, V, R> from(K lo, boolean inclusive) {
        return new Query<>(key, Optional.of(new Bound<>(lo, inclusive)), to, filter, projection);
    }

    /** {@return this query restricted to keys before {@code hi} (or at it, if {@code inclusive})} */
    public Query<K, V, R> to(K hi, boolean inclusive) {
        return new Query<>(key, from, Optional.of(new Bound<>(hi, inclusive)), filter, projection);
    }

    /** {@return this query restricted to objects that also satisfy {@code p} (guards are and-ed)} */
    public Query<K, V, R> where(BiPredicate<? super K, ? super V> p) {
        Objects.requireNonNull(p, "p");
        BiPredicate<? super K, ? super V> f = filter;
        return new Query<>(key, from, to, (k, v) -> f.test(k, v) && p.test(k, v), projection);
    }

    /**
     * {@return whether {@code k} lies within this query's key range ({@link #from}, {@link #to}),
     * compared by {@code order}; true when it has no range} Tables apply it to the keys they
     * visit when they cannot walk the range itself.
     */
    public boolean inRange(K k, Comparator<Object> order) {
        if (from.isPresent()) {
            int c = order.compare(k, from.get().key());
            if (c < 0 || c == 0 && !from.get().inclusive()) {
                return false;
            }
        }
        if (to.isPresent()) {
            int c = order.compare(k, to.get().key());
            return c < 0 || c == 0 && to.get().inclusive();
        }
        return true;
    }

    /** {@return this query returning {@code f(key, value)} for each match (the body)} */
    public <R2> Query<K, V, R2> map(BiFunction<? super K, ? super V, ? extends R2> f) {
        return new Query<>(key, from, to, filter, f);
    }
}
