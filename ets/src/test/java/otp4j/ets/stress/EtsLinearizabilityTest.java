package otp4j.ets.stress;

import static org.assertj.core.api.Assertions.assertThat;
import static otp4j.ets.EtsTesting.DEADLINE;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.function.Function;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import otp4j.ets.Access;
import otp4j.ets.BadArgException;
import otp4j.ets.Ets;
import otp4j.ets.NoTableLeftExtension;
import otp4j.ets.Table;
import otp4j.ets.TableOptions;
import otp4j.ets.TableType;
import otp4j.ets.stress.LinearizabilityChecker.Kind;
import otp4j.ets.stress.LinearizabilityChecker.Op;
import otp4j.runtime.AttachedProcess;
import otp4j.runtime.Down;
import otp4j.runtime.Proc;
import otp4j.runtime.Reason;
import otp4j.runtime.Ref;
import otp4j.runtime.Spawned;
import otp4j.testing.Mailbox;
import otp4j.testing.NodeExtension;

/**
 * Single-key operations from several processes at once are linearizable. Four processes run 500
 * rounds each; in a round, each runs 50 random operations (insert, insertNew, lookup, take,
 * delete, deleteObject, updateElement, updateCounter with and without a default) on the round's four keys of a shared table,
 * recording when each call was invoked and when it returned. {@link LinearizabilityChecker} then
 * looks, key by key (about 50 operations each), for a sequential order that respects real time
 * and explains every result. 100,000 operations per table.
 *
 * <p>The operations are random but seeded ({@code -Dotp4j.lin.seed=N}; a failure names its seed
 * and shows the key's whole history); only their interleaving varies from run to run, and any
 * interleaving must pass. The node has one carrier per process, so that the four run at once
 * rather than queue behind one another on a carrier, and they meet at the start of each round.
 * A table wrapper whose lookups come from a stale cache shows that the check does fail.
 */
@Tag("stress")
@NodeExtension.Config(carriers = 4)
@ExtendWith({NoTableLeftExtension.class, NodeExtension.class})
class EtsLinearizabilityTest {
    private static final long SEED = Long.getLong("otp4j.lin.seed", 20_240_611L);
    private static final int PROCESSES = 4;
    private static final int KEYS = 4;
    private static final int OPS_PER_ROUND = 50;
    private static final int ROUNDS = 500;

    private static final TableOptions PUBLIC = TableOptions.defaults().withAccess(Access.PUBLIC);

    /** The operations under test; by default straight to the table. */
    private interface Subject {
        Table<Long, Long> table();

        default void insert(Long k, long v) {
            table().insert(k, v);
        }

        default boolean insertNew(Long k, long v) {
            return table().insertNew(k, v);
        }

        default List<Long> lookup(Long k) {
            return table().lookup(k);
        }

        default List<Long> take(Long k) {
            return table().take(k);
        }

        default void delete(Long k) {
            table().delete(k);
        }

        default long updateCounter(Long k, long incr) {
            return table().updateCounter(k, incr);
        }

        default long updateCounter(Long k, long incr, long initial) {
            return table().updateCounter(k, incr, initial);
        }

        default void deleteObject(Long k, long v) {
            table().deleteObject(k, v);
        }

        default boolean updateElement(Long k, long arg) {
            return table().updateElement(k, v -> Op.updated(v, arg));
        }
    }

    /** A broken table: a lookup returns what the first lookup of its key found, whatever was written since. */
    private static Subject staleLookups(Table<Long, Long> t) {
        ConcurrentHashMap<Long, List<Long>> cache = new ConcurrentHashMap<>();
        return new Subject() {
            @Override
            public Table<Long, Long> table() {
                return t;
            }

            @Override
            public List<Long> lookup(Long k) {
                return cache.computeIfAbsent(k, t::lookup);
            }
        };
    }

    private record Recorded(Ref run, List<Op> ops) {}

    /**
     * How long a process that starts a round waits for the others before it goes on alone. The
     * wait only makes the operations of a round overlap more; it does not change what is checked.
     */
    private static final long RENDEZVOUS_NANOS = 100_000;

    /** One process's operations: in round r, {@code OPS_PER_ROUND} on keys {@code r * KEYS} to {@code r * KEYS + 3}. */
    private static List<Op> work(int process, Subject s, AtomicIntegerArray arrived, SplittableRandom rnd) {
        List<Op> ops = new ArrayList<>(ROUNDS * OPS_PER_ROUND);
        for (int round = 0; round < ROUNDS; round++) {
            // Meet the others at the start of the round: a bounded spin, not a barrier (nobody is
            // ever stuck), yielding so that processes that share a carrier get there too.
            arrived.incrementAndGet(round);
            long since = System.nanoTime();
            while (arrived.get(round) < PROCESSES && System.nanoTime() - since < RENDEZVOUS_NANOS) {
                Thread.yield();
            }
            long base = (long) round * KEYS;
            for (int i = 0; i < OPS_PER_ROUND; i++) {
                ops.add(step(process, s, base + rnd.nextInt(KEYS), rnd));
            }
        }
        return ops;
    }

    /** Runs one random operation on key {@code k}; {@return it, with its result and times} */
    private static Op step(int process, Subject s, Long k, SplittableRandom rnd) {
        int dice = rnd.nextInt(100);
        long v = rnd.nextLong(100);
        long incr = 1 + rnd.nextLong(5);
        Kind kind;
        long arg = 0;
        long initial = 0;
        Object result;
        long invoked = System.nanoTime();
        if (dice < 15) {
            kind = Kind.INSERT;
            arg = v;
            s.insert(k, v);
            result = null;
        } else if (dice < 25) {
            kind = Kind.INSERT_NEW;
            arg = v;
            result = s.insertNew(k, v);
        } else if (dice < 45) {
            kind = Kind.LOOKUP;
            result = s.lookup(k);
        } else if (dice < 53) {
            kind = Kind.TAKE;
            result = s.take(k);
        } else if (dice < 58) {
            kind = Kind.DELETE;
            s.delete(k);
            result = null;
        } else if (dice < 64) {
            kind = Kind.DELETE_OBJECT;
            arg = v;
            s.deleteObject(k, arg);
            result = null;
        } else if (dice < 70) {
            kind = Kind.UPDATE_ELEMENT;
            arg = incr;
            result = s.updateElement(k, incr);
        } else if (dice < 90) {
            kind = Kind.UPDATE_COUNTER;
            arg = incr;
            Object r;
            try {
                r = s.updateCounter(k, incr);
            } catch (BadArgException e) { // the key is missing
                r = LinearizabilityChecker.BADARG;
            }
            result = r;
        } else {
            kind = Kind.UPDATE_COUNTER_OR_INSERT;
            arg = incr;
            initial = v;
            result = s.updateCounter(k, incr, v);
        }
        long responded = System.nanoTime();
        return new Op(process, k, kind, arg, initial, result, invoked, responded);
    }

    /**
     * Runs the processes on a fresh table made with {@code options}, through {@code subjectOf};
     * {@return the first key whose history is not linearizable, described, or empty if none}
     */
    private static Optional<String> run(AttachedProcess me, TableOptions options,
            Function<Table<Long, Long>, Subject> subjectOf) {
        Table<Long, Long> t = Ets.newTable("lin", options);
        try {
            Subject subject = subjectOf.apply(t);
            SplittableRandom seeds = new SplittableRandom(SEED);
            AtomicIntegerArray arrived = new AtomicIntegerArray(ROUNDS);
            Ref tag = Proc.makeRef();
            List<Spawned> ps = new ArrayList<>();
            for (int p = 0; p < PROCESSES; p++) {
                int process = p;
                SplittableRandom rnd = seeds.split();
                ps.add(Proc.spawnMonitor(
                        () -> Proc.send(me.pid(), new Recorded(tag, work(process, subject, arrived, rnd)))));
            }
            List<Op> history = new ArrayList<>();
            for (Spawned s : ps) {
                Down d = Mailbox.await(m -> m instanceof Down x && x.ref() == s.ref() ? x : null, DEADLINE);
                assertThat(d.reason()).as("process %s (seed %d)", s.pid(), SEED).isEqualTo(Reason.NORMAL);
            }
            for (int p = 0; p < PROCESSES; p++) { // each sent its history before it ended: all here
                history.addAll(
                        Mailbox.await(m -> m instanceof Recorded r && r.run() == tag ? r.ops() : null, DEADLINE));
            }
            return LinearizabilityChecker.check(history).map(v -> String.format(
                    "%s, seed %d (rerun with -Dotp4j.lin.seed=%d), round %d: %s",
                    options, SEED, SEED, (Long) v.key() / KEYS, v));
        } finally {
            t.delete();
        }
    }

    private static void assertLinearizable(AttachedProcess me, TableOptions options) {
        Optional<String> bad = run(me, options, t -> () -> t);
        assertThat(bad).as("%s, seed %d", options, SEED).isEmpty();
    }

    @Test
    void set(AttachedProcess me) {
        assertLinearizable(me, PUBLIC);
    }

    @Test
    void orderedSet(AttachedProcess me) {
        assertLinearizable(me, PUBLIC.withType(TableType.ORDERED_SET));
    }

    @Test
    void setWithWriteConcurrency(AttachedProcess me) {
        assertLinearizable(me, PUBLIC.withWriteConcurrency(true));
    }

    @Test
    void orderedSetWithWriteConcurrency(AttachedProcess me) {
        assertLinearizable(me, PUBLIC.withType(TableType.ORDERED_SET).withWriteConcurrency(true));
    }

    @Test
    void aTableWithStaleLookupsFailsTheCheck(AttachedProcess me) {
        Optional<String> bad = run(me, PUBLIC, EtsLinearizabilityTest::staleLookups);
        assertThat(bad).as("a stale lookup must be caught").hasValueSatisfying(s -> assertThat(s)
                .contains("seed " + SEED).contains("is not linearizable").contains("lookup()"));
    }
}
