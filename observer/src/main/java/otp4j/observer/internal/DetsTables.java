package otp4j.observer.internal;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import otp4j.dets.Dets;
import otp4j.dets.DiskTable;
import otp4j.dets.DiskTableInfo;
import otp4j.dets.FileAccess;
import otp4j.ets.Chunk;
import otp4j.ets.Query;
import otp4j.runtime.Node;

/**
 * The node's open DETS tables. A disk table has no owner and no access mode beyond read-only
 * files: any thread may read an open table and write a read-write one (as DETS lets any process),
 * so every table's contents are shown, and a read-write one's objects may be deleted when
 * actions are on. Disk tables are known by name; the observer numbers each name it sees, so that
 * its pages address them as it addresses ETS tables, by kind and id.
 */
final class DetsTables implements KindTables.Kind<DiskTable<Object, Object>> {
    private final Node node;
    private final Map<String, Long> ids = new ConcurrentHashMap<>();
    private final AtomicLong nextId = new AtomicLong(1);

    DetsTables(Node node) {
        this.node = node;
    }

    @Override
    public String kind() {
        return "dets";
    }

    @Override
    public List<TableProvider.TableRow> rows() {
        return Dets.all(node).stream().map(this::row).sorted((a, b) -> Long.compare(a.id(), b.id())).toList();
    }

    /** Disk tables hold their key directory in memory, which DiskTableInfo does not report. */
    @Override
    public long memory() {
        return 0;
    }

    private TableProvider.TableRow row(DiskTableInfo i) {
        long id = ids.computeIfAbsent(i.name(), n -> nextId.getAndIncrement());
        String users = i.users().stream().map(Object::toString).toList().toString();
        return new TableProvider.TableRow("dets", id, i.name(), true, i.type().name().toLowerCase(Locale.ROOT),
                i.access().name().toLowerCase(Locale.ROOT), users, null, i.size(), 0, i.fileSize(), true,
                i.access() == FileAccess.READ_WRITE);
    }

    @Override
    public Optional<DiskTable<Object, Object>> find(long id) {
        return ids.entrySet().stream().filter(e -> e.getValue() == id).findFirst()
                .flatMap(e -> Dets.<Object, Object>whereis(node, e.getKey()));
    }

    @Override
    public Optional<TableProvider.TableRow> row(DiskTable<Object, Object> table) {
        return table.info().map(this::row);
    }

    @Override
    public Optional<Chunk<Map.Entry<Object, Object>>> selectAll(DiskTable<Object, Object> table, int step) {
        return table.select(Query.all(), step);
    }

    @Override
    public void deleteObject(DiskTable<Object, Object> table, Object key, Object value) {
        table.deleteObject(key, value);
    }

    @Override
    public String gone() {
        return "closed";
    }

    @Override
    public String readOnlyBecause(TableProvider.TableRow row) {
        return "is open read-only";
    }
}
