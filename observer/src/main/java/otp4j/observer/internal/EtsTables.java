package otp4j.observer.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import otp4j.ets.Access;
import otp4j.ets.Ets;
import otp4j.ets.NoSuchTableException;
import otp4j.ets.Query;
import otp4j.ets.Table;
import otp4j.ets.TableAccessException;
import otp4j.ets.TableInfo;
import otp4j.ets.internal.NodeTables;
import otp4j.runtime.Node;

/**
 * The node's ETS tables. Runs on observer threads, which are not processes: ETS lets such a
 * thread read public and protected tables and write public ones, which is exactly what the
 * observer may show and change; private tables are listed, their contents not shown.
 */
final class EtsTables implements TableProvider {
    /** Objects read per step while walking to a page. */
    private static final int STEP = 1000;

    private final Node node;

    EtsTables(Node node) {
        this.node = node;
    }

    @Override
    public String kind() {
        return "ets";
    }

    @Override
    public List<TableRow> tables() {
        List<TableRow> out = new ArrayList<>();
        for (TableInfo i : Ets.all(node)) {
            out.add(row(i));
        }
        out.sort((a, b) -> Long.compare(a.id(), b.id()));
        return out;
    }

    @Override
    public long memory() {
        long m = 0;
        for (TableInfo i : Ets.all(node)) {
            m += i.memory();
        }
        return m;
    }

    private static TableRow row(TableInfo i) {
        return new TableRow("ets", i.id(), i.name(), i.named(), i.type().name().toLowerCase(Locale.ROOT),
                i.access().name().toLowerCase(Locale.ROOT), i.owner().toString(),
                i.heir().map(Object::toString).orElse(null), i.size(), i.memory(), -1,
                i.access() != Access.PRIVATE, i.access() == Access.PUBLIC);
    }

    @Override
    public Optional<TablePage> page(long id, long offset, int limit) {
        Optional<Table<Object, Object>> found = table(id);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        Table<Object, Object> t = found.get();
        try {
            TableRow row = row(t.info().orElseThrow(() -> new NoSuchTableException("table " + id + " was deleted")));
            if (!row.readable()) {
                throw HttpError.forbidden("table " + id + " (" + row.name() + ") is private to its owner "
                        + row.owner() + "; its contents are not shown");
            }
            List<String[]> rows = new ArrayList<>();
            boolean more = TableWalk.walk(t.select(Query.all(), STEP), offset, limit + 1, (k, v) -> rows.add(new String[]{Text.show(k), Text.show(v)}));
            if (rows.size() > limit) {
                rows.removeLast();
                more = true;
            }
            return Optional.of(new TablePage(row, offset, List.copyOf(rows), more));
        } catch (NoSuchTableException e) {
            return Optional.empty();
        } catch (TableAccessException e) {
            throw HttpError.forbidden(e.getMessage());
        }
    }

    @Override
    public void deleteObject(long id, long position, String key, String value) {
        Table<Object, Object> t = table(id).orElseThrow(() -> HttpError.notFound("no ets table with id " + id));
        try {
            TableInfo info = t.info().orElseThrow(() -> HttpError.notFound("ets table " + id + " was deleted"));
            if (info.access() != Access.PUBLIC) {
                throw HttpError.forbidden("ets table " + id + " (" + info.name() + ") is "
                        + info.access().name().toLowerCase(Locale.ROOT) + ": only its owner " + info.owner()
                        + " may write it");
            }
            Object[] found = new Object[2];
            TableWalk.walk(t.select(Query.all(), STEP), position, 1, (k, v) -> {
                found[0] = k;
                found[1] = v;
            });
            if (found[0] == null || !Text.show(found[0]).equals(key) || !Text.show(found[1]).equals(value)) {
                throw HttpError.notFound("ets table " + id + " has no object at position " + position
                        + " with that key and value (the table has changed since it was shown); nothing deleted");
            }
            t.deleteObject(found[0], found[1]);
        } catch (NoSuchTableException e) {
            throw HttpError.notFound("ets table " + id + " was deleted");
        } catch (TableAccessException e) {
            throw HttpError.forbidden(e.getMessage());
        }
    }

    @SuppressWarnings("unchecked")
    private Optional<Table<Object, Object>> table(long id) {
        return NodeTables.of(node).byId(id).map(t -> (Table<Object, Object>) t);
    }
}
