package otp4j.runtime.stress;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import otp4j.runtime.AttachedProcess;
import otp4j.runtime.Down;
import otp4j.runtime.Exit;
import otp4j.runtime.Matcher;
import otp4j.runtime.Node;
import otp4j.runtime.Pid;
import otp4j.runtime.Proc;
import otp4j.runtime.Reason;
import otp4j.runtime.Ref;
import otp4j.runtime.Spawned;
import otp4j.testing.NodeExtension;

/**
 * Storms of links, monitors and exit signals: every DOWN and EXIT is delivered exactly once with
 * the right reason, and nothing is left behind (the extension checks processes, timers, threads
 * and the node's link and monitor bookkeeping after each test). Sizes scale with
 * {@code -Dotp4j.stress.scale}.
 */
@Tag("stress")
@ExtendWith(NodeExtension.class)
class ExitStressTest {
    private record Ready(Pid tail) {
    }

    private static void idle() {
        Proc.receive(m -> null);
    }

    /** A chain: this process links to the next one, down to {@code depth} processes. */
    private static void chain(Pid report, int depth) {
        if (depth > 1) {
            Proc.spawnLink(() -> chain(report, depth - 1));
        } else {
            Proc.send(report, new Ready(Proc.self()));
        }
        idle();
    }

    /**
     * A process linked to a crashing one and monitoring it dies of the link: it never handles
     * the DOWN, which the crashing process sends after the exit signal (signals from one process
     * arrive in order). On threads, the partner must be out of ALIVE before the DOWN is queued.
     */
    @Test
    void aLinkedWatcherDiesOfTheLinkBeforeItCanHandleTheDown(Node node, AttachedProcess me) {
        Pid test = me.pid();
        Reason boom = Reason.custom("boom");
        int rounds = Stress.scaled(2_000);
        for (int i = 0; i < rounds; i++) {
            Spawned watcher = Proc.spawnMonitor(() -> {
                Pid child = Proc.spawnLink(() -> {
                    Proc.receive(m -> m.equals("go") ? m : null);
                    Proc.exit(boom);
                });
                Ref ref = Proc.monitor(child);
                Proc.send(child, "go");
                Proc.receive(m -> m instanceof Down d && d.ref() == ref ? d : null);
                Proc.send(test, "saw the DOWN"); // must not happen: the link killed us first
            });
            Down down = Proc.receive(m -> m instanceof Down d && d.ref() == watcher.ref() ? d : null);
            assertThat(down.reason()).as("round %d", i).isEqualTo(boom);
        }
        assertThat(Proc.receive(Duration.ZERO)).as("a watcher handled its DOWN").isEmpty();
    }

    @Test
    void aHundredThousandLinkedProcessesDieWithTheirChains(Node node, AttachedProcess me) {
        int chains = 100;
        int length = Stress.scaled(1_000);
        Map<Ref, Pid> tails = new HashMap<>();
        List<Pid> heads = new ArrayList<>();
        for (int c = 0; c < chains; c++) {
            heads.add(Proc.spawn(() -> chain(me.pid(), length)));
        }
        for (int c = 0; c < chains; c++) {
            Pid tail = Proc.receive(Matcher.type(Ready.class)).tail();
            tails.put(Proc.monitor(tail), tail);
        }
        assertThat(node.systemInfo().processCount()).isEqualTo(chains * length + 1);
        for (Pid head : heads) {
            Proc.exit(head, Reason.KILL);
        }
        Set<Ref> seen = new HashSet<>();
        for (int c = 0; c < chains; c++) {
            Down d = Proc.receive(Matcher.type(Down.class));
            assertThat(d.reason()).isEqualTo(Reason.KILLED);
            assertThat(seen.add(d.ref())).as("one DOWN per monitor").isTrue();
            assertThat(d.target()).isEqualTo(tails.get(d.ref()));
        }
        assertThat(node.processes()).containsExactly(me.pid());
    }

    @Test
    void aTrappingParentHearsEveryCrashOfItsChildrenOnce(Node node, AttachedProcess me) {
        int children = Stress.scaled(10_000);
        Proc.trapExit(true);
        Map<Pid, Integer> expected = new HashMap<>();
        for (int i = 0; i < children; i++) {
            int n = i;
            Pid p = Proc.spawnLink(() -> {
                switch (n % 3) {
                    case 0 -> Proc.exit(Reason.custom(n));
                    case 1 -> throw new IllegalStateException("crash " + n);
                    default -> { } // normal exit
                }
            });
            expected.put(p, n);
        }
        for (int i = 0; i < children; i++) {
            Exit e = Proc.receive(Matcher.type(Exit.class));
            Integer n = expected.remove(e.from());
            assertThat(n).as("one EXIT per child").isNotNull();
            switch (n % 3) {
                case 0 -> assertThat(e.reason()).isEqualTo(Reason.custom(n));
                case 1 -> assertThat(e.reason()).isInstanceOfSatisfying(Reason.Crash.class,
                        c -> assertThat(c.exception()).hasMessage("crash " + n));
                default -> assertThat(e.reason()).isEqualTo(Reason.NORMAL);
            }
        }
        assertThat(expected).isEmpty();
        assertThat(Proc.info(me.pid()).orElseThrow().links()).isEmpty();
    }

    @Test
    void concurrentSpawnersEachGetExactlyTheirDowns(Node node, AttachedProcess me) {
        int spawners = 8;
        int each = Stress.scaled(10_000);
        record Count(int downs, int wrong) {
        }
        for (int s = 0; s < spawners; s++) {
            Proc.spawn(() -> {
                int wrong = 0;
                Map<Ref, Reason> pending = new HashMap<>();
                for (int i = 0; i < each; i++) {
                    Reason why = i % 2 == 0 ? Reason.NORMAL : Reason.custom(i);
                    Spawned c = Proc.spawnMonitor(() -> Proc.exit(why));
                    boolean raced = i % 5 == 0;
                    if (raced) {
                        Proc.exit(c.pid(), Reason.KILL); // races the child's own exit
                    }
                    pending.put(c.ref(), raced ? null : why);
                }
                int downs = 0;
                while (!pending.isEmpty()) {
                    Down d = Proc.receive(Matcher.type(Down.class));
                    if (!pending.containsKey(d.ref())) {
                        wrong++;
                        continue;
                    }
                    Reason why = pending.remove(d.ref());
                    if (why != null && !why.equals(d.reason())) {
                        wrong++;
                    }
                    if (why == null && !d.reason().equals(Reason.KILLED) && !(d.reason() instanceof Reason.Normal)
                            && !(d.reason() instanceof Reason.Custom)) {
                        wrong++;
                    }
                    downs++;
                }
                Proc.send(me.pid(), new Count(downs, wrong));
            });
        }
        for (int s = 0; s < spawners; s++) {
            Count c = Proc.receive(Matcher.type(Count.class));
            assertThat(c.downs()).isEqualTo(each);
            assertThat(c.wrong()).isZero();
        }
        assertThat(Proc.messages()).isEmpty();
    }

    @Test
    void killingARandomGraphLeavesNothingBehind(Node node, AttachedProcess me) {
        int size = Stress.scaled(20_000);
        Random rnd = new Random(7);
        List<Pid> pids = new ArrayList<>();
        Map<Ref, Pid> monitors = new HashMap<>();
        for (int i = 0; i < size; i++) {
            List<Pid> partners = new ArrayList<>();
            for (int k = 0; k < 3 && !pids.isEmpty(); k++) {
                partners.add(pids.get(rnd.nextInt(pids.size())));
            }
            boolean trapping = rnd.nextInt(4) == 0;
            Pid p = Proc.spawn(() -> {
                Proc.trapExit(trapping);
                for (Pid q : partners) {
                    try {
                        Proc.link(q);
                    } catch (otp4j.runtime.NoProcException e) {
                        // q already died in the storm: as link/1 raising noproc
                    }
                }
                for (;;) {
                    Proc.receive(); // trapping processes drain their EXITs
                }
            });
            pids.add(p);
            monitors.put(Proc.monitor(p), p);
        }
        List<Pid> killers = new ArrayList<>();
        for (int k = 0; k < 4; k++) {
            long seed = k;
            killers.add(Proc.spawn(() -> {
                Random r = new Random(seed);
                for (int i = 0; i < size / 10; i++) {
                    Proc.exit(pids.get(r.nextInt(pids.size())),
                            r.nextBoolean() ? Reason.KILL : Reason.custom("storm"));
                }
            }));
        }
        for (Pid killer : killers) {
            Ref r = Proc.monitor(killer);
            Proc.receive(m -> m instanceof Down d && d.ref() == r ? d : null);
        }
        for (Pid p : pids) {
            Proc.exit(p, Reason.KILL);
        }
        Set<Ref> seen = new HashSet<>();
        for (int i = 0; i < size; i++) {
            Down d = Proc.receive(Matcher.type(Down.class), Duration.ofSeconds(30)).orElseThrow();
            assertThat(monitors).containsKey(d.ref());
            assertThat(seen.add(d.ref())).as("one DOWN per monitor").isTrue();
            assertThat(d.reason()).isIn(Reason.KILLED, Reason.custom("storm"));
        }
        assertThat(node.processes()).containsExactly(me.pid());
        assertThat(node.checkInvariants()).isEmpty();
    }

    /** An observer's record: the reason of each Exit and Down it got, by victim; and how many it got in all. */
    private record Observed(Map<Pid, Reason> exits, Map<Pid, Reason> downs, int signals) {
    }

    /**
     * Victims linked to one another at random are killed in random order, each with a reason of
     * its own, and die of the first exit signal that reaches them; observers that trap exits are
     * linked to some victims and monitor others. Every observer gets exactly one Exit per link and
     * one Down per monitor, each with the reason the victim died of (as the test's own monitor of
     * it says), and nothing is left (10^4 victims here, 10^6 in the stress profile).
     */
    @Test
    void observersOfARandomGraphGetEachExitAndDownOnceWithTheVictimsReason(Node node, AttachedProcess me) {
        int victims = (int) Stress.soak(10_000, 1_000_000);
        int observers = (int) Stress.soak(100, 1_000);
        int perObserver = 50;
        Random rnd = new Random(11);
        Pid[] pids = new Pid[victims];
        Map<Ref, Integer> monitors = new HashMap<>();
        for (int i = 0; i < victims; i++) {
            List<Pid> partners = new ArrayList<>();
            for (int k = 0; k < 2 && i > 0; k++) {
                partners.add(pids[rnd.nextInt(i)]);
            }
            pids[i] = Proc.spawn(() -> {
                for (Pid q : partners) {
                    Proc.link(q); // nobody dies before every process is ready
                }
                Proc.send(me.pid(), new Ready(Proc.self()));
                Proc.receive(m -> null);
            });
            monitors.put(Proc.monitor(pids[i]), i);
        }
        List<Spawned> watchers = new ArrayList<>();
        for (int o = 0; o < observers; o++) {
            Set<Pid> linked = new HashSet<>();
            Set<Pid> watched = new HashSet<>();
            while (linked.size() < perObserver) {
                linked.add(pids[rnd.nextInt(victims)]);
            }
            while (watched.size() < perObserver) {
                watched.add(pids[rnd.nextInt(victims)]);
            }
            watchers.add(Proc.spawnMonitor(() -> {
                Proc.trapExit(true);
                Map<Ref, Pid> refs = new HashMap<>();
                for (Pid v : linked) {
                    Proc.link(v);
                }
                for (Pid v : watched) {
                    refs.put(Proc.monitor(v), v);
                }
                Proc.send(me.pid(), new Ready(Proc.self()));
                Map<Pid, Reason> exits = new HashMap<>();
                Map<Pid, Reason> downs = new HashMap<>();
                int signals = 0;
                while (exits.size() < linked.size() || downs.size() < watched.size()) {
                    switch (Proc.receive()) {
                        case Exit(Pid from, Reason reason) -> exits.put(from, reason);
                        case Down d -> downs.put(refs.get(d.ref()), d.reason());
                        default -> throw new AssertionError("unexpected message");
                    }
                    signals++;
                }
                Proc.send(me.pid(), new Observed(exits, downs, signals));
            }));
        }
        for (int i = 0; i < victims + observers; i++) {
            Proc.receive(m -> m instanceof Ready r ? r : null); // from each victim and observer
        }
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < victims; i++) {
            order.add(i);
        }
        Collections.shuffle(order, rnd);
        for (int i : order) {
            Proc.exit(pids[i], Reason.custom("r" + i)); // a no-op if a linked victim took it down already
        }
        Map<Pid, Reason> diedOf = new HashMap<>();
        for (int i = 0; i < victims; i++) {
            Down d = Proc.receive(m -> m instanceof Down x && monitors.containsKey(x.ref()) ? x : null);
            assertThat(diedOf.put(pids[monitors.get(d.ref())], d.reason())).as("one Down per monitor").isNull();
        }
        for (int o = 0; o < observers; o++) {
            Observed seen = Proc.receive(m -> m instanceof Observed x ? x : null);
            assertThat(seen.signals()).as("one signal per link and monitor")
                    .isEqualTo(seen.exits().size() + seen.downs().size());
            seen.exits().forEach((v, r) -> assertThat(r).as("Exit from %s", v).isEqualTo(diedOf.get(v)));
            seen.downs().forEach((v, r) -> assertThat(r).as("Down of %s", v).isEqualTo(diedOf.get(v)));
        }
        for (Spawned w : watchers) {
            Down d = Proc.receive(m -> m instanceof Down x && x.ref() == w.ref() ? x : null);
            assertThat(d.reason()).isEqualTo(Reason.NORMAL);
        }
        assertThat(node.processes()).containsExactly(me.pid());
        assertThat(node.checkInvariants()).isEmpty();
    }
}
