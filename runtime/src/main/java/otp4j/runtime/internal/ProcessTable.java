package otp4j.runtime.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * The processes of a node, by serial number: BEAM's process table, made of chunks of consecutive
 * serials. Spawning a million processes costs a million array stores, where a hash map would
 * hash, box, resize and contend on its counter.
 *
 * <p>Serials are handed out in increasing order, from {@code firstSerial}, and each is
 * {@link #put} and {@link #remove}d at most once; a chunk is dropped when every serial in it has
 * been removed, so the table's memory follows the live processes, not the serials handed out.
 * Any thread.
 *
 * @param <T> what is stored per serial
 */
public final class ProcessTable<T> {
    /*
     * Overview
     *
     * A directory maps chunk indexes (serial >>> SHIFT) in a window [base, base + length) to
     * chunks. Lookups read the directory without locking. It is replaced, copy-on-write under
     * growLock, when a spawn needs a chunk past its end (once per CHUNK spawns); the new window
     * starts at the lowest chunk still present, so a node that has spawned billions of
     * processes keeps a directory the size of its live range, not of its history.
     */

    private static final int SHIFT = 12;
    private static final int CHUNK = 1 << SHIFT;
    private static final int MASK = CHUNK - 1;

    private static final class Chunk<T> {
        final AtomicReferenceArray<T> slots = new AtomicReferenceArray<>(CHUNK);
        /** Serials of this chunk removed, or never to be used; the chunk goes at CHUNK. */
        final AtomicInteger released;

        Chunk(int released) {
            this.released = new AtomicInteger(released);
        }
    }

    private record Directory<T>(long base, AtomicReferenceArray<Chunk<T>> chunks) {
        Chunk<T> get(long index) {
            long i = index - base;
            return i >= 0 && i < chunks.length() ? chunks.get((int) i) : null;
        }
    }

    private final long firstSerial;
    private final LongAdder size = new LongAdder();
    private final ReentrantLock growLock = new ReentrantLock();
    private volatile Directory<T> directory;

    /** @param firstSerial the first serial that will be put; those below it never are */
    public ProcessTable(long firstSerial) {
        this.firstSerial = firstSerial;
        this.directory = new Directory<>(firstSerial >>> SHIFT, new AtomicReferenceArray<>(16));
    }

    /** Stores {@code value} under {@code serial}. */
    public void put(long serial, T value) {
        long index = serial >>> SHIFT;
        Chunk<T> c = directory.get(index);
        if (c == null) {
            c = addChunk(index);
        }
        c.slots.set((int) serial & MASK, value);
        size.increment();
    }

    /** Removes what is stored under {@code serial}; nothing happens if it was removed already. */
    public void remove(long serial) {
        long index = serial >>> SHIFT;
        Chunk<T> c = directory.get(index);
        if (c == null || c.slots.getAndSet((int) serial & MASK, null) == null) {
            return;
        }
        size.decrement();
        if (c.released.incrementAndGet() == CHUNK) {
            dropChunk(index, c);
        }
    }

    /** {@return what is stored under {@code serial}, or null} */
    public T get(long serial) {
        Chunk<T> c = directory.get(serial >>> SHIFT);
        return c == null ? null : c.slots.get((int) serial & MASK);
    }

    /** {@return the number of entries, an estimate while others put and remove} */
    public int size() {
        return size.intValue();
    }

    /** {@return whether the table is empty, an estimate while others put and remove} */
    public boolean isEmpty() {
        return size.sum() == 0;
    }

    /** Calls {@code action} for each entry, in serial order; weakly consistent. */
    public void forEach(Consumer<? super T> action) {
        AtomicReferenceArray<Chunk<T>> chunks = directory.chunks();
        for (int i = 0; i < chunks.length(); i++) {
            Chunk<T> c = chunks.get(i);
            if (c == null) {
                continue;
            }
            for (int j = 0; j < CHUNK; j++) {
                T v = c.slots.get(j);
                if (v != null) {
                    action.accept(v);
                }
            }
        }
    }

    /** {@return the entries, in serial order} */
    public List<T> values() {
        List<T> out = new ArrayList<>();
        forEach(out::add);
        return out;
    }

    private Chunk<T> addChunk(long index) {
        growLock.lock();
        try {
            Directory<T> d = directory;
            Chunk<T> c = d.get(index);
            if (c != null) {
                return c;
            }
            long start = index << SHIFT;
            // Serials below firstSerial are never put; count them as released already.
            c = new Chunk<>((int) Math.max(0, Math.min(CHUNK, firstSerial - start)));
            if (index - d.base() >= d.chunks().length() || index < d.base()) {
                d = regrow(d, index);
            }
            d.chunks().set((int) (index - d.base()), c);
            directory = d;
            return c;
        } finally {
            growLock.unlock();
        }
    }

    /** A directory covering the chunks of {@code d} still present and {@code index}. */
    private Directory<T> regrow(Directory<T> d, long index) {
        AtomicReferenceArray<Chunk<T>> old = d.chunks();
        long low = index;
        long high = index;
        for (int i = 0; i < old.length(); i++) {
            if (old.get(i) != null) {
                low = Math.min(low, d.base() + i);
                high = Math.max(high, d.base() + i);
            }
        }
        int length = Integer.highestOneBit((int) Math.min(Integer.MAX_VALUE / 2, high - low + 1)) * 2;
        AtomicReferenceArray<Chunk<T>> chunks = new AtomicReferenceArray<>(Math.max(16, length));
        for (int i = 0; i < old.length(); i++) {
            Chunk<T> c = old.get(i);
            if (c != null) {
                chunks.set((int) (d.base() + i - low), c);
            }
        }
        return new Directory<>(low, chunks);
    }

    private void dropChunk(long index, Chunk<T> c) {
        growLock.lock();
        try {
            Directory<T> d = directory;
            long i = index - d.base();
            if (i >= 0 && i < d.chunks().length()) {
                d.chunks().compareAndSet((int) i, c, null);
            }
        } finally {
            growLock.unlock();
        }
    }
}
