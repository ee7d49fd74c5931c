package otp4j.behaviour;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

import otp4j.runtime.Exit;
import otp4j.runtime.NameService;
import otp4j.runtime.Pid;
import otp4j.runtime.Proc;
import otp4j.runtime.Reason;
import otp4j.runtime.Via;

/**
 * Elixir's {@code Registry}: a local key-value store of processes. A process registers itself
 * under a key with a value; lookups from any process see it at once; when the process exits its
 * entries go. With {@link Keys#UNIQUE} keys a key has at most one process, and the registry is a
 * {@link NameService}: a server started with {@code new Via(registry, key)} as its name is
 * found, called and cast to through the registry. With {@link Keys#DUPLICATE} keys any number of
 * processes register under one key: a topic and its subscribers, for {@link #dispatch}.
 *
 * {@snippet :
 * static final Registry<String, Instant> SESSIONS = Registry.unique("sessions");
 *
 * Supervisor.startLink(SupFlags.oneForOne(), List.of(SESSIONS.childSpec(), ...));
 * GenServer.start(new Session(), StartOptions.defaults().withName(new Via(SESSIONS, "alice")));
 * GenServer.call(new Via(SESSIONS, "alice"), new Send("hello"));
 * }
 *
 * <p>A {@code Registry} object names a registry, as an Elixir module name does; it is created
 * once (a {@code static final} field is the usual place) and started, under a supervisor, with
 * {@link #childSpec()} or {@link #startLink()}. It runs on one node at a time; restarted, it
 * starts empty. Its processes are a supervisor registered under {@link #name()} and its
 * partitions.
 *
 * <p><b>How entries go.</b> Registering links the registrant to one of the registry's partition
 * processes, which trap exits: when the registrant exits, its partition removes its entries.
 * That happens after the exit, not with it, so lookups also skip entries of processes that are
 * no longer alive, and registering a unique key held by a dead process takes it over. Like any
 * link it works both ways: if the registry stops, its registrants get an exit signal
 * ({@code shutdown}) and stop too unless they trap exits. A process that unregisters its last key
 * is unlinked.
 *
 * <p><b>Concurrency.</b> The entries are in concurrent hash maps: lookups take no lock and send
 * no message, and registrations by different processes proceed in parallel, each atomic per
 * key. Partitions spread the clean-up after exits over several processes; a registrant's
 * partition is picked by its pid.
 *
 * <p><b>May be called from:</b> {@link #register}, {@link #unregister}, {@link #updateValue}: the
 * registering process itself. The rest: any thread.
 *
 * @param <K> the keys
 * @param <V> the values registered with them
 */
public final class Registry<K, V> implements NameService {

    /** Whether a key has at most one process or any number. */
    public enum Keys {
        UNIQUE, DUPLICATE
    }

    /**
     * A process registered under a key.
     *
     * @param pid   the process
     * @param value what it registered with the key ({@code null} for a server registered through
     *              a {@link Via} name)
     */
    public record Entry<V>(Pid pid, V value) {
        public Entry {
            Objects.requireNonNull(pid, "pid");
        }
    }

    /*
     * Data layout (one Instance per start):
     *
     *   unique     key -> Entry                       (ConcurrentHashMap)
     *   duplicate  key -> (pid -> [value, ...])       (ConcurrentHashMap of ConcurrentHashMap)
     *   per partition: pid -> (key -> how many entries) the registrant's keys, for the clean-up
     *
     * Writers: a registrant writes its own entries and its own index row, from its own thread;
     * its partition removes both after the registrant's EXIT. The EXIT is queued by the dying
     * process after its last write, so the partition sees every write (the mailbox queue
     * publishes them). Two writers of one key are serialised by the map's per-bin lock (compute):
     * that is what makes "take over a key held by a dead process" and "remove the dead process's
     * entry, unless someone took it over" atomic.
     *
     * size counts entries: +1 when one is added, -1 when one is removed, by whoever did it.
     */

    private final String name;
    private final Keys keys;
    private final int partitions;
    private final AtomicReference<Instance<K, V>> current = new AtomicReference<>();

    private Registry(String name, Keys keys, int partitions) {
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) {
            throw new IllegalArgumentException("a registry needs a non-blank name");
        }
        Objects.requireNonNull(keys, "keys");
        if (partitions < 1) {
            throw new IllegalArgumentException("registry " + name + ": partitions must be >= 1, was " + partitions);
        }
        this.name = name;
        this.keys = keys;
        this.partitions = partitions;
    }

    /** {@return a registry of unique keys, with one partition} */
    public static <K, V> Registry<K, V> unique(String name) {
        return new Registry<>(name, Keys.UNIQUE, 1);
    }

    /** {@return a registry of duplicate keys, with one partition} */
    public static <K, V> Registry<K, V> duplicate(String name) {
        return new Registry<>(name, Keys.DUPLICATE, 1);
    }

    /**
     * {@return a registry with {@code partitions} partitions: more let more registrants exit at
     * once without their clean-up queueing behind one process; Elixir suggests one per scheduler}
     */
    public static <K, V> Registry<K, V> of(String name, Keys keys, int partitions) {
        return new Registry<>(name, keys, partitions);
    }

    /** {@return the registry's name, under which its supervisor is registered} */
    public String name() {
        return name;
    }

    /** {@return whether keys are unique} */
    public Keys keys() {
        return keys;
    }

    /** {@return how many partitions it has} */
    public int partitions() {
        return partitions;
    }

    // ------------------------------------------------------------------ starting

    /**
     * Starts the registry, linked to the caller: a supervisor registered as {@link #name()} with
     * the partitions. Fails with {@link AlreadyStarted} if a process already has that name, and
     * with an {@link IllegalStateException} if this registry runs on another node.
     */
    public StartResult startLink() {
        return Supervisor.startLink(this::init, StartOptions.named(name));
    }

    /** {@return a child spec that starts the registry under a supervisor; its id is the name} */
    public ChildSpec childSpec() {
        return ChildSpec.supervisor(name, this::startLink);
    }

    // Runs in the registry's supervisor as it starts.
    private Optional<SupervisorSpec> init() {
        Instance<K, V> fresh = new Instance<>(this, Proc.self());
        Instance<K, V> old = current.get();
        if (old != null && old.running()) {
            throw new IllegalStateException("registry " + name + " is running on node " + old.supervisor.node()
                    + " as " + old.supervisor + "; a Registry runs on one node at a time");
        }
        if (!current.compareAndSet(old, fresh)) {
            throw new IllegalStateException("registry " + name + " was started twice at once");
        }
        List<ChildSpec> children = new ArrayList<>(partitions);
        for (int i = 0; i < partitions; i++) {
            int index = i;
            children.add(ChildSpec.worker("partition-" + i,
                    () -> GenServer.startLink(new Partition<>(fresh, index))));
        }
        // A partition that crashed has lost track of its registrants: start the registry afresh.
        return Optional.of(new SupervisorSpec(SupFlags.oneForAll().withIntensity(0, OtpDefaults.PERIOD), children));
    }

    private Instance<K, V> running() {
        Instance<K, V> i = current.get();
        if (i == null || !i.running()) {
            throw new IllegalStateException("registry " + name + " is not running; start it with startLink() "
                    + "or under a supervisor with childSpec()");
        }
        return i;
    }

    // ------------------------------------------------------------------ registering

    /**
     * Registers the calling process under {@code key} with {@code value}. With unique keys,
     * returns false and changes nothing if a live process holds {@code key} (the caller
     * included); with duplicate keys, always registers, even the same process twice.
     *
     * @throws IllegalStateException if the registry is not running
     */
    public boolean register(K key, V value) {
        Objects.requireNonNull(key, "key");
        return running().register(Proc.self(), key, value);
    }

    /** Removes every entry of the calling process under {@code key}; does nothing if it has none. */
    public void unregister(K key) {
        Objects.requireNonNull(key, "key");
        running().unregister(Proc.self(), key);
    }

    /**
     * Replaces the value of the calling process under unique {@code key} by {@code update}
     * applied to it; returns false if the caller does not hold {@code key}.
     *
     * @throws IllegalStateException if keys are duplicate
     */
    public boolean updateValue(K key, UnaryOperator<V> update) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(update, "update");
        requireUnique("updateValue");
        Pid self = Proc.self();
        boolean[] updated = {false};
        running().unique.computeIfPresent(key, (k, e) -> {
            if (!e.pid().equals(self)) {
                return e;
            }
            updated[0] = true;
            return new Entry<>(self, update.apply(e.value()));
        });
        return updated[0];
    }

    // ------------------------------------------------------------------ reading

    /** {@return the live processes under {@code key}, with their values} */
    public List<Entry<V>> lookup(K key) {
        Objects.requireNonNull(key, "key");
        return running().lookup(key, null);
    }

    /** {@return the live processes under {@code key} whose value passes {@code filter}} */
    public List<Entry<V>> match(K key, Predicate<? super V> filter) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(filter, "filter");
        return running().lookup(key, filter);
    }

    /**
     * Calls {@code action} with the live processes under {@code key}, if there are any: Elixir's
     * {@code dispatch}, the publishing half of a pub-sub. It runs in the caller.
     */
    public void dispatch(K key, Consumer<List<Entry<V>>> action) {
        Objects.requireNonNull(action, "action");
        List<Entry<V>> entries = lookup(key);
        if (!entries.isEmpty()) {
            action.accept(entries);
        }
    }

    /** {@return the keys {@code pid} is registered under, a key once per entry} */
    public List<K> keys(Pid pid) {
        Objects.requireNonNull(pid, "pid");
        Instance<K, V> i = running();
        Map<K, Integer> row = i.index(pid).get(pid);
        List<K> out = new ArrayList<>();
        if (row != null && Proc.isAlive(pid)) {
            row.forEach((k, n) -> {
                for (int j = 0; j < n; j++) {
                    out.add(k);
                }
            });
        }
        return out;
    }

    /** {@return the values {@code pid} registered under {@code key}} */
    public List<V> values(K key, Pid pid) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(pid, "pid");
        List<V> out = new ArrayList<>();
        for (Entry<V> e : lookup(key)) {
            if (e.pid().equals(pid)) {
                out.add(e.value());
            }
        }
        return out;
    }

    /**
     * {@return how many entries the registry holds} Entries of a process that has just exited
     * count until its partition has removed them.
     */
    public long count() {
        return running().size.sum();
    }

    // ------------------------------------------------------------------ NameService

    /**
     * Registers {@code pid}, which must be the calling process, under {@code key} with a null
     * value: what a server started with a {@link Via} name does.
     */
    @Override
    @SuppressWarnings("unchecked")
    public boolean registerName(Object key, Pid pid) {
        requireUnique("a via name");
        if (!pid.equals(Proc.self())) {
            throw new IllegalArgumentException("a process registers only itself in registry " + name + "; "
                    + pid + " is not the caller " + Proc.self());
        }
        return register((K) key, null);
    }

    @Override
    @SuppressWarnings("unchecked")
    public void unregisterName(Object key) {
        unregister((K) key);
    }

    /** {@return who holds unique {@code key}; empty also when the registry is not running} */
    @Override
    @SuppressWarnings("unchecked")
    public Optional<Pid> whereisName(Object key) {
        requireUnique("a via name");
        Instance<K, V> i = current.get();
        if (i == null || !i.running()) {
            return Optional.empty();
        }
        List<Entry<V>> e = i.lookup((K) key, null);
        return e.isEmpty() ? Optional.empty() : Optional.of(e.getFirst().pid());
    }

    private void requireUnique(String what) {
        if (keys != Keys.UNIQUE) {
            throw new IllegalStateException(what + " needs unique keys; registry " + name + " has duplicate keys");
        }
    }

    @Override
    public String toString() {
        return "Registry[" + name + ", " + keys + ", " + partitions + " partitions]";
    }

    // ------------------------------------------------------------------ one run of a registry

    private static final class Instance<K, V> {
        final Registry<K, V> registry;
        final Pid supervisor;
        final ConcurrentHashMap<K, Entry<V>> unique;
        final ConcurrentHashMap<K, ConcurrentHashMap<Pid, List<V>>> duplicate;
        final AtomicReferenceArray<Pid> partitionPids;
        final List<ConcurrentHashMap<Pid, Map<K, Integer>>> indexes;
        final LongAdder size = new LongAdder();

        Instance(Registry<K, V> registry, Pid supervisor) {
            this.registry = registry;
            this.supervisor = supervisor;
            boolean u = registry.keys == Keys.UNIQUE;
            this.unique = u ? new ConcurrentHashMap<>() : null;
            this.duplicate = u ? null : new ConcurrentHashMap<>();
            this.partitionPids = new AtomicReferenceArray<>(registry.partitions);
            this.indexes = new ArrayList<>(registry.partitions);
            for (int i = 0; i < registry.partitions; i++) {
                indexes.add(new ConcurrentHashMap<>());
            }
        }

        boolean running() {
            return Proc.isAlive(supervisor);
        }

        int partitionOf(Pid pid) {
            return Math.floorMod(pid.hashCode(), indexes.size());
        }

        ConcurrentHashMap<Pid, Map<K, Integer>> index(Pid pid) {
            return indexes.get(partitionOf(pid));
        }

        boolean register(Pid self, K key, V value) {
            int p = partitionOf(self);
            ConcurrentHashMap<Pid, Map<K, Integer>> index = indexes.get(p);
            Map<K, Integer> row = index.get(self);
            if (row == null) {
                // Linked before the first entry exists, so no entry can outlive an unnoticed exit.
                Pid partition = partitionPids.get(p);
                if (partition == null) {
                    throw new IllegalStateException("registry " + registry.name + " is still starting");
                }
                Proc.link(partition);
                row = new ConcurrentHashMap<>();
                index.put(self, row);
            }
            if (unique != null) {
                Entry<V> mine = new Entry<>(self, value);
                boolean[] tookOver = {false};
                Entry<V> holder = unique.compute(key, (k, e) -> {
                    if (e == null) {
                        return mine;
                    }
                    if (!Proc.isAlive(e.pid())) {
                        tookOver[0] = true; // the dead holder's clean-up will find the key is not its own
                        return mine;
                    }
                    return e;
                });
                if (holder != mine) {
                    unlinkIfIdle(self, p, row);
                    return false;
                }
                if (tookOver[0]) {
                    size.decrement();
                }
            } else {
                duplicate.compute(key, (k, byPid) -> {
                    ConcurrentHashMap<Pid, List<V>> m = byPid == null ? new ConcurrentHashMap<>() : byPid;
                    m.merge(self, List.of(value), (a, b) -> {
                        List<V> both = new ArrayList<>(a);
                        both.addAll(b);
                        return List.copyOf(both);
                    });
                    return m;
                });
            }
            size.increment();
            row.merge(key, 1, Integer::sum);
            return true;
        }

        void unregister(Pid self, K key) {
            int p = partitionOf(self);
            Map<K, Integer> row = indexes.get(p).get(self);
            if (row == null || row.remove(key) == null) {
                return;
            }
            size.add(-remove(self, key));
            unlinkIfIdle(self, p, row);
        }

        private void unlinkIfIdle(Pid self, int p, Map<K, Integer> row) {
            if (row.isEmpty()) {
                indexes.get(p).remove(self);
                Proc.unlink(partitionPids.get(p));
            }
        }

        /** Removes {@code pid}'s entries under {@code key}, unless another process took the key over; returns how many. */
        int remove(Pid pid, K key) {
            int[] removed = {0};
            if (unique != null) {
                unique.computeIfPresent(key, (k, e) -> {
                    if (e.pid().equals(pid)) {
                        removed[0] = 1;
                        return null;
                    }
                    return e;
                });
            } else {
                duplicate.computeIfPresent(key, (k, byPid) -> {
                    List<V> gone = byPid.remove(pid);
                    removed[0] = gone == null ? 0 : gone.size();
                    return byPid.isEmpty() ? null : byPid;
                });
            }
            return removed[0];
        }

        /** The clean-up after {@code pid} exited; runs in its partition. */
        void exited(int partition, Pid pid) {
            Map<K, Integer> row = indexes.get(partition).remove(pid);
            if (row != null) {
                long removed = 0;
                for (K key : row.keySet()) {
                    removed += remove(pid, key);
                }
                size.add(-removed);
            }
        }

        List<Entry<V>> lookup(K key, Predicate<? super V> filter) {
            if (unique != null) {
                Entry<V> e = unique.get(key);
                return e != null && Proc.isAlive(e.pid()) && (filter == null || filter.test(e.value()))
                        ? List.of(e) : List.of();
            }
            ConcurrentHashMap<Pid, List<V>> byPid = duplicate.get(key);
            if (byPid == null) {
                return List.of();
            }
            List<Entry<V>> out = new ArrayList<>();
            byPid.forEach((pid, values) -> {
                if (Proc.isAlive(pid)) {
                    for (V v : values) {
                        if (filter == null || filter.test(v)) {
                            out.add(new Entry<>(pid, v));
                        }
                    }
                }
            });
            return out;
        }
    }

    /** A partition: traps exits and removes the entries of registrants that exit. */
    private static final class Partition<K, V> implements GenServer<Integer, Void> {
        private final Instance<K, V> instance;
        private final int index;

        Partition(Instance<K, V> instance, int index) {
            this.instance = instance;
            this.index = index;
        }

        @Override
        public InitResult<Integer> init() {
            Proc.trapExit(true);
            instance.partitionPids.set(index, Proc.self());
            return GenServer.ok(index);
        }

        @Override
        public Result<Integer> handleInfo(Object message, Integer state) {
            if (message instanceof Exit(Pid pid, Reason reason)) {
                instance.exited(index, pid);
            }
            return GenServer.noreply(state);
        }

        @Override
        public Object formatStatus(Integer state) {
            return "registry " + instance.registry.name + " partition " + index + ", "
                    + instance.indexes.get(index).size() + " registrants";
        }
    }
}
