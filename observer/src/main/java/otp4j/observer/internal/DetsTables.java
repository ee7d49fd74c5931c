package otp4j.observer.internal;

import java.util.ArrayList;
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
import otp4j.ets.NoSuchTableException;
import otp4j.ets.Query;
import otp4j.runtime.Node;

/**
 * The node's open DETS tables. A disk table has no owner and no access mode beyond read-only
 * files: any thread may read an open table and write a read-write one (as DETS lets any process),
 * so every table's contents are shown, and a read-write one's objects may be deleted when
 * actions are on. Disk tables are known by name; the observer numbers each name it sees, so that
 * its pages address them as it addresses ETS tables, by kind and id.
 */
final class DetsTables implements TableProvider {
    /** Objects read per step while walking to a page. */
    private static final int STEP = 1000;

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
    public List<TableRow> tables() {
        List<TableRow> out = new ArrayList<>();
        for (DiskTableInfo i : Dets.all(node)) {
            out.add(row(i));
        }
        out.sort((a, b) -> Long.compare(a.id(), b.id()));
        return out;
    }

    /** Disk tables hold their key directory in memory, which DiskTableInfo does not report. */
    @Override
    public long memory() {
        return 0;
    }

    private TableRow row(DiskTableInfo i) {
        long id = ids.computeIfAbsent(i.name(), n -> nextId.getAndIncrement());
        String users = i.users().stream().map(Object::toString).toList().toString();
        return new TableRow("dets", id, i.name(), true, i.type().name().toLowerCase(Locale.ROOT),
                i.access().name().toLowerCase(Locale.ROOT), users, null, i.size(), 0, i.fileSize(), true,
                i.access() == FileAccess.READ_WRITE);
    }

    @Override
    public Optional<TablePage> page(long id, long offset, int limit) {
        Optional<DiskTable<Object, Object>> found = table(id);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        DiskTable<Object, Object> t = found.get();
        try {
            TableRow row = row(t.info().orElseThrow(() -> new NoSuchTableException("dets table " + id + " was closed")));
            List<String[]> rows = new ArrayList<>();
            boolean more = TableWalk.walk(t.select(Query.all(), STEP), offset, limit + 1, (k, v) -> rows.add(new String[]{Text.show(k), Text.show(v)}));
            if (rows.size() > limit) {
                rows.removeLast();
                more = true;
            }
            return Optional.of(new TablePage(row, offset, List.copyOf(rows), more));
        } catch (NoSuchTableException e) {
            return Optional.empty();
        }
    }

    @Override
    public void deleteObject(long id, long position, String key, String value) {
        DiskTable<Object, Object> t = table(id).orElseThrow(() -> HttpError.notFound("no dets table with id " + id));
        try {
            DiskTableInfo info = t.info().orElseThrow(() -> HttpError.notFound("dets table " + id + " was closed"));
            if (info.access() != FileAccess.READ_WRITE) {
                throw HttpError.forbidden("dets table " + id + " (" + info.name() + ") is open read-only");
            }
            Object[] found = new Object[2];
            TableWalk.walk(t.select(Query.all(), STEP), position, 1, (k, v) -> {
                found[0] = k;
                found[1] = v;
            });
            if (found[0] == null || !Text.show(found[0]).equals(key) || !Text.show(found[1]).equals(value)) {
                throw HttpError.notFound("dets table " + id + " has no object at position " + position
                        + " with that key and value (the table has changed since it was shown); nothing deleted");
            }
            t.deleteObject(found[0], found[1]);
        } catch (NoSuchTableException e) {
            throw HttpError.notFound("dets table " + id + " was closed");
        }
    }

    private Optional<DiskTable<Object, Object>> table(long id) {
        return ids.entrySet().stream().filter(e -> e.getValue() == id).findFirst()
                .flatMap(e -> Dets.<Object, Object>whereis(node, e.getKey()));
    }
}
