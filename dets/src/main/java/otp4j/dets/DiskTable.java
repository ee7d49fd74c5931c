package otp4j.dets;

import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;

import otp4j.ets.BadArgException;
import otp4j.ets.Chunk;
import otp4j.ets.CounterOp;
import otp4j.ets.NoSuchTableException;
import otp4j.ets.Query;
import otp4j.ets.Table;

/**
 * A disk table, as opened by {@link Dets#openFile}: keys mapped to values in a file, as Erlang's
 * DETS. Implemented by otp4j only.
 *
 * <h2>Data model</h2>
 * As {@link Table}: an object is a key and a value; a set holds one value per key, a bag several
 * distinct ones, a duplicate bag several that may repeat. Keys and values are written through the
 * table's {@linkplain DetsOptions#codec() codec}, and two keys (or two values of a bag) are the
 * same when the codec writes them as the same bytes: Erlang's exact match, so {@code 1} and
 * {@code 1L} and {@code 1.0} are three keys (DETS-035), and equal lists, records, strings and
 * numbers are one. A set or map used as a key must iterate in the same order each time (a sorted
 * one does). Neither keys nor values may be null.
 *
 * <h2>Who may call</h2>
 * Any thread may read and write an open table, process or not, opener or not (DETS-038). Opening
 * and closing are the calling process's: see {@link Dets}. Once the table is closed by its last
 * opener, every call on this object throws {@link NoSuchTableException} (DETS-014), except
 * {@link #info()}, which is empty, and {@link #close()}. Open the file again for a new object.
 *
 * <h2>Concurrency and crashes</h2>
 * Each call is atomic: concurrent calls are applied one after the other, and a list insert is
 * seen whole or not at all (across a crash the unit is the record: an unsynced list insert may
 * come back as a prefix of its objects). A kill of a process in the middle of a call does not stop the call's
 * file I/O, so the table stays whole for everyone else. What a crash of the JVM keeps depends on
 * the {@linkplain DetsOptions#durability() durability}: everything written before the last
 * {@link #sync()}, close or auto-save, or before each write with {@link Durability#EVERY_WRITE};
 * nothing torn or invented. Traversals ({@link #foldl}, {@link #traverse}, the select family)
 * visit each object present for the whole walk exactly once, and do not block writers between
 * their batches.
 *
 * <h2>Failures</h2>
 * As DETS raises {@code badarg}: a closed table is a {@link NoSuchTableException}, a write to a
 * table opened for reading a {@link otp4j.ets.TableAccessException} (DETS returns
 * {@code {error, {access_mode, File}}}, DETS-024), other bad arguments a {@link BadArgException}
 * naming the argument. A key or value the codec cannot write is a {@link BadArgException} naming
 * it, and nothing is written. A file error during a call, or a damaged record met by a read, is
 * an {@link java.io.UncheckedIOException}, never a wrong value.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
public interface DiskTable<K, V> extends AutoCloseable {

    /** {@return the table's name} */
    String name();

    /** {@return the table's file} */
    Path file();

    /** {@return the table's info, or empty once it is closed ({@code undefined}, DETS-014)} */
    Optional<DiskTableInfo> info();

    /** {@return the number of objects} */
    long size();

    /** Inserts an object; in a set it replaces the key's value (DETS-001, DETS-004). */
    void insert(K key, V value);

    /** Inserts several objects in one atomic step (DETS-015); the codec checks them all before any is written. */
    void insertAll(Collection<? extends Map.Entry<? extends K, ? extends V>> entries);

    /** {@return false, writing nothing, if the key is present; else inserts and returns true (DETS-010)} */
    boolean insertNew(K key, V value);

    /** {@return false, writing nothing, if any key is present; else inserts them all (DETS-039)} */
    boolean insertNewAll(Collection<? extends Map.Entry<? extends K, ? extends V>> entries);

    /** {@return the key's values: none, one for a set, in insertion order for bags (DETS-005)} */
    List<V> lookup(K key);

    /** {@return whether the key is present (DETS-005)} */
    boolean member(K key);

    /** Deletes every object with the key; a missing key is no error (DETS-005). */
    void delete(K key);

    /** Deletes the object {@code key, value}, every copy of it in a duplicate bag (DETS-006). */
    void deleteObject(K key, V value);

    /** Deletes every object (DETS-032). */
    void deleteAllObjects();

    /**
     * {@return the new value of the {@code Long} counter at {@code key}} after adding
     * {@code increment}, as {@code dets:update_counter/3} (DETS-011).
     *
     * @throws BadArgException if the table is a bag, the key is missing, or its value is not a {@code Long}
     */
    long updateCounter(K key, long increment);

    /**
     * {@return the new value of counter {@code op.index()}} of a {@code Long} value (index 0) or a
     * {@link otp4j.ets.Counters} value, as {@code dets:update_counter(T, K, {Pos, Incr})} (DETS-011).
     *
     * @throws BadArgException as {@link #updateCounter(Object, long)}, or if there is no such counter
     */
    long updateCounter(K key, CounterOp op);

    /** {@return the first key of a walk with {@link #next}, empty for an empty table ({@code '$end_of_table'}, DETS-031)} */
    Optional<K> first();

    /**
     * {@return the key after {@code key} in the table's walk order, empty at the end} The order is
     * the key directory's (a hash order); each call scans it, so walk a big table with a fold or
     * a select with a limit instead.
     *
     * @throws BadArgException if {@code key} is not in the table
     */
    Optional<K> next(K key);

    /** {@return {@code f} folded over every object, as {@code dets:foldl/3} (DETS-008)} */
    <A> A foldl(A acc, Table.Folder<? super K, ? super V, A> f);

    /** {@return the values collected by {@code f} over the objects, as {@code dets:traverse/2} (DETS-008)} */
    <R> List<R> traverse(BiFunction<? super K, ? super V, TraverseStep<R>> f);

    /** {@return every match of {@code q}, as {@code dets:select/2}, {@code match/2} and {@code match_object/2} (DETS-007)} */
    <R> List<R> select(Query<K, V, R> q);

    /** {@return the first chunk of at most {@code limit} matches, or empty if none (DETS-030)} */
    <R> Optional<Chunk<R>> select(Query<K, V, R> q, int limit);

    /** {@return the number of objects deleted: those {@code q} matches, as {@code dets:select_delete/2} (DETS-034)} */
    long selectDelete(Query<K, V, ?> q);

    /** {@return {@code table}, after inserting every object of this one into it, as {@code dets:to_ets/2}} */
    Table<K, V> toEts(Table<K, V> table);

    /** Replaces every object of this table with those of {@code table}, in one atomic step, as {@code dets:from_ets/2}. */
    void fromEts(Table<K, V> table);

    /**
     * Forces every write made so far to the disk and records the key directory, so that the
     * file is clean as of now, as {@code dets:sync/1} (DETS-012): a crash right after needs no
     * repair (DETS-028).
     */
    void sync();

    /**
     * Closes the calling process's open of this table, as {@code dets:close/1}. Opens are
     * counted per process and per call: the table closes when its last open is closed, after
     * syncing (DETS-016). A call by a process without an open is an error and the table stays
     * open (DETS-013); so is a second close after the last.
     *
     * <p><b>May be called from:</b> a process that opened the table.
     *
     * @throws otp4j.ets.TableAccessException if the caller has no open of this table ({@code {error, not_owner}})
     * @throws java.io.UncheckedIOException    if the final sync fails; the table is closed anyway
     */
    @Override
    void close();
}
