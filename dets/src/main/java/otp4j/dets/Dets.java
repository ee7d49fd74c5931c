package otp4j.dets;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import otp4j.dets.internal.DetsRegistry;
import otp4j.runtime.Node;
import otp4j.runtime.Proc;

/**
 * Erlang's DETS: disk tables, opened by processes. A table is an append-only log of checksummed
 * records with its key directory in memory: a write is one append, a lookup one read, and a
 * crash loses nothing that was synced and shows nothing torn (see {@link DiskTable}).
 *
 * {@snippet :
 * try (DiskTable<String, Long> hits = Dets.openFile("hits", DetsOptions.defaults().withFile(Path.of("hits.dets")))) {
 *     hits.insert("home", 0L);
 *     hits.updateCounter("home", 1);          // 1
 *     hits.sync();                            // on the disk, and clean: no repair after a crash now
 * }                                           // dets:close/1: the last opener closes the file
 * }
 *
 * <h2>Tied to processes</h2>
 * As in DETS, opens are counted per process and per call. A table is open while some process
 * has an open of it that it has not closed; the same name opened by another process, or again by
 * the same one, is the same table (DETS-016). When a process that has opens exits, they are
 * closed; when the last open goes, the table is synced and its file closed (DETS-018), whoever
 * else is still using it by name. Any thread may read and write an open table (DETS-038).
 *
 * <h2>One file, one table</h2>
 * A file is locked while it is open: a second JVM's open fails with
 * {@link DetsFileException.Reason#IN_USE}, and so does opening it here under a second name
 * (which DETS repairs and opens twice, DETS-037).
 */
public final class Dets {
    private Dets() {}

    /**
     * {@return the table {@code name}, opened for the calling process} as
     * {@code dets:open_file/2}. If the name is open already, the options must agree with it (file,
     * type, access, codec) and the caller gets one more open of the same table. Otherwise the
     * file is opened, or created empty (DETS-036), and recovered if it was not closed properly
     * (see {@link Repair}). Opening is done on the caller's thread; a kill cannot interrupt it.
     *
     * <p><b>May be called from:</b> a process; it becomes an opener.
     *
     * @throws DetsFileException             if the file is not a disk table file, of a newer
     *                                       version, of another type or codec, needs repair,
     *                                       is damaged, locked, or the name is open with other
     *                                       arguments; the reason says which
     * @throws java.nio.file.NoSuchFileException  if its directory does not exist, or a file
     *                                       opened for reading does not (DETS-023, DETS-024)
     * @throws java.nio.file.AccessDeniedException if a read-only file is opened for writing
     * @throws IllegalCallerException        if the caller is not a process
     * @throws IOException                   if the file cannot be read or written
     */
    public static <K, V> DiskTable<K, V> openFile(String name, DetsOptions options) throws IOException {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(options, "options");
        if (!Proc.isProcess()) {
            throw new IllegalCallerException("a disk table is opened by a process and closed when it exits, but "
                    + Thread.currentThread() + " is not a process; open it inside node.spawn(...) or after node.attach()");
        }
        return DetsRegistry.of(Proc.node()).open(name, options, Proc.self());
    }

    /** {@return the table {@code name}, opened with {@link DetsOptions#defaults()}: the file is the name} */
    public static <K, V> DiskTable<K, V> openFile(String name) throws IOException {
        return openFile(name, DetsOptions.defaults());
    }

    /**
     * {@return the open table {@code name} on the caller's node} The key and value types are the
     * caller's claim, unchecked.
     *
     * <p><b>May be called from:</b> a process.
     */
    public static <K, V> Optional<DiskTable<K, V>> whereis(String name) {
        return whereis(Proc.node(), name);
    }

    /**
     * {@return the open table {@code name} on {@code node}}
     *
     * <p><b>May be called from:</b> any thread.
     */
    public static <K, V> Optional<DiskTable<K, V>> whereis(Node node, String name) {
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(name, "name");
        return DetsRegistry.of(node).whereis(name);
    }

    /**
     * {@return the info of every open table on {@code node}}, as {@code dets:all/0} with
     * {@code dets:info/1}, for observers.
     *
     * <p><b>May be called from:</b> any thread.
     */
    public static List<DiskTableInfo> all(Node node) {
        Objects.requireNonNull(node, "node");
        return DetsRegistry.of(node).all();
    }

    /**
     * {@return whether {@code file} starts as a disk table file} as {@code dets:is_dets_file/1} (DETS-022).
     *
     * @throws IOException if it cannot be read
     */
    public static boolean isDetsFile(Path file) throws IOException {
        Objects.requireNonNull(file, "file");
        return DetsRegistry.isDetsFile(file);
    }
}
