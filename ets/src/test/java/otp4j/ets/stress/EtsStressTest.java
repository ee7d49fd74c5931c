package otp4j.ets.stress;

import static java.util.Map.entry;
import static org.assertj.core.api.Assertions.assertThat;
import static otp4j.ets.EtsTesting.DEADLINE;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import otp4j.ets.Access;
import otp4j.ets.Chunk;
import otp4j.ets.Ets;
import otp4j.ets.EtsTransfer;
import otp4j.ets.NoTableLeftExtension;
import otp4j.ets.Query;
import otp4j.ets.Table;
import otp4j.ets.TableOptions;
import otp4j.ets.TableType;
import otp4j.runtime.AttachedProcess;
import otp4j.runtime.Down;
import otp4j.runtime.Pid;
import otp4j.runtime.Proc;
import otp4j.runtime.Reason;
import otp4j.runtime.Spawned;
import otp4j.testing.Mailbox;
import otp4j.testing.NodeExtension;

/**
 * Many processes on shared tables, and owners dying in a storm: nothing lost, nothing leaked.
 * Seconds at the default size; {@code -Dotp4j.stress.scale=N} makes it N times bigger.
 */
@Tag("stress")
@ExtendWith({NoTableLeftExtension.class, NodeExtension.class})
class EtsStressTest {
    private static final double SCALE = Double.parseDouble(System.getProperty("otp4j.stress.scale", "1"));

    private static int scaled(int n) {
        return (int) Math.max(1, n * SCALE);
    }

    private static final TableOptions PUBLIC = TableOptions.defaults().withAccess(Access.PUBLIC);

    private static void awaitNormal(List<Spawned> ps) {
        for (Spawned s : ps) {
            Down d = Mailbox.await(m -> m instanceof Down x && x.ref() == s.ref() ? x : null, DEADLINE);
            assertThat(d.reason()).as("worker %s", s.pid()).isEqualTo(Reason.NORMAL);
        }
    }

    @Test
    void writersAndReadersOnEveryTypeLoseNothing(AttachedProcess me) {
        int workers = 16;
        int perWorker = 2 * scaled(500);
        for (TableType type : TableType.values()) {
            Table<Integer, Long> t = Ets.newTable("t", PUBLIC.withType(type));
            Table<String, Long> counters = Ets.newTable("c", PUBLIC);
            counters.insert("hits", 0L);
            List<Spawned> ps = new ArrayList<>();
            for (int w = 0; w < workers; w++) {
                int base = w * perWorker;
                ps.add(Proc.spawnMonitor(() -> {
                    for (int i = 0; i < perWorker; i += 2) {
                        // Half as pairs (atomic list inserts), half singly; every key read back at once.
                        t.insertAll(List.of(entry(base + i, (long) i), entry(base + i + 1, (long) i)));
                        assertThat(t.lookup(base + i)).contains((long) i);
                        assertThat(t.member(base + i + 1)).isTrue();
                        counters.updateCounter("hits", 2);
                        if (i % 256 == 0) {
                            t.foldl(0, (k, v, n) -> n + 1); // traversals run alongside the writes
                        }
                    }
                }));
            }
            awaitNormal(ps);
            assertThat(t.size()).as(type.name()).isEqualTo((long) workers * perWorker);
            assertThat(t.tab2list()).hasSize(workers * perWorker);
            assertThat(counters.lookup("hits")).containsExactly((long) workers * perWorker);
            t.delete();
            counters.delete();
        }
    }

    @Test
    void listInsertNewIsAllOrNothingAgainstRacingSingleInserts(AttachedProcess me) {
        int keys = scaled(5_000);
        Table<String, String> t = Ets.newTable("t", PUBLIC);
        Spawned lists = Proc.spawnMonitor(() -> {
            for (int i = 0; i < keys; i++) {
                t.insertNewAll(List.of(entry("x" + i, "list"), entry("y" + i, "list")));
            }
        });
        Spawned singles = Proc.spawnMonitor(() -> {
            for (int i = 0; i < keys; i++) {
                t.insertNew("y" + i, "single");
            }
        });
        awaitNormal(List.of(lists, singles));
        for (int i = 0; i < keys; i++) {
            List<String> x = t.lookup("x" + i);
            List<String> y = t.lookup("y" + i);
            // Either the pair went in whole, or the single came first and the pair not at all.
            if (x.isEmpty()) {
                assertThat(y).as("y%d", i).containsExactly("single");
            } else {
                assertThat(x).containsExactly("list");
                assertThat(y).as("y%d", i).containsExactly("list");
            }
        }
    }

    @Test
    void aChunkedWalkSeesEveryStableKeyOnceWhileOthersWrite(AttachedProcess me) {
        int stable = scaled(20_000);
        for (TableType type : List.of(TableType.SET, TableType.ORDERED_SET)) {
            Table<Integer, Integer> t = Ets.newTable("t", PUBLIC.withType(type));
            for (int k = 0; k < stable; k++) {
                t.insert(2 * k, k); // even keys stay for the whole walk
            }
            Spawned churn = Proc.spawnMonitor(() -> {
                for (int round = 0; round < 3; round++) {
                    for (int k = 0; k < stable; k++) {
                        t.insert(2 * k + 1, k); // odd keys come and go
                        t.delete(2 * k - 1 < 0 ? 1 : 2 * k - 1);
                    }
                }
            });
            Set<Integer> seen = new HashSet<>();
            Query<Integer, Integer, Integer> keys = Query.<Integer, Integer>all().map((k, v) -> k);
            for (Optional<Chunk<Integer>> c = t.select(keys, 100); c.isPresent(); c = c.get().next()) {
                for (int k : c.get().results()) {
                    assertThat(seen.add(k)).as("key %d seen twice (%s)", k, type).isTrue();
                }
            }
            awaitNormal(List.of(churn));
            List<Integer> missed = new ArrayList<>();
            for (int k = 0; k < stable; k++) {
                if (!seen.contains(2 * k)) {
                    missed.add(2 * k);
                }
            }
            assertThat(missed).as("stable keys the walk missed (%s)", type).isEmpty();
            t.delete();
        }
    }

    @Test
    void ownersDyingInAStormHandEveryTableToALiveHeirOrDeleteIt(AttachedProcess me) {
        int owners = scaled(200);
        int tablesEach = 5;
        List<Pid> heirs = new ArrayList<>();
        List<Spawned> heirProcs = new ArrayList<>();
        for (int h = 0; h < 8; h++) {
            // Each heir reports every transfer to the test, then waits to be killed.
            Spawned s = Proc.spawnMonitor(() -> {
                for (;;) {
                    EtsTransfer x = Proc.receive(m -> m instanceof EtsTransfer e ? e : null);
                    Proc.send(me.pid(), x);
                }
            });
            heirProcs.add(s);
            heirs.add(s.pid());
        }
        Map<Long, Pid> heirOf = new HashMap<>();
        List<Pid> ownerPids = new ArrayList<>();
        for (int o = 0; o < owners; o++) {
            Pid heir = o % 4 == 0 ? null : heirs.get(o % heirs.size()); // every 4th owner has no heir
            Pid p = Proc.spawn(() -> {
                for (int i = 0; i < tablesEach; i++) {
                    TableOptions opts = heir == null ? PUBLIC : PUBLIC.withHeir(heir, "from owner");
                    Table<Integer, Integer> t = Ets.newTable("t", opts);
                    t.insert(i, i);
                    Proc.send(me.pid(), List.of(t, heir == null ? Proc.self() : heir));
                }
                Proc.receive(m -> null);
            });
            ownerPids.add(p);
        }
        List<Table<?, ?>> tables = new ArrayList<>();
        for (int i = 0; i < owners * tablesEach; i++) {
            List<?> made = Mailbox.await(m -> m instanceof List<?> l && l.get(0) instanceof Table<?, ?> ? l : null,
                    DEADLINE);
            Table<?, ?> t = (Table<?, ?>) made.get(0);
            tables.add(t);
            heirOf.put(t.id(), heirs.contains(made.get(1)) ? (Pid) made.get(1) : null);
        }
        // Kill the owners from several processes at once.
        List<Spawned> killers = new ArrayList<>();
        for (int k = 0; k < 4; k++) {
            int from = k;
            killers.add(Proc.spawnMonitor(() -> {
                for (int i = from; i < ownerPids.size(); i += 4) {
                    Proc.exit(ownerPids.get(i), Reason.KILL);
                }
            }));
        }
        awaitNormal(killers);
        int inherited = 0;
        for (Table<?, ?> t : tables) {
            Pid heir = heirOf.get(t.id());
            if (heir == null) {
                assertThat(t.info()).as("table without heir").isEmpty();
            } else {
                assertThat(t.info().orElseThrow().owner()).isEqualTo(heir);
                assertThat(t.info().orElseThrow().size()).isEqualTo(1);
                inherited++;
            }
        }
        Set<Long> transferred = new HashSet<>();
        for (int i = 0; i < inherited; i++) {
            EtsTransfer x = Mailbox.await(m -> m instanceof EtsTransfer e ? e : null, DEADLINE);
            assertThat(transferred.add(x.table().id())).as("one transfer per table").isTrue();
            assertThat(x.table().info().orElseThrow().owner()).isEqualTo(heirOf.get(x.table().id()));
        }
        for (Spawned h : heirProcs) {
            Proc.exit(h.pid(), Reason.KILL);
            Mailbox.await(m -> m instanceof Down d && d.ref() == h.ref() ? d : null, DEADLINE);
        }
        assertThat(tables).allSatisfy(t -> assertThat(t.info()).isEmpty());
        assertThat(Ets.all(Proc.node())).isEmpty();
    }
}
