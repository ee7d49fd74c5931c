package otp4j.dets.internal;

import java.io.IOException;
import java.util.Arrays;

import otp4j.dets.DetsFileException;
import otp4j.dets.DetsFileException.Reason;

/**
 * The key directory: for each key, the offsets of its live PUT records, oldest first. Not
 * thread-safe: the table's lock guards it. Also counts the objects, and the dead records that
 * compaction would drop.
 */
final class KeyDir {
    /*
     * Overview
     *
     * An open-addressing table with linear probing over two parallel arrays: hashes[i] is the
     * 64-bit hash of slot i's key (0: the slot is empty), offs[i] its one object's offset, or,
     * for a bag key with several objects, ~j: its offsets are lists[j]. The keys themselves are
     * not held: a slot whose hash matches is confirmed by reading the key from the record at its
     * first offset, the record a lookup reads anyway (the last record read is kept, so the
     * lookup's own read of it is free). A table of n keys is two long[] and, for bags, the lists,
     * which the hint file holds as they are: a clean open is a bulk read of the arrays, not n
     * insertions (see the dets-format document).
     *
     * At most four fifths of the slots are used (a denser table makes a smaller hint; a probe
     * compares hashes, not keys, so a longer run costs little), so a probe ends at an empty slot; a removal shifts the
     * following slots of the run back (no tombstones), which keeps every key reachable from its
     * home slot, hash & (capacity - 1).
     *
     * A directory read from a hint starts mapped: its slots are read in place from the hint
     * file's mapping (HintFile.Mapped), whose pages are checked the first time they are read, and
     * hashes and offs are null. Only lookups (contains, get) read the mapping; every other call
     * first copies it into the arrays (own()), so that slot numbers handed out (traversals) and
     * changes are always of the arrays. A page that fails its checksum is found either by a
     * lookup's probe or by that copy; the directory is then rebuilt from the data file's records
     * up to the length the hint covered (rebuild()), and the lookup runs again on it. While mapped
     * nothing has changed the directory, so those records are all it holds.
     */

    private static final int MIN_CAPACITY = 16;

    private final LogFile log;
    private final boolean set;
    /** The hint this directory is read from, or null once its slots are in the arrays. */
    private HintFile.Mapped mapped;
    /** While mapped: the data file's length the hint covers. */
    private final long covered;
    private long[] hashes;
    private long[] offs;
    /** Bags: the offsets of keys with several objects; null entries are free, listed in free. */
    private long[][] lists;
    private int[] free;
    private int freeCount;
    private int listCount;
    private int keys;
    private long objects;
    /** Records in the file that no longer count: replaced or deleted objects, and tombstones. */
    private long dead;
    /** The record last read to confirm a key: offsets only ever name the same bytes in one file. */
    private LogFile.Rec last;

    KeyDir(LogFile log, boolean set, int expected) {
        this(log, set, null, 0, new long[capacityFor(expected)], new long[capacityFor(expected)], new long[0][], 0,
                0, 0);
    }

    private KeyDir(LogFile log, boolean set, HintFile.Mapped mapped, long covered, long[] hashes, long[] offs,
                   long[][] lists, int keys, long objects, long dead) {
        this.log = log;
        this.set = set;
        this.mapped = mapped;
        this.covered = covered;
        this.hashes = hashes;
        this.offs = offs;
        this.lists = lists;
        this.free = new int[0];
        this.listCount = lists.length;
        this.keys = keys;
        this.objects = objects;
        this.dead = dead;
    }

    /**
     * {@return a directory read from a hint}, which covers {@code log} up to {@code covered}: its
     * slots are the mapping's, a power-of-two number of them with at most four fifths used;
     * {@code lists} are the bag lists that its offsets name with ~index. Checked here only as far
     * as a probe's end depends on it; a wrong offset is found by the checksum of the record it
     * names.
     */
    static KeyDir of(LogFile log, HintFile.Mapped slots, long covered, long[][] lists, int keys, long objects,
                     long dead) {
        return new KeyDir(log, log.type.isSet(), slots, covered, null, null, lists, keys, objects, dead);
    }

    static int capacityFor(int keys) {
        int c = MIN_CAPACITY;
        while (4L * c < 5L * keys && c < 1 << 30) {
            c <<= 1;
        }
        return c;
    }

    /** {@return whether the slots are still read from the hint's mapping}: nothing has changed since the open. */
    boolean mapped() {
        return mapped != null;
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
        return keys;
    }

    // ---------------------------------------------------------------- slots

    /** {@return the record at {@code off}, checked}, from the last one read if it is the same. */
    LogFile.Rec record(long off) throws IOException {
        LogFile.Rec r = last;
        if (r == null || r.offset() != off) {
            r = Recovery.readChecked(log, off);
            last = r;
        }
        return r;
    }

    /** {@return slot {@code i}'s hash}, from the mapping while mapped. */
    private long hash(int i) throws HintFile.Damaged {
        HintFile.Mapped m = mapped;
        return m == null ? hashes[i] : m.hash(i);
    }

    /** {@return slot {@code i}'s offset or ~list}, from the mapping while mapped. */
    private long off(int i) throws HintFile.Damaged {
        HintFile.Mapped m = mapped;
        return m == null ? offs[i] : m.offset(i);
    }

    /**
     * Copies a mapped directory's slots into the arrays, checking every page not checked yet,
     * or rebuilds the directory if one is damaged; nothing if the slots are in the arrays already.
     * Before any change, and before handing out slot numbers.
     */
    private void own() throws IOException {
        HintFile.Mapped m = mapped;
        if (m != null) {
            try {
                long[][] a = m.copy();
                hashes = a[0];
                offs = a[1];
                mapped = null;
            } catch (HintFile.Damaged e) {
                rebuild(e);
            }
        }
    }

    /** Makes a mapped directory whose hint is damaged the directory of the data file's records up to what the hint covered. */
    private void rebuild(HintFile.Damaged cause) throws IOException {
        System.getLogger("otp4j.dets").log(System.Logger.Level.WARNING, () -> "dets: " + cause.getMessage()
                + "; rebuilding the key directory from the records of " + log.path);
        KeyDir d = new KeyDir(log, set, keys);
        Recovery.replay(log, covered, d);
        mapped = null;
        hashes = d.hashes;
        offs = d.offs;
        lists = d.lists;
        free = d.free;
        freeCount = d.freeCount;
        listCount = d.listCount;
        keys = d.keys;
        objects = d.objects;
        dead = d.dead;
    }

    private long[] offsetsAt(int slot) throws IOException {
        long o = off(slot);
        if (o >= 0) {
            return new long[] {o};
        }
        int j = (int) ~o;
        if (set || j >= lists.length || lists[j] == null) {
            throw new DetsFileException(Reason.CORRUPT, log.path, -1, "the key directory names a list of offsets ("
                    + j + ") that it does not hold; delete the hint file " + HintFile.path(log.path)
                    + " to rebuild it from the data file", null);
        }
        return lists[j];
    }

    private long firstOffset(int slot) throws IOException {
        long o = off(slot);
        return o >= 0 ? o : offsetsAt(slot)[0];
    }

    /**
     * {@return the slot of {@code k}, or -1 - the empty slot where it would go} Reads the mapping
     * while mapped; if one of its pages is damaged, rebuilds the directory and probes that.
     */
    private int slotOf(KeyBytes k) throws IOException {
        if (mapped != null) {
            try {
                return probe(k);
            } catch (HintFile.Damaged e) {
                rebuild(e);
            }
        }
        return probe(k);
    }

    private int probe(KeyBytes k) throws IOException {
        int mask = capacity() - 1;
        int i = (int) k.hash & mask;
        for (int probes = 0; probes <= mask; probes++, i = (i + 1) & mask) {
            long h = hash(i);
            if (h == 0) {
                return -1 - i;
            }
            if (h == k.hash && Arrays.equals(record(firstOffset(i)).key(), k.bytes)) {
                return i;
            }
        }
        throw new DetsFileException(Reason.CORRUPT, log.path, -1, "the key directory has no empty slot; delete the "
                + "hint file " + HintFile.path(log.path) + " to rebuild it from the data file", null);
    }

    boolean contains(KeyBytes k) throws IOException {
        return slotOf(k) >= 0;
    }

    /** {@return the key's offsets, oldest first, or null if the key is absent} */
    long[] get(KeyBytes k) throws IOException {
        int s = slotOf(k);
        return s < 0 ? null : offsetsAt(s);
    }

    /** A PUT at {@code offset}: replaces a set's object, adds a bag's. */
    void put(KeyBytes k, long offset) throws IOException {
        own();
        int s = slotOf(k);
        objects++;
        if (s < 0) {
            insert(-1 - s, k.hash, offset);
        } else if (set) {
            offs[s] = offset;
            objects--;
            dead++;
        } else {
            long[] old = offsetsAt(s);
            long[] n = Arrays.copyOf(old, old.length + 1);
            n[old.length] = offset;
            setOffsets(s, n);
        }
    }

    /** Adds a key known to be absent, with its offsets: compaction's copy of a directory. */
    void putNew(long hash, long[] offsets) throws IOException {
        own();
        int mask = hashes.length - 1;
        int i = (int) hash & mask;
        while (hashes[i] != 0) {
            i = (i + 1) & mask;
        }
        insert(i, hash, offsets[0]);
        setOffsets(i, offsets);
        objects += offsets.length;
    }

    private void insert(int slot, long hash, long offset) {
        hashes[slot] = hash;
        offs[slot] = offset;
        keys++;
        if (5L * keys > 4L * hashes.length) {
            grow();
        }
    }

    private void grow() {
        long[] oh = hashes, oo = offs;
        hashes = new long[oh.length * 2];
        offs = new long[oh.length * 2];
        int mask = hashes.length - 1;
        for (int j = 0; j < oh.length; j++) {
            if (oh[j] != 0) {
                int i = (int) oh[j] & mask;
                while (hashes[i] != 0) {
                    i = (i + 1) & mask;
                }
                hashes[i] = oh[j];
                offs[i] = oo[j];
            }
        }
    }

    /** Sets a bag slot's offsets (at least one): inline if one, in a list otherwise. */
    private void setOffsets(int slot, long[] offsets) {
        long o = offs[slot];
        if (offsets.length == 1) {
            if (o < 0) {
                freeList((int) ~o);
            }
            offs[slot] = offsets[0];
        } else if (o < 0) {
            lists[(int) ~o] = offsets;
        } else {
            int j;
            if (freeCount > 0) {
                j = free[--freeCount];
            } else {
                if (listCount == lists.length) {
                    lists = Arrays.copyOf(lists, Math.max(8, lists.length * 2));
                }
                j = listCount++;
            }
            lists[j] = offsets;
            offs[slot] = ~(long) j;
        }
    }

    private void freeList(int j) {
        lists[j] = null;
        if (freeCount == free.length) {
            free = Arrays.copyOf(free, Math.max(8, free.length * 2));
        }
        free[freeCount++] = j;
    }

    /** Removes the key; {@return how many objects it had} */
    int remove(KeyBytes k) throws IOException {
        own();
        int s = slotOf(k);
        if (s < 0) {
            return 0;
        }
        int n = offs[s] >= 0 ? 1 : offsetsAt(s).length;
        objects -= n;
        dead += n;
        removeSlot(s);
        return n;
    }

    /** Empties slot {@code i} and shifts back the rest of its run whose home slot allows it. */
    private void removeSlot(int i) {
        if (offs[i] < 0) {
            freeList((int) ~offs[i]);
        }
        int mask = hashes.length - 1;
        int j = i;
        while (true) {
            j = (j + 1) & mask;
            long h = hashes[j];
            if (h == 0) {
                break;
            }
            int home = (int) h & mask;
            boolean stays = i <= j ? i < home && home <= j : i < home || home <= j;
            if (!stays) {
                hashes[i] = h;
                offs[i] = offs[j];
                i = j;
            }
        }
        hashes[i] = 0;
        offs[i] = 0;
        keys--;
    }

    /** Keeps only the offsets of {@code k} that are not in {@code gone}. */
    void removeOffsets(KeyBytes k, long[] gone) throws IOException {
        own();
        int s = slotOf(k);
        if (s < 0 || gone.length == 0) {
            return;
        }
        long[] now = offsetsAt(s);
        long[] keep = Arrays.stream(now).filter(x -> Arrays.stream(gone).noneMatch(g -> g == x)).toArray();
        int removed = now.length - keep.length;
        objects -= removed;
        dead += removed;
        if (keep.length == 0) {
            removeSlot(s);
        } else if (removed > 0) {
            setOffsets(s, keep);
        }
    }

    void clear() {
        mapped = null;
        dead += objects;
        objects = 0;
        keys = 0;
        hashes = new long[MIN_CAPACITY];
        offs = new long[MIN_CAPACITY];
        lists = new long[0][];
        listCount = 0;
        freeCount = 0;
    }

    // ---------------------------------------------------------------- order

    /** {@return the first used slot at or after {@code from}, or -1}: the keys' order is the slots'. */
    int nextSlot(int from) throws IOException {
        own();
        for (int i = Math.max(0, from); i < hashes.length; i++) {
            if (hashes[i] != 0) {
                return i;
            }
        }
        return -1;
    }

    /** {@return the slot of {@code k}, or -1} */
    int slot(KeyBytes k) throws IOException {
        own();
        return Math.max(-1, slotOf(k));
    }

    /** {@return the key of a used slot}, read from its record. */
    KeyBytes keyAt(int slot) throws IOException {
        own();
        return new KeyBytes(record(firstOffset(slot)).key());
    }

    long hashAt(int slot) throws IOException {
        own();
        return hashes[slot];
    }

    long[] offsetsOf(int slot) throws IOException {
        own();
        return offsetsAt(slot);
    }

    /** {@return the keys, in slot order}, each read from its record. */
    KeyBytes[] keyArray() throws IOException {
        own();
        KeyBytes[] out = new KeyBytes[keys];
        int n = 0;
        for (int i = nextSlot(0); i >= 0; i = nextSlot(i + 1)) {
            out[n++] = keyAt(i);
        }
        return out;
    }

    // ---------------------------------------------------------------- the hint's view

    int capacity() {
        HintFile.Mapped m = mapped;
        return m == null ? hashes.length : m.capacity;
    }

    long[] hashes() throws IOException {
        own();
        return hashes;
    }

    /**
     * {@return the slots' offsets with list references renumbered densely} and fills {@code out}
     * with the lists in that order: what the hint stores (free list entries are not written).
     */
    long[] denseOffsets(java.util.List<long[]> out) throws IOException {
        own();
        if (listCount == 0 || set) {
            return offs;
        }
        long[] o = offs.clone();
        for (int i = 0; i < o.length; i++) {
            if (hashes[i] != 0 && o[i] < 0) {
                out.add(lists[(int) ~o[i]]);
                o[i] = ~(long) (out.size() - 1);
            }
        }
        return o;
    }
}
