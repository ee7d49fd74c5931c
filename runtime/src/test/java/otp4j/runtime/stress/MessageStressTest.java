package otp4j.runtime.stress;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

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
}
