package otp4j.dets;

import static java.util.Map.entry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import otp4j.ets.Ets;
import otp4j.ets.Query;
import otp4j.ets.Table;
import otp4j.ets.TableOptions;
import otp4j.ets.TableType;
import otp4j.runtime.AttachedProcess;
import otp4j.runtime.Node;
import otp4j.testing.NodeExtension;

/** The data model and its persistence: what each write leaves in the file, read back by a clean open and by a replay. */
@ExtendWith(NodeExtension.class)
class DiskTableTest {

    @TempDir
    Path dir;

    private DetsOptions at(String name) {
        return DetsOptions.defaults().withFile(dir.resolve(name + ".dets"));
    }

    /** Reopens {@code name}: with its hint (a clean open), or without (a replay of the whole log). */
    private <K, V> DiskTable<K, V> reopen(String name, boolean replay) throws IOException {
        if (replay) {
            Files.delete(dir.resolve(name + ".dets.hint"));
        }
        return Dets.openFile(name, at(name));
    }

    /**
     * An opener interrupted (a process being killed) while the hint is mapped: the map closes
     * only the hint's own channel, is done again elsewhere, and the table opens clean, from its
     * hint, with every object; the interrupt is still there for the process to act on.
     */
    @Test
    void anInterruptedOpenerStillOpensACleanTableFromItsHint(AttachedProcess me) throws IOException {
        try (DiskTable<Integer, String> t = Dets.openFile("interrupted", at("interrupted"))) {
            for (int i = 0; i < 1000; i++) {
                t.insert(i, "v" + i);
            }
        }
        Thread.currentThread().interrupt();
        try (DiskTable<Integer, String> t = Dets.openFile("interrupted", at("interrupted").withRepair(Repair.NEVER))) {
            assertThat(Thread.currentThread().isInterrupted()).as("the interrupt is kept").isTrue();
            assertThat(Thread.interrupted()).isTrue();
            assertThat(t.size()).isEqualTo(1000);
            for (int i = 0; i < 1000; i++) {
                assertThat(t.lookup(i)).containsExactly("v" + i);
            }
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void everyKindOfWriteSurvivesACleanReopenAndAReplay(AttachedProcess me) throws IOException {
        for (boolean replay : new boolean[] {false, true}) {
            for (TableType type : List.of(TableType.SET, TableType.BAG, TableType.DUPLICATE_BAG)) {
                String name = "t-" + type + "-" + replay;
                List<String> expected;
                try (DiskTable<String, Object> t = Dets.openFile(name, at(name).withType(type))) {
                    t.insertAll(List.of(entry("a", 1L), entry("a", 2L), entry("a", 1L), entry("b", "x"), entry("c", 3L),
                            entry("gone", 0L), entry("bytes", new byte[] {1, 2})));
                    t.deleteObject("a", 2L);
                    t.delete("gone");
                    t.insert("c", 4L);
                    if (type == TableType.SET) {
                        t.updateCounter("c", 10);
                    }
                    expected = sorted(t.select(Query.all()));
                }
                try (DiskTable<String, Object> t = reopen(name, replay)) {
                    assertThat(sorted(t.select(Query.all()))).as(name).isEqualTo(expected);
                    assertThat(t.info().orElseThrow().type()).isEqualTo(type);
                }
            }
        }
    }

    /** The objects by key, each bag's values in insertion order (a stable sort), byte arrays by content. */
    private static List<String> sorted(List<Map.Entry<String, Object>> l) {
        List<Map.Entry<String, Object>> s = new ArrayList<>(l);
        s.sort(Map.Entry.comparingByKey());
        return s.stream().map(e -> e.getKey() + "=" + (e.getValue() instanceof byte[] b ? java.util.Arrays.toString(b)
                : e.getValue())).toList();
    }

    @Test
    void deleteAllObjectsAndFromEtsSurviveAReplay(AttachedProcess me) throws IOException {
        try (DiskTable<Integer, String> t = Dets.openFile("clear", at("clear"))) {
            t.insertAll(List.of(entry(1, "a"), entry(2, "b")));
            t.deleteAllObjects();
            t.insert(3, "c");
        }
        try (DiskTable<Integer, String> t = reopen("clear", true)) {
            assertThat(t.select(Query.all())).containsExactly(entry(3, "c"));
            Table<Integer, String> ets = Ets.newTable("e");
            ets.insertAll(List.of(entry(7, "x"), entry(8, "y")));
            t.fromEts(ets);
            assertThat(t.toEts(Ets.newTable("back", TableOptions.defaults())).tab2list())
                    .containsExactlyInAnyOrder(entry(7, "x"), entry(8, "y"));
        }
        try (DiskTable<Integer, String> t = reopen("clear", true)) {
            assertThat(t.select(Query.all())).containsExactlyInAnyOrder(entry(7, "x"), entry(8, "y"));
        }
    }

    @Test
    void aSaveCompactsAFileOfMostlyDeadRecordsAndKeepsTheLiveOnes(AttachedProcess me) throws IOException {
        String v = "v".repeat(200);
        long before;
        try (DiskTable<Integer, String> t = Dets.openFile("compact", at("compact"))) {
            for (int round = 0; round < 20; round++) {
                for (int k = 0; k < 500; k++) {
                    t.insert(k, v + round);
                }
            }
            before = t.info().orElseThrow().fileSize();
            t.sync();
            assertThat(t.info().orElseThrow().fileSize()).as("compacted at the sync").isLessThan(before / 10);
            t.insert(1000, "after");
            assertThat(t.lookup(7)).containsExactly(v + 19);
        }
        try (DiskTable<Integer, String> t = Dets.openFile("compact", at("compact").withRepair(Repair.NEVER))) {
            assertThat(t.size()).isEqualTo(501);
            assertThat(t.lookup(499)).containsExactly(v + 19);
            assertThat(t.lookup(1000)).containsExactly("after");
        }
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder("compact.dets", "compact.dets.hint");
        }
    }

    @Test
    void anAutoSaveMakesTheFileCleanWithoutAClose(Node node, AttachedProcess me) throws Exception {
        Path f = dir.resolve("auto.dets");
        try (DiskTable<String, String> t = Dets.openFile("auto", at("auto").withAutoSave(Duration.ofMillis(20)))) {
            t.insert("k", "v");
            long hinted = 0;
            Path hint = dir.resolve("auto.dets.hint");
            // The auto-save runs on its own timer; wait for its effect, bounded by the test's watchdog.
            while (hinted != Files.size(f)) {
                Thread.onSpinWait();
                hinted = Files.exists(hint) ? hintLength(hint) : 0; // no hint before the first save
            }
            assertThat(hinted).isEqualTo(Files.size(f));
        }
    }

    /** The data length a hint covers: bytes 18 to 26, big-endian. */
    private static long hintLength(Path hint) throws IOException {
        byte[] h = Files.readAllBytes(hint); // replaced by an atomic move: always whole
        long v = 0;
        for (int i = 18; i < 26; i++) {
            v = (v << 8) | (h[i] & 0xFF);
        }
        return v;
    }

    @Test
    void everyWriteDurabilitySharesForcesBetweenConcurrentWritersAndLosesNothing(Node node, AttachedProcess me)
            throws Exception {
        int writers = 8;
        int each = 200;
        try (DiskTable<Integer, Integer> t = Dets.openFile("group", at("group").withDurability(Durability.EVERY_WRITE))) {
            java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(writers);
            for (int w = 0; w < writers; w++) {
                int base = w * each;
                node.spawn(() -> {
                    for (int i = 0; i < each; i++) {
                        t.insert(base + i, i);
                    }
                    done.countDown();
                });
            }
            done.await();
            assertThat(t.size()).isEqualTo(writers * each);
        }
        try (DiskTable<Integer, Integer> t = reopen("group", true)) {
            assertThat(t.size()).isEqualTo(writers * each);
            assertThat(t.foldl(0L, (k, v, acc) -> acc + v)).isEqualTo((long) writers * (each * (each - 1) / 2));
        }
    }

    /** Reads come from mapped 4 MiB chunks of the file, the last one mapped further as the file grows; records across a chunk's end from the file itself. */
    @Test
    void aFileLongerThanAMappedChunkReadsBackEveryRecord(AttachedProcess me) throws IOException {
        int n = 9_000;
        try (DiskTable<Integer, String> t = Dets.openFile("big", at("big"))) {
            for (int i = 0; i < n; i++) {
                t.insert(i, i + ":" + "z".repeat(1000 + i % 7));
            }
            for (int i = 0; i < n; i++) {
                assertThat(t.lookup(i)).as("key %d", i).containsExactly(i + ":" + "z".repeat(1000 + i % 7));
            }
            assertThat(t.info().orElseThrow().fileSize()).isGreaterThan(2 * (4 << 20));
            // Appends past the last chunk's mapping, flushed, then read: the chunk is mapped further.
            for (int i = n; i < n + 300; i++) {
                t.insert(i, i + ":" + "z".repeat(1000));
                assertThat(t.lookup(i - 150 < n ? i : i - 150)).isNotEmpty();
            }
            for (int i = n; i < n + 300; i++) {
                assertThat(t.lookup(i)).as("key %d", i).containsExactly(i + ":" + "z".repeat(1000));
            }
        }
        try (DiskTable<Integer, String> t = Dets.openFile("big", at("big"))) {
            assertThat(t.size()).isEqualTo(n + 300);
            for (int i = n - 1; i >= 0; i--) {
                assertThat(t.lookup(i)).as("key %d", i).containsExactly(i + ":" + "z".repeat(1000 + i % 7));
            }
        }
    }

    /**
     * Offsets past 2 GiB (DETS's limit): a file of 2.1 GB of 1 MB values, read back before and
     * after a reopen and a replay. Only in the stress profile (tagged soak): it writes 2.1 GB.
     */
    @Test
    @org.junit.jupiter.api.Tag("stress")
    @org.junit.jupiter.api.Tag("soak")
    void aFileOverTwoGigabytesReadsBack(AttachedProcess me) throws IOException {
        int n = 2_100;
        byte[] mb = new byte[1 << 20];
        try (DiskTable<Integer, byte[]> t = Dets.openFile("huge", at("huge"))) {
            for (int i = 0; i < n; i++) {
                mb[0] = (byte) i;
                t.insert(i, mb);
            }
            assertThat(t.info().orElseThrow().fileSize()).isGreaterThan(1L << 31);
        }
        for (boolean replay : new boolean[] {false, true}) {
            try (DiskTable<Integer, byte[]> t = reopen("huge", replay)) {
                assertThat(t.size()).isEqualTo(n);
                for (int i : new int[] {0, 2047, 2048, n - 1}) {
                    assertThat(t.lookup(i).getFirst()).hasSize(1 << 20).startsWith((byte) i);
                }
            }
        }
    }

    @Test
    void aDuplicateBagDeleteObjectRemovesEveryCopyAndABagStoresAnObjectOnce(AttachedProcess me) throws IOException {
        try (DiskTable<String, Integer> d = Dets.openFile("dup", at("dup").withType(TableType.DUPLICATE_BAG));
             DiskTable<String, Integer> b = Dets.openFile("bag", at("bag").withType(TableType.BAG))) {
            d.insertAll(List.of(entry("k", 1), entry("k", 2), entry("k", 1)));
            d.deleteObject("k", 1);
            assertThat(d.lookup("k")).containsExactly(2);
            b.insertAll(List.of(entry("k", 1), entry("k", 1), entry("k", 2)));
            assertThat(b.lookup("k")).containsExactly(1, 2);
            assertThat(b.size()).isEqualTo(2);
        }
    }

    @Test
    void aReopenByNameGivesANewObjectAndTheOldOneStaysClosed(AttachedProcess me) throws IOException {
        DiskTable<String, Integer> first = Dets.openFile("again", at("again"));
        first.close();
        try (DiskTable<String, Integer> second = Dets.openFile("again", at("again"))) {
            assertThat(second).isNotSameAs(first);
            assertThat(first.info()).isEmpty();
            assertThat(Dets.<String, Integer>whereis("again")).containsSame(second);
            assertThat(Dets.all(otp4j.runtime.Proc.node())).extracting(DiskTableInfo::name).contains("again");
        }
    }

    @Test
    void twoOpensByOneProcessNeedTwoCloses(AttachedProcess me) throws IOException {
        DiskTable<String, Integer> a = Dets.openFile("twice", at("twice"));
        DiskTable<String, Integer> b = Dets.openFile("twice", at("twice"));
        assertThat(b).isSameAs(a);
        assertThat(a.info().orElseThrow().users()).hasSize(2);
        a.close();
        assertThat(a.info()).isPresent();
        b.close();
        assertThat(a.info()).isEmpty();
        assertThatThrownBy(a::close).hasMessageContaining("not_owner");
    }
}
