package otp4j.dets.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiFunction;
import java.util.function.BiPredicate;

import otp4j.dets.DetsFileException;
import otp4j.dets.DetsFileException.Reason;
import otp4j.dets.DiskTable;
import otp4j.dets.DiskTableInfo;
import otp4j.dets.Durability;
import otp4j.dets.FileAccess;
import otp4j.dets.TraverseStep;
import otp4j.ets.BadArgException;
import otp4j.ets.Chunk;
import otp4j.ets.CounterOp;
import otp4j.ets.Counters;
import otp4j.ets.Ets;
import otp4j.ets.NoSuchTableException;
import otp4j.ets.Query;
import otp4j.ets.Table;
import otp4j.ets.TableAccessException;
import otp4j.ets.TableType;
import otp4j.ets.TermCodec;

/** {@link DiskTable}: a {@link LogFile} and its {@link KeyDir}, behind one lock. */
public final class DiskTableImpl<K, V> implements DiskTable<K, V> {
    /*
     * Overview
     *
     * lock guards log, dir, dirty and state changes. Every call takes it for the file I/O and
     * key-directory work it needs, and encodes and decodes outside it: a codec error happens
     * before anything is written, and slow user types do not hold up other callers. Traversals
     * take a snapshot of the keys, then read them in batches, taking the lock per batch.
     *
     * syncLock orders what forces the file or replaces it: the group commit of EVERY_WRITE
     * (flush under lock, then force outside it, so that writers keep appending meanwhile), sync,
     * auto-save, compaction and close. Lock order: syncLock, then lock. durable is the length
     * known to be on the disk; a writer whose records end at or before it has nothing to wait for.
     *
     * No call here is interruptible: ReentrantLock.lock() and the java.io file calls ignore
     * interrupts, so a process killed in the middle of a call finishes the call's I/O, and the
     * table stays whole for everyone else. Opener counts live in the registry, under its lock.
     */

    private static final int OPEN = 0, CLOSING = 1, CLOSED = 2;
    /** Keys read per lock hold in a traversal. */
    private static final int BATCH = 256;
    /** Compaction runs at a save when dead records outnumber live objects and the file is at least this long. */
    private static final long COMPACT_MIN_BYTES = 1 << 20;

    final String name;
    final Path file;
    final Path identity;
    final TableType type;
    final FileAccess access;
    final Durability durability;
    final Optional<Duration> autoSave;
    final TermCodec codec;
    private final DetsRegistry registry;

    private final ReentrantLock lock = new ReentrantLock();
    private final ReentrantLock syncLock = new ReentrantLock();
    private LogFile log;
    private KeyDir dir;
    private boolean dirty;
    private volatile int state = OPEN;
    private volatile long durable;
    private ScheduledFuture<?> autoSaveTask;

    DiskTableImpl(DetsRegistry registry, String name, Path file, Path identity, FileAccess access, Durability durability,
                  Optional<Duration> autoSave, TermCodec codec, Recovery.Opened opened) {
        this.registry = registry;
        this.name = name;
        this.file = file;
        this.identity = identity;
        this.access = access;
        this.durability = durability;
        this.autoSave = autoSave;
        this.codec = codec;
        this.log = opened.log();
        this.dir = opened.dir();
        this.type = log.type;
        this.durable = log.length();
        this.dirty = !opened.clean(); // a replayed or new file gets its hint at the next save
    }

    void startAutoSave() {
        if (autoSave.isPresent() && access == FileAccess.READ_WRITE) {
            long ms = Math.max(1, autoSave.get().toMillis());
            autoSaveTask = Background.timer().scheduleWithFixedDelay(this::autoSave, ms, ms, TimeUnit.MILLISECONDS);
        }
    }

    private void autoSave() {
        syncLock.lock();
        try {
            lock.lock();
            try {
                if (state == OPEN && dirty) {
                    save();
                }
            } finally {
                lock.unlock();
            }
        } catch (IOException | RuntimeException e) {
            System.getLogger("otp4j.dets").log(System.Logger.Level.ERROR, "dets: auto-save of " + name + " failed", e);
        } finally {
            syncLock.unlock();
        }
    }

    // ---------------------------------------------------------------- identity

    @Override
    public String name() {
        return name;
    }

    @Override
    public Path file() {
        return file;
    }

    @Override
    public Optional<DiskTableInfo> info() {
        if (state != OPEN) {
            return Optional.empty();
        }
        long size;
        long length;
        lock.lock();
        try {
            if (state != OPEN) {
                return Optional.empty();
            }
            size = dir.objects();
            length = log.length();
        } finally {
            lock.unlock();
        }
        return Optional.of(new DiskTableInfo(name, file, type, access, size, length, registry.users(this), autoSave,
                durability));
    }

    @Override
    public long size() {
        lock.lock();
        try {
            checkOpen();
            return dir.objects();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String toString() {
        return "DiskTable[" + name + ", " + file + "]";
    }

    // ---------------------------------------------------------------- checks and codec

    private void checkOpen() {
        if (state != OPEN) {
            throw new NoSuchTableException("disk table " + name + " is closed; open it again with Dets.openFile");
        }
    }

    private void checkWritable() {
        checkOpen();
        if (access == FileAccess.READ) {
            throw new TableAccessException("disk table " + name + " (" + file
                    + ") was opened with FileAccess.READ; open it READ_WRITE to write (DETS: access_mode)");
        }
    }

    private byte[] encodeKey(Object key) {
        Objects.requireNonNull(key, "key");
        try {
            return codec.encode(key);
        } catch (IllegalArgumentException e) {
            throw new BadArgException("key " + key + " (a " + key.getClass().getName() + ") of disk table " + name
                    + ": codec " + codec.name() + " cannot write it: " + e.getMessage() + "; nothing was written");
        }
    }

    private byte[] encodeValue(Object key, Object value) {
        Objects.requireNonNull(value, "value");
        try {
            return codec.encode(value);
        } catch (IllegalArgumentException e) {
            throw new BadArgException("the value of key " + key + " (a " + value.getClass().getName() + ") of disk table "
                    + name + ": codec " + codec.name() + " cannot write it: " + e.getMessage() + "; nothing was written");
        }
    }

    /** Decodes a key ({@code key} null) or the value of {@code key}; the message is built only on failure. */
    @SuppressWarnings("unchecked")
    private <T> T decode(byte[] bytes, Object key) {
        try {
            return (T) codec.decode(bytes);
        } catch (IllegalArgumentException e) {
            String what = key == null ? "a key" : "the value of key " + key;
            throw new UncheckedIOException(new DetsFileException(Reason.CODEC_MISMATCH, file, -1, "codec " + codec.name()
                    + " cannot read " + what + ": " + e.getMessage() + "; open the file with the codec (and the registered "
                    + "types) it was written with", e));
        }
    }

    private byte[] valueAt(long off) throws IOException {
        return dir.record(off).value();
    }

    private UncheckedIOException io(IOException e) {
        if (diskFull(e)) {
            return new UncheckedIOException(file + ": the disk is full (" + e.getMessage() + ") writing disk table "
                    + name + "; this write failed, what was written before it is kept and readable: free space on the "
                    + "disk, then write or sync again", e);
        }
        return new UncheckedIOException(e);
    }

    /** A sync that failed: the writes stay in the table, and in its buffer, for the next sync to write. */
    private UncheckedIOException unsynced(IOException e) {
        return new UncheckedIOException(file + ": " + (diskFull(e) ? "the disk is full (" + e.getMessage() + ")" : e.getMessage())
                + ": syncing disk table " + name + " failed; its writes stay in the table (readable) and are written "
                + "by the next sync or close that succeeds" + (diskFull(e) ? ": free space on the disk first" : ""), e);
    }

    /** {@return whether {@code e} says the disk is full}: ENOSPC, or EDQUOT (a quota), as the JDK words them. */
    static boolean diskFull(IOException e) {
        String m = e.getMessage();
        return m != null && (m.contains("No space left on device") || m.contains("Disk quota exceeded"));
    }

    // ---------------------------------------------------------------- writes

    /** An object ready to append: its key, and its PUT record. */
    private record Put(KeyBytes key, byte[] value, byte[] record) {
    }

    private Put put(Object key, Object value) {
        byte[] k = encodeKey(key);
        byte[] v = encodeValue(key, value);
        return new Put(new KeyBytes(k), v, LogFile.record(LogFile.PUT, k, v));
    }

    /** Appends {@code p} unless a bag already has the object; under the lock. */
    private void append(Put p) throws IOException {
        if (type == TableType.BAG && indexOf(p.key(), p.value()) >= 0) {
            return;
        }
        dir.put(p.key(), appendRecord(p.record()));
    }

    /**
     * {@return the offset of {@code record}, appended}; under the lock, before the key directory
     * hears of it. The first write after a clean point (open, sync, save) is handed to the
     * operating system at once, so that the file is longer than its hint says: a crash from now
     * on leaves a file that needs repair, as DETS marks its file at the first write (DETS-025),
     * while a crash right after a sync leaves a clean one (DETS-028). If that fails (a full
     * disk), the record is dropped again and the write fails having changed nothing.
     */
    private long appendRecord(byte[] record) throws IOException {
        long at = log.append(record);
        if (!dirty) {
            try {
                log.flush();
            } catch (IOException e) {
                log.unappend(at);
                throw e;
            }
            dirty = true;
        }
        return at;
    }

    /** For tests: the disk takes {@code bytes} more bytes of this table's file (see {@link LogFile#spaceLeft}). */
    void spaceLeft(long bytes) {
        lock.lock();
        try {
            log.spaceLeft(bytes);
        } finally {
            lock.unlock();
        }
    }

    /** {@return the offset of the key's object with value bytes {@code value}, or -1}; under the lock. */
    private long indexOf(KeyBytes key, byte[] value) throws IOException {
        long[] offsets = dir.get(key);
        if (offsets != null) {
            for (long o : offsets) {
                if (Arrays.equals(valueAt(o), value)) {
                    return o;
                }
            }
        }
        return -1;
    }

    /** Appends a tombstone or CLEAR record; under the lock. */
    private void appendMarker(byte[] record) throws IOException {
        appendRecord(record);
        dir.addDead(1);
    }

    /** The part of a write that runs under the lock: checks, appends, updates the key directory. */
    @FunctionalInterface
    private interface Append<T> {
        T run() throws IOException;
    }

    /**
     * Runs a write: {@code body} under the lock, on a table open for writing; then, if it
     * appended anything, waits for the disk as the durability asks (outside the lock, so that
     * one force serves every writer waiting meanwhile). {@return what {@code body} returned}
     */
    private <T> T write(Append<T> body) {
        T result;
        long before;
        long end;
        lock.lock();
        try {
            checkWritable();
            before = log.length();
            result = body.run();
            end = log.length();
        } catch (IOException e) {
            throw io(e);
        } finally {
            lock.unlock();
        }
        if (end != before && durability == Durability.EVERY_WRITE) {
            syncTo(end);
        }
        return result;
    }

    /** The group commit: forces the file up to at least {@code end}, sharing one force with every writer waiting meanwhile. */
    private void syncTo(long end) {
        syncLock.lock();
        try {
            if (durable >= end) {
                return; // forced by a writer that went first
            }
            long upto;
            lock.lock();
            try {
                checkOpen();
                log.flush();
                upto = log.length();
            } finally {
                lock.unlock();
            }
            log.force(); // outside the lock: writers append meanwhile, and the next force takes them
            durable = upto;
        } catch (IOException e) {
            throw unsynced(e);
        } finally {
            syncLock.unlock();
        }
    }

    @Override
    public void insert(K key, V value) {
        Put p = put(key, value);
        write(() -> {
            append(p);
            return null;
        });
    }

    private List<Put> puts(Collection<? extends Map.Entry<? extends K, ? extends V>> entries) {
        Objects.requireNonNull(entries, "entries");
        List<Put> puts = new ArrayList<>(entries.size());
        for (Map.Entry<? extends K, ? extends V> e : entries) {
            Objects.requireNonNull(e, "entries contains null");
            puts.add(put(e.getKey(), e.getValue()));
        }
        return puts;
    }

    @Override
    public void insertAll(Collection<? extends Map.Entry<? extends K, ? extends V>> entries) {
        insertAll(puts(entries), false);
    }

    @Override
    public boolean insertNew(K key, V value) {
        return insertAll(List.of(put(key, value)), true);
    }

    @Override
    public boolean insertNewAll(Collection<? extends Map.Entry<? extends K, ? extends V>> entries) {
        return insertAll(puts(entries), true);
    }

    private boolean insertAll(List<Put> puts, boolean onlyNew) {
        return write(() -> {
            if (onlyNew) {
                for (Put p : puts) {
                    if (dir.contains(p.key())) {
                        return false;
                    }
                }
            }
            for (Put p : puts) {
                append(p);
            }
            return true;
        });
    }

    @Override
    public void delete(K key) {
        byte[] k = encodeKey(key);
        KeyBytes kb = new KeyBytes(k);
        write(() -> {
            if (dir.contains(kb)) {
                appendMarker(LogFile.record(LogFile.DELETE_KEY, k, null));
                dir.remove(kb);
            }
            return null;
        });
    }

    @Override
    public void deleteObject(K key, V value) {
        byte[] k = encodeKey(key);
        byte[] v = encodeValue(key, value);
        write(() -> deleteObject(new KeyBytes(k), v));
    }

    /** Deletes every copy of the object; {@return whether there was one}; under the lock. */
    private boolean deleteObject(KeyBytes key, byte[] value) throws IOException {
        long[] offsets = dir.get(key);
        if (offsets == null) {
            return false;
        }
        long[] gone = new long[offsets.length];
        int n = 0;
        for (long o : offsets) {
            if (Arrays.equals(valueAt(o), value)) {
                gone[n++] = o;
            }
        }
        if (n == 0) {
            return false;
        }
        if (n == offsets.length) {
            appendMarker(LogFile.record(LogFile.DELETE_KEY, key.bytes, null));
            dir.remove(key);
        } else {
            appendMarker(LogFile.record(LogFile.DELETE_OBJECT, key.bytes, value));
            dir.removeOffsets(key, Arrays.copyOf(gone, n));
        }
        return true;
    }

    @Override
    public void deleteAllObjects() {
        write(() -> {
            appendMarker(LogFile.record(LogFile.CLEAR, null, null));
            dir.clear();
            return null;
        });
    }

    @Override
    public long updateCounter(K key, long increment) {
        return updateCounter(key, CounterOp.add(0, increment));
    }

    @Override
    public long updateCounter(K key, CounterOp op) {
        Objects.requireNonNull(op, "op");
        if (type != TableType.SET) {
            throw new BadArgException("update_counter needs a set, but disk table " + name + " is a " + type + " (DETS-011)");
        }
        byte[] k = encodeKey(key);
        KeyBytes kb = new KeyBytes(k);
        return write(() -> {
            long result;
            long[] offsets = dir.get(kb);
            if (offsets == null) {
                throw new BadArgException("update_counter: key " + key + " is not in disk table " + name);
            }
            Object old = decode(valueAt(offsets[0]), key);
            Object updated;
            if (old instanceof Long l) {
                if (op.index() != 0) {
                    throw new BadArgException("update_counter: the value of key " + key
                            + " is one Long counter (index 0), not counter " + op.index());
                }
                result = op.apply(l);
                updated = result;
            } else if (old instanceof Counters c) {
                if (op.index() >= c.size()) {
                    throw new BadArgException("update_counter: the value of key " + key + " has " + c.size()
                            + " counters, not counter " + op.index());
                }
                result = op.apply(c.get(op.index()));
                updated = c.with(op.index(), result);
            } else {
                throw new BadArgException("update_counter: the value of key " + key + " is a " + old.getClass().getName()
                        + ", not a Long or Counters");
            }
            append(new Put(kb, null, LogFile.record(LogFile.PUT, k, encodeValue(key, updated))));
            return result;
        });
    }

    // ---------------------------------------------------------------- reads

    @Override
    public List<V> lookup(K key) {
        KeyBytes kb = new KeyBytes(encodeKey(key));
        byte[][] raw;
        lock.lock();
        try {
            checkOpen();
            raw = values(kb);
        } catch (IOException e) {
            throw io(e);
        } finally {
            lock.unlock();
        }
        if (raw == null) {
            return List.of();
        }
        List<V> out = new ArrayList<>(raw.length);
        for (byte[] v : raw) {
            out.add(decode(v, key));
        }
        return out;
    }

    /** {@return the value bytes of the key's objects, or null}; under the lock. */
    private byte[][] values(KeyBytes kb) throws IOException {
        long[] offsets = dir.get(kb);
        if (offsets == null) {
            return null;
        }
        byte[][] out = new byte[offsets.length][];
        for (int i = 0; i < offsets.length; i++) {
            out[i] = valueAt(offsets[i]);
        }
        return out;
    }

    @Override
    public boolean member(K key) {
        KeyBytes kb = new KeyBytes(encodeKey(key));
        lock.lock();
        try {
            checkOpen();
            return dir.contains(kb);
        } catch (IOException e) {
            throw io(e);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Optional<K> first() {
        byte[] k;
        lock.lock();
        try {
            checkOpen();
            int s = dir.nextSlot(0);
            k = s < 0 ? null : dir.keyAt(s).bytes;
        } catch (IOException e) {
            throw io(e);
        } finally {
            lock.unlock();
        }
        return k == null ? Optional.empty() : Optional.of(decode(k, null));
    }

    /** The key after {@code key} in the key directory's slot order: a step, not a scan of the keys. */
    @Override
    public Optional<K> next(K key) {
        KeyBytes kb = new KeyBytes(encodeKey(key));
        byte[] k;
        lock.lock();
        try {
            checkOpen();
            int s = dir.slot(kb);
            if (s < 0) {
                throw new BadArgException("next: key " + key + " is not in disk table " + name);
            }
            int n = dir.nextSlot(s + 1);
            k = n < 0 ? null : dir.keyAt(n).bytes;
        } catch (IOException e) {
            throw io(e);
        } finally {
            lock.unlock();
        }
        return k == null ? Optional.empty() : Optional.of(decode(k, null));
    }

    private KeyBytes[] keys() {
        lock.lock();
        try {
            checkOpen();
            return dir.keyArray();
        } catch (IOException e) {
            throw io(e);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Visits the objects of the keys present at the start, in batches; {@code visitor} returns
     * false to stop. Keys deleted meanwhile are skipped; each key is read as it is when its batch
     * is read.
     */
    private void walk(KeyBytes[] keys, int from, BiPredicate<K, V> visitor) {
        for (int i = from; i < keys.length; i += BATCH) {
            int n = Math.min(BATCH, keys.length - i);
            byte[][][] batch = new byte[n][][];
            lock.lock();
            try {
                checkOpen();
                for (int j = 0; j < n; j++) {
                    batch[j] = values(keys[i + j]);
                }
            } catch (IOException e) {
                throw io(e);
            } finally {
                lock.unlock();
            }
            for (int j = 0; j < n; j++) {
                if (batch[j] == null) {
                    continue;
                }
                K k = decode(keys[i + j].bytes, null);
                for (byte[] v : batch[j]) {
                    if (!visitor.test(k, decode(v, k))) {
                        return;
                    }
                }
            }
        }
    }

    @Override
    public <A> A foldl(A acc, Table.Folder<? super K, ? super V, A> f) {
        Objects.requireNonNull(f, "f");
        Object[] a = {acc};
        walk(keys(), 0, (k, v) -> {
            @SuppressWarnings("unchecked")
            A before = (A) a[0];
            a[0] = f.apply(k, v, before);
            return true;
        });
        @SuppressWarnings("unchecked")
        A result = (A) a[0];
        return result;
    }

    @Override
    public <R> List<R> traverse(BiFunction<? super K, ? super V, TraverseStep<R>> f) {
        Objects.requireNonNull(f, "f");
        List<R> collected = new ArrayList<>();
        List<R> done = new ArrayList<>(1);
        walk(keys(), 0, (k, v) -> {
            TraverseStep<R> step = Objects.requireNonNull(f.apply(k, v), "the traverse function returned null");
            switch (step) {
                case TraverseStep.Continue<R> c -> {
                    return true;
                }
                case TraverseStep.Collect<R>(R value) -> {
                    collected.add(value);
                    return true;
                }
                case TraverseStep.Done<R>(R value) -> {
                    done.add(value);
                    return false;
                }
            }
        });
        return done.isEmpty() ? collected : done;
    }

    private boolean matches(Query<K, V, ?> q, K k, V v) {
        return q.inRange(k, Ets.keyOrder()) && q.filter().test(k, v);
    }

    /** The keys a query visits: its one key, or all. */
    private KeyBytes[] keysOf(Query<K, V, ?> q) {
        if (q.key().isPresent()) {
            KeyBytes kb = new KeyBytes(encodeKey(q.key().get()));
            lock.lock();
            try {
                checkOpen();
                return dir.contains(kb) ? new KeyBytes[] {kb} : new KeyBytes[0];
            } catch (IOException e) {
                throw io(e);
            } finally {
                lock.unlock();
            }
        }
        return keys();
    }

    @Override
    public <R> List<R> select(Query<K, V, R> q) {
        Objects.requireNonNull(q, "q");
        List<R> out = new ArrayList<>();
        walk(keysOf(q), 0, (k, v) -> {
            if (matches(q, k, v)) {
                out.add(q.projection().apply(k, v));
            }
            return true;
        });
        return out;
    }

    @Override
    public <R> Optional<Chunk<R>> select(Query<K, V, R> q, int limit) {
        Objects.requireNonNull(q, "q");
        if (limit < 1) {
            throw new BadArgException("select: limit must be at least 1, was " + limit);
        }
        return chunk(q, keysOf(q), 0, limit);
    }

    /** The chunk of up to {@code limit} matches from key index {@code from} on; whole keys per chunk, so no object is split or repeated. */
    private <R> Optional<Chunk<R>> chunk(Query<K, V, R> q, KeyBytes[] keys, int from, int limit) {
        List<R> results = new ArrayList<>();
        int at = from;
        while (at < keys.length && results.size() < limit) {
            walk(new KeyBytes[] {keys[at]}, 0, (k, v) -> {
                if (matches(q, k, v)) {
                    results.add(q.projection().apply(k, v));
                }
                return true;
            });
            at++;
        }
        if (results.isEmpty()) {
            return Optional.empty();
        }
        int next = at;
        List<R> done = List.copyOf(results);
        return Optional.of(new Chunk<R>() {
            private final ReentrantLock once = new ReentrantLock();
            private Optional<Chunk<R>> following; // guarded by once: next() returns the same chunk each time

            @Override
            public List<R> results() {
                return done;
            }

            @Override
            public Optional<Chunk<R>> next() {
                once.lock();
                try {
                    if (following == null) {
                        following = chunk(q, keys, next, limit);
                    }
                    return following;
                } finally {
                    once.unlock();
                }
            }
        });
    }

    @Override
    public long selectDelete(Query<K, V, ?> q) {
        Objects.requireNonNull(q, "q");
        List<Map.Entry<K, V>> matched = new ArrayList<>();
        walk(keysOf(q), 0, (k, v) -> {
            if (matches(q, k, v)) {
                matched.add(Map.entry(k, v));
            }
            return true;
        });
        return write(() -> {
            long deleted = 0;
            for (Map.Entry<K, V> e : matched) {
                KeyBytes k = new KeyBytes(encodeKey(e.getKey()));
                byte[] v = encodeValue(e.getKey(), e.getValue());
                long[] before = dir.get(k);
                if (deleteObject(k, v)) {
                    long[] after = dir.get(k);
                    deleted += before.length - (after == null ? 0 : after.length);
                }
            }
            return deleted;
        });
    }

    @Override
    public Table<K, V> toEts(Table<K, V> table) {
        Objects.requireNonNull(table, "table");
        walk(keys(), 0, (k, v) -> {
            table.insert(k, v);
            return true;
        });
        return table;
    }

    @Override
    public void fromEts(Table<K, V> table) {
        Objects.requireNonNull(table, "table");
        List<Put> puts = puts(table.tab2list());
        write(() -> {
            appendMarker(LogFile.record(LogFile.CLEAR, null, null));
            dir.clear();
            for (Put p : puts) {
                append(p);
            }
            return null;
        });
    }

    // ---------------------------------------------------------------- sync and close

    @Override
    public void sync() {
        syncLock.lock();
        try {
            lock.lock();
            try {
                checkOpen();
                if (access == FileAccess.READ_WRITE && dirty) {
                    save();
                }
            } finally {
                lock.unlock();
            }
        } catch (IOException e) {
            throw unsynced(e);
        } finally {
            syncLock.unlock();
        }
    }

    /**
     * Makes the file clean as of now: flushed, forced, and its hint written; compacted first if
     * dead records outnumber live objects. Under syncLock and lock; only when dirty (the hint of a
     * clean file already covers it, so a sync or close after a sync writes nothing).
     */
    private void save() throws IOException {
        log.flush();
        if (dir.dead() > dir.objects() && log.length() >= COMPACT_MIN_BYTES) {
            log = Recovery.rewrite(log, dir, codec.name());
            dir = Recovery.reloadHint(log);
        } else {
            log.force();
            HintFile.write(log, dir);
        }
        durable = log.length();
        dirty = false;
    }

    @Override
    public void close() {
        registry.close(this);
    }

    /** Called by the registry, under its lock, when the last open is gone: calls fail from now on. */
    void markClosing() {
        if (state == OPEN) {
            state = CLOSING;
        }
    }

    /** Called by the registry once the last opener has closed or died: saves and closes the file. */
    void closeFile() {
        if (autoSaveTask != null) {
            autoSaveTask.cancel(false);
        }
        syncLock.lock();
        try {
            lock.lock();
            try {
                if (state == CLOSED) {
                    return;
                }
                state = CLOSING;
                try {
                    if (access == FileAccess.READ_WRITE && dirty) {
                        save();
                    }
                } finally {
                    state = CLOSED;
                    log.close();
                }
            } finally {
                lock.unlock();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": closing disk table " + name + " failed; writes since the last "
                    + "sync may be lost: " + e.getMessage(), e);
        } finally {
            syncLock.unlock();
        }
    }

    boolean isOpen() {
        return state == OPEN;
    }
}
