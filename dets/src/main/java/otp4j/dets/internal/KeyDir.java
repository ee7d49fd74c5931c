package otp4j.dets.internal;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * The key directory: for each key, the offsets of its live PUT records, oldest first. A set's
 * key has one offset (a {@code Long}); a bag's a {@code long[]}. Not thread-safe: the table's
 * lock guards it. Also counts the objects, and the dead records that compaction would drop.
 */
final class KeyDir {
    private final boolean set;
    private final HashMap<KeyBytes, Object> map;
    private long objects;
    /** Records in the file that no longer count: replaced or deleted objects, and tombstones. */
    private long dead;

    KeyDir(boolean set, int expected) {
        this.set = set;
        this.map = HashMap.newHashMap(expected);
    }

    long objects() {
        return objects;
    }

    long dead() {
        return dead;
    }

    void addDead(long n) {
        dead += n;
    }

    int keys() {
        return map.size();
    }

    boolean contains(KeyBytes k) {
        return map.containsKey(k);
    }

    /** {@return the key's offsets, oldest first, or null if the key is absent} */
    long[] get(KeyBytes k) {
        Object o = map.get(k);
        return o == null ? null : o instanceof Long l ? new long[] {l} : (long[]) o;
    }

    /** A PUT at {@code offset}: replaces a set's object, adds a bag's. */
    void put(KeyBytes k, long offset) {
        if (set) {
            if (map.put(k, offset) != null) {
                dead++;
            } else {
                objects++;
            }
        } else {
            map.merge(k, new long[] {offset}, (old, one) -> {
                long[] o = (long[]) old;
                long[] n = Arrays.copyOf(o, o.length + 1);
                n[o.length] = ((long[]) one)[0];
                return n;
            });
            objects++;
        }
    }

    /** Removes the key; {@return how many objects it had} */
    int remove(KeyBytes k) {
        Object o = map.remove(k);
        int n = o == null ? 0 : o instanceof Long ? 1 : ((long[]) o).length;
        objects -= n;
        dead += n;
        return n;
    }

    /** Keeps only the offsets of {@code k} that are not in {@code gone} (sorted is not required). */
    void removeOffsets(KeyBytes k, long[] gone) {
        long[] now = get(k);
        if (now == null || gone.length == 0) {
            return;
        }
        long[] keep = Arrays.stream(now).filter(x -> Arrays.stream(gone).noneMatch(g -> g == x)).toArray();
        int removed = now.length - keep.length;
        objects -= removed;
        dead += removed;
        if (keep.length == 0) {
            map.remove(k);
        } else if (set) {
            map.put(k, keep[0]);
        } else {
            map.put(k, keep);
        }
    }

    void clear() {
        dead += objects;
        objects = 0;
        map.clear();
    }

    /** Calls {@code f} with each key and its offsets, in the map's order. */
    void forEach(BiConsumer<KeyBytes, long[]> f) {
        for (Map.Entry<KeyBytes, Object> e : map.entrySet()) {
            Object o = e.getValue();
            f.accept(e.getKey(), o instanceof Long l ? new long[] {l} : (long[]) o);
        }
    }

    /** {@return the keys, in the map's order} */
    KeyBytes[] keyArray() {
        return map.keySet().toArray(new KeyBytes[0]);
    }
}
