package otp4j.ets;

import java.util.Comparator;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

import otp4j.runtime.Pid;

/**
 * The options of {@link Ets#newTable}, as the option list of {@code ets:new/2}. Immutable; each
 * {@code with} method returns a copy. {@link #defaults()} is ETS's default (ETS-068): a
 * {@link TableType#SET}, {@link Access#PROTECTED}, not named, no heir, no read or write
 * concurrency.
 *
 * @param type       the table type
 * @param access     who may read and write
 * @param namedTable whether {@link Ets#whereis} finds the table by its name ({@code named_table})
 * @param heir       who inherits the table when its owner dies
 * @param comparator the key order of an {@link TableType#ORDERED_SET}; empty for
 *                   {@link Ets#keyOrder()}
 * @param readConcurrency  {@code read_concurrency}: accepted and shown in {@link TableInfo}, and
 *                   changes nothing, because reads take no lock whatever the option (see
 *                   {@link #withReadConcurrency})
 * @param writeConcurrency {@code write_concurrency}: the striping of the writer lock
 * @param maxSize    the most objects the table may hold; empty for no bound, ETS's only way
 *                   (see {@link #withMaxSize})
 */
public record TableOptions(TableType type, Access access, boolean namedTable, Optional<Heir> heir,
                           Optional<Comparator<Object>> comparator, boolean readConcurrency,
                           WriteConcurrency writeConcurrency, OptionalLong maxSize) {

    /**
     * Checks that no part is null and that a comparator is given only for an ordered set.
     *
     * @throws BadArgException if a comparator is given for another type, or a bound below 1
     */
    public TableOptions {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(access, "access");
        Objects.requireNonNull(heir, "heir");
        Objects.requireNonNull(comparator, "comparator");
        Objects.requireNonNull(writeConcurrency, "writeConcurrency");
        Objects.requireNonNull(maxSize, "maxSize");
        if (maxSize.isPresent() && maxSize.getAsLong() < 1) {
            throw new BadArgException("maxSize: a table must be allowed at least 1 object, not " + maxSize.getAsLong());
        }
        if (comparator.isPresent() && type != TableType.ORDERED_SET) {
            throw new BadArgException("a key comparator orders an ORDERED_SET; this table is a " + type);
        }
    }

    /** {@return ETS's defaults: set, protected, not named, no heir, no read or write concurrency} */
    public static TableOptions defaults() {
        return new TableOptions(TableType.SET, Access.PROTECTED, false, Optional.empty(), Optional.empty(), false,
                WriteConcurrency.OFF, OptionalLong.empty());
    }

    /** {@return a copy with table type {@code t}} */
    public TableOptions withType(TableType t) {
        return new TableOptions(t, access, namedTable, heir, t == TableType.ORDERED_SET ? comparator : Optional.empty(),
                readConcurrency, writeConcurrency, maxSize);
    }

    /** {@return a copy with access {@code a}} */
    public TableOptions withAccess(Access a) {
        return new TableOptions(type, a, namedTable, heir, comparator, readConcurrency, writeConcurrency, maxSize);
    }

    /** {@return a copy that is a named table ({@code named_table})} */
    public TableOptions named() {
        return new TableOptions(type, access, true, heir, comparator, readConcurrency, writeConcurrency, maxSize);
    }

    /** {@return a copy whose table is inherited by {@code pid}, who is told {@code data}} */
    public TableOptions withHeir(Pid pid, Object data) {
        return new TableOptions(type, access, namedTable, Optional.of(new Heir(pid, data)), comparator, readConcurrency,
                writeConcurrency, maxSize);
    }

    /**
     * {@return a copy of these options for an ordered set with keys in order {@code c}}
     *
     * @throws BadArgException if the type is not {@link TableType#ORDERED_SET}
     */
    @SuppressWarnings("unchecked")
    public TableOptions withComparator(Comparator<?> c) {
        return new TableOptions(type, access, namedTable, heir,
                Optional.of((Comparator<Object>) Objects.requireNonNull(c, "c")), readConcurrency, writeConcurrency, maxSize);
    }

    /**
     * {@return a copy with {@code read_concurrency} set to {@code on}} In ETS the option makes
     * reads take a reader-optimised lock; here reads take no lock at all (they read immutable
     * slots from a concurrent map), so there is nothing for it to change. It is accepted so that
     * options carried over from Erlang need no edit, and {@link TableInfo#readConcurrency()}
     * reports it, but the table behaves the same either way.
     */
    public TableOptions withReadConcurrency(boolean on) {
        return new TableOptions(type, access, namedTable, heir, comparator, on, writeConcurrency, maxSize);
    }

    /**
     * {@return a copy with {@code write_concurrency} {@code on} ({@link WriteConcurrency#ON}) or off}
     * See {@link WriteConcurrency} for what it changes.
     */
    public TableOptions withWriteConcurrency(boolean on) {
        return withWriteConcurrency(on ? WriteConcurrency.ON : WriteConcurrency.OFF);
    }

    /** {@return a copy with {@code write_concurrency} {@code w}} See {@link WriteConcurrency}. */
    public TableOptions withWriteConcurrency(WriteConcurrency w) {
        return new TableOptions(type, access, namedTable, heir, comparator, readConcurrency,
                Objects.requireNonNull(w, "w"), maxSize);
    }

    /**
     * {@return a copy whose table holds at most {@code max} objects} ETS tables grow until the
     * node runs out of memory; a bound turns that into an error at the write that would pass it:
     * the write throws {@link otp4j.runtime.SystemLimitException} (Erlang's {@code system_limit})
     * and changes nothing. The bound is exact under concurrent writers: a write reserves room for
     * the objects it may add before it adds them. A multi-object insert needs room for every
     * object it is given, even those that would replace one; an {@code updateCounter} with a
     * default object needs room for one. Deletes make room at once. A table read back by
     * {@link Ets#file2tab} is not bounded: the bound is a choice of the program that makes the
     * table, not part of its contents.
     *
     * @throws BadArgException if {@code max} is below 1
     */
    public TableOptions withMaxSize(long max) {
        return new TableOptions(type, access, namedTable, heir, comparator, readConcurrency, writeConcurrency,
                OptionalLong.of(max));
    }
}
