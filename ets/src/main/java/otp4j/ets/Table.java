package otp4j.ets;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

import otp4j.runtime.Pid;

/**
 * An ETS table: keys mapped to values, owned by a process, as made by {@link Ets#newTable}.
 * Implemented by otp4j only. A {@code Table} is the table's identifier: it stays the same object
 * for the table's life, and once the table is deleted every call on it throws
 * {@link NoSuchTableException} except {@link #info()}, which returns empty.
 *
 * <h2>Data model</h2>
 * An Erlang object {@code {Key, Value}} is a key and a value; an object with more elements is a
 * key and a value of the user's type (a record). A set holds one value per key; a bag several
 * distinct ones, a duplicate bag several that may repeat, each in insertion order. Counters are
 * {@code Long} values, or {@link Counters} for several counters per key. Neither keys nor values
 * may be null ({@link NullPointerException}).
 *
 * <h2>Who may call</h2>
 * Every method may be called from any thread; the table's {@link Access} decides, against the
 * calling process, whether it may read or write (a thread that is not a process is never the
 * owner). Methods that read say <em>reads</em>; methods that change objects say <em>writes</em>;
 * ownership and options can only be changed by the owner.
 *
 * <h2>Concurrency</h2>
 * Reads never block and never take a lock. A write of one key (insert, delete, take,
 * updateCounter, updateElement ...) is atomic and isolated: concurrent writes to the same key are
 * applied one after the other, and readers see the key before or after, never in between. A
 * write of several objects ({@link #insertAll}, {@link #insertNewAll},
 * {@link #deleteAllObjects}) is all-or-nothing and excludes every other write while it runs, so
 * writers never interleave with it; a reader that looks at several keys during it may see some
 * of its objects and not others. Actions before a write happen-before a read that sees it.
 *
 * <h2>Traversal</h2>
 * {@link #foldl}, {@link #tab2list} and the select family walk the table without blocking
 * writers, and need no {@code safe_fixtable}: each object present for the whole walk is visited
 * exactly once, an object inserted or deleted meanwhile may or may not be visited, and nothing
 * is visited twice. On an ordered set the walk is in key order. {@link #next} and {@link #prev}
 * on an ordered set accept keys that are not in the table (ETS-044); on other types the key must
 * be present, and each call scans the table (use a fold or a select with a limit to walk a big
 * hash table).
 *
 * @param <K> the key type
 * @param <V> the value type
 */
public interface Table<K, V> {

    /** A function folded over a table's objects, as the fun of {@code ets:foldl/3}. */
    @FunctionalInterface
    interface Folder<K, V, A> {
        /** {@return the accumulator after the object {@code key}, {@code value}} */
        A apply(K key, V value, A acc);
    }

    // ------------------------------------------------------------------ identity and ownership

    /** {@return the table's id, unique within its node} */
    long id();

    /** {@return the table's current name} */
    String name();

    /**
     * {@return the table's info, or empty if it has been deleted} Works whatever the access (ETS-013).
     */
    Optional<TableInfo> info();

    /**
     * {@return the number of objects} Reads.
     *
     * @throws NoSuchTableException  if the table has been deleted
     * @throws TableAccessException if the caller may not read the table
     */
    long size();

    /**
     * Makes {@code to} the owner and sends it {@link EtsTransfer}{@code (this, caller, data)}, as
     * {@code ets:give_away/3}. Owner only (ETS-021, ETS-022, ETS-023).
     *
     * @throws TableAccessException if the caller is not the owner
     * @throws BadArgException       if {@code to} is the caller, is not alive, or is on another node
     */
    void giveAway(Pid to, Object data);

    /**
     * Sets the heir, as {@code ets:setopts(T, {heir, Pid, Data})}. Owner only (ETS-019). The owner
     * may name itself (ETS-018); at its death that means no heir.
     *
     * @throws TableAccessException if the caller is not the owner
     * @throws BadArgException       if {@code heir} is on another node
     */
    void setHeir(Pid heir, Object data);

    /**
     * Removes the heir, as {@code ets:setopts(T, {heir, none})}. Owner only.
     *
     * @throws TableAccessException if the caller is not the owner
     */
    void clearHeir();

    /**
     * Renames the table, as {@code ets:rename/2}; a named table is then found by the new name only.
     * Writes.
     *
     * @throws BadArgException if the table is named and another named table has {@code newName}
     */
    void rename(String newName);

    /**
     * Deletes the table, as {@code ets:delete/1}: writes (the owner, or anyone for a public
     * table, ETS-014). Afterwards every call fails with {@link NoSuchTableException} (ETS-063).
     *
     * @throws NoSuchTableException  if it was already deleted
     * @throws TableAccessException if the caller may not write the table
     */
    void delete();

    // ------------------------------------------------------------------ writes

    /** Inserts, as {@code ets:insert/2}: a set replaces the key's value (ETS-001). Writes. */
    void insert(K key, V value);

    /**
     * Inserts every entry, all or nothing, as {@code ets:insert/2} with a list (ETS-066). Writes.
     * Two entries with the same key in a set: the last wins (ETS-007).
     */
    void insertAll(Collection<? extends Map.Entry<? extends K, ? extends V>> entries);

    /** {@return whether inserted: false if the key is present, whatever its values} Writes (ETS-024, 025, 074). */
    boolean insertNew(K key, V value);

    /** {@return whether inserted: nothing is if any key is present} Writes (ETS-024). */
    boolean insertNewAll(Collection<? extends Map.Entry<? extends K, ? extends V>> entries);

    /** Deletes the key and all its values, as {@code ets:delete/2}; a missing key is fine. Writes. */
    void delete(K key);

    /** Deletes one object, as {@code ets:delete_object/2}: every copy of it in a duplicate bag. Writes. */
    void deleteObject(K key, V value);

    /** Deletes every object, atomically, as {@code ets:delete_all_objects/1}. Writes. */
    void deleteAllObjects();

    /** {@return the key's values, now removed} as {@code ets:take/2}. Writes. */
    List<V> take(K key);

    /**
     * {@return the new value} Adds {@code increment} to the key's {@code Long} value (or counter 0 of
     * its {@link Counters}), as {@code ets:update_counter/3}. Writes; set and ordered set only.
     *
     * @throws BadArgException if the key is missing, the value is not a counter, or the table is a bag
     */
    long updateCounter(K key, long increment);

    /** As {@link #updateCounter(Object, long)}, inserting {@code initial} first if the key is missing (ETS-036). */
    long updateCounter(K key, long increment, V initial);

    /** {@return the new value} As {@link #updateCounter(Object, long)} with {@code {Pos, Incr[, Threshold, SetValue]}}. */
    long updateCounter(K key, CounterOp op);

    /** As {@link #updateCounter(Object, CounterOp)}, inserting {@code initial} first if the key is missing. */
    long updateCounter(K key, CounterOp op, V initial);

    /**
     * {@return each counter's value after its operation} Applies {@code ops} in order, atomically,
     * as {@code ets:update_counter/3} with a list (ETS-035). Writes.
     */
    long[] updateCounters(K key, List<CounterOp> ops);

    /** As {@link #updateCounters(Object, List)}, inserting {@code initial} first if the key is missing. */
    long[] updateCounters(K key, List<CounterOp> ops, V initial);

    /**
     * {@return false if the key is missing} Replaces the key's value by {@code update(value)},
     * atomically, as {@code ets:update_element/3} (ETS-039). Writes; set and ordered set only.
     * {@code update} runs while the key is locked: keep it short, and do not use this table in it.
     *
     * @throws BadArgException if the table is a bag (ETS-040)
     */
    boolean updateElement(K key, UnaryOperator<V> update);

    // ------------------------------------------------------------------ reads

    /** {@return the key's values, in insertion order; empty if missing} as {@code ets:lookup/2}. Reads. */
    List<V> lookup(K key);

    /**
     * {@return the key's value} as {@code ets:lookup_element/3} on a set. Reads. On a bag, use
     * {@link #lookup} (ETS-027).
     *
     * @throws BadArgException if the key is missing (ETS-026), or the table is a bag
     */
    V lookupElement(K key);

    /** {@return whether the key is present} as {@code ets:member/2}. Reads. */
    boolean member(K key);

    /** {@return the first key; on an ordered set the least} Reads. */
    Optional<K> first();

    /** {@return the last key; on an ordered set the greatest, on others as {@link #first()}} Reads (ETS-042). */
    Optional<K> last();

    /**
     * {@return the key after {@code key}} Reads.
     *
     * @throws BadArgException if the table is not an ordered set and {@code key} is missing (ETS-044)
     */
    Optional<K> next(K key);

    /** {@return the key before {@code key}} On types other than ordered set, as {@link #next}. Reads. */
    Optional<K> prev(K key);

    /** {@return the result of folding {@code f} over every object} as {@code ets:foldl/3}. Reads. */
    <A> A foldl(A acc, Folder<? super K, ? super V, A> f);

    /** {@return as {@link #foldl}, in descending key order on an ordered set} Reads. */
    <A> A foldr(A acc, Folder<? super K, ? super V, A> f);

    /** {@return every object, in key order on an ordered set} as {@code ets:tab2list/1}. Reads. */
    List<Map.Entry<K, V>> tab2list();

    // ------------------------------------------------------------------ queries

    /** {@return the results of {@code q} for every matching object} as {@code ets:select/2}. Reads. */
    <R> List<R> select(Query<K, V, R> q);

    /**
     * {@return the first chunk of at most {@code limit} results, or empty if none} as
     * {@code ets:select/3} (ETS-053). Reads.
     *
     * @throws BadArgException if {@code limit < 1}
     */
    <R> Optional<Chunk<R>> select(Query<K, V, R> q, int limit);

    /** {@return as {@link #select(Query)}, in descending key order on an ordered set} (ETS-057). Reads. */
    <R> List<R> selectReverse(Query<K, V, R> q);

    /** {@return how many objects match {@code q}} as {@code ets:select_count/2}. Reads. */
    long selectCount(Query<K, V, ?> q);

    /**
     * {@return how many objects were deleted} Deletes every object matching {@code q}, as
     * {@code ets:select_delete/2} and {@code ets:match_delete/2}: each object atomically, not
     * the whole. Writes.
     */
    long selectDelete(Query<K, V, ?> q);

    /**
     * {@return how many objects were replaced} Replaces the value of every object matching
     * {@code q} by the query's result, as {@code ets:select_replace/2} (the key cannot change):
     * each object atomically, only if it is unchanged since it matched. On a
     * {@link TableType#DUPLICATE_BAG} each matching value is replaced where it stands, the key's
     * values as a whole atomically; a key changed by another write meanwhile is matched again
     * (so the query's functions may run more than once for it). Writes.
     *
     * @throws BadArgException if the table is a {@link TableType#BAG}, as in ETS: a replacement
     *                         could equal another of the key's values, which a bag holds once
     */
    long selectReplace(Query<K, V, V> q);
}
