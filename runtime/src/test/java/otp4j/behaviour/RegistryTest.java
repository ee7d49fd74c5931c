package otp4j.behaviour;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import otp4j.runtime.AttachedProcess;
import otp4j.runtime.Down;
import otp4j.runtime.Exit;
import otp4j.runtime.Matcher;
import otp4j.runtime.Name;
import otp4j.runtime.NoProcException;
import otp4j.runtime.Node;
import otp4j.runtime.Pid;
import otp4j.runtime.Proc;
import otp4j.runtime.Reason;
import otp4j.runtime.Ref;
import otp4j.runtime.Spawned;
import otp4j.runtime.Via;
import otp4j.testing.NodeExtension;

@ExtendWith(NodeExtension.class)
class RegistryTest {
    record Registered(Pid pid, boolean ok) {
    }

    record Published(Object topic, Object message) {
    }

    /** A counter server, to be named through a registry. */
    record Counter() implements GenServer<Integer, String> {
        @Override
        public InitResult<Integer> init() {
            return GenServer.ok(0);
        }

        @Override
        public CallResult<Integer> handleCall(String request, From from, Integer state) {
            return GenServer.reply(state + 1, state + 1);
        }
    }

    /** Spawns a process that registers {@code key} and reports, then waits for anything and exits. */
    private static <K, V> Spawned registrant(Registry<K, V> reg, K key, V value, Pid report) {
        return Proc.spawnMonitor(() -> {
            Proc.send(report, new Registered(Proc.self(), reg.register(key, value)));
            Proc.receive();
        });
    }

    private static Registered registered() {
        return Proc.receive(Matcher.type(Registered.class));
    }

    private static void awaitDown(Ref ref) {
        Proc.receive(m -> m instanceof Down d && d.ref() == ref ? d : null);
    }

    /** Waits until every partition has handled what was queued to it, such as a registrant's EXIT. */
    private static void settle(Registry<?, ?> reg) {
        for (ChildInfo p : Supervisor.whichChildren(new Name(reg.name()))) {
            Sys.getState(p.pid().orElseThrow());
        }
    }

    @Test
    void aUniqueKeyHasOneLiveHolder(AttachedProcess me) {
        Registry<String, Integer> reg = Registry.unique("reg");
        reg.startLink().orThrow();
        assertThat(reg.register("a", 1)).isTrue();
        assertThat(reg.register("a", 2)).as("the caller holds it already").isFalse();
        Spawned other = registrant(reg, "a", 3, me.pid());
        assertThat(registered().ok()).isFalse();
        assertThat(reg.lookup("a")).containsExactly(new Registry.Entry<>(me.pid(), 1));
        assertThat(reg.updateValue("a", v -> v + 10)).isTrue();
        assertThat(reg.updateValue("b", v -> v + 10)).isFalse();
        assertThat(reg.match("a", v -> v > 10)).containsExactly(new Registry.Entry<>(me.pid(), 11));
        assertThat(reg.match("a", v -> v > 20)).isEmpty();
        assertThat(reg.keys(me.pid())).containsExactly("a");
        assertThat(reg.values("a", me.pid())).containsExactly(11);
        assertThat(reg.count()).isEqualTo(1);
        reg.unregister("a");
        assertThat(reg.lookup("a")).isEmpty();
        assertThat(reg.count()).isZero();
        Proc.send(other.pid(), "go");
        awaitDown(other.ref());
    }

    @Test
    void entriesGoWhenTheProcessExits(AttachedProcess me) {
        Registry<String, String> reg = Registry.unique("reg");
        reg.startLink().orThrow();
        Spawned p = registrant(reg, "k", "v", me.pid());
        assertThat(registered().ok()).isTrue();
        assertThat(reg.lookup("k")).containsExactly(new Registry.Entry<>(p.pid(), "v"));
        Proc.exit(p.pid(), Reason.KILL);
        awaitDown(p.ref());
        // Dead at once to lookups, before the partition has cleaned up.
        assertThat(reg.lookup("k")).isEmpty();
        assertThat(reg.keys(p.pid())).isEmpty();
        settle(reg);
        assertThat(reg.count()).isZero();
    }

    @Test
    void aKeyHeldByADeadProcessIsTakenOver(AttachedProcess me) {
        Registry<String, String> reg = Registry.unique("reg");
        reg.startLink().orThrow();
        Pid partition = Supervisor.whichChildren(new Name("reg")).getFirst().pid().orElseThrow();
        Sys.suspend(partition); // its clean-up waits
        Spawned p = registrant(reg, "k", "old", me.pid());
        assertThat(registered().ok()).isTrue();
        Proc.exit(p.pid(), Reason.KILL);
        awaitDown(p.ref());
        assertThat(reg.register("k", "new")).isTrue();
        assertThat(reg.count()).isEqualTo(1);
        Sys.resume(partition);
        settle(reg);
        assertThat(reg.lookup("k")).containsExactly(new Registry.Entry<>(me.pid(), "new"));
        assertThat(reg.count()).isEqualTo(1);
    }

    @Test
    void aServerNamedThroughTheRegistryIsCalledByItsName(AttachedProcess me) {
        Registry<String, Object> reg = Registry.unique("names");
        reg.startLink().orThrow();
        Via name = new Via(reg, "counter");
        Pid server = GenServer.start(new Counter(), StartOptions.defaults().withName(name)).orThrow();
        assertThat(reg.whereisName("counter")).contains(server);
        assertThat(GenServer.<Integer>call(name, "incr")).isEqualTo(1);
        assertThat(GenServer.start(new Counter(), StartOptions.defaults().withName(name)))
                .isEqualTo(new StartResult.Failed(Reason.custom(new AlreadyStarted(server))));
        GenServer.stop(name);
        assertThat(reg.whereisName("counter")).isEmpty();
        assertThatThrownBy(() -> Proc.send(name, "hello")).isInstanceOf(NoProcException.class);
        settle(reg); // the entry of a stopped server counts until its partition has removed it
        assertThat(reg.count()).isZero();
    }

    @Test
    void duplicateKeysMakeAPubSub(AttachedProcess me) {
        Registry<String, String> topics = Registry.duplicate("topics");
        topics.startLink().orThrow();
        List<Spawned> subscribers = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            String tag = "s" + i;
            subscribers.add(Proc.spawnMonitor(() -> {
                topics.register("news", tag);
                if (tag.equals("s0")) {
                    topics.register("news", "s0-again"); // a process may register a key twice
                }
                Proc.send(me.pid(), new Registered(Proc.self(), true));
                Object m = Proc.receive(Matcher.type(Published.class));
                Proc.send(me.pid(), m);
                Proc.receive();
            }));
        }
        for (int i = 0; i < 3; i++) {
            registered();
        }
        assertThat(topics.lookup("news")).hasSize(4);
        assertThat(topics.values("news", subscribers.getFirst().pid())).containsExactlyInAnyOrder("s0", "s0-again");
        assertThat(topics.keys(subscribers.getFirst().pid())).containsExactly("news", "news");
        AtomicInteger calls = new AtomicInteger();
        topics.dispatch("news", entries -> {
            calls.incrementAndGet();
            entries.stream().map(Registry.Entry::pid).distinct()
                    .forEach(p -> Proc.send(p, new Published("news", "hello")));
        });
        topics.dispatch("sport", entries -> calls.incrementAndGet()); // nobody: not called
        assertThat(calls).hasValue(1);
        for (int i = 0; i < 3; i++) {
            Published got = Proc.receive(Matcher.type(Published.class));
            assertThat(got).isEqualTo(new Published("news", "hello"));
        }
        Spawned s1 = subscribers.get(1);
        Proc.exit(s1.pid(), Reason.KILL);
        awaitDown(s1.ref());
        settle(topics);
        assertThat(topics.lookup("news")).extracting(Registry.Entry::value)
                .containsExactlyInAnyOrder("s0", "s0-again", "s2");
        assertThat(topics.count()).isEqualTo(3);
        assertThatThrownBy(() -> topics.updateValue("news", v -> v)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("needs unique keys");
        assertThatThrownBy(() -> Proc.send(new Via(topics, "news"), "x")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("duplicate keys");
    }

    @Test
    void unregisteringTheLastKeyUnlinksTheRegistrant(AttachedProcess me) {
        Registry<String, String> reg = Registry.unique("reg");
        Pid sup = reg.startLink().orThrow();
        Pid partition = Supervisor.whichChildren(sup).getFirst().pid().orElseThrow();
        reg.register("a", "1");
        reg.register("b", "2");
        assertThat(Proc.info(me.pid()).orElseThrow().links()).contains(partition);
        reg.unregister("a");
        assertThat(Proc.info(me.pid()).orElseThrow().links()).contains(partition);
        reg.unregister("b");
        assertThat(Proc.info(me.pid()).orElseThrow().links()).doesNotContain(partition);
    }

    @Test
    void whenTheRegistryStopsItsRegistrantsAreToldAndItCanBeStartedAfresh(AttachedProcess me) {
        Proc.trapExit(true);
        Registry<String, String> reg = Registry.unique("reg");
        Pid sup = reg.startLink().orThrow();
        Spawned plain = registrant(reg, "plain", "v", me.pid());
        registered();
        reg.register("me", "v");
        GenServer.stop(sup);
        Down down = Proc.receive(m -> m instanceof Down d && d.ref() == plain.ref() ? d : null);
        assertThat(down.reason()).isEqualTo(Reason.SHUTDOWN); // linked to its partition
        Exit exit = Proc.receive(m -> m instanceof Exit e && !e.from().equals(sup) ? e : null);
        assertThat(exit.reason()).as("we trap exits: our partition's exit arrives as a message")
                .isEqualTo(Reason.SHUTDOWN);
        assertThatThrownBy(() -> reg.lookup("me")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("registry reg is not running");
        assertThatThrownBy(() -> reg.register("me", "v")).isInstanceOf(IllegalStateException.class);
        assertThat(reg.whereisName("me")).isEmpty();
        Pid again = reg.startLink().orThrow();
        assertThat(reg.lookup("me")).isEmpty();
        assertThat(reg.startLink()).isEqualTo(new StartResult.Failed(Reason.custom(new AlreadyStarted(again))));
    }

    @Test
    void aRegistryRunsOnOneNodeAtATime(AttachedProcess me) throws InterruptedException {
        Registry<String, String> reg = Registry.unique("reg");
        reg.startLink().orThrow();
        try (Node other = Node.start()) {
            Object[] result = new Object[1];
            CountDownLatch done = new CountDownLatch(1);
            other.spawn(() -> {
                // The failed supervisor exits with the error and we are linked to it: trap its
                // EXIT, or it may end us before we report the result.
                Proc.trapExit(true);
                try {
                    result[0] = reg.startLink();
                } finally {
                    done.countDown();
                }
            });
            done.await();
            assertThat(result[0]).isInstanceOfSatisfying(StartResult.Failed.class, f -> assertThat(f.reason()
                    .toString()).contains("a Registry runs on one node at a time"));
        }
    }

    @Test
    void badInputIsRefusedWithWhatToFix(AttachedProcess me) {
        assertThatThrownBy(() -> Registry.unique(" ")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("non-blank name");
        assertThatThrownBy(() -> Registry.of("r", Registry.Keys.UNIQUE, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("partitions must be >= 1");
        Registry<String, String> reg = Registry.unique("reg");
        assertThatThrownBy(() -> reg.register("k", "v")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("start it with startLink()");
        reg.startLink().orThrow();
        assertThatThrownBy(() -> reg.register(null, "v")).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> reg.lookup(null)).isInstanceOf(NullPointerException.class);
        Spawned other = registrant(reg, "x", "v", me.pid());
        registered();
        assertThatThrownBy(() -> reg.registerName("k", other.pid())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("registers only itself");
        Proc.send(other.pid(), "go");
        awaitDown(other.ref());
    }

    @Test
    @Tag("stress")
    void manyRegistrantsRacingAndCrashingLeaveNothingBehind(AttachedProcess me) {
        int processes = 2_000;
        int keysEach = 10;
        Registry<Integer, Integer> reg = Registry.of("stress", Registry.Keys.UNIQUE, 4);
        Registry<Integer, Integer> dup = Registry.of("stress-dup", Registry.Keys.DUPLICATE, 4);
        reg.startLink().orThrow();
        dup.startLink().orThrow();
        ConcurrentHashMap<Integer, Pid> winners = new ConcurrentHashMap<>();
        Queue<String> violations = new ConcurrentLinkedQueue<>();
        List<Spawned> all = new ArrayList<>();
        for (int i = 0; i < processes; i++) {
            int n = i;
            all.add(Proc.spawnMonitor(() -> {
                for (int k = 0; k < keysEach; k++) {
                    int key = (n + k) % (processes / 2); // every key is raced for
                    if (reg.register(key, n)) {
                        Pid prev = winners.put(key, Proc.self());
                        if (prev != null && Proc.isAlive(prev)) {
                            violations.add("key " + key + " held by live " + prev + " and " + Proc.self());
                        }
                    }
                    dup.register(k, n);
                }
                Proc.send(me.pid(), new Registered(Proc.self(), true));
                if (n % 2 == 0) {
                    throw new IllegalStateException("crash " + n); // half crash, half exit normally
                }
            }));
        }
        for (Spawned s : all) {
            awaitDown(s.ref());
        }
        for (int i = 0; i < processes; i++) {
            registered(); // every process registered before exiting
        }
        settle(reg);
        settle(dup);
        assertThat(reg.count()).isZero();
        assertThat(dup.count()).isZero();
        for (int k = 0; k < processes / 2; k++) {
            assertThat(reg.lookup(k)).isEmpty();
        }
        assertThat(dup.lookup(0)).isEmpty();
        assertThat(violations).isEmpty();
        assertThat(Proc.receive(Duration.ZERO)).as("no stray message").isEmpty();
    }
}
