package otp4j.dets.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.ReentrantLock;

import otp4j.dets.DetsFileException;
import otp4j.dets.DetsFileException.Reason;
import otp4j.dets.DetsOptions;
import otp4j.dets.DiskTable;
import otp4j.dets.DiskTableInfo;
import otp4j.ets.TableAccessException;
import otp4j.runtime.Node;
import otp4j.runtime.Pid;
import otp4j.runtime.internal.ExitHooks;

/** The open disk tables of one node: by name and by file, with the opens of each process. */
public final class DetsRegistry {
    /*
     * Overview
     *
     * lock guards the maps and every table's opener counts; it is held only for map work, never
     * for file I/O, so the exit hook (which must not block) can take it. A name maps to an open
     * table, or to a future while its file is being opened or closed: a second open of the name
     * waits for that to finish, then looks again. So a file is never open twice, and a reopen
     * after a close finds the file lock released.
     *
     * Opener counts (DETS-016, DETS-019): table -> pid -> number of opens not yet closed. The
     * pattern for a process's death is ets's (NodeTables): count the open under the lock, then
     * ExitHooks.add(pid, hook); if that fails the process died meanwhile and may have missed the
     * count, so run the hook ourselves. Running it twice is harmless: it only removes counts that
     * are there. When a table loses its last opener to a death, its file is closed on a worker
     * thread; an explicit close does it on the caller's thread, which a kill cannot interrupt
     * (the I/O is java.io).
     */

    private static final ReentrantLock NODES_LOCK = new ReentrantLock();
    // Guarded by NODES_LOCK. Weak keys: a closed node is not kept alive by its registry.
    private static final Map<Node, DetsRegistry> NODES = new WeakHashMap<>();

    private final ReentrantLock lock = new ReentrantLock();
    private final Map<String, Object> names = new HashMap<>();
    private final Map<Path, String> files = new HashMap<>();
    private final Map<DiskTableImpl<?, ?>, Map<Pid, Integer>> opens = new HashMap<>();
    private final Map<Pid, Set<DiskTableImpl<?, ?>>> byOpener = new HashMap<>();
    private final ExitHooks.Hook hook = this::openerExited;

    private DetsRegistry() {}

    /** {@return the registry of {@code node}'s disk tables} */
    public static DetsRegistry of(Node node) {
        NODES_LOCK.lock();
        try {
            return NODES.computeIfAbsent(node, n -> new DetsRegistry());
        } finally {
            NODES_LOCK.unlock();
        }
    }

    /** {@return the path that identifies {@code file}: two spellings of one file give the same} */
    private static Path identity(Path file) {
        Path abs = file.toAbsolutePath().normalize();
        try {
            return Files.exists(abs) ? abs.toRealPath() : abs;
        } catch (IOException e) {
            return abs;
        }
    }

    /** As {@link otp4j.dets.Dets#openFile}, for the process {@code opener}. */
    @SuppressWarnings("unchecked")
    public <K, V> DiskTable<K, V> open(String name, DetsOptions o, Pid opener) throws IOException {
        Path file = o.file().orElse(Path.of(name));
        Path id = identity(file);
        CompletableFuture<Void> pending;
        while (true) {
            CompletableFuture<?> wait = null;
            lock.lock();
            try {
                Object slot = names.get(name);
                if (slot instanceof DiskTableImpl<?, ?> t) {
                    checkCompatible(t, id, o);
                    count(t, opener);
                } else if (slot instanceof CompletableFuture<?> f) {
                    wait = f;
                } else {
                    String other = files.get(id);
                    if (other != null) {
                        throw new DetsFileException(Reason.IN_USE, file, "already open as disk table " + other
                                + "; a file is one table: open it by that name (DETS-037)");
                    }
                    pending = new CompletableFuture<>();
                    names.put(name, pending);
                    files.put(id, name);
                    break;
                }
                if (wait == null) {
                    watch(opener);
                    return (DiskTable<K, V>) slot;
                }
            } finally {
                lock.unlock();
            }
            wait.join();
        }
        DiskTableImpl<K, V> t = null;
        try {
            Recovery.Opened opened = Recovery.open(file, o.type(), o.access(), o.repair(), o.codec().name());
            t = new DiskTableImpl<>(this, name, file, id, o.access(), o.durability(), o.autoSave(), o.codec(), opened);
        } finally {
            lock.lock();
            try {
                if (t == null) {
                    names.remove(name, pending);
                    files.remove(id, name);
                } else {
                    names.put(name, t);
                    count(t, opener);
                }
            } finally {
                lock.unlock();
            }
            pending.complete(null);
        }
        t.startAutoSave();
        watch(opener);
        return t;
    }

    private static void checkCompatible(DiskTableImpl<?, ?> t, Path id, DetsOptions o) throws DetsFileException {
        String why = !t.identity.equals(id) ? "its file is " + t.file
                : o.type().isPresent() && o.type().get() != t.type ? "its type is " + t.type
                : o.access() != t.access ? "its access is " + t.access
                : !o.codec().name().equals(t.codec.name()) ? "its codec is " + t.codec.name()
                : null;
        if (why != null) {
            throw new DetsFileException(Reason.INCOMPATIBLE_ARGUMENTS, t.file, "disk table " + t.name
                    + " is open with other arguments: " + why + " (DETS-020, DETS-021)");
        }
    }

    /** Counts one open; under lock. */
    private void count(DiskTableImpl<?, ?> t, Pid opener) {
        opens.computeIfAbsent(t, x -> new LinkedHashMap<>()).merge(opener, 1, Integer::sum);
        byOpener.computeIfAbsent(opener, x -> new LinkedHashSet<>()).add(t);
    }

    /** Makes sure {@code opener}'s death reaches its opens: see the overview. Not under lock. */
    private void watch(Pid opener) {
        if (!ExitHooks.add(opener, hook)) {
            openerExited(opener);
        }
    }

    /** As {@link DiskTable#close()}, by the calling process. */
    void close(DiskTableImpl<?, ?> t) {
        Pid caller = otp4j.runtime.Proc.isProcess() ? otp4j.runtime.Proc.self() : null;
        boolean last;
        lock.lock();
        try {
            Map<Pid, Integer> counts = opens.get(t);
            Integer n = counts == null || caller == null ? null : counts.get(caller);
            if (n == null) {
                throw new TableAccessException("close: " + (caller == null ? Thread.currentThread() + " is not a process"
                        : "process " + caller + " has no open of disk table " + t.name + " (it was closed, or opened by "
                        + "another process)") + "; the table stays open for its openers (DETS-013: not_owner)");
            }
            if (n > 1) {
                counts.put(caller, n - 1);
                return;
            }
            counts.remove(caller);
            Set<DiskTableImpl<?, ?>> mine = byOpener.get(caller);
            if (mine != null && mine.remove(t) && mine.isEmpty()) {
                byOpener.remove(caller);
            }
            last = counts.isEmpty();
            if (last) {
                closing(t);
            }
        } finally {
            lock.unlock();
        }
        if (last) {
            finishClose(t);
        }
    }

    /** Marks {@code t} as closing: its name waits for the close to finish; under lock. */
    private void closing(DiskTableImpl<?, ?> t) {
        opens.remove(t);
        t.markClosing();
        names.put(t.name, new CompletableFuture<Void>());
    }

    private void finishClose(DiskTableImpl<?, ?> t) {
        try {
            t.closeFile();
        } finally {
            CompletableFuture<?> f;
            lock.lock();
            try {
                f = (CompletableFuture<?>) names.remove(t.name);
                files.remove(t.identity, t.name);
            } finally {
                lock.unlock();
            }
            f.complete(null);
        }
    }

    /** The exit hook: the opener's opens are gone; tables left without opener are closed on a worker thread. */
    private void openerExited(Pid pid) {
        List<DiskTableImpl<?, ?>> toClose = new ArrayList<>();
        lock.lock();
        try {
            Set<DiskTableImpl<?, ?>> mine = byOpener.remove(pid);
            if (mine == null) {
                return;
            }
            for (DiskTableImpl<?, ?> t : mine) {
                Map<Pid, Integer> counts = opens.get(t);
                if (counts != null && counts.remove(pid) != null && counts.isEmpty()) {
                    closing(t);
                    toClose.add(t);
                }
            }
        } finally {
            lock.unlock();
        }
        for (DiskTableImpl<?, ?> t : toClose) {
            Background.run(() -> {
                try {
                    finishClose(t);
                } catch (UncheckedIOException e) {
                    System.getLogger("otp4j.dets").log(System.Logger.Level.ERROR,
                            "dets: closing " + t.name + " after its last opener " + pid + " exited failed", e);
                }
            });
        }
    }

    /** {@return one entry per open of {@code t}, as {@code dets:info(T, users)}} */
    List<Pid> users(DiskTableImpl<?, ?> t) {
        lock.lock();
        try {
            List<Pid> users = new ArrayList<>();
            Map<Pid, Integer> counts = opens.get(t);
            if (counts != null) {
                counts.forEach((pid, n) -> {
                    for (int i = 0; i < n; i++) {
                        users.add(pid);
                    }
                });
            }
            return users;
        } finally {
            lock.unlock();
        }
    }

    /** {@return the open table named {@code name}} */
    @SuppressWarnings("unchecked")
    public <K, V> Optional<DiskTable<K, V>> whereis(String name) {
        lock.lock();
        try {
            return names.get(name) instanceof DiskTableImpl<?, ?> t && t.isOpen()
                    ? Optional.of((DiskTable<K, V>) t) : Optional.empty();
        } finally {
            lock.unlock();
        }
    }

    /** {@return the info of every open table} */
    public List<DiskTableInfo> all() {
        List<DiskTableImpl<?, ?>> tables = new ArrayList<>();
        lock.lock();
        try {
            for (Object o : names.values()) {
                if (o instanceof DiskTableImpl<?, ?> t) {
                    tables.add(t);
                }
            }
        } finally {
            lock.unlock();
        }
        List<DiskTableInfo> out = new ArrayList<>();
        for (DiskTableImpl<?, ?> t : tables) {
            t.info().ifPresent(out::add);
        }
        return out;
    }

    /** {@return whether {@code file} is a disk table file} */
    public static boolean isDetsFile(Path file) throws IOException {
        return LogFile.isDetsFile(file);
    }
}
