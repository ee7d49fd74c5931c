package otp4j.ets.internal;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

import otp4j.ets.Chunk;
import otp4j.ets.Query;

/**
 * A chunk of a limited select and the iterator that continues it. The iterator is the map's
 * weakly consistent one, so the traversal has the guarantees of Table's "Traversal" section
 * across chunks too.
 */
final class ChunkImpl<K, V, R> implements Chunk<R> {
    private final TableImpl<K, V> table;
    private final Query<K, V, R> query;
    private final Iterator<Map.Entry<K, V>> rest;
    private final int limit;
    private final List<R> results;
    // The next chunk, computed once: a continuation may be used again, as in ETS.
    private final ReentrantLock lock = new ReentrantLock();
    private Optional<Chunk<R>> next;

    private ChunkImpl(TableImpl<K, V> table, Query<K, V, R> query, Iterator<Map.Entry<K, V>> rest, int limit,
                      List<R> results) {
        this.table = table;
        this.query = query;
        this.rest = rest;
        this.limit = limit;
        this.results = List.copyOf(results);
    }

    static <K, V, R> Optional<Chunk<R>> first(TableImpl<K, V> t, Query<K, V, R> q, Iterator<Map.Entry<K, V>> it,
                                              int limit) {
        List<R> out = new ArrayList<>(Math.min(limit, 64));
        while (out.size() < limit && it.hasNext()) {
            Map.Entry<K, V> e = it.next();
            if (q.filter().test(e.getKey(), e.getValue())) {
                out.add(q.projection().apply(e.getKey(), e.getValue()));
            }
        }
        return out.isEmpty() ? Optional.empty() : Optional.of(new ChunkImpl<>(t, q, it, limit, out));
    }

    @Override
    public List<R> results() {
        return results;
    }

    @Override
    public Optional<Chunk<R>> next() {
        lock.lock();
        try {
            if (next == null) {
                table.checkReadable();
                next = first(table, query, rest, limit);
            }
            return next;
        } finally {
            lock.unlock();
        }
    }
}
