package otp4j.ets.internal;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

import otp4j.ets.Table;
import otp4j.ets.TableInfo;
import otp4j.runtime.Node;
import otp4j.runtime.Pid;
import otp4j.runtime.internal.ExitHooks;

/**
 * The tables of one node: by id, by name, and by owner, and the exit hook that deletes or hands
 * over a dead owner's tables.
 */
public final class NodeTables {
    /*
     * Overview
     *
     * One instance per node, found through a weak map so that the ets module needs no hook in
     * Node. The instance refers to no Node: once every table of a closed node is deleted (its
     * processes are all dead, so all are), nothing keeps the node reachable from here.
     *
     * Owner index: owners maps a pid to the tables it owns. Invariant: a table whose owner is P
     * is in owners[P], or P has died and ownerExited(P) has run or is about to. Ownership moves
     * (create, give away, inherit) follow one pattern: under the table's admin lock set the owner
     * and index it under the new owner; then ExitHooks.add(newOwner, hook). If add succeeds, the
     * owner was alive under its own lock, so its death (later, under that lock) runs the hook,
     * which sees the index entry. If add fails, the owner died meanwhile and its hook may have
     * missed the entry, so we run ownerExited ourselves. Running it twice is harmless: each table
     * acts only if it is still owned by the dead pid (checked under its admin lock).
     *
     * The hook is one object per node, and hooks are a set per process, so a process that owns
     * many tables, or creates and deletes tables in a loop, carries one hook.
     */

    private static final ReentrantLock NODES_LOCK = new ReentrantLock();
    // Guarded by NODES_LOCK. Weak keys: a closed node is not kept alive by its (empty) registry.
    private static final Map<Node, NodeTables> NODES = new WeakHashMap<>();

    private final AtomicLong ids = new AtomicLong(1);
    private final ConcurrentHashMap<Long, TableImpl<?, ?>> tables = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, TableImpl<?, ?>> names = new ConcurrentHashMap<>();
    // Each set is mutated only inside compute on its key, and iterated only after remove took it.
    private final ConcurrentHashMap<Pid, Set<TableImpl<?, ?>>> owners = new ConcurrentHashMap<>();
    final ExitHooks.Hook hook = this::ownerExited;

    private NodeTables() {}

    /** {@return the registry of {@code node}'s tables} */
    public static NodeTables of(Node node) {
        NODES_LOCK.lock();
        try {
            return NODES.computeIfAbsent(node, n -> new NodeTables());
        } finally {
            NODES_LOCK.unlock();
        }
    }

    /**
     * {@return every table not yet deleted, on every node} For the tests' leak check: a table of a
     * closed node is a leak.
     */
    public static List<Table<?, ?>> everyTable() {
        List<NodeTables> all;
        NODES_LOCK.lock();
        try {
            all = new ArrayList<>(NODES.values());
        } finally {
            NODES_LOCK.unlock();
        }
        List<Table<?, ?>> out = new ArrayList<>();
        for (NodeTables n : all) {
            out.addAll(n.tables.values());
        }
        return out;
    }

    long nextId() {
        return ids.getAndIncrement();
    }

    @SuppressWarnings("unchecked")
    public <K, V> Optional<Table<K, V>> whereis(String name) {
        return Optional.ofNullable((Table<K, V>) names.get(name));
    }

    /**
     * {@return the live table with identifier {@code id}}, named or not, as a table reference
     * read back from {@link TableInfo#id()}: for observers, which list tables by id.
     */
    public Optional<Table<?, ?>> byId(long id) {
        return Optional.ofNullable(tables.get(id));
    }

    /** {@return the info of every live table} */
    public List<TableInfo> all() {
        List<TableInfo> out = new ArrayList<>();
        for (TableImpl<?, ?> t : tables.values()) {
            t.info().ifPresent(out::add);
        }
        return out;
    }

    /** Registers a new table; false if it is named and the name is taken. */
    boolean add(TableImpl<?, ?> t, boolean named, String name) {
        if (named && names.putIfAbsent(name, t) != null) {
            return false;
        }
        tables.put(t.id(), t);
        return true;
    }

    /** Moves a named table's name; false if {@code to} is taken. */
    boolean rename(TableImpl<?, ?> t, String from, String to) {
        if (from.equals(to)) {
            return true;
        }
        if (names.putIfAbsent(to, t) != null) {
            return false;
        }
        names.remove(from, t);
        return true;
    }

    void removed(TableImpl<?, ?> t, boolean named, String name, Pid owner) {
        tables.remove(t.id(), t);
        if (named) {
            names.remove(name, t);
        }
        unindexOwner(t, owner);
    }

    void indexOwner(TableImpl<?, ?> t, Pid owner) {
        owners.compute(owner, (p, s) -> {
            Set<TableImpl<?, ?>> set = s == null ? new HashSet<>() : s;
            set.add(t);
            return set;
        });
    }

    void unindexOwner(TableImpl<?, ?> t, Pid owner) {
        owners.computeIfPresent(owner, (p, s) -> {
            s.remove(t);
            return s.isEmpty() ? null : s;
        });
    }

    /**
     * Makes sure {@code owner}'s death will reach {@code t}: see the overview. Called after the
     * table has been indexed under {@code owner}; returns false if the owner had already died
     * (the table has then been deleted or inherited).
     */
    boolean watchOwner(Pid owner) {
        if (ExitHooks.add(owner, hook)) {
            return true;
        }
        ownerExited(owner);
        return false;
    }

    /** The exit hook: runs in the dead owner's order of death, before its links and monitors fire. */
    private void ownerExited(Pid pid) {
        Set<TableImpl<?, ?>> owned = owners.remove(pid);
        if (owned != null) {
            for (TableImpl<?, ?> t : owned) {
                t.ownerDied(pid);
            }
        }
    }
}
