package otp4j.ets;

import static java.util.Map.entry;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import otp4j.runtime.AttachedProcess;
import otp4j.testing.NodeExtension;

/** {@code ets:info(T, memory)}: it follows the table's writes, and is close to what the heap holds. */
@ExtendWith({NoTableLeftExtension.class, NodeExtension.class})
class EtsMemoryTest {

    private static long memory(Table<?, ?> t) {
        return t.info().orElseThrow().memory();
    }

    @Test
    void memoryGrowsWithInsertsAndShrinksWithDeletesOnEveryType(AttachedProcess me) {
        for (TableType type : TableType.values()) {
            Table<String, String> t = Ets.newTable("t", TableOptions.defaults().withType(type));
            long empty = memory(t);
            assertThat(empty).as("%s empty", type).isPositive();
            for (int i = 0; i < 1000; i++) {
                t.insert("key" + i, "value" + i);
            }
            long full = memory(t);
            // Each object is at least a map node, a key and a value string.
            assertThat(full - empty).as("%s after 1000 inserts", type).isGreaterThan(1000L * 80);
            if (type == TableType.BAG || type == TableType.DUPLICATE_BAG) {
                t.insert("key0", "another value");
                assertThat(memory(t)).as("%s a second value for a key", type).isGreaterThan(full);
                t.deleteObject("key0", "another value");
                assertThat(memory(t)).as("%s the second value deleted", type).isEqualTo(full);
            }
            for (int i = 0; i < 500; i++) {
                t.delete("key" + i);
            }
            long half = memory(t);
            assertThat(half).as("%s after deleting half", type).isLessThan(full).isGreaterThan(empty);
            t.deleteAllObjects();
            // The hash map's bucket array stays as large as it grew (ConcurrentHashMap never
            // shrinks it), so the estimate is back to the empty table's size only for a skip list.
            assertThat(memory(t)).as("%s emptied", type).isLessThan(half);
            if (type == TableType.ORDERED_SET) {
                assertThat(memory(t)).isEqualTo(empty);
            }
            t.delete();
        }
    }

    @Test
    void replacingAValueCountsTheNewValue(AttachedProcess me) {
        Table<String, Object> t = Ets.newTable("t");
        t.insert("k", "short");
        long small = memory(t);
        t.insert("k", "a value that is a good deal longer than the one it replaces");
        assertThat(memory(t)).isGreaterThan(small);
        t.updateElement("k", v -> "short");
        assertThat(memory(t)).isEqualTo(small);
        t.insert("n", 1_000_000L);
        long withLong = memory(t);
        t.updateCounter("n", 1);
        long withCell = memory(t);
        assertThat(withCell).as("the counter's cell, a little larger than a Long").isGreaterThan(withLong);
        t.updateCounter("n", 1);
        assertThat(memory(t)).as("an increment changes nothing").isEqualTo(withCell);
        t.updateElement("n", v -> (Long) v + 1);
        assertThat(memory(t)).as("a Long again").isEqualTo(withLong);
    }

    @Test
    void moreWriteConcurrencyStripesCostMemory(AttachedProcess me) {
        Table<String, String> off = Ets.newTable("off");
        Table<String, String> on = Ets.newTable("on", TableOptions.defaults().withWriteConcurrency(true));
        assertThat(memory(on)).isGreaterThan(memory(off));
    }

    /**
     * The estimate against the heap: the bytes a table of 1,000,000 Long keys and values adds to
     * the used heap, measured after full collections. The estimate counts the same structures, so
     * it should be within a few percent; the bound is generous (a factor of 1.5 either way) so
     * that a different collector or JVM does not make it flaky, while still catching an estimate
     * that forgets a structure or counts one twice. The figures are in the ets documentation.
     */
    @Test
    void theEstimateIsCloseToTheHeapForALargeTable(AttachedProcess me) {
        for (TableType type : List.of(TableType.SET, TableType.ORDERED_SET, TableType.DUPLICATE_BAG)) {
            int n = 1_000_000;
            long before = usedHeapAfterGc();
            Table<Long, Long> t = Ets.newTable("big", TableOptions.defaults().withType(type));
            List<Map.Entry<Long, Long>> batch = new ArrayList<>(10_000);
            for (long i = 0; i < n; i++) {
                // Keys and values past the JDK's box cache, so every one is an object of its own.
                batch.add(entry(1_000_000_000L + i, 2_000_000_000L + i));
                if (batch.size() == 10_000) {
                    t.insertAll(batch);
                    batch.clear();
                }
            }
            long heap = usedHeapAfterGc() - before;
            long estimate = memory(t);
            System.out.printf("%s of %,d Long -> Long: estimate %,d bytes, heap %,d bytes, ratio %.3f%n",
                    type, n, estimate, heap, (double) estimate / heap);
            assertThat((double) estimate / heap).as("%s estimate %d / heap %d", type, estimate, heap)
                    .isBetween(1 / 1.5, 1.5);
            t.delete();
        }
    }

    /** The used heap once collections free nothing more (System.gc() is a full collection by default). */
    private static long usedHeapAfterGc() {
        Runtime rt = Runtime.getRuntime();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 10; i++) {
            System.gc();
            long now = rt.totalMemory() - rt.freeMemory();
            if (now >= used - 64 * 1024) {
                return Math.min(now, used);
            }
            used = now;
        }
        return used;
    }
}
