package otp4j.ets.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.StampedLock;
import java.util.function.UnaryOperator;

import otp4j.ets.Access;
import otp4j.ets.BadArgException;
import otp4j.ets.Chunk;
import otp4j.ets.CounterOp;
import otp4j.ets.Counters;
import otp4j.ets.EtsTransfer;
import otp4j.ets.Heir;
import otp4j.ets.NoSuchTableException;
import otp4j.ets.Query;
import otp4j.ets.Table;
import otp4j.ets.TableAccessException;
import otp4j.ets.TableInfo;
import otp4j.ets.TableOptions;
import otp4j.ets.TableType;
import otp4j.ets.WriteConcurrency;
import otp4j.runtime.Pid;
import otp4j.runtime.Proc;
import otp4j.runtime.SystemLimitException;
import otp4j.runtime.internal.ExitHooks;

/**
 * The one implementation of {@link Table}, for all four types.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
public final class TableImpl<K, V> implements Table<K, V> {
    /*
     * Overview
     *
     * Storage: one ConcurrentMap from key to a slot. A SET's slot is the value; an ORDERED_SET's
     * is a Map.Entry of the key last inserted and the value (the skip list keeps the first key
     * object of equal keys, but ETS keeps the latest: 1.0 replaces 1, ETS-002); a bag's is an
     * Object[] of its values in insertion order, never empty. Slots are immutable, so a reader
     * that loads one sees a consistent object: reads take no lock.
     *
     * Single-key writes are compare-and-set loops on the slot (get, compute the new slot,
     * replace/putIfAbsent/remove against the old one). The same code serves the hash map and the
     * skip list, whose compute may run its function more than once; a loop tells exactly what
     * happened, which the size counter needs. replace compares slots with equals: an old slot
     * that was replaced by an equal one since we read it is the same value, so the write is
     * still linearizable.
     *
     * Writers: single-key writes hold one stripe of the writer lock in read (shared) mode,
     * multi-object writes (insertAll, insertNewAll, deleteAllObjects) every stripe in write
     * (exclusive) mode, so a multi-object write is isolated from every other write and
     * insertNewAll's "no key is present" still holds when it inserts. The number of stripes is
     * the write_concurrency option: one (OFF) or several, so that concurrent single-key writers
     * do not all update one lock word. Readers never touch the lock, which is why
     * read_concurrency has nothing to change. No lock is held while calling user code except
     * updateElement's function, which is documented.
     *
     * Size and memory: LongAdders changed after each successful write (account), from the old
     * and new slot; exact (size) or consistent (memory) when writers are quiet.
     *
     * Ownership (owner, heir, name, deleted) changes under the admin lock, and is read through
     * volatile fields without it. See NodeTables for how owner deaths reach the table.
     */

    private final NodeTables registry;
    private final long id;
    private final TableType type;
    private final Access access;
    private final boolean named;
    private final Comparator<Object> order;
    private final ConcurrentMap<K, Object> map;
    /** The same map as a skip list, for an ordered set; null otherwise. */
    private final ConcurrentNavigableMap<K, Object> sorted;
    private final boolean readConcurrency;
    private final WriteConcurrency writeConcurrency;
    /** The comparator option as given (not wrapped by KeyOrder.checked), for tab2file. */
    private final Optional<Comparator<Object>> comparator;
    private final LongAdder size = new LongAdder();
    /** The maxSize option; Long.MAX_VALUE for none. */
    private final long maxSize;
    /**
     * For a bounded table, its objects plus the room writes in progress have reserved: never
     * below the objects, so a write that fits by it fits the bound. Null for an unbounded table,
     * whose writes then pay one null test for the bound.
     */
    private final AtomicLong held;
    /** The estimated bytes of every entry (see footprint); the map's bucket array is added by memory(). */
    private final LongAdder bytes = new LongAdder();
    /** The writer lock, striped by the write_concurrency option: see stripe() and lockAll(). */
    private final StampedLock[] stripes;
    private final ReentrantLock admin = new ReentrantLock();

    // Written under admin, read without it.
    private volatile Pid owner;
    private volatile Heir heir;
    private volatile String name;
    private volatile boolean deleted;

    @SuppressWarnings("unchecked")
    private TableImpl(NodeTables registry, String name, TableOptions o, Pid owner) {
        this.registry = registry;
        this.id = registry.nextId();
        this.type = o.type();
        this.access = o.access();
        this.named = o.namedTable();
        this.name = name;
        this.owner = owner;
        this.heir = o.heir().orElse(null);
        this.order = o.comparator().map(KeyOrder::checked).orElse(KeyOrder.INSTANCE);
        this.comparator = o.comparator();
        this.readConcurrency = o.readConcurrency();
        this.writeConcurrency = o.writeConcurrency();
        this.maxSize = o.maxSize().orElse(Long.MAX_VALUE);
        this.held = o.maxSize().isPresent() ? new AtomicLong() : null;
        this.stripes = new StampedLock[o.writeConcurrency().stripes()];
        for (int i = 0; i < stripes.length; i++) {
            stripes[i] = new StampedLock();
        }
        if (type == TableType.ORDERED_SET) {
            sorted = new ConcurrentSkipListMap<>((Comparator<? super K>) order);
            map = sorted;
        } else {
            sorted = null;
            map = new ConcurrentHashMap<>();
        }
    }

    /** As {@link otp4j.ets.Ets#newTable}, for a table owned by {@code owner}, the caller. */
    public static <K, V> Table<K, V> create(NodeTables registry, String name, TableOptions o, Pid owner) {
        TableImpl<K, V> t = new TableImpl<>(registry, name, o, owner);
        if (!registry.add(t, o.namedTable(), name)) {
            throw new BadArgException("name \"" + name + "\" is already used by a named table (ETS-009);"
                    + " choose another name, or make the table without named()");
        }
        t.admin.lock();
        try {
            registry.indexOwner(t, owner);
        } finally {
            t.admin.unlock();
        }
        // False only if the caller is a process that was killed while running (a zombie): the
        // table was then deleted, and the caller's next runtime call ends it.
        registry.watchOwner(owner);
        return t;
    }

    // ------------------------------------------------------------------ access

    private static Pid caller() {
        return Proc.isProcess() ? Proc.self() : null;
    }

    private NoSuchTableException gone() {
        return new NoSuchTableException("table " + describe() + " does not exist: it was deleted, or its owner died");
    }

    private String describe() {
        return "\"" + name + "\" (id " + id + ")";
    }

    private void checkRead() {
        if (deleted) {
            throw gone();
        }
        if (access == Access.PRIVATE && !Objects.equals(caller(), owner)) {
            throw new TableAccessException("table " + describe() + " is private to its owner " + owner
                    + "; " + who() + " may not read it");
        }
    }

    private void checkWrite() {
        if (deleted) {
            throw gone();
        }
        if (access != Access.PUBLIC && !Objects.equals(caller(), owner)) {
            throw new TableAccessException("table " + describe() + " is " + access.name().toLowerCase()
                    + " and owned by " + owner + "; " + who() + " may not write it (make it PUBLIC to allow that)");
        }
    }

    private Pid checkOwner(String what) {
        if (deleted) {
            throw gone();
        }
        Pid me = caller();
        if (me == null || !me.equals(owner)) {
            throw new TableAccessException("only the owner " + owner + " of table " + describe() + " may " + what
                    + "; " + who() + " is not the owner");
        }
        return me;
    }

    private static String who() {
        Pid me = caller();
        return me == null ? "thread " + Thread.currentThread().getName() + " (not a process)" : "process " + me;
    }

    private void checkSetType(String op) {
        if (!type.isSet()) {
            throw new BadArgException(op + " works on SET and ORDERED_SET tables; table " + describe()
                    + " is a " + type);
        }
    }

    // ------------------------------------------------------------------ slots

    @SuppressWarnings("unchecked")
    private List<V> values(Object slot) {
        return switch (type) {
            case SET -> List.of(single(slot));
            case ORDERED_SET -> List.of(((Map.Entry<K, V>) slot).getValue());
            case BAG, DUPLICATE_BAG -> (List<V>) Arrays.asList(((Object[]) slot).clone());
        };
    }

    @SuppressWarnings("unchecked")
    private V single(Object slot) {
        if (type == TableType.ORDERED_SET) {
            return ((Map.Entry<K, V>) slot).getValue();
        }
        return slot instanceof CounterSlot c ? (V) Long.valueOf(c.get()) : (V) slot;
    }

    /**
     * {@return key's slot, after turning a counter cell there into a plain Long} For the writes
     * whose new slot depends on the old one: see CounterSlot. Only a set holds cells.
     */
    private Object settled(K key) {
        for (;;) {
            Object slot = map.get(key);
            if (!(slot instanceof CounterSlot c)) {
                return slot;
            }
            demote(key, c);
        }
    }

    /** Seals {@code c}, key's cell, and puts its count back as a plain Long (unless someone did). */
    private void demote(K key, CounterSlot c) {
        Long plain = c.seal();
        if (map.replace(key, c, plain)) {
            account(key, c, plain);
        }
    }

    @SuppressWarnings("unchecked")
    private K keyOf(K mapKey, Object slot) {
        return type == TableType.ORDERED_SET ? ((Map.Entry<K, V>) slot).getKey() : mapKey;
    }

    private Object slotOf(K key, V value) {
        return type == TableType.ORDERED_SET ? Map.entry(key, value) : value;
    }

    /**
     * {@return how many objects a slot holds; 0 for none (null)} By the table's type, not the
     * slot's class: a set's value may itself be an array.
     */
    private int count(Object slot) {
        return slot == null ? 0 : isBag() ? ((Object[]) slot).length : 1;
    }

    /**
     * Records a write that changed {@code key}'s slot from {@code old} to {@code nu} (either may
     * be null: inserted, removed) in the size and memory counters.
     */
    private void account(K key, Object old, Object nu) {
        // Most writes to a counter or a value of the same kind change neither: skip the adders,
        // which two writers on two cores would otherwise both update on every write.
        int objects = count(nu) - count(old);
        if (objects != 0) {
            size.add(objects);
            if (held != null) {
                held.addAndGet(objects);
            }
        }
        long delta = footprint(key, nu) - footprint(key, old);
        if (delta != 0) {
            bytes.add(delta);
        }
    }

    /**
     * Reserves room for {@code n} more objects in a bounded table, before a write that may add
     * them; the writer gives it back with {@link #unreserve} once its write is accounted.
     *
     * @throws SystemLimitException if the table has not that much room left
     */
    private void reserve(long n) {
        if (!tryReserve(n)) {
            throw full(n);
        }
    }

    /** As {@link #reserve}; {@return false instead of throwing} */
    private boolean tryReserve(long n) {
        if (held == null) {
            return true;
        }
        for (;;) {
            long h = held.get();
            if (h + n > maxSize) {
                return false;
            }
            if (held.compareAndSet(h, h + n)) {
                return true;
            }
        }
    }

    private SystemLimitException full(long n) {
        return new SystemLimitException("table " + describe() + " is full: it holds up to " + maxSize
                + " objects (TableOptions.withMaxSize) and has room for " + Math.max(0, maxSize - held.get())
                + " now; a write of " + n + " object(s) was refused and changed nothing");
    }

    private void unreserve(long n) {
        if (held != null) {
            held.addAndGet(-n);
        }
    }

    /**
     * {@return the estimated bytes of one key's entry with slot {@code slot}: map node, key, slot
     * and values; 0 for none} A hash table counts the key given, which equals the stored one (an
     * equal key of another class, say a List.of for a stored ArrayList, may count differently: the
     * estimate then drifts by the difference); an ordered set counts the stored key, in its slot.
     */
    @SuppressWarnings("unchecked")
    private long footprint(K key, Object slot) {
        return switch (slot) {
            case null -> 0;
            case Object[] a when isBag() -> {
                long b = Footprint.HASH_NODE + Footprint.of(key) + Footprint.of(a);
                for (Object v : a) {
                    b += Footprint.of(v);
                }
                yield b;
            }
            default -> type == TableType.ORDERED_SET
                    ? Footprint.SKIP_NODE + Footprint.ENTRY + Footprint.of(((Map.Entry<K, V>) slot).getKey())
                            + Footprint.of(((Map.Entry<K, V>) slot).getValue())
                    : Footprint.HASH_NODE + Footprint.of(key) + Footprint.of(slot);
        };
    }

    /** {@return the estimated bytes of the whole table} See {@link TableInfo#memory()}. */
    private long memory() {
        long b = Footprint.TABLE + (long) Footprint.STRIPE * stripes.length + Math.max(0, bytes.sum());
        if (sorted == null) {
            b += Footprint.hashTable(((ConcurrentHashMap<K, Object>) map).mappingCount());
        }
        return b;
    }

    /**
     * {@return the lock stripe a single-key write takes in shared mode} Any stripe excludes the
     * multi-object writes, which take them all, so the choice only spreads writers over lock
     * words: by thread, so that many processes writing one hot key (a shared counter) spread too.
     */
    private StampedLock stripe() {
        if (stripes.length == 1) {
            return stripes[0];
        }
        long h = Thread.currentThread().threadId() * 0x9E3779B97F4A7C15L;
        return stripes[(int) (h >>> 32) & (stripes.length - 1)];
    }

    /** Takes every stripe exclusively, in index order (so two multi-object writers cannot deadlock). */
    private long[] lockAll() {
        long[] stamps = new long[stripes.length];
        for (int i = 0; i < stripes.length; i++) {
            stamps[i] = stripes[i].writeLock();
        }
        return stamps;
    }

    private void unlockAll(long[] stamps) {
        for (int i = stripes.length - 1; i >= 0; i--) {
            stripes[i].unlockWrite(stamps[i]);
        }
    }

    private boolean isBag() {
        return type == TableType.BAG || type == TableType.DUPLICATE_BAG;
    }

    /** {@return the slot after inserting {@code value} into {@code old} (null if none)} */
    private Object inserted(Object old, K key, V value) {
        if (!isBag()) {
            return slotOf(key, value);
        }
        if (old == null) {
            return new Object[] {value};
        }
        Object[] a = (Object[]) old;
        if (type == TableType.BAG) {
            for (Object o : a) {
                if (o.equals(value)) {
                    return old; // a bag stores an identical object once (ETS-004)
                }
            }
        }
        Object[] b = Arrays.copyOf(a, a.length + 1);
        b[a.length] = value;
        return b;
    }

    private K checkKey(K key) {
        return Objects.requireNonNull(key, "key must not be null");
    }

    private V checkValue(V value) {
        return Objects.requireNonNull(value, "value must not be null");
    }

    // ------------------------------------------------------------------ identity and ownership

    @Override
    public long id() {
        return id;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Optional<TableInfo> info() {
        if (deleted) {
            return Optional.empty();
        }
        Heir h = heir;
        return Optional.of(new TableInfo(id, name, named, type, access, owner,
                Optional.ofNullable(h).map(Heir::pid), Math.max(0, size.sum()), memory(), readConcurrency,
                writeConcurrency, held == null ? OptionalLong.empty() : OptionalLong.of(maxSize)));
    }

    /** {@return the options a table file records: all but the heir} */
    TableOptions fileOptions() {
        return new TableOptions(type, access, named, Optional.empty(), comparator, readConcurrency, writeConcurrency,
                OptionalLong.empty());
    }

    @Override
    public long size() {
        checkRead();
        return Math.max(0, size.sum());
    }

    @Override
    public void giveAway(Pid to, Object data) {
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(data, "data");
        Pid from;
        admin.lock();
        try {
            from = checkOwner("give it away");
            if (to.equals(from)) {
                throw new BadArgException("give_away to " + to + ": the table's owner already (ETS-022)");
            }
            if (to.node() != from.node()) {
                throw new BadArgException("give_away to " + to + ": a process of another node than the table's ("
                        + from.node().name() + ")");
            }
            if (!Proc.isAlive(to)) {
                throw new BadArgException("give_away to " + to + ": that process is not alive (ETS-022)");
            }
            owner = to;
            registry.unindexOwner(this, from);
            registry.indexOwner(this, to);
        } finally {
            admin.unlock();
        }
        if (registry.watchOwner(to)) {
            Proc.send(to, new EtsTransfer(this, from, data));
        }
    }

    @Override
    public void setHeir(Pid heir, Object data) {
        Heir h = new Heir(heir, data);
        admin.lock();
        try {
            Pid me = checkOwner("set its heir");
            if (heir.node() != me.node()) {
                throw new BadArgException("heir " + heir + " is a process of another node than the table's ("
                        + me.node().name() + ")");
            }
            this.heir = h;
        } finally {
            admin.unlock();
        }
    }

    @Override
    public void clearHeir() {
        admin.lock();
        try {
            checkOwner("clear its heir");
            this.heir = null;
        } finally {
            admin.unlock();
        }
    }

    @Override
    public void rename(String newName) {
        Objects.requireNonNull(newName, "newName");
        admin.lock();
        try {
            checkWrite();
            if (named && !registry.rename(this, name, newName)) {
                throw new BadArgException("cannot rename table " + describe() + " to \"" + newName
                        + "\": a named table of that name exists");
            }
            name = newName;
        } finally {
            admin.unlock();
        }
    }

    @Override
    public void delete() {
        admin.lock();
        try {
            checkWrite();
            deleteLocked();
        } finally {
            admin.unlock();
        }
    }

    private void deleteLocked() {
        deleted = true;
        registry.removed(this, named, name, owner);
        // Frees the objects even if someone keeps this handle; a write racing with the delete
        // may leave a few behind, unreachable once the handle is dropped.
        map.clear();
        size.reset();
        bytes.reset();
    }

    /** The owner {@code dead} has died: inherit or delete, as ETS does (ETS-015, 016, 017, 079). */
    void ownerDied(Pid dead) {
        Heir h;
        admin.lock();
        try {
            if (deleted || !dead.equals(owner)) {
                return; // already handled: see NodeTables, "running it twice is harmless"
            }
            h = heir;
            if (h == null || h.pid().equals(dead)) {
                deleteLocked();
                return;
            }
            owner = h.pid();
            heir = null;
            registry.indexOwner(this, h.pid());
        } finally {
            admin.unlock();
        }
        if (registry.watchOwner(h.pid())) {
            // Not Proc.send: this runs in the dead owner's order of death.
            ExitHooks.deliver(h.pid(), new EtsTransfer(this, dead, h.data()));
        }
    }

    // ------------------------------------------------------------------ writes

    @Override
    public void insert(K key, V value) {
        checkKey(key);
        checkValue(value);
        checkWrite();
        StampedLock l = stripe();
        long s = l.readLock();
        try {
            if (!tryReserve(1)) {
                replaceOnly(key, value); // a full table still takes a write that adds nothing
                return;
            }
            try {
                insertUnlocked(key, value);
            } finally {
                unreserve(1);
            }
        } finally {
            l.unlockRead(s);
        }
    }

    private void insertUnlocked(K key, V value) {
        if (!isBag()) {
            // A set's new slot does not depend on the old one: one put, one walk of the map.
            Object nu = slotOf(key, value);
            account(key, map.put(key, nu), nu);
            return;
        }
        for (;;) {
            Object old = map.get(key);
            Object nu = inserted(old, key, value);
            if (old == null) {
                if (map.putIfAbsent(key, nu) == null) {
                    account(key, null, nu);
                    return;
                }
            } else if (nu == old) {
                return;
            } else if (map.replace(key, old, nu)) {
                account(key, old, nu);
                return;
            }
        }
    }

    /**
     * Puts {@code nu} in key's slot if it still holds {@code old} (null: absent, and then room
     * for the new object is reserved first), and accounts for it; {@return whether it did}
     *
     * @throws SystemLimitException if the slot is empty and a bounded table is full
     */
    private boolean swap(K key, Object old, Object nu) {
        if (old != null) {
            if (map.replace(key, old, nu)) {
                account(key, old, nu);
                return true;
            }
            return false;
        }
        reserve(1);
        try {
            if (map.putIfAbsent(key, nu) == null) {
                account(key, null, nu);
                return true;
            }
            return false;
        } finally {
            unreserve(1);
        }
    }

    /**
     * An insert into a full table: done if it adds no object (a set's key replaced, a bag's
     * object already there), refused otherwise.
     */
    private void replaceOnly(K key, V value) {
        for (;;) {
            Object old = map.get(key);
            Object nu = old == null ? null : isBag() ? inserted(old, key, value) : slotOf(key, value);
            if (nu == null || count(nu) > count(old)) {
                throw full(1);
            }
            if (nu == old) {
                return;
            }
            if (map.replace(key, old, nu)) {
                account(key, old, nu);
                return;
            }
        }
    }

    private List<Map.Entry<? extends K, ? extends V>> checkedEntries(
            Collection<? extends Map.Entry<? extends K, ? extends V>> entries) {
        Objects.requireNonNull(entries, "entries");
        List<Map.Entry<? extends K, ? extends V>> list = new ArrayList<>(entries);
        for (int i = 0; i < list.size(); i++) {
            Map.Entry<? extends K, ? extends V> e = list.get(i);
            if (e == null || e.getKey() == null || e.getValue() == null) {
                // All or nothing (ETS-066): checked before anything is written.
                throw new NullPointerException("entry " + i + " of " + list.size() + " is null or has a null key or value;"
                        + " nothing was inserted");
            }
            if (sorted != null) {
                order.compare(e.getKey(), e.getKey()); // a key of the wrong type fails here, not half-way
            }
        }
        return list;
    }

    /** Inserts every entry of {@code list}, within a reservation of as many objects; under lockAll. */
    private void insertAllUnlocked(List<Map.Entry<? extends K, ? extends V>> list) {
        reserve(list.size());
        try {
            for (Map.Entry<? extends K, ? extends V> e : list) {
                insertUnlocked(e.getKey(), e.getValue());
            }
        } finally {
            unreserve(list.size());
        }
    }

    @Override
    public void insertAll(Collection<? extends Map.Entry<? extends K, ? extends V>> entries) {
        List<Map.Entry<? extends K, ? extends V>> list = checkedEntries(entries);
        checkWrite();
        long[] s = lockAll();
        try {
            checkMutualOrder(list);
            insertAllUnlocked(list);
        } finally {
            unlockAll(s);
        }
    }

    /** An ordered set's keys must be comparable with each other and the table's: checked before writing. */
    private void checkMutualOrder(List<Map.Entry<? extends K, ? extends V>> list) {
        if (sorted == null || list.isEmpty()) {
            return;
        }
        Object probe = sorted.isEmpty() ? list.get(0).getKey() : sorted.firstKey();
        for (Map.Entry<? extends K, ? extends V> e : list) {
            order.compare(probe, e.getKey());
        }
    }

    @Override
    public boolean insertNew(K key, V value) {
        checkKey(key);
        checkValue(value);
        checkWrite();
        if (!tryReserve(1)) {
            if (map.containsKey(key)) {
                return false; // as ETS: the key is there, whether or not there is room
            }
            throw full(1);
        }
        StampedLock l = stripe();
        long s = l.readLock();
        try {
            Object nu = inserted(null, key, value);
            if (map.putIfAbsent(key, nu) == null) {
                account(key, null, nu);
                return true;
            }
            return false;
        } finally {
            l.unlockRead(s);
            unreserve(1);
        }
    }

    @Override
    public boolean insertNewAll(Collection<? extends Map.Entry<? extends K, ? extends V>> entries) {
        List<Map.Entry<? extends K, ? extends V>> list = checkedEntries(entries);
        checkWrite();
        long[] s = lockAll();
        try {
            checkMutualOrder(list);
            for (Map.Entry<? extends K, ? extends V> e : list) {
                if (map.containsKey(e.getKey())) {
                    return false;
                }
            }
            insertAllUnlocked(list);
            return true;
        } finally {
            unlockAll(s);
        }
    }

    @Override
    public void delete(K key) {
        checkKey(key);
        checkWrite();
        StampedLock l = stripe();
        long s = l.readLock();
        try {
            Object old = map.remove(key);
            if (old != null) {
                account(key, old, null);
            }
        } finally {
            l.unlockRead(s);
        }
    }

    @Override
    public void deleteObject(K key, V value) {
        checkKey(key);
        checkValue(value);
        checkWrite();
        StampedLock l = stripe();
        long s = l.readLock();
        try {
            removeObject(key, value);
        } finally {
            l.unlockRead(s);
        }
    }

    /** {@return how many copies of the object were removed} Under the shared write lock. */
    private int removeObject(K key, Object value) {
        for (;;) {
            Object old = settled(key);
            if (old == null) {
                return 0;
            }
            Object nu;
            if (isBag()) {
                Object[] a = (Object[]) old;
                Object[] kept = Arrays.stream(a).filter(o -> !o.equals(value)).toArray();
                if (kept.length == a.length) {
                    return 0;
                }
                nu = kept.length == 0 ? null : kept;
            } else {
                if (!single(old).equals(value)) {
                    return 0;
                }
                nu = null;
            }
            boolean done = nu == null ? map.remove(key, old) : map.replace(key, old, nu);
            if (done) {
                account(key, old, nu);
                return count(old) - count(nu);
            }
        }
    }

    @Override
    public void deleteAllObjects() {
        checkWrite();
        long[] s = lockAll();
        try {
            map.clear();
            size.reset(); // exact: no other writer runs while the exclusive lock is held
            bytes.reset();
        } finally {
            unlockAll(s);
        }
    }

    @Override
    public List<V> take(K key) {
        checkKey(key);
        checkWrite();
        StampedLock l = stripe();
        long s = l.readLock();
        try {
            Object old = map.remove(key);
            if (old == null) {
                return List.of();
            }
            account(key, old, null);
            // A cell's count is sealed only now: increments that reached it meanwhile came first.
            return values(old instanceof CounterSlot c ? (Object) c.seal() : old);
        } finally {
            l.unlockRead(s);
        }
    }

    @Override
    public long updateCounter(K key, long increment) {
        return addToCounter(key, increment, null);
    }

    @Override
    public long updateCounter(K key, long increment, V initial) {
        return addToCounter(key, increment, checkValue(initial));
    }

    /**
     * The common case of update_counter, a plain increment of a Long counter, without the op
     * list and result array of the general form: a counter table takes millions a second. In a
     * set the first increment turns the Long into a {@link CounterSlot}, and the next ones add to
     * it in place, without the writer lock: such an add changes one key's value and no key's
     * presence, so a multi-object write cannot tell it from one that came before it. Any other
     * value goes the general way, which reports what is wrong with it.
     */
    @SuppressWarnings("unchecked")
    private long addToCounter(K key, long increment, V initial) {
        checkKey(key);
        checkWrite();
        checkSetType("update_counter");
        if (type == TableType.SET) {
            long n = addInPlace(key, increment);
            if (n != CounterSlot.SEALED) {
                return n;
            }
        }
        StampedLock l = stripe();
        long s = l.readLock();
        try {
            for (;;) {
                Object old = map.get(key);
                if (old instanceof CounterSlot c) {
                    long n = c.add(increment);
                    if (n != CounterSlot.SEALED) {
                        return n;
                    }
                    if (!c.isSealed()) {
                        break; // overflow, or a count that a cell cannot hold: the general path
                    }
                    demote(key, c);
                    continue;
                }
                V v = old != null ? single(old) : initial;
                if (!(v instanceof Long c)) {
                    break; // missing without an initial value, or not a Long: the general path says so
                }
                long n = c + increment;
                if (((c ^ n) & (increment ^ n)) < 0 || n == CounterSlot.SEALED) {
                    break; // overflow (Math.addExact's test), or a count that a cell cannot hold
                }
                Object nu = type == TableType.SET
                        ? new CounterSlot(n)
                        : slotOf(old == null ? key : keyOf(key, old), (V) Long.valueOf(n));
                if (swap(key, old, nu)) {
                    return n;
                }
            }
        } finally {
            l.unlockRead(s);
        }
        return updateCounters(key, List.of(CounterOp.add(0, increment)), initial, false)[0];
    }

    /**
     * Adds to key's counter cell, helping a sealer that got there first; {@return the new count,
     * or {@link CounterSlot#SEALED} if key holds no cell or the cell cannot take the increment}
     */
    private long addInPlace(K key, long increment) {
        for (;;) {
            if (!(map.get(key) instanceof CounterSlot c)) {
                return CounterSlot.SEALED;
            }
            long n = c.add(increment);
            if (n != CounterSlot.SEALED || !c.isSealed()) {
                return n;
            }
            demote(key, c);
        }
    }

    @Override
    public long updateCounter(K key, CounterOp op) {
        return updateCounters(key, List.of(op), null, false)[0];
    }

    @Override
    public long updateCounter(K key, CounterOp op, V initial) {
        return updateCounters(key, List.of(op), checkValue(initial), false)[0];
    }

    @Override
    public long[] updateCounters(K key, List<CounterOp> ops) {
        return updateCounters(key, ops, null, true);
    }

    @Override
    public long[] updateCounters(K key, List<CounterOp> ops, V initial) {
        return updateCounters(key, ops, checkValue(initial), true);
    }

    private long[] updateCounters(K key, List<CounterOp> ops, V initial, boolean copyOps) {
        checkKey(key);
        List<CounterOp> todo = copyOps ? List.copyOf(ops) : ops;
        checkWrite();
        checkSetType("update_counter");
        StampedLock l = stripe();
        long s = l.readLock();
        try {
            for (;;) {
                Object old = settled(key);
                V v;
                if (old != null) {
                    v = single(old);
                } else if (initial != null) {
                    v = initial;
                } else {
                    throw new BadArgException("update_counter: key " + key + " is not in table " + describe()
                            + " and no initial value was given (ETS-036)");
                }
                long[] results = new long[todo.size()];
                V nv = applyCounters(key, v, todo, results);
                K storedKey = old == null ? key : keyOf(key, old);
                Object nu = slotOf(storedKey, nv);
                if (swap(key, old, nu)) {
                    return results;
                }
            }
        } finally {
            l.unlockRead(s);
        }
    }

    @SuppressWarnings("unchecked")
    private V applyCounters(K key, V value, List<CounterOp> ops, long[] results) {
        if (value instanceof Long l) {
            long c = l;
            for (int i = 0; i < ops.size(); i++) {
                CounterOp op = ops.get(i);
                if (op.index() != 0) {
                    throw new BadArgException("update_counter: counter " + op.index() + " of key " + key
                            + ": the value is a single Long counter (index 0); use Counters for several");
                }
                c = op.apply(c);
                results[i] = c;
            }
            return (V) Long.valueOf(c);
        }
        if (value instanceof Counters cs) {
            long[] c = cs.toArray();
            for (int i = 0; i < ops.size(); i++) {
                CounterOp op = ops.get(i);
                if (op.index() >= c.length) {
                    throw new BadArgException("update_counter: counter " + op.index() + " of key " + key
                            + " does not exist; its value has " + c.length + " counters");
                }
                c[op.index()] = op.apply(c[op.index()]);
                results[i] = c[op.index()];
            }
            return (V) Counters.of(c);
        }
        throw new BadArgException("update_counter: the value of key " + key + " is a " + value.getClass().getName()
                + ", not a counter (Long or Counters) (ETS-038)");
    }

    @Override
    public boolean updateElement(K key, UnaryOperator<V> update) {
        checkKey(key);
        Objects.requireNonNull(update, "update");
        checkWrite();
        checkSetType("update_element");
        StampedLock l = stripe();
        long s = l.readLock();
        try {
            for (;;) {
                Object old = settled(key);
                if (old == null) {
                    return false;
                }
                V nv = Objects.requireNonNull(update.apply(single(old)), "update returned null");
                Object nu = slotOf(keyOf(key, old), nv);
                if (map.replace(key, old, nu)) {
                    account(key, old, nu);
                    return true;
                }
            }
        } finally {
            l.unlockRead(s);
        }
    }

    // ------------------------------------------------------------------ reads

    @Override
    public List<V> lookup(K key) {
        checkKey(key);
        checkRead();
        Object slot = map.get(key);
        return slot == null ? List.of() : values(slot);
    }

    @Override
    public V lookupElement(K key) {
        checkKey(key);
        checkRead();
        checkSetType("lookup_element (use lookup on a bag)");
        Object slot = map.get(key);
        if (slot == null) {
            throw new BadArgException("lookup_element: key " + key + " is not in table " + describe() + " (ETS-026)");
        }
        return single(slot);
    }

    @Override
    public boolean member(K key) {
        checkKey(key);
        checkRead();
        return map.containsKey(key);
    }

    @Override
    public Optional<K> first() {
        checkRead();
        if (sorted != null) {
            return key(sorted.firstEntry());
        }
        Iterator<Map.Entry<K, Object>> it = map.entrySet().iterator();
        return it.hasNext() ? Optional.of(it.next().getKey()) : Optional.empty();
    }

    @Override
    public Optional<K> last() {
        checkRead();
        return sorted != null ? key(sorted.lastEntry()) : first();
    }

    @Override
    public Optional<K> next(K key) {
        checkKey(key);
        checkRead();
        return sorted != null ? key(sorted.higherEntry(key)) : hashNext(key);
    }

    @Override
    public Optional<K> prev(K key) {
        checkKey(key);
        checkRead();
        return sorted != null ? key(sorted.lowerEntry(key)) : hashNext(key);
    }

    private Optional<K> key(Map.Entry<K, Object> e) {
        return e == null ? Optional.empty() : Optional.of(keyOf(e.getKey(), e.getValue()));
    }

    /** A hash table has no order to seek in: find the key, return the one the iterator gives next. */
    private Optional<K> hashNext(K key) {
        Iterator<K> it = map.keySet().iterator();
        while (it.hasNext()) {
            if (it.next().equals(key)) {
                return it.hasNext() ? Optional.of(it.next()) : Optional.empty();
            }
        }
        throw new BadArgException("next/prev: key " + key + " is not in table " + describe()
                + "; only an ORDERED_SET accepts a missing key (ETS-044)");
    }

    @Override
    public <A> A foldl(A acc, Folder<? super K, ? super V, A> f) {
        Objects.requireNonNull(f, "f");
        checkRead();
        return fold(acc, f, map);
    }

    @Override
    public <A> A foldr(A acc, Folder<? super K, ? super V, A> f) {
        Objects.requireNonNull(f, "f");
        checkRead();
        return fold(acc, f, sorted != null ? sorted.descendingMap() : map);
    }

    private <A> A fold(A acc, Folder<? super K, ? super V, A> f, Map<K, Object> m) {
        A a = acc;
        for (Map.Entry<K, Object> e : m.entrySet()) {
            K k = keyOf(e.getKey(), e.getValue());
            for (V v : values(e.getValue())) {
                a = f.apply(k, v, a);
            }
        }
        return a;
    }

    @Override
    public List<Map.Entry<K, V>> tab2list() {
        return select(Query.all());
    }

    // ------------------------------------------------------------------ queries

    /**
     * The map entries (map key, slot) a query visits, before its filter: the one key, the
     * ordered set's sub-range, or the whole map. The key range is not yet applied to a hash map
     * or a single key: see {@link Query#inRange}.
     */
    private Iterator<Map.Entry<K, Object>> slots(Query<K, V, ?> q, boolean reverse) {
        if (q.key().isPresent()) {
            K k = q.key().get();
            Object slot = map.get(k);
            return slot == null ? List.<Map.Entry<K, Object>>of().iterator() : List.of(Map.entry(k, slot)).iterator();
        }
        if (sorted != null) {
            ConcurrentNavigableMap<K, Object> m = range(q);
            return (reverse ? m.descendingMap() : m).entrySet().iterator();
        }
        return map.entrySet().iterator();
    }

    /** Whether {@link #slots} left {@code q}'s key range to be checked key by key. */
    private boolean filtersRange(Query<K, V, ?> q) {
        return q.key().isPresent() || sorted == null;
    }

    /** The objects a query visits, one key-value pair per value, before its filter. */
    private Iterator<Map.Entry<K, V>> visit(Query<K, V, ?> q, boolean reverse) {
        Iterator<Map.Entry<K, Object>> slots = slots(q, reverse);
        boolean filterRange = filtersRange(q);
        boolean bag = isBag();
        return new Iterator<>() {
            // A bag's slot (an immutable array) is walked by index, any other slot holds one
            // value: no list per slot, which was most of a short range query's time.
            private Object slot;
            private int count;
            private int next;
            private K key;

            @Override
            public boolean hasNext() {
                while (next == count) {
                    if (!slots.hasNext()) {
                        return false;
                    }
                    Map.Entry<K, Object> e = slots.next();
                    K k = keyInRange(e, q, filterRange);
                    if (k == null) {
                        continue;
                    }
                    key = k;
                    slot = e.getValue();
                    count = count(slot);
                    next = 0;
                }
                return true;
            }

            @Override
            @SuppressWarnings("unchecked")
            public Map.Entry<K, V> next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                V v = bag ? (V) ((Object[]) slot)[next] : single(slot);
                next++;
                return Map.entry(key, v);
            }
        };
    }

    /** {@return the key of slot entry {@code e}, or null if it is outside {@code q}'s key range} */
    private K keyInRange(Map.Entry<K, Object> e, Query<K, V, ?> q, boolean filterRange) {
        K k = keyOf(e.getKey(), e.getValue());
        return filterRange && !q.inRange(k, order) ? null : k;
    }

    private ConcurrentNavigableMap<K, Object> range(Query<K, V, ?> q) {
        ConcurrentNavigableMap<K, Object> m = sorted;
        if (q.from().isPresent() && q.to().isPresent()) {
            Query.Bound<K> lo = q.from().get();
            Query.Bound<K> hi = q.to().get();
            if (order.compare(lo.key(), hi.key()) > 0) {
                return new ConcurrentSkipListMap<>(sorted.comparator()); // an empty range
            }
            return m.subMap(lo.key(), lo.inclusive(), hi.key(), hi.inclusive());
        }
        if (q.from().isPresent()) {
            return m.tailMap(q.from().get().key(), q.from().get().inclusive());
        }
        if (q.to().isPresent()) {
            return m.headMap(q.to().get().key(), q.to().get().inclusive());
        }
        return m;
    }

    @Override
    public <R> List<R> select(Query<K, V, R> q) {
        return collect(q, false);
    }

    @Override
    public <R> List<R> selectReverse(Query<K, V, R> q) {
        return collect(q, true);
    }

    private <R> List<R> collect(Query<K, V, R> q, boolean reverse) {
        Objects.requireNonNull(q, "q");
        checkRead();
        List<R> out = new ArrayList<>();
        if (!isBag()) {
            // One value per slot: visit()'s walk without an entry per object, which was a
            // quarter of a short range query's time.
            Iterator<Map.Entry<K, Object>> slots = slots(q, reverse);
            boolean filterRange = filtersRange(q);
            while (slots.hasNext()) {
                Map.Entry<K, Object> e = slots.next();
                K k = keyInRange(e, q, filterRange);
                if (k != null) {
                    V v = single(e.getValue());
                    if (q.filter().test(k, v)) {
                        out.add(q.projection().apply(k, v));
                    }
                }
            }
            return out;
        }
        Iterator<Map.Entry<K, V>> it = visit(q, reverse);
        while (it.hasNext()) {
            Map.Entry<K, V> e = it.next();
            if (q.filter().test(e.getKey(), e.getValue())) {
                out.add(q.projection().apply(e.getKey(), e.getValue()));
            }
        }
        return out;
    }

    @Override
    public <R> Optional<Chunk<R>> select(Query<K, V, R> q, int limit) {
        Objects.requireNonNull(q, "q");
        if (limit < 1) {
            throw new BadArgException("select limit must be >= 1, was " + limit);
        }
        checkRead();
        return ChunkImpl.first(this, q, visit(q, false), limit);
    }

    /** For {@link ChunkImpl}: a continuation may only go on while the table exists and is readable. */
    void checkReadable() {
        checkRead();
    }

    @Override
    public long selectCount(Query<K, V, ?> q) {
        Objects.requireNonNull(q, "q");
        checkRead();
        long n = 0;
        Iterator<Map.Entry<K, V>> it = visit(q, false);
        while (it.hasNext()) {
            Map.Entry<K, V> e = it.next();
            if (q.filter().test(e.getKey(), e.getValue())) {
                n++;
            }
        }
        return n;
    }

    @Override
    public long selectDelete(Query<K, V, ?> q) {
        Objects.requireNonNull(q, "q");
        checkWrite();
        long n = 0;
        Iterator<Map.Entry<K, V>> it = visit(q, false);
        while (it.hasNext()) {
            Map.Entry<K, V> e = it.next();
            if (q.filter().test(e.getKey(), e.getValue())) {
                StampedLock l = stripe();
                long s = l.readLock();
                try {
                    // The object as it matched: if it changed meanwhile, it is no longer there to delete.
                    n += removeObject(e.getKey(), e.getValue());
                } finally {
                    l.unlockRead(s);
                }
            }
        }
        return n;
    }

    @Override
    public long selectReplace(Query<K, V, V> q) {
        Objects.requireNonNull(q, "q");
        checkWrite();
        if (type == TableType.BAG) {
            // As ETS (badarg, cause table_type): a replacement could equal another value of the
            // key, which a bag must hold once, so ETS leaves bags out.
            throw new BadArgException("select_replace works on SET, ORDERED_SET and DUPLICATE_BAG tables, as in ETS;"
                    + " table " + describe() + " is a BAG");
        }
        if (type == TableType.DUPLICATE_BAG) {
            return replaceInBags(q);
        }
        long n = 0;
        Iterator<Map.Entry<K, V>> it = visit(q, false);
        while (it.hasNext()) {
            Map.Entry<K, V> e = it.next();
            if (!q.filter().test(e.getKey(), e.getValue())) {
                continue;
            }
            V nv = Objects.requireNonNull(q.projection().apply(e.getKey(), e.getValue()), "select_replace result");
            StampedLock l = stripe();
            long s = l.readLock();
            try {
                Object old = settled(e.getKey());
                // Replaced only if unchanged since it matched, as ETS replaces atomically per object.
                if (old != null && single(old).equals(e.getValue())) {
                    Object nu = slotOf(keyOf(e.getKey(), old), nv);
                    if (map.replace(e.getKey(), old, nu)) {
                        account(e.getKey(), old, nu);
                        n++;
                    }
                }
            } finally {
                l.unlockRead(s);
            }
        }
        return n;
    }

    /**
     * select_replace on a duplicate bag, as ETS: each matching value is replaced where it stands,
     * so the key's values keep their order. The key's slot is replaced as a whole, atomically; if
     * another write changed it since it was read, the key is matched again on its new values.
     */
    private long replaceInBags(Query<K, V, V> q) {
        long n = 0;
        Iterator<Map.Entry<K, Object>> it = slots(q, false);
        boolean filterRange = filtersRange(q);
        while (it.hasNext()) {
            Map.Entry<K, Object> e = it.next();
            K key = e.getKey();
            if (filterRange && !q.inRange(key, order)) {
                continue;
            }
            Object old = e.getValue();
            for (;;) {
                Object[] a = (Object[]) old;
                Object[] nu = a.clone();
                int replaced = 0;
                for (int i = 0; i < a.length; i++) {
                    @SuppressWarnings("unchecked")
                    V v = (V) a[i];
                    if (q.filter().test(key, v)) {
                        nu[i] = Objects.requireNonNull(q.projection().apply(key, v), "select_replace result");
                        replaced++;
                    }
                }
                if (replaced == 0) {
                    break;
                }
                StampedLock l = stripe();
                long s = l.readLock();
                try {
                    if (map.replace(key, old, nu)) {
                        account(key, old, nu);
                        n += replaced;
                        break;
                    }
                } finally {
                    l.unlockRead(s);
                }
                old = map.get(key);
                if (old == null) {
                    break;
                }
            }
        }
        return n;
    }

    @Override
    public String toString() {
        return "Table[" + name + ", id " + id + ", " + type + ", " + access + (deleted ? ", deleted" : "") + "]";
    }
}
