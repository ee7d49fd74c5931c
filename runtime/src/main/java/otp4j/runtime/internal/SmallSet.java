package otp4j.runtime.internal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.function.Consumer;

/**
 * An identity set that is an array while small and a {@link HashSet} once large. Links and
 * monitors are mostly zero to a few per process, but a process may monitor a million others.
 * Not thread-safe: callers hold the owning process's lock.
 *
 * @param <E> element type; compared by {@code equals}, which for runtime objects is identity
 */
public final class SmallSet<E> {
    /** The most elements kept in an array; one more makes the set a hash set. */
    public static final int SMALL = 8;

    private Object[] small = new Object[2];
    private int size;
    private HashSet<E> large;

    /** Adds {@code e}; returns false if it was already present. */
    public boolean add(E e) {
        if (large != null) {
            return large.add(e);
        }
        for (int i = 0; i < size; i++) {
            if (small[i].equals(e)) {
                return false;
            }
        }
        if (size == SMALL) {
            large = new HashSet<>(SMALL * 4);
            for (int i = 0; i < size; i++) {
                large.add(cast(small[i]));
            }
            small = null;
            size = 0;
            return large.add(e);
        }
        if (size == small.length) {
            small = java.util.Arrays.copyOf(small, SMALL);
        }
        small[size++] = e;
        return true;
    }

    /** Removes {@code e}; returns whether it was present. */
    public boolean remove(Object e) {
        if (large != null) {
            boolean removed = large.remove(e);
            shrinkIfSmall();
            return removed;
        }
        for (int i = 0; i < size; i++) {
            if (small[i].equals(e)) {
                small[i] = small[--size];
                small[size] = null;
                return true;
            }
        }
        return false;
    }

    /** Removes the elements {@code filter} accepts. */
    public void removeIf(java.util.function.Predicate<? super E> filter) {
        if (large != null) {
            large.removeIf(filter);
            shrinkIfSmall();
            return;
        }
        int n = 0;
        for (int i = 0; i < size; i++) {
            if (!filter.test(cast(small[i]))) {
                small[n++] = small[i];
            }
        }
        java.util.Arrays.fill(small, n, size, null);
        size = n;
    }

    /**
     * Goes back to an array once a large set has emptied to half the array's capacity: a
     * supervisor that once monitored many children, then few, should not pay hashing on every
     * add for good. Half, not all, so that a set hovering around the limit does not convert on
     * every add and remove.
     */
    private void shrinkIfSmall() {
        if (large.size() <= SMALL / 2) {
            small = large.toArray(new Object[SMALL]);
            size = large.size();
            large = null;
        }
    }

    public boolean contains(Object e) {
        if (large != null) {
            return large.contains(e);
        }
        for (int i = 0; i < size; i++) {
            if (small[i].equals(e)) {
                return true;
            }
        }
        return false;
    }

    public int size() {
        return large != null ? large.size() : size;
    }

    public boolean isEmpty() {
        return size() == 0;
    }

    public void forEach(Consumer<? super E> action) {
        if (large != null) {
            large.forEach(action);
            return;
        }
        for (int i = 0; i < size; i++) {
            action.accept(cast(small[i]));
        }
    }

    /** {@return a copy of the elements} */
    public List<E> toList() {
        if (isEmpty()) {
            return Collections.emptyList();
        }
        List<E> out = new ArrayList<>(size());
        forEach(out::add);
        return out;
    }

    @SuppressWarnings("unchecked")
    private static <E> E cast(Object o) {
        return (E) o;
    }
}
