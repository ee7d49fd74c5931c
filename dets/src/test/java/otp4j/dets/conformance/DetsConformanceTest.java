package otp4j.dets.conformance;

import static java.util.Map.entry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import otp4j.dets.Dets;
import otp4j.dets.DetsFileException;
import otp4j.dets.DetsOptions;
import otp4j.dets.DetsTesting;
import otp4j.dets.DiskTable;
import otp4j.dets.DiskTableInfo;
import otp4j.dets.FileAccess;
import otp4j.dets.Repair;
import otp4j.dets.TraverseStep;
import otp4j.ets.BadArgException;
import otp4j.ets.Chunk;
import otp4j.ets.CounterOp;
import otp4j.ets.Counters;
import otp4j.ets.NoSuchTableException;
import otp4j.ets.Query;
import otp4j.ets.TableAccessException;
import otp4j.ets.TableType;
import otp4j.runtime.AttachedProcess;
import otp4j.runtime.Down;
import otp4j.runtime.Pid;
import otp4j.runtime.Proc;
import otp4j.testing.Mailbox;
import otp4j.testing.NodeExtension;

/**
 * Conformance tests for section 6 of the Erlang/OTP conformance corpus, "DETS": each test asserts,
 * in Java terms, the outcome observed on Erlang/OTP 25. The test thread is attached as a process
 * and plays the scenario's body. An object {@code {K, V}} is key {@code K} and value {@code V};
 * atoms are strings; {@code badarg} is {@link BadArgException} or a subclass; {@code {error, R}}
 * from open_file is a {@link DetsFileException} with a reason, or the JDK's file exceptions;
 * {@code undefined} from info is an empty {@code info()}.
 *
 * <p>Not applicable: DETS-003 (an unknown option: options are a record, there is none to pass),
 * DETS-033 (keypos: the key is separate from the value, as in the ets module), DETS-015's
 * non-tuple (every object is a key and a value). DETS-037 is a quirk not to emulate: a second
 * name for an open file is refused ({@link #DETS_037_aSecondNameForAnOpenFileIsRefused}).
 * DETS-029's printed message ("is now compacted") goes to {@code System.Logger} here.
 */
@ExtendWith(NodeExtension.class)
class DetsConformanceTest {

    private static final Duration DEADLINE = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    private Path file(String tag) {
        return dir.resolve(tag + ".dets");
    }

    private <K, V> DiskTable<K, V> open(String name, Path f) throws IOException {
        return Dets.openFile(name, DetsOptions.defaults().withFile(f));
    }

    private <K, V> DiskTable<K, V> open(String name, Path f, TableType type) throws IOException {
        return Dets.openFile(name, DetsOptions.defaults().withFile(f).withType(type));
    }

    record Opened(Object result) {
    }

    record Closed(Object result) {
    }

    record Close() {
    }

    record Stop() {
    }

    /** Spawns a process that opens {@code name} on {@code f}, inserts {@code insert} if given, reports, and closes or stops on request. */
    private Pid opener(String name, Path f, Map.Entry<String, Object> insert) {
        Pid me = Proc.self();
        Pid p = Proc.spawn(() -> {
            Object r;
            try {
                DiskTable<String, Object> t = open(name, f);
                if (insert != null) {
                    t.insert(insert.getKey(), insert.getValue());
                }
                r = t;
            } catch (IOException | RuntimeException e) {
                r = e;
            }
            Proc.send(me, new Opened(r));
            while (true) {
                Object m = Proc.receive();
                if (m instanceof Close && r instanceof DiskTable<?, ?> t) {
                    Object c;
                    try {
                        t.close();
                        c = "ok";
                    } catch (RuntimeException e) {
                        c = e;
                    }
                    Proc.send(me, new Closed(c));
                } else if (m instanceof Stop) {
                    return;
                }
            }
        });
        Object r = Mailbox.await(m -> m instanceof Opened o ? o.result() : null, DEADLINE);
        assertThat(r).as("opened in the other process").isInstanceOf(DiskTable.class);
        return p;
    }

    private static void stopAndWait(Pid p) {
        Proc.monitor(p);
        Proc.send(p, new Stop());
        Mailbox.await(m -> m instanceof Down d && d.target().equals(p) ? d : null, DEADLINE);
    }

    /** DETS-001: open_file returns the table; insert returns (ok); lookup returns the objects; the file exists. */
    @Test
    void DETS_001_openInsertLookup(AttachedProcess me) throws IOException {
        Path f = file("dets001");
        try (DiskTable<String, String> t = open("d1", f, TableType.SET)) {
            assertThat(t.name()).isEqualTo("d1");
            t.insert("k", "v");
            assertThat(t.lookup("k")).containsExactly("v");
        }
        assertThat(Files.isRegularFile(f)).isTrue();
    }

    /** DETS-002: type ordered_set is badarg, and no file is created. */
    @Test
    void DETS_002_orderedSetIsBadarg(AttachedProcess me) {
        Path f = file("dets002");
        assertThatThrownBy(() -> Dets.openFile("d2", DetsOptions.defaults().withFile(f).withType(TableType.ORDERED_SET)))
                .isInstanceOf(BadArgException.class).hasMessageContaining("no ordered set");
        assertThat(Files.exists(f)).isFalse();
    }

    /** DETS-004: set replaces; bag keeps distinct objects; duplicate_bag keeps duplicates. */
    @Test
    void DETS_004_types(AttachedProcess me) throws IOException {
        List<Object> r = new ArrayList<>();
        for (TableType type : List.of(TableType.SET, TableType.BAG, TableType.DUPLICATE_BAG)) {
            try (DiskTable<String, Integer> t = open("d4_" + type, file("d4_" + type), type)) {
                t.insert("k", 1);
                t.insert("k", 2);
                t.insert("k", 1);
                r.add(List.of(t.info().orElseThrow().type(), t.lookup("k").stream().sorted().toList()));
            }
        }
        assertThat(r).containsExactly(List.of(TableType.SET, List.of(1)), List.of(TableType.BAG, List.of(1, 2)),
                List.of(TableType.DUPLICATE_BAG, List.of(1, 1, 2)));
    }

    /** DETS-005: delete (also of a missing key) is no error; member; lookup of a missing key is empty. */
    @Test
    void DETS_005_deleteMemberLookup(AttachedProcess me) throws IOException {
        try (DiskTable<String, Integer> t = open("d5", file("dets005"))) {
            t.insertAll(List.of(entry("a", 1), entry("b", 2)));
            t.delete("a");
            t.delete("nope");
            assertThat(t.member("a")).isFalse();
            assertThat(t.member("b")).isTrue();
            assertThat(t.lookup("a")).isEmpty();
        }
    }

    /** DETS-006: delete_object on a bag removes only that object. */
    @Test
    void DETS_006_deleteObjectOnABag(AttachedProcess me) throws IOException {
        try (DiskTable<String, Integer> t = open("d6", file("dets006"), TableType.BAG)) {
            t.insertAll(List.of(entry("k", 1), entry("k", 2)));
            t.deleteObject("k", 1);
            assertThat(t.lookup("k")).containsExactly(2);
        }
    }

    /** DETS-007: match_object, match and select, as typed queries. */
    @Test
    void DETS_007_matchAndSelect(AttachedProcess me) throws IOException {
        try (DiskTable<String, Integer> t = open("d7", file("dets007"))) {
            t.insertAll(List.of(entry("a", 1), entry("b", 2), entry("c", 1)));
            Query<String, Integer, Map.Entry<String, Integer>> all = Query.all();
            assertThat(t.select(all.where((k, v) -> v == 1))).containsExactlyInAnyOrder(entry("a", 1), entry("c", 1));
            assertThat(t.select(all.where((k, v) -> v == 1).map((k, v) -> List.of(k))))
                    .containsExactlyInAnyOrder(List.of("a"), List.of("c"));
            assertThat(t.select(all.where((k, v) -> v > 1))).containsExactly(entry("b", 2));
        }
    }

    /** DETS-008: foldl; traverse with continue, {continue, V} and {done, V}. */
    @Test
    void DETS_008_foldlAndTraverse(AttachedProcess me) throws IOException {
        try (DiskTable<String, Integer> t = open("d8", file("dets008"))) {
            t.insertAll(List.of(entry("a", 1), entry("b", 2), entry("c", 3)));
            assertThat(t.foldl(0, (k, v, acc) -> v + acc)).isEqualTo(6);
            assertThat(t.traverse((k, v) -> TraverseStep.collect(k))).containsExactlyInAnyOrder("a", "b", "c");
            assertThat(t.traverse((k, v) -> TraverseStep.proceed())).isEmpty();
            assertThat(t.traverse((k, v) -> TraverseStep.done("stopped_early"))).containsExactly("stopped_early");
        }
    }

    /** DETS-009: info: size, type, file, file size; the default auto_save is 180 s. */
    @Test
    void DETS_009_info(AttachedProcess me) throws IOException {
        Path f = file("dets009");
        try (DiskTable<String, Integer> t = open("d9", f, TableType.BAG)) {
            t.insertAll(List.of(entry("k", 1), entry("k", 2), entry("j", 1)));
            DiskTableInfo i = t.info().orElseThrow();
            assertThat(i.size()).isEqualTo(3);
            assertThat(i.type()).isEqualTo(TableType.BAG);
            assertThat(i.autoSave()).contains(Duration.ofMillis(180_000));
            assertThat(i.file()).isEqualTo(f);
            assertThat(i.fileSize()).isPositive();
            assertThat(i.users()).containsExactly(me.pid());
        }
    }

    /** DETS-010: insert_new is true, or false writing nothing if the key exists. */
    @Test
    void DETS_010_insertNew(AttachedProcess me) throws IOException {
        try (DiskTable<String, Integer> t = open("d10", file("dets010"))) {
            assertThat(t.insertNew("k", 1)).isTrue();
            assertThat(t.insertNew("k", 2)).isFalse();
            assertThat(t.lookup("k")).containsExactly(1);
        }
    }

    /** DETS-011: update_counter returns the new value (Incr or {Pos, Incr}); a missing key, or a bag, is badarg. */
    @Test
    void DETS_011_updateCounter(AttachedProcess me) throws IOException {
        try (DiskTable<String, Counters> t = open("d11", file("dets011"));
             DiskTable<String, Long> b = open("d11b", file("dets011b"), TableType.BAG)) {
            t.insert("c", Counters.of(10, 0));
            b.insert("c", 10L);
            assertThat(t.updateCounter("c", 1)).isEqualTo(11);
            assertThat(t.updateCounter("c", CounterOp.add(1, 5))).isEqualTo(5);
            assertThatThrownBy(() -> t.updateCounter("nope", 1)).isInstanceOf(BadArgException.class)
                    .hasMessageContaining("not in disk table");
            assertThatThrownBy(() -> b.updateCounter("c", 1)).isInstanceOf(BadArgException.class)
                    .hasMessageContaining("needs a set");
            assertThat(t.lookup("c")).containsExactly(Counters.of(11, 5));
        }
    }

    /** DETS-012: sync and close; after reopening the data is there. */
    @Test
    void DETS_012_syncCloseReopen(AttachedProcess me) throws IOException {
        Path f = file("dets012");
        DiskTable<String, Integer> t = open("d12", f);
        t.insertAll(List.of(entry("a", 1), entry("b", 2)));
        t.sync();
        t.close();
        try (DiskTable<String, Integer> again = open("d12", f)) {
            assertThat(again.select(Query.all())).containsExactlyInAnyOrder(entry("a", 1), entry("b", 2));
        }
    }

    /** DETS-013: closing a table that is not open (or twice) is an error (not_owner). */
    @Test
    void DETS_013_closeTwiceIsNotOwner(AttachedProcess me) throws IOException {
        DiskTable<String, Integer> t = open("d13", file("dets013"));
        t.close();
        assertThatThrownBy(t::close).isInstanceOf(TableAccessException.class).hasMessageContaining("not_owner");
    }

    /** DETS-014: after close, lookup and insert are badarg; info is undefined. */
    @Test
    void DETS_014_callsAfterCloseAreBadarg(AttachedProcess me) throws IOException {
        DiskTable<String, Integer> t = open("d14", file("dets014"));
        t.close();
        assertThatThrownBy(() -> t.lookup("k")).isInstanceOf(NoSuchTableException.class);
        assertThatThrownBy(() -> t.insert("k", 1)).isInstanceOf(NoSuchTableException.class);
        assertThat(t.info()).isEmpty();
        assertThat(Dets.whereis("d14")).isEmpty();
    }

    /** DETS-015: a list of objects is inserted in one call. */
    @Test
    void DETS_015_listInsert(AttachedProcess me) throws IOException {
        try (DiskTable<String, Integer> t = open("d15", file("dets015"))) {
            t.insertAll(List.of(entry("a", 1), entry("b", 2)));
            assertThat(t.size()).isEqualTo(2);
        }
    }

    /** DETS-016: two processes open one table; it stays open until both have closed it; writes are shared. */
    @Test
    void DETS_016_twoOpenersShareOneTableUntilBothClose(AttachedProcess me) throws IOException {
        Path f = file("dets016");
        DiskTable<String, Object> t = open("d16", f);
        Pid other = opener("d16", f, entry("from_other", 1));
        assertThat(t.info().orElseThrow().users()).hasSize(2).contains(me.pid(), other);
        assertThat(t.lookup("from_other")).containsExactly(1);
        t.close();
        assertThat(t.info().orElseThrow().size()).as("still open").isEqualTo(1);
        Proc.send(other, new Close());
        assertThat(Mailbox.<Object>await(m -> m instanceof Closed c ? c.result() : null, DEADLINE)).isEqualTo("ok");
        assertThat(t.info()).isEmpty();
        stopAndWait(other);
    }

    /** DETS-018: the only opener exits without closing: the table is closed; it reopens with repair false. */
    @Test
    void DETS_018_lastOpenerExitClosesTheTable(AttachedProcess me) throws IOException {
        Path f = file("dets018");
        Pid p = opener("d18", f, entry("k", "v"));
        DiskTable<String, String> t = Dets.<String, String>whereis("d18").orElseThrow();
        assertThat(t.size()).isEqualTo(1);
        stopAndWait(p);
        assertThat(t.info()).as("closed as the opener died").isEmpty();
        // The reopen waits for the close (on a worker thread) to finish.
        try (DiskTable<String, String> again = Dets.openFile("d18",
                DetsOptions.defaults().withFile(f).withRepair(Repair.NEVER))) {
            assertThat(again.lookup("k")).containsExactly("v");
        }
    }

    /** DETS-019: one of two openers exits: the table stays open for the other. */
    @Test
    void DETS_019_oneOfTwoOpenersExits(AttachedProcess me) throws IOException {
        Path f = file("dets019");
        try (DiskTable<String, String> t = open("d19", f)) {
            Pid p = opener("d19", f, null);
            stopAndWait(p);
            assertThat(t.info().orElseThrow().users()).containsExactly(me.pid());
            t.insert("still", "open");
            assertThat(t.lookup("still")).containsExactly("open");
        }
    }

    /** DETS-020: an open name with another file is incompatible_arguments. */
    @Test
    void DETS_020_sameNameOtherFile(AttachedProcess me) throws IOException {
        try (DiskTable<String, String> t = open("d20", file("dets020a"))) {
            assertThatThrownBy(() -> open("d20", file("dets020b"))).isInstanceOf(DetsFileException.class)
                    .satisfies(e -> assertThat(((DetsFileException) e).reason())
                            .isEqualTo(DetsFileException.Reason.INCOMPATIBLE_ARGUMENTS));
            assertThat(t.info().orElseThrow().users()).containsExactly(me.pid());
        }
    }

    /** DETS-021: an open name with another type is incompatible_arguments; a closed file with another type is type_mismatch. */
    @Test
    void DETS_021_typeMismatch(AttachedProcess me) throws IOException {
        Path f = file("dets021");
        DiskTable<String, String> t = open("d21", f, TableType.SET);
        assertThatThrownBy(() -> open("d21", f, TableType.BAG)).isInstanceOf(DetsFileException.class)
                .satisfies(e -> assertThat(((DetsFileException) e).reason())
                        .isEqualTo(DetsFileException.Reason.INCOMPATIBLE_ARGUMENTS));
        t.close();
        assertThatThrownBy(() -> open("d21", f, TableType.BAG)).isInstanceOf(DetsFileException.class)
                .hasMessageContaining(f.toString())
                .satisfies(e -> assertThat(((DetsFileException) e).reason()).isEqualTo(DetsFileException.Reason.TYPE_MISMATCH));
        try (DiskTable<String, String> again = Dets.openFile("d21", DetsOptions.defaults().withFile(f))) {
            assertThat(again.info().orElseThrow().type()).as("no type asked: the file's").isEqualTo(TableType.SET);
        }
    }

    /** DETS-022: a file that is not a DETS file: not_a_dets_file, naming the file; is_dets_file tells them apart. */
    @Test
    void DETS_022_notADetsFile(AttachedProcess me) throws IOException {
        Path f = file("dets022");
        Files.writeString(f, "this is not a dets file at all");
        assertThatThrownBy(() -> open("d22", f)).isInstanceOf(DetsFileException.class)
                .hasMessageStartingWith(f.toString())
                .satisfies(e -> assertThat(((DetsFileException) e).reason()).isEqualTo(DetsFileException.Reason.NOT_A_DETS_FILE));
        assertThat(Dets.isDetsFile(f)).isFalse();
        assertThat(Files.readString(f)).as("untouched").isEqualTo("this is not a dets file at all");
        Path good = file("dets022good");
        open("d22g", good).close();
        assertThat(Dets.isDetsFile(good)).isTrue();
    }

    /** DETS-023: a directory that does not exist: enoent, naming the file. */
    @Test
    void DETS_023_noSuchDirectory(AttachedProcess me) {
        Path f = dir.resolve("no/such/dir/x.dets");
        assertThatThrownBy(() -> open("d23", f)).isInstanceOf(NoSuchFileException.class)
                .hasMessageContaining(f.toString()).hasMessageContaining("does not exist");
        assertThat(Dets.whereis("d23")).isEmpty();
    }

    /** DETS-024: access read: insert is refused (access_mode); reads work; a missing file cannot be opened read-only. */
    @Test
    void DETS_024_readAccess(AttachedProcess me) throws IOException {
        Path f = file("dets024");
        try (DiskTable<String, String> t = open("d24", f)) {
            t.insert("k", "v");
        }
        try (DiskTable<String, String> t = Dets.openFile("d24", DetsOptions.defaults().withFile(f).withAccess(FileAccess.READ))) {
            assertThatThrownBy(() -> t.insert("k2", "v")).isInstanceOf(TableAccessException.class)
                    .hasMessageContaining(f.toString()).hasMessageContaining("FileAccess.READ");
            assertThat(t.lookup("k")).containsExactly("v");
        }
        Path missing = file("dets024_missing");
        assertThatThrownBy(() -> Dets.openFile("d24m", DetsOptions.defaults().withFile(missing).withAccess(FileAccess.READ)))
                .isInstanceOf(NoSuchFileException.class).hasMessageContaining(missing.toString());
        assertThat(Files.exists(missing)).isFalse();
    }

    /** DETS-025: a file left by a JVM that died with writes after its last sync: repair false is needs_repair. */
    @Test
    void DETS_025_crashedFileNeedsRepair(AttachedProcess me) throws Exception {
        Path f = file("dets025");
        DetsTesting.runChild(dir, "crash", f.toString());
        assertThatThrownBy(() -> Dets.openFile("d25", DetsOptions.defaults().withFile(f).withRepair(Repair.NEVER)))
                .isInstanceOf(DetsFileException.class).hasMessageStartingWith(f.toString())
                .satisfies(e -> assertThat(((DetsFileException) e).reason()).isEqualTo(DetsFileException.Reason.NEEDS_REPAIR));
    }

    /** DETS-027: after a repair and a proper close, the next open needs no repair. */
    @Test
    void DETS_027_repairedAndClosedIsClean(AttachedProcess me) throws Exception {
        Path f = file("dets027");
        DetsTesting.runChild(dir, "crash", f.toString());
        try (DiskTable<String, Integer> t = open("d27", f)) {
            assertThat(t.lookup("a")).containsExactly(1);
            assertThat(t.lookup("b")).containsExactly(2);
        }
        try (DiskTable<String, Integer> t = Dets.openFile("d27", DetsOptions.defaults().withFile(f).withRepair(Repair.NEVER))) {
            assertThat(t.size()).isBetween(2L, 3L);
        }
    }

    /** DETS-028: a JVM that died right after sync leaves a clean file: it opens with repair false, data intact. */
    @Test
    void DETS_028_crashRightAfterSyncIsClean(AttachedProcess me) throws Exception {
        Path f = file("dets028");
        DetsTesting.runChild(dir, "synced", f.toString());
        try (DiskTable<String, Integer> t = Dets.openFile("d28", DetsOptions.defaults().withFile(f).withRepair(Repair.NEVER))) {
            assertThat(t.select(Query.all())).containsExactlyInAnyOrder(entry("a", 1), entry("b", 2));
        }
    }

    /** DETS-029: repair force on a cleanly closed file rebuilds (compacts) it; the data is kept. */
    @Test
    void DETS_029_forceRepairCompacts(AttachedProcess me) throws IOException {
        Path f = file("dets029");
        try (DiskTable<String, Integer> t = open("d29", f)) {
            t.insertAll(List.of(entry("a", 1), entry("b", 2)));
            for (int i = 0; i < 100; i++) {
                t.insert("a", 1);
            }
        }
        long before = Files.size(f);
        try (DiskTable<String, Integer> t = Dets.openFile("d29", DetsOptions.defaults().withFile(f).withRepair(Repair.FORCE))) {
            assertThat(t.select(Query.all())).containsExactlyInAnyOrder(entry("a", 1), entry("b", 2));
        }
        assertThat(Files.size(f)).as("compacted").isLessThan(before);
    }

    /** DETS-037, not emulated: the same file under a second name while open is refused, not opened twice. */
    @Test
    void DETS_037_aSecondNameForAnOpenFileIsRefused(AttachedProcess me) throws IOException {
        Path f = file("dets037");
        try (DiskTable<String, Integer> t = open("d37", f)) {
            assertThatThrownBy(() -> open("d37b", f)).isInstanceOf(DetsFileException.class)
                    .hasMessageContaining("already open as disk table d37")
                    .satisfies(e -> assertThat(((DetsFileException) e).reason()).isEqualTo(DetsFileException.Reason.IN_USE));
            t.insert("k", 1);
        }
    }

    /** DETS-030: select with a limit returns chunks; each match once; then the end. */
    @Test
    void DETS_030_selectInChunks(AttachedProcess me) throws IOException {
        try (DiskTable<Integer, String> t = open("d30", file("dets030"))) {
            t.insertAll(IntStream.rangeClosed(1, 20).mapToObj(k -> entry(k, "x")).toList());
            List<Integer> all = new ArrayList<>();
            Optional<Chunk<Integer>> c = t.select(Query.<Integer, String>all().where((k, v) -> v.equals("x")).map((k, v) -> k), 5);
            while (c.isPresent()) {
                assertThat(c.get().results()).hasSizeBetween(1, 5);
                all.addAll(c.get().results());
                c = c.get().next();
            }
            assertThat(all).containsExactlyInAnyOrderElementsOf(IntStream.rangeClosed(1, 20).boxed().toList());
        }
    }

    /** DETS-031: first/next visit every key once; first of an empty table is the end. */
    @Test
    void DETS_031_firstNext(AttachedProcess me) throws IOException {
        try (DiskTable<String, Integer> t = open("d31", file("dets031"))) {
            assertThat(t.first()).isEmpty();
            t.insertAll(List.of(entry("c", 1), entry("a", 1), entry("b", 1)));
            List<String> keys = new ArrayList<>();
            for (Optional<String> k = t.first(); k.isPresent(); k = t.next(k.get())) {
                keys.add(k.get());
            }
            assertThat(keys).containsExactlyInAnyOrder("a", "b", "c");
        }
    }

    /** DETS-032: delete_all_objects empties the table. */
    @Test
    void DETS_032_deleteAllObjects(AttachedProcess me) throws IOException {
        try (DiskTable<String, Integer> t = open("d32", file("dets032"))) {
            t.insertAll(List.of(entry("a", 1), entry("b", 2)));
            t.deleteAllObjects();
            assertThat(t.size()).isZero();
        }
    }

    /** DETS-034: select_delete returns the number deleted; match_delete (a select_delete) leaves the rest. */
    @Test
    void DETS_034_selectDelete(AttachedProcess me) throws IOException {
        try (DiskTable<Integer, Integer> t = open("d34", file("dets034"))) {
            t.insertAll(IntStream.rangeClosed(1, 6).mapToObj(k -> entry(k, k % 2)).toList());
            assertThat(t.selectDelete(Query.<Integer, Integer>all().where((k, v) -> v == 0))).isEqualTo(3);
            t.selectDelete(Query.<Integer, Integer>all().key(1));
            assertThat(t.select(Query.all())).containsExactlyInAnyOrder(entry(3, 1), entry(5, 1));
        }
    }

    /** DETS-035: keys compare exactly: 1 and 1.0 are different keys. */
    @Test
    void DETS_035_keysCompareExactly(AttachedProcess me) throws IOException {
        try (DiskTable<Object, String> t = open("d35", file("dets035"))) {
            t.insertAll(List.of(entry(1, "int"), entry(1.0, "float"), entry(1L, "long")));
            assertThat(t.lookup(1)).containsExactly("int");
            assertThat(t.lookup(1.0)).containsExactly("float");
            assertThat(t.size()).isEqualTo(3);
        }
    }

    /** DETS-036: a fresh path starts empty and creates the file; a name alone is the file name. */
    @Test
    void DETS_036_nameIsTheDefaultFile(AttachedProcess me) throws IOException {
        Path f = file("dets036");
        try (DiskTable<String, Integer> t = open("d36", f)) {
            assertThat(t.size()).isZero();
        }
        assertThat(Files.isRegularFile(f)).isTrue();
        String name = dir.resolve("d36_default").toString();
        try (DiskTable<String, Integer> t = Dets.openFile(name)) {
            assertThat(t.info().orElseThrow().file()).isEqualTo(Path.of(name));
        }
        assertThat(Files.isRegularFile(Path.of(name))).isTrue();
    }

    /** DETS-038: a process that never opened the table reads and writes it by name. */
    @Test
    void DETS_038_nonOpenerMayReadAndWrite(AttachedProcess me) throws IOException {
        try (DiskTable<String, String> t = open("d38", file("dets038"))) {
            Pid self = Proc.self();
            Proc.spawn(() -> {
                DiskTable<String, String> byName = Dets.<String, String>whereis("d38").orElseThrow();
                byName.insert("k", "from_other");
                Proc.send(self, new Opened(byName.lookup("k")));
            });
            assertThat(Mailbox.<Object>await(m -> m instanceof Opened o ? o.result() : null, DEADLINE))
                    .isEqualTo(List.of("from_other"));
            assertThat(t.info().orElseThrow().users()).containsExactly(me.pid());
        }
    }

    /** DETS-039: insert_new with a list: false and nothing written if any key exists. */
    @Test
    void DETS_039_insertNewList(AttachedProcess me) throws IOException {
        try (DiskTable<String, Integer> t = open("d39", file("dets039"))) {
            t.insert("k", 1);
            assertThat(t.insertNewAll(List.of(entry("new", 1), entry("k", 2)))).isFalse();
            assertThat(t.lookup("new")).isEmpty();
            assertThat(t.insertNewAll(List.of(entry("x", 1), entry("y", 2)))).isTrue();
            assertThat(t.size()).isEqualTo(3);
        }
    }
}
