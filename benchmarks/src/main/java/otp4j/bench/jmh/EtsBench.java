package otp4j.bench.jmh;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import otp4j.ets.Access;
import otp4j.ets.Ets;
import otp4j.ets.Table;
import otp4j.ets.TableOptions;
import otp4j.runtime.Node;
import otp4j.runtime.Proc;

/**
 * ETS's single-key operations on a public set of {@value #KEYS} objects {@code {K, K}}, keys
 * 1..N, each beside the same on the {@code ConcurrentHashMap} the floor of W7 uses: lookup (the
 * answer checked), insert of an existing key, and {@code update_counter} by 1 on one of
 * {@value #COUNTERS} counters ({@code merge} on the map). Keys are random (xorshift), per thread;
 * run with {@code -t 2} for two threads on one table. The tables are owned by a process that
 * waits until the node closes; the benchmark's threads are not processes (a public table may be
 * read and written from any thread).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class EtsBench {
    static final int KEYS = 1_000_000;
    static final int COUNTERS = 1_000;

    /** The tables, shared by the benchmark's threads. */
    @State(Scope.Benchmark)
    public static class Tables {
        private Node node;
        Table<Long, Long> set;
        Table<Long, Long> counters;
        final ConcurrentHashMap<Long, Long> map = new ConcurrentHashMap<>();
        final ConcurrentHashMap<Long, Long> mapCounters = new ConcurrentHashMap<>();

        @Setup(Level.Trial)
        public void fill() {
            node = Node.start();
            CompletableFuture<List<Table<Long, Long>>> made = new CompletableFuture<>();
            node.spawn(() -> {
                TableOptions options = TableOptions.defaults().withAccess(Access.PUBLIC);
                Table<Long, Long> s = Ets.newTable("set", options);
                Table<Long, Long> c = Ets.newTable("counters", options.withWriteConcurrency(true));
                made.complete(List.of(s, c));
                Proc.receive(); // the tables live as long as their owner
            });
            set = made.join().get(0);
            counters = made.join().get(1);
            for (long k = 1; k <= KEYS; k++) {
                set.insert(k, k);
                map.put(k, k);
            }
            for (long k = 1; k <= COUNTERS; k++) {
                counters.insert(k, 0L);
                mapCounters.put(k, 0L);
            }
        }

        /** Checks that the inserts replaced objects and made none, as a set does. */
        @TearDown(Level.Trial)
        public void close() {
            long size = set.size();
            node.close();
            if (size != KEYS) {
                throw new IllegalStateException("the set holds " + size + " objects, expected " + KEYS);
            }
        }
    }

    /** A thread's random keys: the Erlang programs' xorshift32, as in W7. */
    @State(Scope.Thread)
    public static class Keys {
        private int x = (int) Thread.currentThread().threadId() * 0x9E3779B9 | 1;

        long next(int bound) {
            x ^= x << 13;
            x ^= x >>> 17;
            x ^= x << 5;
            return Integer.remainderUnsigned(x, bound) + 1;
        }
    }

    @Benchmark
    public Long lookup(Tables t, Keys k) {
        Long key = k.next(KEYS);
        List<Long> got = t.set.lookup(key);
        if (got.size() != 1 || !got.get(0).equals(key)) {
            throw new IllegalStateException("lookup(" + key + ") gave " + got);
        }
        return got.get(0);
    }

    @Benchmark
    public Long chmGet(Tables t, Keys k) {
        Long key = k.next(KEYS);
        Long got = t.map.get(key);
        if (!key.equals(got)) {
            throw new IllegalStateException("get(" + key + ") gave " + got);
        }
        return got;
    }

    @Benchmark
    public void insert(Tables t, Keys k) {
        Long key = k.next(KEYS);
        t.set.insert(key, key);
    }

    @Benchmark
    public Long chmPut(Tables t, Keys k) {
        Long key = k.next(KEYS);
        return t.map.put(key, key);
    }

    @Benchmark
    public long updateCounter(Tables t, Keys k) {
        long n = t.counters.updateCounter(k.next(COUNTERS), 1);
        if (n <= 0) {
            throw new IllegalStateException("update_counter gave " + n);
        }
        return n;
    }

    @Benchmark
    public Long chmMerge(Tables t, Keys k) {
        return t.mapCounters.merge(k.next(COUNTERS), 1L, Long::sum);
    }
}
