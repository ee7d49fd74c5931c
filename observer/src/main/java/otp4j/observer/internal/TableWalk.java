package otp4j.observer.internal;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import otp4j.ets.Chunk;

/** Walks a table's traversal to a page of it, for the table providers. */
final class TableWalk {
    private TableWalk() {
    }

    /** Takes one object. */
    interface Sink {
        void accept(Object key, Object value);
    }

    /**
     * Feeds {@code sink} up to {@code count} objects from position {@code offset} of the
     * traversal that starts with {@code first} (a select with a limit); returns whether objects
     * were left after them. O(offset): a table has no positions, so the walk skips to the page,
     * in chunks.
     */
    static boolean walk(Optional<Chunk<Map.Entry<Object, Object>>> first, long offset, int count, Sink sink) {
        long pos = 0;
        int taken = 0;
        Optional<Chunk<Map.Entry<Object, Object>>> c = first;
        while (c.isPresent()) {
            List<Map.Entry<Object, Object>> results = c.get().results();
            if (pos + results.size() <= offset) {
                pos += results.size();
            } else {
                for (Map.Entry<Object, Object> e : results) {
                    if (pos++ < offset) {
                        continue;
                    }
                    if (taken == count) {
                        return true;
                    }
                    sink.accept(e.getKey(), e.getValue());
                    taken++;
                }
            }
            c = c.get().next();
        }
        return false;
    }
}
