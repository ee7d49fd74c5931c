package otp4j.ets;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import otp4j.ets.internal.KeyOrder;
import otp4j.ets.internal.NodeTables;
import otp4j.ets.internal.TableFile;
import otp4j.ets.internal.TableImpl;
import otp4j.runtime.Node;
import otp4j.runtime.Proc;

/**
 * Erlang's ETS: in-memory tables owned by processes. A table lives until it is
 * {@linkplain Table#delete() deleted} or its owner dies; then it is deleted, or handed to its
 * heir, before anyone hears of the death: whoever sees the owner's {@code Exit} or {@code Down}
 * finds the table gone and its name free (ETS-015), or owned by the heir, whose
 * {@link EtsTransfer} is already in its mailbox (ETS-016). Closing a node kills its processes,
 * and with them deletes every table on it.
 *
 * {@snippet :
 * Table<String, Long> hits = Ets.newTable("hits", TableOptions.defaults().withAccess(Access.PUBLIC));
 * hits.insert("home", 0L);
 * hits.updateCounter("home", 1);        // 1, atomically, from any process
 * }
 *
 * <p>See {@link Table} for the data model, the access rules, and the concurrency guarantees.
 */
public final class Ets {
    private Ets() {}

    /**
     * {@return a new table owned by the calling process} as {@code ets:new/2}. Without
     * {@link TableOptions#named()} several tables may share a name (ETS-009).
     *
     * <p><b>May be called from:</b> a process; it becomes the owner.
     *
     * @throws IllegalCallerException if the caller is not a process
     * @throws BadArgException        if the table is named and a named table of that name exists
     */
    public static <K, V> Table<K, V> newTable(String name, TableOptions options) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(options, "options");
        if (!Proc.isProcess()) {
            throw new IllegalCallerException("a table is owned by the process that creates it, but "
                    + Thread.currentThread() + " is not a process; create it inside node.spawn(...) or after node.attach()");
        }
        return TableImpl.create(NodeTables.of(Proc.node()), name, options, Proc.self());
    }

    /** {@return a new table with {@link TableOptions#defaults()}} As {@link #newTable(String, TableOptions)}. */
    public static <K, V> Table<K, V> newTable(String name) {
        return newTable(name, TableOptions.defaults());
    }

    /**
     * {@return the named table {@code name} on the caller's node} as {@code ets:whereis/1}
     * (ETS-010). The key and value types are the caller's claim, unchecked.
     *
     * <p><b>May be called from:</b> a process.
     */
    public static <K, V> Optional<Table<K, V>> whereis(String name) {
        return whereis(Proc.node(), name);
    }

    /**
     * {@return the named table {@code name} on {@code node}}
     *
     * <p><b>May be called from:</b> any thread.
     */
    public static <K, V> Optional<Table<K, V>> whereis(Node node, String name) {
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(name, "name");
        return NodeTables.of(node).whereis(name);
    }

    /**
     * {@return the info of every table on {@code node}} as {@code ets:all/0} with {@code ets:info/1},
     * for observers. Reads nothing but each table's info.
     *
     * <p><b>May be called from:</b> any thread.
     */
    public static List<TableInfo> all(Node node) {
        Objects.requireNonNull(node, "node");
        return NodeTables.of(node).all();
    }

    /**
     * Writes {@code table} to {@code file}, as {@code ets:tab2file/2}, with
     * {@link TermCodec#standard()}. As {@link #tab2file(Table, Path, TermCodec)}.
     */
    public static void tab2file(Table<?, ?> table, Path file) throws IOException {
        tab2file(table, file, TermCodec.standard());
    }

    /**
     * Writes {@code table}'s objects and options (all but the heir) to {@code file}, as
     * {@code ets:tab2file/3}, keys and values through {@code codec}. The objects are those of one
     * traversal (see {@link Table}), so writes that run meanwhile may or may not be in the file.
     * The file is written whole to a temporary file in the same directory, forced to disk, then
     * moved over {@code file} in one atomic step: {@code file} is either as before or complete.
     *
     * <p><b>May be called from:</b> any thread that may read the table.
     *
     * @throws BadArgException      if the codec cannot write a key, value or the comparator (the
     *                              message names the object and the class); no file is written
     * @throws NoSuchTableException if the table has been deleted
     * @throws TableAccessException if the caller may not read the table
     * @throws IOException          if the file cannot be written, or the file system cannot move
     *                              it atomically
     */
    public static void tab2file(Table<?, ?> table, Path file, TermCodec codec) throws IOException {
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(codec, "codec");
        TableFile.write(table, file, codec);
    }

    /** {@return the table in {@code file}, verified} As {@link #file2tab(Path, boolean, TermCodec)}. */
    public static <K, V> Table<K, V> file2tab(Path file) throws IOException {
        return file2tab(file, true, TermCodec.standard());
    }

    /** {@return the table in {@code file}} As {@link #file2tab(Path, boolean, TermCodec)} with {@link TermCodec#standard()}. */
    public static <K, V> Table<K, V> file2tab(Path file, boolean verify) throws IOException {
        return file2tab(file, verify, TermCodec.standard());
    }

    /**
     * {@return a new table, owned by the caller, with the options and objects {@link #tab2file}
     * wrote to {@code file}} as {@code ets:file2tab/2}. No heir is set. The whole file is read and
     * checked before the table is made, so a bad file makes no table. With {@code verify} the
     * file's checksum must match its content (damage anywhere is found); without it the
     * checksum is not compared, and only damage that breaks the structure or a term is found.
     * Unlike ETS, verifying is the default.
     *
     * <p><b>May be called from:</b> a process; it becomes the owner.
     *
     * @throws TableFileException     if the file is not a table file, of another version or
     *                                codec, truncated, damaged, or has a term {@code codec}
     *                                cannot read; the message says what and at which byte
     * @throws BadArgException        if the table is named and a named table of that name exists
     * @throws IllegalCallerException if the caller is not a process
     * @throws IOException            if the file cannot be read
     */
    public static <K, V> Table<K, V> file2tab(Path file, boolean verify, TermCodec codec) throws IOException {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(codec, "codec");
        if (!Proc.isProcess()) {
            throw new IllegalCallerException("a table is owned by the process that creates it, but "
                    + Thread.currentThread() + " is not a process; call file2tab inside node.spawn(...) or after node.attach()");
        }
        return TableFile.read(file, verify, codec, NodeTables.of(Proc.node()), Proc.self());
    }

    /**
     * {@return the default key order of an ordered set} Numbers of the JDK's types
     * ({@code Byte} to {@code Long}, {@code Float}, {@code Double}, {@code BigInteger},
     * {@code BigDecimal}) compare by numeric value, so {@code 1}, {@code 1L} and {@code 1.0} are
     * one key, as Erlang's {@code ==} (ETS-002, ETS-003); other keys by their natural order.
     * Keys that cannot be compared (different non-numeric classes, or not {@link Comparable})
     * make the call fail with {@link BadArgException}; Erlang's order across types (numbers,
     * atoms, tuples ...) has no Java counterpart.
     */
    public static Comparator<Object> keyOrder() {
        return KeyOrder.INSTANCE;
    }
}
