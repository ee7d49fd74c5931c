package otp4j.observer.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import otp4j.ets.Chunk;
import otp4j.ets.NoSuchTableException;
import otp4j.ets.TableAccessException;

/**
 * The {@link TableProvider} of one kind of table, over a small adapter ({@link Kind}) that
 * lists, finds, describes, traverses and writes tables of that kind. What is the same for every
 * kind is here: paging through a traversal, the read and write checks, deleting only the object
 * that was shown, and the answers for a table that has gone.
 */
final class KindTables<T> implements TableProvider {
    /** Objects read per step while walking to a page. */
    private static final int STEP = 1000;

    /**
     * One kind of table, as the observer reads it. Its methods may throw
     * {@link NoSuchTableException} when a table goes away under them, and
     * {@link TableAccessException} when the observer may not read or write it.
     */
    interface Kind<T> {
        /** {@return the kind's name in URLs and JSON, such as {@code ets}} */
        String kind();

        /** {@return every table of this kind on the node, in id order} */
        List<TableRow> rows();

        /** {@return the total bytes of memory the kind's tables hold} */
        long memory();

        /** {@return the table with id {@code id}} */
        Optional<T> find(long id);

        /** {@return the row of {@code table}; empty if it has gone} */
        Optional<TableRow> row(T table);

        /** {@return the first chunk of a traversal of every object of {@code table}, {@code step} at a time} */
        Optional<Chunk<Map.Entry<Object, Object>>> selectAll(T table, int step);

        /** Deletes one object of {@code table}. */
        void deleteObject(T table, Object key, Object value);

        /** {@return what became of a table no longer there, as "deleted"} */
        String gone();

        /** {@return why the table of {@code row}, not writable, may not be written, as "is open read-only"} */
        String readOnlyBecause(TableRow row);
    }

    private final Kind<T> kind;

    KindTables(Kind<T> kind) {
        this.kind = kind;
    }

    @Override
    public String kind() {
        return kind.kind();
    }

    @Override
    public List<TableRow> tables() {
        return kind.rows();
    }

    @Override
    public long memory() {
        return kind.memory();
    }

    @Override
    public Optional<TablePage> page(long id, long offset, int limit) {
        Optional<T> found = kind.find(id);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        T t = found.get();
        try {
            Optional<TableRow> row = kind.row(t);
            if (row.isEmpty()) {
                return Optional.empty();
            }
            if (!row.get().readable()) {
                throw HttpError.forbidden(name(id, row.get()) + " is private to its owner " + row.get().owner()
                        + "; its contents are not shown");
            }
            List<String[]> rows = new ArrayList<>();
            boolean more = TableWalk.walk(kind.selectAll(t, STEP), offset, limit + 1,
                    (k, v) -> rows.add(new String[]{Text.show(k), Text.show(v)}));
            if (rows.size() > limit) {
                rows.removeLast();
                more = true;
            }
            return Optional.of(new TablePage(row.get(), offset, List.copyOf(rows), more));
        } catch (NoSuchTableException e) {
            return Optional.empty();
        } catch (TableAccessException e) {
            throw HttpError.forbidden(e.getMessage());
        }
    }

    @Override
    public void deleteObject(long id, long position, String key, String value) {
        T t = kind.find(id).orElseThrow(() -> HttpError.notFound("no " + kind.kind() + " table with id " + id));
        try {
            TableRow row = kind.row(t).orElseThrow(() -> goneError(id));
            if (!row.writable()) {
                throw HttpError.forbidden(name(id, row) + " " + kind.readOnlyBecause(row));
            }
            Object[] found = new Object[2];
            TableWalk.walk(kind.selectAll(t, STEP), position, 1, (k, v) -> {
                found[0] = k;
                found[1] = v;
            });
            if (found[0] == null || !Text.show(found[0]).equals(key) || !Text.show(found[1]).equals(value)) {
                throw HttpError.notFound(kind.kind() + " table " + id + " has no object at position " + position
                        + " with that key and value (the table has changed since it was shown); nothing deleted");
            }
            kind.deleteObject(t, found[0], found[1]);
        } catch (NoSuchTableException e) {
            throw goneError(id);
        } catch (TableAccessException e) {
            throw HttpError.forbidden(e.getMessage());
        }
    }

    private String name(long id, TableRow row) {
        return kind.kind() + " table " + id + " (" + row.name() + ")";
    }

    private HttpError goneError(long id) {
        return HttpError.notFound(kind.kind() + " table " + id + " was " + kind.gone());
    }
}
