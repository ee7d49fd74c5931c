package otp4j.ets;

import static java.util.Map.entry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static otp4j.ets.EtsTesting.DEADLINE;

import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import otp4j.runtime.AttachedProcess;
import otp4j.runtime.Down;
import otp4j.runtime.Proc;
import otp4j.runtime.SystemLimitException;
import otp4j.testing.Mailbox;
import otp4j.testing.NodeExtension;

/** A table bounded by {@link TableOptions#withMaxSize}: full means refused, never past the bound. */
@ExtendWith({NoTableLeftExtension.class, NodeExtension.class})
class EtsMaxSizeTest {

    @ParameterizedTest
    @EnumSource(TableType.class)
    void aFullTableRefusesWhatWouldAddAnObjectAndChangesNothing(TableType type, AttachedProcess me) {
        Table<Integer, String> t = Ets.newTable("t", TableOptions.defaults().withType(type).withMaxSize(3));
        assertThat(t.info().orElseThrow().maxSize()).isEqualTo(OptionalLong.of(3));
        t.insert(1, "a");
        t.insert(2, "b");
        t.insert(3, "c");
        assertThatThrownBy(() -> t.insert(4, "d")).isInstanceOf(SystemLimitException.class)
                .hasMessageContaining("is full").hasMessageContaining("withMaxSize").hasMessageContaining("changed nothing");
        assertThatThrownBy(() -> t.insertNew(4, "d")).isInstanceOf(SystemLimitException.class);
        assertThatThrownBy(() -> t.insertAll(List.of(entry(5, "e")))).isInstanceOf(SystemLimitException.class);
        assertThat(t.size()).isEqualTo(3);
        assertThat(t.member(4)).isFalse();
        assertThat(t.insertNew(1, "z")).as("insert_new of a present key: false, full or not").isFalse();

        if (type == TableType.SET || type == TableType.ORDERED_SET) {
            t.insert(1, "A"); // a replacement adds no object
            assertThat(t.lookup(1)).containsExactly("A");
        } else {
            assertThatThrownBy(() -> t.insert(1, "A")).isInstanceOf(SystemLimitException.class);
            if (type == TableType.BAG) {
                t.insert(1, "a"); // the same object again: a bag keeps one, so nothing is added
            }
            assertThat(t.lookup(1)).containsExactly("a");
        }
        assertThat(t.size()).isEqualTo(3);

        t.delete(2);
        t.insert(4, "d");
        assertThat(t.size()).isEqualTo(3);
        t.delete();
    }

    @Test
    void aMultiObjectInsertNeedsRoomForAllItsObjects(AttachedProcess me) {
        Table<Integer, String> t = Ets.newTable("t", TableOptions.defaults().withMaxSize(4));
        t.insertAll(List.of(entry(1, "a"), entry(2, "b")));
        assertThatThrownBy(() -> t.insertAll(List.of(entry(3, "c"), entry(4, "d"), entry(5, "e"))))
                .isInstanceOf(SystemLimitException.class).hasMessageContaining("a write of 3 object(s)");
        assertThat(t.size()).as("all or nothing").isEqualTo(2);
        assertThat(t.insertNewAll(List.of(entry(3, "c"), entry(4, "d")))).isTrue();
        assertThat(t.size()).isEqualTo(4);
        t.delete();
    }

    @Test
    void aCounterWithADefaultObjectNeedsRoomOnlyToCreateIt(AttachedProcess me) {
        Table<String, Long> t = Ets.newTable("t", TableOptions.defaults().withMaxSize(1));
        assertThat(t.updateCounter("a", 1, 0L)).isEqualTo(1);
        assertThat(t.updateCounter("a", 1, 0L)).as("an existing counter is no new object").isEqualTo(2);
        assertThatThrownBy(() -> t.updateCounter("b", 1, 0L)).isInstanceOf(SystemLimitException.class);
        assertThatThrownBy(() -> t.updateCounter("b", CounterOp.add(0, 1), 0L)).isInstanceOf(SystemLimitException.class);
        assertThat(t.member("b")).isFalse();
        t.delete();
    }

    @Test
    void aBoundBelowOneIsRefused() {
        assertThatThrownBy(() -> TableOptions.defaults().withMaxSize(0))
                .isInstanceOf(BadArgException.class).hasMessageContaining("maxSize").hasMessageContaining("0");
        assertThat(TableOptions.defaults().maxSize()).isEmpty();
    }

    /** Many processes inserting distinct keys at once into a bounded table: exactly the bound fits. */
    @Test
    void concurrentInsertsNeverPassTheBound(AttachedProcess me) throws Exception {
        int writers = 8;
        int each = 5_000;
        long max = 10_000;
        Table<Integer, Integer> t = Ets.newTable("t", TableOptions.defaults().withAccess(Access.PUBLIC)
                .withWriteConcurrency(true).withMaxSize(max));
        CyclicBarrier start = new CyclicBarrier(writers);
        AtomicInteger inserted = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        for (int w = 0; w < writers; w++) {
            int base = w * each;
            Proc.spawnMonitor(() -> {
                try {
                    start.await();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                for (int i = 0; i < each; i++) {
                    try {
                        t.insert(base + i, i);
                        inserted.incrementAndGet();
                    } catch (SystemLimitException e) {
                        refused.incrementAndGet();
                    }
                    if (i % 7 == 0 && t.member(base + i)) {
                        t.delete(base + i); // room comes and goes while others fill it
                        inserted.decrementAndGet();
                    }
                }
            });
        }
        for (int w = 0; w < writers; w++) {
            Mailbox.await(m -> m instanceof Down d ? d : null, DEADLINE);
        }
        assertThat(t.size()).isEqualTo(inserted.get()).isLessThanOrEqualTo(max);
        assertThat(refused.get()).as("some inserts found it full").isPositive();
        t.delete();
    }
}
