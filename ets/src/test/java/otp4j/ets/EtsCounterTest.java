package otp4j.ets;

import static java.util.Map.entry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static otp4j.ets.EtsTesting.DEADLINE;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import otp4j.runtime.AttachedProcess;
import otp4j.runtime.Down;
import otp4j.runtime.Proc;
import otp4j.runtime.Reason;
import otp4j.runtime.Spawned;
import otp4j.testing.Mailbox;
import otp4j.testing.NodeExtension;

/**
 * A set's counter after {@code updateCounter}: every other operation sees a plain {@code Long}
 * holding every increment, and writes that depend on the value (take, deleteObject,
 * updateElement, the general updateCounter, selectReplace) lose none that raced with them.
 */
@ExtendWith({NoTableLeftExtension.class, NodeExtension.class})
class EtsCounterTest {
    private static final TableOptions PUBLIC = TableOptions.defaults().withAccess(Access.PUBLIC);

    @Test
    void aCountedValueReadsAsALongEverywhere(AttachedProcess me) {
        Table<String, Object> t = Ets.newTable("t");
        t.insert("c", 10L);
        assertThat(t.updateCounter("c", 5)).isEqualTo(15);
        assertThat(t.updateCounter("c", 5)).isEqualTo(20);
        assertThat(t.lookup("c")).containsExactly(20L);
        assertThat(t.lookupElement("c")).isEqualTo(20L);
        assertThat(t.tab2list()).containsExactly(entry("c", 20L));
        assertThat(t.<Object>foldl(null, (k, v, acc) -> v)).isEqualTo(20L);
        assertThat(t.select(Query.<String, Object>all().where((k, v) -> v.equals(20L)).map((k, v) -> v)))
                .containsExactly(20L);
        assertThat(t.select(Query.<String, Object>all(), 1).orElseThrow().results()).containsExactly(entry("c", 20L));
        assertThat(t.size()).isEqualTo(1);
    }

    @Test
    void writesThatReadTheValueSeeEveryIncrement(AttachedProcess me) {
        Table<String, Long> t = Ets.newTable("t");
        t.insert("c", 1L);
        t.updateCounter("c", 1);
        t.deleteObject("c", 1L);
        assertThat(t.lookup("c")).as("deleteObject of an old count").containsExactly(2L);
        t.deleteObject("c", 2L);
        assertThat(t.member("c")).isFalse();

        assertThat(t.updateCounter("c", 1, 40L)).isEqualTo(41);
        assertThat(t.updateElement("c", v -> v * 2)).isTrue();
        assertThat(t.lookup("c")).containsExactly(82L);
        assertThat(t.updateCounter("c", 1)).as("a counter again after updateElement").isEqualTo(83);
        assertThat(t.updateCounter("c", CounterOp.wrap(0, 20, 90, 0))).as("the general form").isEqualTo(0);
        assertThat(t.updateCounter("c", 7)).isEqualTo(7);
        assertThat(t.selectReplace(Query.<String, Long>all().where((k, v) -> v == 7).map((k, v) -> v + 100)))
                .isEqualTo(1);
        assertThat(t.updateCounter("c", 1)).isEqualTo(108);
        assertThat(t.take("c")).containsExactly(108L);
        assertThat(t.size()).isZero();
    }

    @Test
    void insertAndDeleteReplaceACounter(AttachedProcess me) {
        Table<String, Long> t = Ets.newTable("t");
        t.insert("c", 1L);
        t.updateCounter("c", 1);
        t.insert("c", 50L);
        assertThat(t.updateCounter("c", 1)).isEqualTo(51);
        t.delete("c");
        assertThatThrownBy(() -> t.updateCounter("c", 1)).isInstanceOf(BadArgException.class);
        t.insertAll(List.of(entry("c", 5L), entry("d", 6L)));
        assertThat(t.updateCounter("c", 1)).isEqualTo(6);
        t.deleteAllObjects();
        assertThat(t.size()).isZero();
        assertThat(t.updateCounter("c", 1, 0L)).isEqualTo(1);
    }

    @Test
    void theEdgesOfLongStayExact(AttachedProcess me) {
        Table<String, Long> t = Ets.newTable("t");
        t.insert("c", Long.MAX_VALUE - 1);
        assertThat(t.updateCounter("c", 1)).isEqualTo(Long.MAX_VALUE);
        assertThatThrownBy(() -> t.updateCounter("c", 1)).isInstanceOf(BadArgException.class)
                .hasMessageContaining("overflows");
        assertThat(t.lookup("c")).as("unchanged by the refused increment").containsExactly(Long.MAX_VALUE);
        t.insert("m", Long.MIN_VALUE + 2);
        assertThat(t.updateCounter("m", -1)).isEqualTo(Long.MIN_VALUE + 1);
        assertThat(t.updateCounter("m", -1)).isEqualTo(Long.MIN_VALUE);
        assertThat(t.lookup("m")).containsExactly(Long.MIN_VALUE);
        assertThatThrownBy(() -> t.updateCounter("m", -1)).isInstanceOf(BadArgException.class);
        assertThat(t.updateCounter("m", 3)).isEqualTo(Long.MIN_VALUE + 3);
        assertThat(t.updateCounter("m", -3)).isEqualTo(Long.MIN_VALUE);
    }

    /**
     * Four processes increment one key while a fifth, racing them, keeps writing the count with
     * writes that read it first: updateElement, the general form, selectReplace, and take
     * followed by adding what it took back. The final count is every increment: none was lost to
     * a racing writer.
     */
    @Test
    void incrementsRacingValueWritesAreNeverLost(AttachedProcess me) {
        Table<String, Long> t = Ets.newTable("t", PUBLIC.withWriteConcurrency(true));
        int writers = 4;
        int perWriter = 50_000;
        CyclicBarrier start = new CyclicBarrier(writers + 1);
        List<Spawned> ps = new ArrayList<>();
        for (int i = 0; i < writers; i++) {
            ps.add(Proc.spawnMonitor(() -> {
                await(start);
                for (int n = 0; n < perWriter; n++) {
                    t.updateCounter("c", 1, 0L); // the default: the key may be taken out just now
                }
            }));
        }
        ps.add(Proc.spawnMonitor(() -> {
            await(start);
            for (int n = 0; n < 20_000; n++) {
                switch (n % 4) {
                    case 0 -> t.updateElement("c", v -> v + 0);
                    case 1 -> t.updateCounter("c", CounterOp.add(0, 0), 0L);
                    case 2 -> {
                        List<Long> taken = t.take("c");
                        t.updateCounter("c", taken.isEmpty() ? 0 : taken.get(0), 0L);
                    }
                    default -> t.selectReplace(Query.<String, Long>all().map((k, v) -> v));
                }
            }
        }));
        for (Spawned s : ps) {
            Down d = Mailbox.await(m -> m instanceof Down x && x.ref() == s.ref() ? x : null, DEADLINE);
            assertThat(d.reason()).isEqualTo(Reason.NORMAL);
        }
        assertThat(t.lookup("c")).containsExactly((long) writers * perWriter);
    }

    private static void await(CyclicBarrier b) {
        try {
            b.await();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
