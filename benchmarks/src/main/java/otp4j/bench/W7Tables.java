package otp4j.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntConsumer;

import otp4j.ets.Access;
import otp4j.ets.Ets;
import otp4j.ets.Query;
import otp4j.ets.Table;
import otp4j.ets.TableOptions;
import otp4j.ets.TableType;
import otp4j.runtime.Pid;
import otp4j.runtime.Proc;

/**
 * W7 tables: the in-memory table of a server (sessions, caches, counters) under the operations
 * ETS is used for. N keys 1..N, objects {@code {K, K}}; lookups draw random keys from an inline
 * xorshift32 (the Erlang programs' {@code bu:xs/1}, {@code bu:key/2}) and check each result.
 * Figures, as {@code w7_ets.erl}:
 *
 * <ul>
 *   <li>(a) {@code w7a_set_insert_per_s}: N inserts one by one, keys 1..N in order, into a set;
 *       {@code w7a_set_bytes_per_record}: the live heap after a full GC with the table, minus
 *       before it, divided by N (BEAM: {@code ets:info(T, memory)}). The key and the value of an
 *       object are one boxed {@code Long}, as a Java program would insert {@code {K, K}}.</li>
 *   <li>(b) {@code w7b_set_lookup_1proc_per_s}: L lookups from one process.</li>
 *   <li>(c) {@code w7c_set_rc_lookup_1proc_per_s}, {@code _2proc_per_s}: the same on a table
 *       created for concurrent reads (ETS's {@code read_concurrency}; otp4j's tables are
 *       concurrent in any case), from 1 process and from 2 (L/2 each), released together.</li>
 *   <li>(d) {@code w7d_update_counter_2proc_per_s}: 2 processes × U/2 increments of random keys
 *       among CK counters; the sum of the counters is checked.</li>
 *   <li>(e) ordered set: N inserts in ascending order ({@code w7e_oset_insert_per_s}) and in a
 *       shuffled order ({@code _shuffled_per_s}, the shuffle untimed); R range queries, each
 *       the RL objects with key ≥ Lo (Lo random), walked with next and lookup
 *       ({@code w7e_oset_range_next_per_s}) and as one select bounded by key
 *       ({@code w7e_oset_range_select_per_s}). BEAM's select walks the whole table for a
 *       key-range guard, so the Erlang program runs R/1000 of them; the JVMs run R.</li>
 * </ul>
 *
 * <p>otp4j: {@link Table} from {@code otp4j.ets}, public tables made by the workload's process.
 * The floor: the structures otp4j's tables are built on, used directly, with no owner, access
 * check, slot or size counter: {@link ConcurrentHashMap} for the set (counters updated with
 * {@code merge}, which, like {@code update_counter}, replaces an immutable value with a new one
 * and gives the new value), {@link ConcurrentSkipListMap} for the ordered set (ranges by
 * {@code higherKey} and {@code get}, and by {@code subMap}). Two more floor rows show what
 * mutable counters cost: {@code compute}, and {@code AtomicLong} values.
 *
 * <p>Run with {@code benchmarks/run.sh w7} (all implementations, side by side), or alone as the
 * benchmarks README shows ({@code Bench w7 otp4j}).
 */
final class W7Tables {
    private static final String GO = "go";
    private static final String DONE = "done";
    /** The xorshift seeds of {@code w7_ets.erl}. */
    private static final int LOOKUP_SEED = 0x9E3779B9;
    private static final int COUNTER_SEED = 0x2545F491;
    private static final int RANGE_SEED = 0x1B873593;

    private W7Tables() {
    }

    /** The sizes: as the arguments of {@code w7_ets.erl}. */
    record Sizes(int n, int lookups, int increments, int counterKeys, int ranges, int rangeLength) {
    }

    static void run(Bench.Impl impl, Report out, Sizes s) throws InterruptedException {
        switch (impl) {
            case OTP4J -> Bench.otp4j(() -> new Workload<>(new Otp4jOps(), out, s).run());
            case VT -> Bench.vt(self -> {
                new Workload<>(new FloorOps(self), out, s).run();
                floorCounters(self, out, s);
            });
            case PEKKO, PEKKO_VT -> throw Bench.unsupported("w7", impl, "Pekko has no tables");
        }
    }

    // ------------------------------------------------------------------ the random keys

    /** {@code bu:xs/1}: one step of xorshift32. */
    static int xs(int x) {
        x ^= x << 13;
        x ^= x >>> 17;
        return x ^ (x << 5);
    }

    /** {@code bu:key/2}: a key in 1..n from a xorshift state (unsigned, as Erlang's integers). */
    static long key(int x, int n) {
        return Integer.remainderUnsigned(x, n) + 1;
    }

    // ------------------------------------------------------------------ the implementations

    /**
     * The table operations the workload uses, for one implementation. Each JVM runs one
     * implementation, so every call site sees one class and the JIT inlines it.
     *
     * @param <S> a set
     * @param <O> an ordered set
     */
    private interface Ops<S, O> {
        S newSet(String name);

        /** A set for concurrent writers: ETS's {@code {write_concurrency, true}}, as w7_ets.erl's counters table. */
        S newCounterSet(String name);

        void insert(S t, Long key, Long value);

        /** {@return the key's one value, or null if it has none or several} */
        Long lookup(S t, Long key);

        long updateCounter(S t, Long key, long increment);

        long size(S t);

        /** {@return the sum of every value} */
        long sum(S t);

        void delete(S t);

        O newOrderedSet(String name);

        void insertOrdered(O t, Long key, Long value);

        long sizeOrdered(O t);

        /** {@return the least key after {@code key}, or null} */
        Long next(O t, Long key);

        /** {@return the key's one value, or null} */
        Long lookupOrdered(O t, Long key);

        /** {@return the objects with {@code lo ≤ key < hi}, by a query bounded by key} */
        List<Map.Entry<Long, Long>> range(O t, Long lo, Long hi);

        void deleteOrdered(O t);

        /**
         * {@return the nanoseconds from releasing {@code p} fresh processes, each running
         * {@code body(i)} for its i in 1..p, until the last is done} as {@code par/2}.
         */
        long par(int p, IntConsumer body);
    }

    private static final class Otp4jOps implements Ops<Table<Long, Long>, Table<Long, Long>> {
        private static final TableOptions SET = TableOptions.defaults().withAccess(Access.PUBLIC);
        private static final TableOptions ORDERED_SET = SET.withType(TableType.ORDERED_SET);

        @Override
        public Table<Long, Long> newSet(String name) {
            return Ets.newTable(name, SET);
        }

        @Override
        public Table<Long, Long> newCounterSet(String name) {
            return Ets.newTable(name, SET.withWriteConcurrency(true));
        }

        @Override
        public Table<Long, Long> newOrderedSet(String name) {
            return Ets.newTable(name, ORDERED_SET);
        }

        @Override
        public void insert(Table<Long, Long> t, Long key, Long value) {
            t.insert(key, value);
        }

        @Override
        public Long lookup(Table<Long, Long> t, Long key) {
            List<Long> vs = t.lookup(key);
            return vs.size() == 1 ? vs.get(0) : null;
        }

        @Override
        public long updateCounter(Table<Long, Long> t, Long key, long increment) {
            return t.updateCounter(key, increment);
        }

        @Override
        public long size(Table<Long, Long> t) {
            return t.size();
        }

        @Override
        public long sum(Table<Long, Long> t) {
            return t.tab2list().stream().mapToLong(Map.Entry::getValue).sum();
        }

        @Override
        public void delete(Table<Long, Long> t) {
            t.delete();
        }

        @Override
        public void insertOrdered(Table<Long, Long> t, Long key, Long value) {
            t.insert(key, value);
        }

        @Override
        public Long lookupOrdered(Table<Long, Long> t, Long key) {
            return lookup(t, key);
        }

        @Override
        public long sizeOrdered(Table<Long, Long> t) {
            return t.size();
        }

        @Override
        public void deleteOrdered(Table<Long, Long> t) {
            t.delete();
        }

        @Override
        public Long next(Table<Long, Long> t, Long key) {
            Optional<Long> k = t.next(key);
            return k.orElse(null);
        }

        @Override
        public List<Map.Entry<Long, Long>> range(Table<Long, Long> t, Long lo, Long hi) {
            return t.select(Query.<Long, Long>all().from(lo, true).to(hi, false));
        }

        @Override
        public long par(int p, IntConsumer body) {
            Pid parent = Proc.self();
            List<Pid> workers = new ArrayList<>(p);
            for (int i = 1; i <= p; i++) {
                int id = i;
                // Linked: a worker whose check fails takes the workload's process with it.
                workers.add(Proc.spawnLink(() -> {
                    Proc.receive();
                    body.accept(id);
                    Proc.send(parent, DONE);
                }));
            }
            long t0 = System.nanoTime();
            for (Pid w : workers) {
                Proc.send(w, GO);
            }
            for (int i = 0; i < p; i++) {
                Proc.receive();
            }
            return System.nanoTime() - t0;
        }
    }

    private static final class FloorOps
            implements Ops<ConcurrentHashMap<Long, Long>, ConcurrentSkipListMap<Long, Long>> {
        private final VtProc self;

        FloorOps(VtProc self) {
            this.self = self;
        }

        @Override
        public ConcurrentHashMap<Long, Long> newSet(String name) {
            return new ConcurrentHashMap<>();
        }

        @Override
        public ConcurrentHashMap<Long, Long> newCounterSet(String name) {
            return new ConcurrentHashMap<>();
        }

        @Override
        public ConcurrentSkipListMap<Long, Long> newOrderedSet(String name) {
            return new ConcurrentSkipListMap<>();
        }

        @Override
        public void insert(ConcurrentHashMap<Long, Long> t, Long key, Long value) {
            t.put(key, value);
        }

        @Override
        public void insertOrdered(ConcurrentSkipListMap<Long, Long> t, Long key, Long value) {
            t.put(key, value);
        }

        @Override
        public Long lookup(ConcurrentHashMap<Long, Long> t, Long key) {
            return t.get(key);
        }

        @Override
        public Long lookupOrdered(ConcurrentSkipListMap<Long, Long> t, Long key) {
            return t.get(key);
        }

        @Override
        public long updateCounter(ConcurrentHashMap<Long, Long> t, Long key, long increment) {
            return t.merge(key, increment, Long::sum);
        }

        @Override
        public long size(ConcurrentHashMap<Long, Long> t) {
            return t.size();
        }

        @Override
        public long sizeOrdered(ConcurrentSkipListMap<Long, Long> t) {
            return t.size();
        }

        @Override
        public long sum(ConcurrentHashMap<Long, Long> t) {
            return t.values().stream().mapToLong(Long::longValue).sum();
        }

        @Override
        public void delete(ConcurrentHashMap<Long, Long> t) {
            t.clear();
        }

        @Override
        public void deleteOrdered(ConcurrentSkipListMap<Long, Long> t) {
            t.clear();
        }

        @Override
        public Long next(ConcurrentSkipListMap<Long, Long> t, Long key) {
            return t.higherKey(key);
        }

        @Override
        public List<Map.Entry<Long, Long>> range(ConcurrentSkipListMap<Long, Long> t, Long lo, Long hi) {
            return new ArrayList<>(t.subMap(lo, true, hi, false).entrySet());
        }

        @Override
        public long par(int p, IntConsumer body) {
            return floorPar(self, p, body);
        }
    }

    private static long floorPar(VtProc parent, int p, IntConsumer body) {
        List<VtProc> workers = new ArrayList<>(p);
        for (int i = 1; i <= p; i++) {
            int id = i;
            // A worker that throws fails the JVM (Bench's uncaught exception handler).
            workers.add(VtProc.spawn(self -> {
                self.receive();
                body.accept(id);
                parent.send(DONE);
            }));
        }
        long t0 = System.nanoTime();
        for (VtProc w : workers) {
            w.send(GO);
        }
        for (int i = 0; i < p; i++) {
            parent.receive();
        }
        return System.nanoTime() - t0;
    }

    // ------------------------------------------------------------------ the workload

    private record Workload<S, O>(Ops<S, O> ops, Report out, Sizes s) {
        void run() {
            setInsertLookup();
            readConcurrent();
            counters();
            ordered();
        }

        /** Inserts {K, K} for K in 1..n, one by one; key and value one boxed Long. */
        private void insertSeq(S t, int n) {
            for (long k = 1; k <= n; k++) {
                Long key = k;
                ops.insert(t, key, key);
            }
        }

        private void lookups(S t, int n, long count, int seed) {
            int x = seed;
            for (long c = 0; c < count; c++) {
                x = xs(x);
                long k = key(x, n);
                Long v = ops.lookup(t, k);
                if (v == null || v != k) {
                    throw Bench.wrong("lookup of " + k + " found " + v);
                }
            }
        }

        /** (a) and (b). */
        private void setInsertLookup() {
            int n = s.n();
            long heap0 = Bench.heapAfterGc();
            S t = ops.newSet("w7a");
            long t0 = System.nanoTime();
            insertSeq(t, n);
            long t1 = System.nanoTime();
            checkSize(ops.size(t), n);
            out.rate("w7a_set_insert_per_s", n, t1 - t0, "inserts/s");
            long heap1 = Bench.heapAfterGc();
            out.num("w7a_set_bytes_per_record", Math.round((double) (heap1 - heap0) / n), "bytes");
            long ns = ops.par(1, i -> lookups(t, n, s.lookups(), LOOKUP_SEED));
            out.rate("w7b_set_lookup_1proc_per_s", s.lookups(), ns, "lookups/s");
            ops.delete(t);
        }

        /** (c). */
        private void readConcurrent() {
            int n = s.n();
            S t = ops.newSet("w7c");
            insertSeq(t, n);
            long ns1 = ops.par(1, i -> lookups(t, n, s.lookups(), LOOKUP_SEED));
            out.rate("w7c_set_rc_lookup_1proc_per_s", s.lookups(), ns1, "lookups/s");
            int half = s.lookups() / 2;
            long ns2 = ops.par(2, i -> lookups(t, n, half, LOOKUP_SEED + i * 7919));
            out.rate("w7c_set_rc_lookup_2proc_per_s", 2L * half, ns2, "lookups/s");
            ops.delete(t);
        }

        /** (d). */
        private void counters() {
            int ck = s.counterKeys();
            S t = ops.newCounterSet("w7d");
            for (long k = 1; k <= ck; k++) {
                ops.insert(t, k, 0L);
            }
            int per = s.increments() / 2;
            long ns = ops.par(2, i -> {
                int x = COUNTER_SEED + i * 104729;
                for (int c = 0; c < per; c++) {
                    x = xs(x);
                    ops.updateCounter(t, key(x, ck), 1);
                }
            });
            checkSum(ops.sum(t), 2L * per);
            out.rate("w7d_update_counter_2proc_per_s", 2L * per, ns, "increments/s");
            ops.delete(t);
        }

        /** (e). */
        private void ordered() {
            int n = s.n();
            O t = ops.newOrderedSet("w7e");
            long t0 = System.nanoTime();
            for (long k = 1; k <= n; k++) {
                Long key = k;
                ops.insertOrdered(t, key, key);
            }
            long t1 = System.nanoTime();
            checkSize(ops.sizeOrdered(t), n);
            out.rate("w7e_oset_insert_per_s", n, t1 - t0, "inserts/s");

            // The shuffled keys, made before the clock starts (as the Erlang program's list).
            Long[] shuffled = new Long[n];
            Arrays.setAll(shuffled, i -> (long) i + 1);
            Collections.shuffle(Arrays.asList(shuffled), new Random(RANGE_SEED));
            O t2 = ops.newOrderedSet("w7e2");
            long t3 = System.nanoTime();
            for (Long k : shuffled) {
                ops.insertOrdered(t2, k, k);
            }
            long t4 = System.nanoTime();
            checkSize(ops.sizeOrdered(t2), n);
            out.rate("w7e_oset_insert_shuffled_per_s", n, t4 - t3, "inserts/s");
            ops.deleteOrdered(t2);

            int rl = s.rangeLength();
            long ns = ops.par(1, i -> rangesNext(t, n, s.ranges(), rl));
            out.rate("w7e_oset_range_next_per_s", s.ranges(), ns, "ranges/s");
            long nsS = ops.par(1, i -> rangesSelect(t, n, s.ranges(), rl));
            out.rate("w7e_oset_range_select_per_s", s.ranges(), nsS, "ranges/s");
            ops.deleteOrdered(t);
        }

        /** R ranges: the first {@code rl} objects with key ≥ Lo, by next from Lo - 1 and lookup. */
        private void rangesNext(O t, int n, int ranges, int rl) {
            int x = RANGE_SEED;
            for (int c = 0; c < ranges; c++) {
                x = xs(x);
                long lo = key(x, n - rl + 1);
                List<Map.Entry<Long, Long>> objs = new ArrayList<>(rl);
                for (Long k = ops.next(t, lo - 1); k != null && objs.size() < rl; k = ops.next(t, k)) {
                    Long v = ops.lookupOrdered(t, k);
                    if (v == null) {
                        throw Bench.wrong("lookup of " + k + " found nothing");
                    }
                    objs.add(Map.entry(k, v));
                }
                checkRange(objs, lo, rl);
            }
        }

        /** R ranges: the objects with Lo ≤ key < Lo + rl, by one query bounded by key. */
        private void rangesSelect(O t, int n, int ranges, int rl) {
            int x = RANGE_SEED;
            for (int c = 0; c < ranges; c++) {
                x = xs(x);
                long lo = key(x, n - rl + 1);
                checkRange(ops.range(t, lo, lo + rl), lo, rl);
            }
        }
    }

    // ------------------------------------------------------------------ floor-only rows

    /** (d) on the floor with mutable counters: CHM {@code compute}, and AtomicLong values. */
    private static void floorCounters(VtProc self, Report out, Sizes s) {
        int ck = s.counterKeys();
        int per = s.increments() / 2;
        ConcurrentHashMap<Long, Long> c = new ConcurrentHashMap<>();
        ConcurrentHashMap<Long, AtomicLong> a = new ConcurrentHashMap<>();
        for (long k = 1; k <= ck; k++) {
            c.put(k, 0L);
            a.put(k, new AtomicLong());
        }
        long ns = floorPar(self, 2, i -> {
            int x = COUNTER_SEED + i * 104729;
            for (int n = 0; n < per; n++) {
                x = xs(x);
                c.compute(key(x, ck), (k, v) -> v + 1);
            }
        });
        checkSum(c.values().stream().mapToLong(Long::longValue).sum(), 2L * per);
        out.rate("w7d_update_counter_2proc_compute_per_s", 2L * per, ns, "increments/s");
        long nsA = floorPar(self, 2, i -> {
            int x = COUNTER_SEED + i * 104729;
            for (int n = 0; n < per; n++) {
                x = xs(x);
                a.get(key(x, ck)).incrementAndGet();
            }
        });
        checkSum(a.values().stream().mapToLong(AtomicLong::get).sum(), 2L * per);
        out.rate("w7d_update_counter_2proc_atomiclong_per_s", 2L * per, nsA, "increments/s");
    }

    // ------------------------------------------------------------------ checks

    private static void checkSize(long size, int n) {
        if (size != n) {
            throw Bench.wrong("the table holds " + size + " objects, expected " + n);
        }
    }

    private static void checkSum(long sum, long expected) {
        if (sum != expected) {
            throw Bench.wrong("the counters sum to " + sum + ", expected " + expected);
        }
    }

    /** The keys 1..N are all there: a range from Lo is Lo, Lo + 1, ..., each with itself as value. */
    private static void checkRange(List<Map.Entry<Long, Long>> objs, long lo, int rl) {
        if (objs.size() != rl) {
            throw Bench.wrong("a range from " + lo + " has " + objs.size() + " objects, expected " + rl);
        }
        long expected = lo;
        for (Map.Entry<Long, Long> o : objs) {
            if (o.getKey() != expected || o.getValue() != expected) {
                throw Bench.wrong("a range from " + lo + " has " + o + " where " + expected + " belongs");
            }
            expected++;
        }
    }
}
