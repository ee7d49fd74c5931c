package otp4j.runtime.stress;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReferenceArray;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import otp4j.runtime.AttachedProcess;
import otp4j.runtime.Down;
import otp4j.runtime.Matcher;
import otp4j.runtime.Node;
import otp4j.runtime.Pid;
import otp4j.runtime.Proc;
import otp4j.runtime.Reason;
import otp4j.runtime.Ref;
import otp4j.runtime.Spawned;
import otp4j.testing.NodeExtension;

/**
 * Many senders, many receivers, one mailbox each: every message arrives exactly once and in
 * per-sender order. Sizes scale with {@code -Dotp4j.stress.scale} (default 1: seconds).
 */
@Tag("stress")
@ExtendWith(NodeExtension.class)
class MessageStressTest {
    private record Msg(int sender, int seq) {
    }

    private record Tally(long received, long outOfOrder) {
    }

    /** Receives {@code total} messages from {@code senders} senders and tallies them. */
    private static Pid tallier(Pid parent, int senders, long total) {
        return Proc.spawn(() -> {
            int[] next = new int[senders];
            long outOfOrder = 0;
            for (long i = 0; i < total; i++) {
                Msg m = (Msg) Proc.receive();
                if (m.seq() != next[m.sender()]) {
                    outOfOrder++;
                }
                next[m.sender()] = m.seq() + 1;
            }
            Proc.send(parent, new Tally(total, outOfOrder));
        });
    }

    private static void sendAll(Pid to, int sender, int count) {
        for (int seq = 0; seq < count; seq++) {
            Proc.send(to, new Msg(sender, seq));
        }
    }

    @Test
    void hundredSendersToOneReceiverLoseNothingAndKeepPerSenderOrder(Node node, AttachedProcess me) {
        int senders = 100;
        int each = Stress.scaled(100_000);
        Pid receiver = tallier(me.pid(), senders, (long) senders * each);
        for (int s = 0; s < senders; s++) {
            int id = s;
            Proc.spawn(() -> sendAll(receiver, id, each));
        }
        Tally t = Proc.receive(Matcher.type(Tally.class));
        assertThat(t.outOfOrder()).isZero();
        // The tallier counted exactly senders * each messages; nothing is left over.
        assertThat(Proc.messages()).isEmpty();
    }

    @Test
    void manySendersToManyReceiversAcrossCarriers(Node node, AttachedProcess me) {
        int receivers = 20;
        int senders = 50;
        int each = Stress.scaled(5_000);
        List<Pid> sinks = new ArrayList<>();
        for (int r = 0; r < receivers; r++) {
            sinks.add(tallier(me.pid(), senders, (long) senders * each));
        }
        for (int s = 0; s < senders; s++) {
            int id = s;
            Proc.spawn(() -> {
                for (int seq = 0; seq < each; seq++) {
                    for (Pid sink : sinks) {
                        Proc.send(sink, new Msg(id, seq));
                    }
                }
            });
        }
        for (int r = 0; r < receivers; r++) {
            assertThat(Proc.receive(Matcher.type(Tally.class)).outOfOrder()).isZero();
        }
    }

    @Test
    void sendersThatAreNotProcessesLoseNothing(Node node, AttachedProcess me) throws Exception {
        int threads = 8;
        int each = Stress.scaled(50_000);
        Pid receiver = tallier(me.pid(), threads, (long) threads * each);
        List<Thread> ts = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int id = t;
            ts.add(Thread.ofPlatform().start(() -> sendAll(receiver, id, each)));
        }
        for (Thread t : ts) {
            t.join();
        }
        assertThat(Proc.receive(Matcher.type(Tally.class)).outOfOrder()).isZero();
    }

    @Test
    void aReceiverKilledWhileFloodedIsGoneWithItsMailbox(Node node, AttachedProcess me) {
        Pid sink = Proc.spawn(() -> Proc.receive(m -> null)); // never takes anything
        Ref ref = Proc.monitor(sink);
        List<Pid> senders = new ArrayList<>();
        for (int s = 0; s < 10; s++) {
            int id = s;
            senders.add(Proc.spawn(() -> {
                for (int seq = 0; ; seq++) {
                    Proc.send(sink, new Msg(id, seq)); // keeps sending after sink dies: no error
                }
            }));
        }
        while (Proc.info(sink).map(i -> i.messageQueueLength()).orElse(0) < Stress.scaled(100_000)) {
            Thread.onSpinWait();
        }
        Proc.exit(sink, Reason.KILL);
        Reason reason = Proc.receive(m -> m instanceof Down d && d.ref() == ref ? d.reason() : null);
        assertThat(reason).isEqualTo(Reason.KILLED);
        for (Pid s : senders) {
            Ref r = Proc.monitor(s);
            Proc.exit(s, Reason.KILL);
            Proc.receive(m -> m instanceof Down d && d.ref() == r ? d : null);
        }
        assertThat(node.processes()).containsExactly(me.pid());
    }

    private record Report(Pid to) {
    }

    /** What a receiver got: per sender, how many messages, and how many came out of order. */
    private record Received(Pid receiver, Map<Integer, Integer> counts, long outOfOrder) {
    }

    /** What a sender sent: per receiver pid, how many messages. */
    private record Sent(int sender, Map<Pid, Integer> counts) {
    }

    private record Killed(Set<Pid> pids) {
    }

    /**
     * Counts what it receives from each sender (whose sequence numbers start at 0 for each
     * receiver pid) until asked for its report.
     */
    private static Pid receiver() {
        return Proc.spawn(() -> {
            Map<Integer, Integer> next = new HashMap<>();
            long outOfOrder = 0;
            for (;;) {
                Object m = Proc.receive();
                if (m instanceof Msg(int sender, int seq)) {
                    int expected = next.getOrDefault(sender, 0);
                    if (seq != expected) {
                        outOfOrder++;
                    }
                    next.put(sender, seq + 1);
                } else if (m instanceof Report(Pid to)) {
                    Proc.send(to, new Received(Proc.self(), next, outOfOrder));
                    return;
                }
            }
        });
    }

    /**
     * Senders send to receivers picked at random while a killer kills receivers and puts new ones
     * in their place: every receiver that was never killed got every message sent to it, once,
     * in each sender's order (10^6 messages here, 10^8 in the stress profile).
     */
    @Test
    void sendsRacingKillsAndRestartsReachEverySurvivorOnceInOrder(Node node, AttachedProcess me) {
        int slots = 16;
        int senders = 16;
        long total = Stress.soak(1_000_000, 100_000_000);
        int each = (int) (total / senders);
        AtomicReferenceArray<Pid> current = new AtomicReferenceArray<>(slots);
        for (int i = 0; i < slots; i++) {
            current.set(i, receiver());
        }
        AtomicBoolean sending = new AtomicBoolean(true);
        Pid killer = Proc.spawn(() -> {
            SplittableRandom rnd = new SplittableRandom(3);
            Set<Pid> killed = new HashSet<>();
            do {
                int slot = rnd.nextInt(slots);
                Pid old = current.getAndSet(slot, receiver());
                Proc.exit(old, Reason.KILL);
                if (killed.isEmpty()) {
                    Proc.send(me.pid(), new Killed(Set.of(old))); // the senders start now
                }
                killed.add(old);
                Proc.receive(Duration.ofMillis(1)); // a kill every millisecond, while the senders run
            } while (sending.get());
            Proc.send(me.pid(), new Killed(killed));
        });
        Proc.receive(m -> m instanceof Killed k ? k : null);
        List<Spawned> ss = new ArrayList<>();
        for (int s = 0; s < senders; s++) {
            int id = s;
            ss.add(Proc.spawnMonitor(() -> {
                SplittableRandom rnd = new SplittableRandom(id);
                Map<Pid, Integer> seqs = new HashMap<>();
                for (int n = 0; n < each; n++) {
                    Pid to = current.get(rnd.nextInt(slots));
                    int seq = seqs.merge(to, 1, Integer::sum) - 1;
                    Proc.send(to, new Msg(id, seq));
                }
                Proc.send(me.pid(), new Sent(id, seqs));
            }));
        }
        Map<Integer, Sent> sent = new HashMap<>();
        for (Spawned s : ss) {
            Sent x = Proc.receive(m -> m instanceof Sent y ? y : null);
            sent.put(x.sender(), x);
            Proc.receive(m -> m instanceof Down d && d.ref() == s.ref() ? d : null);
        }
        sending.set(false);
        Set<Pid> killed = Proc.receive(m -> m instanceof Killed k ? k.pids() : null);
        assertThat(killed).as("kills raced the sends").isNotEmpty();
        // Every send completed before its sender's Down, so it is in the receiver's mailbox
        // before this Report.
        Map<Pid, Received> received = new HashMap<>();
        Set<Ref> reporters = new HashSet<>();
        for (int i = 0; i < slots; i++) {
            reporters.add(Proc.monitor(current.get(i)));
            Proc.send(current.get(i), new Report(me.pid()));
        }
        for (int i = 0; i < slots; i++) {
            Received r = Proc.receive(m -> m instanceof Received x ? x : null);
            received.put(r.receiver(), r);
        }
        for (int i = 0; i < slots; i++) { // a receiver ends after its report: wait for it
            Proc.receive(m -> m instanceof Down d && reporters.contains(d.ref()) ? d : null);
        }
        long checked = 0;
        for (int s = 0; s < senders; s++) {
            for (Map.Entry<Pid, Integer> e : sent.get(s).counts().entrySet()) {
                if (killed.contains(e.getKey())) {
                    continue; // its messages died with it
                }
                Received r = received.get(e.getKey());
                assertThat(r).as("a receiver that was never killed, %s", e.getKey()).isNotNull();
                assertThat(r.counts().get(s)).as("messages from sender %d to %s", s, e.getKey())
                        .isEqualTo(e.getValue());
                checked += e.getValue();
            }
        }
        for (Received r : received.values()) {
            assertThat(r.outOfOrder()).as("out of order at %s", r.receiver()).isZero();
        }
        assertThat(checked).as("messages checked").isPositive();
        Ref k = Proc.monitor(killer);
        Proc.receive(m -> m instanceof Down d && d.ref() == k ? d : null);
        assertThat(node.processes()).containsExactly(me.pid());
    }
}
