package otp4j.samples.cache;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import otp4j.behaviour.CallResult;
import otp4j.behaviour.ChildSpec;
import otp4j.behaviour.From;
import otp4j.behaviour.GenServer;
import otp4j.behaviour.InitResult;
import otp4j.behaviour.Result;
import otp4j.behaviour.StartOptions;
import otp4j.behaviour.StartResult;
import otp4j.ets.Access;
import otp4j.ets.Ets;
import otp4j.ets.NoSuchTableException;
import otp4j.ets.Query;
import otp4j.ets.Table;
import otp4j.ets.TableOptions;
import otp4j.runtime.Name;
import otp4j.runtime.Proc;

/**
 * A cache whose entries expire after a time to live: an ETS table owned by a {@link GenServer}.
 * Readers look the table up themselves, with no message to the server; writers go through the
 * server, which alone may write the (protected) table, and which deletes expired entries on a
 * timer. The table belongs to the server: when the server dies the table goes with it, and the
 * restarted server starts with an empty one.
 *
 * {@snippet :
 * TtlCache<String, String> cache = new TtlCache<>("sessions", Duration.ofMinutes(5), Duration.ofSeconds(30));
 * Supervisor.startLink(SupFlags.oneForOne(), List.of(cache.childSpec()));
 * cache.put("alice", "token-1");
 * Optional<String> token = cache.get("alice");    // read straight from the table
 * }
 *
 * <p>An entry is visible until its time to live has passed, whether or not the sweep has
 * deleted it yet: {@link #get} checks the expiry itself. Time is the node's clock
 * ({@link otp4j.runtime.NodeOptions#ticker()}), so tests drive expiry with a manual ticker.
 *
 * @param <K> the keys
 * @param <V> the values
 */
public final class TtlCache<K, V> {

    /** What the table holds for a key: the value and when it expires, in the node's nanoseconds. */
    private record Stored<V>(V value, long expiresAt) {
    }

    /**
     * The cache's figures.
     *
     * @param entries the entries in the table, expired ones not yet swept included
     * @param swept   the expired entries deleted by sweeps since the server started
     */
    public record Stats(long entries, long swept) {
    }

    private final String name;
    private final Duration ttl;
    private final Duration sweepEvery;

    /**
     * Specifies a cache.
     *
     * @param name       the server's registered name and its table's name
     * @param ttl        how long an entry lives after its last {@link #put}
     * @param sweepEvery how often the server deletes expired entries
     * @throws IllegalArgumentException if {@code ttl} or {@code sweepEvery} is not positive
     */
    public TtlCache(String name, Duration ttl, Duration sweepEvery) {
        this.name = Objects.requireNonNull(name, "name");
        this.ttl = positive(ttl, "ttl");
        this.sweepEvery = positive(sweepEvery, "sweepEvery");
    }

    private static Duration positive(Duration d, String what) {
        Objects.requireNonNull(d, what);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(what + " must be positive, was " + d);
        }
        return d;
    }

    /** {@return the server's registered name, which is also its table's name} */
    public String name() {
        return name;
    }

    /** {@return the time to live of an entry} */
    public Duration ttl() {
        return ttl;
    }

    /** {@return a permanent worker running the server, registered under {@link #name()}} */
    public ChildSpec childSpec() {
        return ChildSpec.worker(name, this::startLink);
    }

    /** {@return the server started, linked to the caller} <b>May be called from:</b> a process. */
    public StartResult startLink() {
        return GenServer.startLink(new Server<>(this), StartOptions.named(name));
    }

    /**
     * {@return the key's value, if present and not expired} Reads the table directly.
     *
     * <p><b>May be called from:</b> any process.
     *
     * @throws NoSuchTableException if the cache is not running (not started, or being restarted)
     */
    public Optional<V> get(K key) {
        Objects.requireNonNull(key, "key");
        List<Stored<V>> found = table().lookup(key);
        if (found.isEmpty() || isExpired(found.getFirst(), now())) {
            return Optional.empty();
        }
        return Optional.of(found.getFirst().value());
    }

    /**
     * Stores {@code value} under {@code key} for the time to live, through the server.
     *
     * <p><b>May be called from:</b> any process.
     *
     * @throws otp4j.behaviour.CallException if the server is not running
     */
    public void put(K key, V value) {
        GenServer.call(new Name(name), new Put<>(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value")));
    }

    /**
     * {@return whether the key was there, expired or not} Deletes it, through the server.
     *
     * <p><b>May be called from:</b> any process.
     */
    public boolean delete(K key) {
        return GenServer.call(new Name(name), new Delete<>(Objects.requireNonNull(key, "key")));
    }

    /** {@return the cache's figures, from the server} <b>May be called from:</b> any process. */
    public Stats stats() {
        return GenServer.call(new Name(name), new GetStats<K, V>());
    }

    private Table<K, Stored<V>> table() {
        return Ets.<K, Stored<V>>whereis(name).orElseThrow(() -> new NoSuchTableException(
                "cache " + name + " is not running: its table is gone with its server (not started, or restarting)"));
    }

    private static long now() {
        return Proc.node().options().ticker().nanoTime();
    }

    private static boolean isExpired(Stored<?> s, long now) {
        return now - s.expiresAt() >= 0;
    }

    private sealed interface Request<K, V> permits Put, Delete, GetStats {
    }

    private record Put<K, V>(K key, V value) implements Request<K, V> {
    }

    private record Delete<K, V>(K key) implements Request<K, V> {
    }

    private record GetStats<K, V>() implements Request<K, V> {
    }

    /** The sweep timer's message: private, so that no client can trigger a sweep. */
    private record Sweep() {
    }

    private record State<K, V>(Table<K, Stored<V>> table, long swept) {
    }

    private record Server<K, V>(TtlCache<K, V> cache) implements GenServer<State<K, V>, Request<K, V>> {
        @Override
        public InitResult<State<K, V>> init() {
            Table<K, Stored<V>> table = Ets.newTable(cache.name, TableOptions.defaults().named()
                    .withAccess(Access.PROTECTED).withReadConcurrency(true));
            Proc.sendAfter(cache.sweepEvery, Proc.self(), new Sweep());
            return GenServer.ok(new State<>(table, 0));
        }

        @Override
        public CallResult<State<K, V>> handleCall(Request<K, V> request, From from, State<K, V> state) {
            return switch (request) {
                case Put<K, V>(K key, V value) -> {
                    state.table().insert(key, new Stored<>(value, now() + cache.ttl.toNanos()));
                    yield GenServer.reply(true, state);
                }
                case Delete<K, V>(K key) -> GenServer.reply(!state.table().take(key).isEmpty(), state);
                case GetStats<K, V>() -> GenServer.reply(new Stats(state.table().size(), state.swept()), state);
            };
        }

        @Override
        public Result<State<K, V>> handleInfo(Object message, State<K, V> state) {
            if (message instanceof Sweep) {
                long now = now();
                long deleted = state.table().selectDelete(
                        Query.<K, Stored<V>>all().where((k, s) -> isExpired(s, now)));
                Proc.sendAfter(cache.sweepEvery, Proc.self(), new Sweep());
                return GenServer.noreply(new State<>(state.table(), state.swept() + deleted));
            }
            return GenServer.super.handleInfo(message, state);
        }

        @Override
        public Object formatStatus(State<K, V> state) {
            return "cache " + cache.name + ": " + state.table().size() + " entries, " + state.swept() + " swept";
        }
    }
}
