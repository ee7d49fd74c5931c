package otp4j.observer.internal;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import otp4j.ets.Access;
import otp4j.ets.Chunk;
import otp4j.ets.Ets;
import otp4j.ets.Query;
import otp4j.ets.Table;
import otp4j.ets.TableInfo;
import otp4j.ets.internal.NodeTables;
import otp4j.runtime.Node;

/**
 * The node's ETS tables. Runs on observer threads, which are not processes: ETS lets such a
 * thread read public and protected tables and write public ones, which is exactly what the
 * observer may show and change; private tables are listed, their contents not shown.
 */
final class EtsTables implements KindTables.Kind<Table<Object, Object>> {
    private final Node node;

    EtsTables(Node node) {
        this.node = node;
    }

    @Override
    public String kind() {
        return "ets";
    }

    @Override
    public List<TableProvider.TableRow> rows() {
        return Ets.all(node).stream().map(EtsTables::row)
                .sorted((a, b) -> Long.compare(a.id(), b.id())).toList();
    }

    @Override
    public long memory() {
        long m = 0;
        for (TableInfo i : Ets.all(node)) {
            m += i.memory();
        }
        return m;
    }

    private static TableProvider.TableRow row(TableInfo i) {
        return new TableProvider.TableRow("ets", i.id(), i.name(), i.named(), i.type().name().toLowerCase(Locale.ROOT),
                i.access().name().toLowerCase(Locale.ROOT), i.owner().toString(),
                i.heir().map(Object::toString).orElse(null), i.size(), i.memory(), -1,
                i.access() != Access.PRIVATE, i.access() == Access.PUBLIC);
    }

    @Override
    @SuppressWarnings("unchecked")
    public Optional<Table<Object, Object>> find(long id) {
        return NodeTables.of(node).byId(id).map(t -> (Table<Object, Object>) t);
    }

    @Override
    public Optional<TableProvider.TableRow> row(Table<Object, Object> table) {
        return table.info().map(EtsTables::row);
    }

    @Override
    public Optional<Chunk<Map.Entry<Object, Object>>> selectAll(Table<Object, Object> table, int step) {
        return table.select(Query.all(), step);
    }

    @Override
    public void deleteObject(Table<Object, Object> table, Object key, Object value) {
        table.deleteObject(key, value);
    }

    @Override
    public String gone() {
        return "deleted";
    }

    @Override
    public String readOnlyBecause(TableProvider.TableRow row) {
        return "is " + row.access() + ": only its owner " + row.owner() + " may write it";
    }
}
