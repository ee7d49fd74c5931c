package otp4j.ets;

import static java.util.Map.entry;
import static org.assertj.core.api.Assertions.assertThat;
import static otp4j.ets.EtsTesting.DEADLINE;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import otp4j.runtime.AttachedProcess;
import otp4j.runtime.Down;
import otp4j.runtime.Proc;
import otp4j.runtime.Reason;
import otp4j.runtime.Spawned;
import otp4j.testing.Mailbox;
import otp4j.testing.NodeExtension;

/** The read_concurrency and write_concurrency options: accepted, reported, and write_concurrency's stripes. */
@ExtendWith({NoTableLeftExtension.class, NodeExtension.class})
class EtsConcurrencyOptionsTest {

    @Test
    void theOptionsAreOffByDefaultAndShownInInfo(AttachedProcess me) {
        TableInfo plain = Ets.newTable("plain").info().orElseThrow();
        assertThat(plain.readConcurrency()).isFalse();
        assertThat(plain.writeConcurrency()).isEqualTo(WriteConcurrency.OFF);
        TableInfo both = Ets.newTable("both", TableOptions.defaults().withReadConcurrency(true)
                .withWriteConcurrency(WriteConcurrency.AUTO)).info().orElseThrow();
        assertThat(both.readConcurrency()).isTrue();
        assertThat(both.writeConcurrency()).isEqualTo(WriteConcurrency.AUTO);
        assertThat(TableOptions.defaults().withWriteConcurrency(true).writeConcurrency()).isEqualTo(WriteConcurrency.ON);
        assertThat(TableOptions.defaults().withWriteConcurrency(true).withWriteConcurrency(false).writeConcurrency())
                .isEqualTo(WriteConcurrency.OFF);
    }

    @Test
    void theOtherOptionsSurviveTheConcurrencyOnes() {
        TableOptions o = TableOptions.defaults().withType(TableType.ORDERED_SET).withAccess(Access.PUBLIC).named()
                .withComparator(Comparator.reverseOrder())
                .withReadConcurrency(true).withWriteConcurrency(true).withType(TableType.ORDERED_SET);
        assertThat(o.type()).isEqualTo(TableType.ORDERED_SET);
        assertThat(o.access()).isEqualTo(Access.PUBLIC);
        assertThat(o.namedTable()).isTrue();
        assertThat(o.comparator()).isPresent();
        assertThat(o.readConcurrency()).isTrue();
        assertThat(o.writeConcurrency()).isEqualTo(WriteConcurrency.ON);
    }

    @Test
    void stripeCountsAreOneSixtyFourAndAPowerOfTwoFromTheMachine() {
        assertThat(WriteConcurrency.OFF.stripes()).isEqualTo(1);
        assertThat(WriteConcurrency.ON.stripes()).isEqualTo(64);
        int auto = WriteConcurrency.AUTO.stripes();
        assertThat(Integer.bitCount(auto)).isEqualTo(1);
        assertThat(auto).isBetween(Math.min(64, 4 * Runtime.getRuntime().availableProcessors()), 64);
    }

    /**
     * With many stripes, single-key writers from many processes take different stripes, and a
     * multi-object write must still exclude them all: deleteAllObjects resets the size counter,
     * which is exact only if no single-key write runs meanwhile, and insertNewAll must insert a
     * pair whole or not at all.
     */
    @Test
    void aMultiObjectWriteExcludesSingleKeyWritersOnEveryStripe(AttachedProcess me) {
        for (WriteConcurrency w : WriteConcurrency.values()) {
            Table<String, String> t = Ets.newTable("t", TableOptions.defaults().withAccess(Access.PUBLIC)
                    .withWriteConcurrency(w));
            int writers = 8;
            int rounds = 2_000;
            List<Spawned> ps = new ArrayList<>();
            for (int p = 0; p < writers; p++) {
                int id = p;
                ps.add(Proc.spawnMonitor(() -> {
                    for (int i = 0; i < rounds; i++) {
                        t.insert("w" + id + "-" + i, "single");
                        t.insertNew("y" + i, "single");
                    }
                }));
            }
            ps.add(Proc.spawnMonitor(() -> {
                for (int i = 0; i < rounds; i++) {
                    t.insertNewAll(List.of(entry("x" + i, "list"), entry("y" + i, "list")));
                    if (i % 100 == 0) {
                        t.deleteAllObjects();
                    }
                }
            }));
            for (Spawned s : ps) {
                Down d = Mailbox.await(m -> m instanceof Down x && x.ref() == s.ref() ? x : null, DEADLINE);
                assertThat(d.reason()).as("%s worker %s", w, s.pid()).isEqualTo(Reason.NORMAL);
            }
            assertThat(t.size()).as("%s size", w).isEqualTo(t.tab2list().size());
            for (int i = 0; i < rounds; i++) {
                if (!t.lookup("x" + i).isEmpty()) {
                    // The pair went in whole; a deleteAllObjects may have removed it since, but not half of it.
                    assertThat(t.lookup("y" + i)).as("%s y%d", w, i).containsExactly("list");
                }
            }
            t.delete();
        }
    }
}
