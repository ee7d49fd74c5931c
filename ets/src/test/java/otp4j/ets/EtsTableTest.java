package otp4j.ets;

import static java.util.Map.entry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static otp4j.ets.EtsTesting.DEADLINE;
import static otp4j.ets.EtsTesting.idle;
import static otp4j.ets.EtsTesting.inOther;
import static otp4j.ets.EtsTesting.owner;
import static otp4j.ets.EtsTesting.waitDead;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import otp4j.ets.EtsTesting.Owned;
import otp4j.ets.EtsTesting.Stop;
import otp4j.runtime.AttachedProcess;
import otp4j.runtime.Down;
import otp4j.runtime.Exit;
import otp4j.runtime.Node;
import otp4j.runtime.Pid;
import otp4j.runtime.Proc;
import otp4j.runtime.Reason;
import otp4j.testing.Mailbox;
import otp4j.testing.NodeExtension;

/** The table operations beyond the conformance corpus: bad input, ownership edge cases, queries, node close. */
@ExtendWith({NoTableLeftExtension.class, NodeExtension.class})
class EtsTableTest {

    private static final TableOptions PUBLIC = TableOptions.defaults().withAccess(Access.PUBLIC);

    private static TableOptions ordered() {
        return TableOptions.defaults().withType(TableType.ORDERED_SET);
    }

    @Test
    void aListWithOneKeyTwiceKeepsTheLastInASetAndListOrderInBags(AttachedProcess me) {
        Table<String, Integer> set = Ets.newTable("s");
        set.insertAll(List.of(entry("k", 1), entry("k", 2)));
        assertThat(set.lookup("k")).containsExactly(2);
        Table<String, Integer> bag = Ets.newTable("b", TableOptions.defaults().withType(TableType.BAG));
        bag.insertAll(List.of(entry("k", 1), entry("k", 2), entry("k", 3)));
        bag.insert("k", 4);
        assertThat(bag.lookup("k")).containsExactly(1, 2, 3, 4);
    }

    @Test
    void anArrayValueInASetIsOneObject(AttachedProcess me) {
        for (TableOptions options : List.of(TableOptions.defaults(), ordered())) {
            Table<String, String[]> t = Ets.newTable("arrays", options);
            t.insert("k", new String[] {"a", "b", "c"});
            assertThat(t.size()).isEqualTo(1);
            assertThat(t.select(Query.<String, String[]>all())).hasSize(1);
            assertThat(t.selectCount(Query.<String, String[]>all())).isEqualTo(1);
            assertThat(t.take("k")).hasSize(1);
            assertThat(t.size()).isZero();
            t.delete();
        }
    }

    @Test
    void nullKeysAndValuesAreRefusedNamingTheArgument(AttachedProcess me) {
        Table<String, String> t = Ets.newTable("t");
        assertThatNullPointerException().isThrownBy(() -> t.insert(null, "v")).withMessageContaining("key");
        assertThatNullPointerException().isThrownBy(() -> t.insert("k", null)).withMessageContaining("value");
        assertThatNullPointerException().isThrownBy(() -> t.lookup(null)).withMessageContaining("key");
    }

    @Test
    void anOrderedSetRefusesAKeyItCannotCompareAndWritesNothingOfAList(AttachedProcess me) {
        Table<Object, String> t = Ets.newTable("t", ordered());
        t.insert("a", "x");
        assertThatThrownBy(() -> t.insert(1, "x")).isInstanceOf(BadArgException.class)
                .hasMessageContaining("cannot be compared").hasMessageContaining("java.lang.Integer");
        assertThatThrownBy(() -> t.insertAll(List.of(entry("b", "x"), entry(2, "x"))))
                .isInstanceOf(BadArgException.class);
        assertThat(t.tab2list()).containsExactly(entry("a", "x"));
    }

    @Test
    void numbersOfEveryJdkTypeAreOneKeyByValue(AttachedProcess me) {
        Table<Number, String> t = Ets.newTable("t", ordered());
        t.insert(1, "int");
        t.insert(1L, "long");
        t.insert(BigInteger.ONE, "big");
        t.insert(2.5, "double");
        t.insert(9_007_199_254_740_993L, "2^53 + 1");
        t.insert(9_007_199_254_740_992.0, "2^53");
        assertThat(t.tab2list()).extracting(e -> e.getValue())
                .containsExactly("big", "double", "2^53", "2^53 + 1");
        assertThat(t.first()).contains(BigInteger.ONE); // the key last inserted is stored (ETS-002)
    }

    @Test
    void aComparatorOrdersTheKeysAndOnlyAnOrderedSetTakesOne(AttachedProcess me) {
        Table<String, Integer> t = Ets.newTable("t", ordered().withComparator(Comparator.<String>reverseOrder()));
        t.insertAll(List.of(entry("a", 1), entry("c", 3), entry("b", 2)));
        assertThat(t.first()).contains("c");
        assertThatThrownBy(() -> TableOptions.defaults().withComparator(Comparator.naturalOrder()))
                .isInstanceOf(BadArgException.class).hasMessageContaining("ORDERED_SET");
    }

    @Test
    void anOrderedSetRangeQueryVisitsOnlyTheRange(AttachedProcess me) {
        Table<Integer, Integer> t = Ets.newTable("t", ordered());
        IntStream.range(0, 10_000).forEach(k -> t.insert(k, k));
        AtomicInteger visited = new AtomicInteger();
        List<Integer> r = t.select(Query.<Integer, Integer>all().from(100, true).to(110, false)
                .where((k, v) -> visited.incrementAndGet() > 0).map((k, v) -> k));
        assertThat(r).containsExactlyElementsOf(IntStream.range(100, 110).boxed().toList());
        assertThat(visited).hasValue(10);
        assertThat(t.selectReverse(Query.<Integer, Integer>all().from(5, false).to(8, true).map((k, v) -> k)))
                .containsExactly(8, 7, 6);
        assertThat(t.select(Query.<Integer, Integer>all().from(8, true).to(5, true))).isEmpty();
    }

    @Test
    void aKeyRangeOnAHashTableFiltersByTheKeyOrder(AttachedProcess me) {
        Table<Integer, Integer> t = Ets.newTable("t");
        IntStream.range(0, 100).forEach(k -> t.insert(k, k));
        assertThat(t.select(Query.<Integer, Integer>all().from(10, false).to(13, true).map((k, v) -> k)))
                .containsExactlyInAnyOrder(11, 12, 13);
    }

    @Test
    void chunksOfABagSplitAKeysValuesAndEndEmpty(AttachedProcess me) {
        Table<String, Integer> t = Ets.newTable("t", TableOptions.defaults().withType(TableType.DUPLICATE_BAG));
        for (int i = 0; i < 5; i++) {
            t.insert("k", i);
        }
        List<Integer> all = new ArrayList<>();
        var c = t.select(Query.<String, Integer>all().map((k, v) -> v), 2);
        while (c.isPresent()) {
            assertThat(c.get().results()).hasSizeLessThanOrEqualTo(2);
            all.addAll(c.get().results());
            assertThat(c.get().next()).isSameAs(c.get().next()); // a continuation may be reused
            c = c.get().next();
        }
        assertThat(all).containsExactly(0, 1, 2, 3, 4);
        assertThatThrownBy(() -> t.select(Query.all(), 0)).isInstanceOf(BadArgException.class);
    }

    @Test
    void aContinuationOfADeletedTableFails(AttachedProcess me) {
        Table<Integer, Integer> t = Ets.newTable("t");
        IntStream.range(0, 10).forEach(k -> t.insert(k, k));
        Chunk<?> c = t.select(Query.all(), 3).orElseThrow();
        t.delete();
        assertThatThrownBy(c::next).isInstanceOf(NoSuchTableException.class);
    }

    @Test
    void selectReplaceChangesValuesOfMatchesOnly(AttachedProcess me) {
        Table<String, Integer> t = Ets.newTable("t", ordered());
        t.insertAll(List.of(entry("a", 1), entry("b", 2), entry("c", 3)));
        assertThat(t.selectReplace(Query.<String, Integer>all().where((k, v) -> v >= 2).map((k, v) -> v * 10)))
                .isEqualTo(2);
        assertThat(t.tab2list()).containsExactly(entry("a", 1), entry("b", 20), entry("c", 30));
    }

    /**
     * As OTP 25's ets:select_replace on a duplicate_bag: {a,1},{a,2},{a,3},{b,1},{a,1} with
     * {{a,'$1'},[{'<','$1',3}],[{{a,{'+','$1',10}}}]} replaces 3 objects, giving a's values
     * [11,12,3,11] in place; then 11 -> 3 replaces 2, giving [3,12,3,3].
     */
    @Test
    void selectReplaceOnADuplicateBagReplacesEachMatchingValueInPlace(AttachedProcess me) {
        Table<String, Integer> t = Ets.newTable("t", TableOptions.defaults().withType(TableType.DUPLICATE_BAG));
        t.insertAll(List.of(entry("a", 1), entry("a", 2), entry("a", 3), entry("b", 1), entry("a", 1)));
        long before = t.info().orElseThrow().memory();
        assertThat(t.selectReplace(Query.<String, Integer>all().key("a").where((k, v) -> v < 3).map((k, v) -> v + 10)))
                .isEqualTo(3);
        assertThat(t.lookup("a")).containsExactly(11, 12, 3, 11);
        assertThat(t.lookup("b")).containsExactly(1);
        assertThat(t.selectReplace(Query.<String, Integer>all().where((k, v) -> v == 11).map((k, v) -> 3)))
                .isEqualTo(2);
        assertThat(t.lookup("a")).containsExactly(3, 12, 3, 3);
        assertThat(t.selectReplace(Query.<String, Integer>all().map((k, v) -> 0))).isEqualTo(5);
        assertThat(t.lookup("a")).containsExactly(0, 0, 0, 0);
        assertThat(t.lookup("b")).containsExactly(0);
        assertThat(t.size()).isEqualTo(5);
        assertThat(t.info().orElseThrow().memory()).as("small Integers are shared, as before").isEqualTo(before);
        assertThat(t.selectReplace(Query.<String, Integer>all().where((k, v) -> v > 0).map((k, v) -> 1))).isZero();
    }

    @Test
    void selectReplaceOnADuplicateBagHonoursAKeyRange(AttachedProcess me) {
        Table<String, Integer> t = Ets.newTable("t", TableOptions.defaults().withType(TableType.DUPLICATE_BAG));
        t.insertAll(List.of(entry("a", 1), entry("b", 1), entry("b", 1), entry("c", 1)));
        assertThat(t.selectReplace(Query.<String, Integer>all().from("b", true).to("c", false).map((k, v) -> 2)))
                .isEqualTo(2);
        assertThat(t.lookup("a")).containsExactly(1);
        assertThat(t.lookup("b")).containsExactly(2, 2);
        assertThat(t.lookup("c")).containsExactly(1);
    }

    /** As OTP 25: ets:select_replace on a bag is badarg (cause table_type), and changes nothing. */
    @Test
    void selectReplaceOnABagIsRefusedAsInEts(AttachedProcess me) {
        Table<String, Integer> bag = Ets.newTable("b", TableOptions.defaults().withType(TableType.BAG));
        bag.insert("a", 1);
        assertThatThrownBy(() -> bag.selectReplace(Query.<String, Integer>all().map((k, v) -> v + 1)))
                .isInstanceOf(BadArgException.class).hasMessageContaining("DUPLICATE_BAG")
                .hasMessageContaining("is a BAG");
        assertThat(bag.lookup("a")).containsExactly(1);
    }

    @Test
    void foldrGoesDownAnOrderedSet(AttachedProcess me) {
        Table<Integer, String> t = Ets.newTable("t", ordered());
        IntStream.rangeClosed(1, 3).forEach(k -> t.insert(k, "x"));
        assertThat(t.foldr(new ArrayList<Integer>(), (k, v, acc) -> {
            acc.add(k);
            return acc;
        })).containsExactly(3, 2, 1);
    }

    @Test
    void deleteObjectRemovesOnlyThatObject(AttachedProcess me) {
        Table<String, Integer> set = Ets.newTable("s");
        set.insert("k", 1);
        set.deleteObject("k", 2);
        assertThat(set.lookup("k")).containsExactly(1);
        set.deleteObject("k", 1);
        assertThat(set.member("k")).isFalse();
        Table<String, Integer> dup = Ets.newTable("d", TableOptions.defaults().withType(TableType.DUPLICATE_BAG));
        dup.insertAll(List.of(entry("k", 1), entry("k", 2), entry("k", 1)));
        dup.deleteObject("k", 1);
        assertThat(dup.lookup("k")).containsExactly(2);
        assertThat(dup.size()).isEqualTo(1);
    }

    @Test
    void countersRefuseOverflowAndMismatchedIndexes(AttachedProcess me) {
        Table<String, Long> t = Ets.newTable("t");
        t.insert("c", Long.MAX_VALUE);
        assertThatThrownBy(() -> t.updateCounter("c", 1)).isInstanceOf(BadArgException.class)
                .hasMessageContaining("overflows");
        assertThatThrownBy(() -> t.updateCounter("c", CounterOp.add(1, 1))).isInstanceOf(BadArgException.class)
                .hasMessageContaining("single Long");
        assertThat(t.updateCounter("c", CounterOp.wrap(0, -10, 0, 5))).isEqualTo(Long.MAX_VALUE - 10);
        t.insert("d", 3L);
        assertThat(t.updateCounter("d", CounterOp.wrap(0, -10, 0, 5))).isEqualTo(5); // below 0: set to 5
    }

    @Test
    void updateElementKeepsTheStoredKeyOfAnOrderedSet(AttachedProcess me) {
        Table<Number, String> t = Ets.newTable("t", ordered());
        t.insert(1.0, "a");
        assertThat(t.updateElement(1, v -> v + "b")).isTrue();
        assertThat(t.tab2list()).containsExactly(entry(1.0, "ab"));
    }

    @Test
    void renameMovesTheName(AttachedProcess me) {
        Table<String, String> t = Ets.newTable("old", TableOptions.defaults().named());
        Ets.newTable("taken", TableOptions.defaults().named());
        assertThatThrownBy(() -> t.rename("taken")).isInstanceOf(BadArgException.class).hasMessageContaining("taken");
        t.rename("new");
        assertThat(Ets.whereis("old")).isEmpty();
        assertThat(Ets.<String, String>whereis("new")).containsSame(t);
        assertThat(t.name()).isEqualTo("new");
    }

    @Test
    void aThreadThatIsNotAProcessReadsProtectedWritesPublicAndCannotCreate(Node node) throws Exception {
        CompletableFuture<Pid> made = new CompletableFuture<>();
        node.spawn(() -> {
            Table<String, String> prot = Ets.newTable("prot", TableOptions.defaults().named());
            prot.insert("k", "v");
            Ets.newTable("pub", PUBLIC.named());
            Ets.newTable("priv", TableOptions.defaults().withAccess(Access.PRIVATE).named());
            made.complete(Proc.self());
            Proc.receive(m -> m instanceof Stop ? m : null);
        });
        Pid p = made.get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
        Table<String, String> prot = Ets.<String, String>whereis(node, "prot").orElseThrow();
        Table<String, String> pub = Ets.<String, String>whereis(node, "pub").orElseThrow();
        Table<String, String> priv = Ets.<String, String>whereis(node, "priv").orElseThrow();
        assertThat(prot.lookup("k")).containsExactly("v");
        assertThatThrownBy(() -> prot.insert("k", "x")).isInstanceOf(TableAccessException.class)
                .hasMessageContaining("not a process");
        pub.insert("k", "x");
        assertThat(pub.lookup("k")).containsExactly("x");
        assertThatThrownBy(() -> priv.lookup("k")).isInstanceOf(TableAccessException.class);
        assertThatThrownBy(() -> Ets.newTable("t")).isInstanceOf(IllegalCallerException.class)
                .hasMessageContaining("node.attach()");
        assertThat(Ets.all(node)).extracting(TableInfo::name).containsExactlyInAnyOrder("prot", "pub", "priv");
        assertThat(Ets.all(node)).allSatisfy(i -> assertThat(i.owner()).isEqualTo(p));
    }

    @Test
    void closingTheNodeDeletesEveryTableIncludingInheritedOnes() {
        Node node = Node.start();
        Table<?, ?> a;
        Table<?, ?> inherited;
        try (AttachedProcess me = node.attach()) {
            Pid heir = idle();
            Owned<String, String> o = owner(PUBLIC.withHeir(heir, "d").named(), t -> t);
            a = Ets.newTable("mine", PUBLIC);
            assertThat(a.info().orElseThrow().owner()).isEqualTo(me.pid());
            inherited = o.table();
            Proc.exit(o.pid(), Reason.KILL);
            waitDead(o.pid());
            assertThat(inherited.info().orElseThrow().owner()).isEqualTo(heir);
        }
        assertThat(a.info()).as("deleted when the attached owner closed").isEmpty();
        node.close();
        assertThat(inherited.info()).isEmpty();
        assertThat(Ets.all(node)).isEmpty();
    }

    @Test
    void anHeirThatDiesTakesTheInheritedTableWithIt(AttachedProcess me) {
        Pid heir = Proc.spawn(() -> Proc.receive(m -> m instanceof EtsTransfer ? m : null));
        Owned<String, String> o = owner(PUBLIC.withHeir(heir, "d"), t -> t);
        Proc.monitor(heir);
        Proc.send(o.pid(), new Stop());
        // The heir ends on its EtsTransfer: the table, now its own, dies with it.
        Down d = Mailbox.await(m -> m instanceof Down x && x.target().equals(heir) ? x : null, DEADLINE);
        assertThat(d.reason()).isEqualTo(Reason.NORMAL);
        assertThat(o.table().info()).isEmpty();
    }

    @Test
    void theHeirsTransferComesBeforeTheOwnersExit(AttachedProcess me) {
        Proc.trapExit(true);
        Owned<String, String> o = owner(PUBLIC.withHeir(me.pid(), "d"), t -> t);
        Proc.link(o.pid());
        Proc.exit(o.pid(), Reason.KILL);
        Object first = Mailbox.await(m -> m instanceof EtsTransfer || m instanceof Exit ? m : null, DEADLINE);
        assertThat(first).isInstanceOf(EtsTransfer.class);
        assertThat(Mailbox.await(m -> m instanceof Exit e ? e : null, DEADLINE).reason()).isEqualTo(Reason.KILLED);
    }

    @Test
    void giveAwayThenTheHeirStillInheritsFromTheNewOwner(AttachedProcess me) {
        Pid keeper = Proc.spawn(() -> Proc.receive(m -> m instanceof Stop ? m : null));
        Table<String, String> t = Ets.newTable("t", PUBLIC.withHeir(me.pid(), "back"));
        t.giveAway(keeper, "gift");
        Proc.send(keeper, new Stop());
        EtsTransfer back = Mailbox.await(m -> m instanceof EtsTransfer x ? x : null, DEADLINE);
        assertThat(back).isEqualTo(new EtsTransfer(t, keeper, "back"));
        assertThat(t.info().orElseThrow().owner()).isEqualTo(me.pid());
        assertThat(t.info().orElseThrow().heir()).as("the heir is used once").isEmpty();
    }

    @Test
    void onlyTheOwnerChangesTheHeirOrGivesAway(AttachedProcess me) {
        Table<String, String> t = Ets.newTable("t", PUBLIC);
        assertThat(inOther(() -> {
            t.setHeir(me.pid(), "x");
            return true;
        }).raised()).isInstanceOf(TableAccessException.class).hasMessageContaining("only the owner");
    }
}
