package otp4j.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import otp4j.testing.Mailbox;
import otp4j.testing.NodeExtension;

/**
 * Tools' view of other processes: {@code process_info(P, messages)} as {@link Proc#messages(Pid,
 * int)}, and {@code erlang:trace/3} as {@link Proc#trace}.
 */
@ExtendWith(NodeExtension.class)
class TraceAndPeekTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    private record Ping(Pid from, Object payload) {}

    /** Answers each Ping with its payload, until "stop". */
    private static void echo() {
        while (true) {
            Object m = Proc.receive();
            if (m instanceof Ping(Pid from, Object payload)) {
                Proc.send(from, payload);
            } else if (m.equals("stop")) {
                return;
            }
        }
    }

    private static void awaitDown(Ref ref) {
        Mailbox.await(m -> m instanceof Down d && d.ref() == ref ? d : null, WAIT);
    }

    @Test
    void messagesOfAnotherProcessAreItsMailboxInReceiveOrderAndStayThere(Node node, AttachedProcess me) {
        Pid p = node.spawn(() -> {
            Proc.receive(m -> m.equals("go") ? m : null); // leaves older messages in its save list
            Proc.receive(Matcher.type(Void.class));
        });
        Proc.send(p, "a");
        Proc.send(p, "b");
        Proc.send(p, "go");
        Ref ref = Proc.monitor(p);
        // Once "go" is taken, "a" and "b" sit in the save list; "c" arrives in incoming after them.
        while (Proc.info(p).orElseThrow().messageQueueLength() != 2) {
            Thread.onSpinWait();
        }
        Proc.send(p, "c");

        assertThat(Proc.messages(p, 10)).contains(java.util.List.of("a", "b", "c"));
        assertThat(Proc.messages(p, 2)).contains(java.util.List.of("a", "b"));
        assertThat(Proc.messages(p, 0)).contains(java.util.List.of());
        assertThat(Proc.info(p).orElseThrow().messageQueueLength()).isEqualTo(3);

        Proc.exit(p, Reason.KILL);
        awaitDown(ref);
        assertThat(Proc.messages(p, 10)).isEmpty();
        assertThatThrownBy(() -> Proc.messages(me.pid(), -1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("limit");
        assertThatThrownBy(() -> Proc.messages(null, 1)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void aTracerReceivesWhatTheProcessReceivesAndSends(Node node, AttachedProcess me) {
        Pid echo = node.spawn(TraceAndPeekTest::echo);
        Proc.trace(echo, me.pid(), EnumSet.of(TraceFlag.SEND, TraceFlag.RECEIVE));
        assertThat(Proc.tracer(echo)).contains(me.pid());

        Ping ping = new Ping(me.pid(), "pong");
        Proc.send(echo, ping);
        // The receive event is queued by this send, the send event by echo before its answer:
        // the two may arrive in either order, both before "pong".
        TraceEvent received = Mailbox.await(m -> m instanceof TraceEvent.Receive r ? r : null, WAIT);
        TraceEvent sent = Mailbox.await(m -> m instanceof TraceEvent.Send s ? s : null, WAIT);
        assertThat(received).isEqualTo(new TraceEvent.Receive(echo, ping));
        assertThat(sent).isEqualTo(new TraceEvent.Send(echo, "pong", me.pid()));
        Object pong = Mailbox.await(m -> m.equals("pong") ? m : null, WAIT);
        assertThat(pong).isEqualTo("pong");
        assertThat(Proc.messages()).isEmpty();

        assertThat(Proc.untrace(echo)).isTrue();
        assertThat(Proc.tracer(echo)).isEmpty();
        Proc.send(echo, new Ping(me.pid(), "again"));
        Mailbox.await(m -> m.equals("again") ? m : null, WAIT);
        assertThat(Proc.messages()).as("nothing traced after untrace").isEmpty();
        assertThat(Proc.untrace(echo)).isFalse();
        Proc.send(echo, "stop");
    }

    @Test
    void onlyTheFlagsGivenAreTracedAndSignalsCountAsReceived(Node node, AttachedProcess me) {
        Pid watcher = node.spawn(() -> {
            Proc.receive(m -> m.equals("go") ? m : null);
            Pid doomed = Proc.spawn(() -> Proc.receive(Matcher.type(Void.class)));
            Proc.monitor(doomed);
            Proc.exit(doomed, Reason.KILL);
            Proc.receive(Matcher.type(Down.class));
            Proc.receive(m -> m.equals("stop") ? m : null);
        });
        Ref ref = Proc.monitor(watcher);
        Proc.trace(watcher, me.pid(), Set.of(TraceFlag.RECEIVE));
        Proc.send(watcher, "go");
        TraceEvent.Receive down = Mailbox.await(
                m -> m instanceof TraceEvent.Receive r && r.message() instanceof Down ? r : null, WAIT);
        assertThat(down.pid()).isEqualTo(watcher);
        Proc.send(watcher, "stop");
        awaitDown(ref);
        assertThat(Proc.messages()).as("the watcher's sends are not traced")
                .noneMatch(m -> m instanceof TraceEvent.Send);
    }

    @Test
    void traceEventsAreNotTracedSoASelfTraceDoesNotFeedItself(Node node, AttachedProcess me) {
        Proc.trace(me.pid(), me.pid(), Set.of(TraceFlag.SEND, TraceFlag.RECEIVE));
        Proc.send(me.pid(), "x");
        Proc.untrace(me.pid());
        assertThat(Proc.messages()).containsExactlyInAnyOrder("x",
                new TraceEvent.Send(me.pid(), "x", me.pid()), new TraceEvent.Receive(me.pid(), "x"));
        Mailbox.flush();
    }

    @Test
    void theTraceEndsWithTheTracerOrTheTarget(Node node, AttachedProcess me) {
        Pid target = node.spawn(TraceAndPeekTest::echo);
        Pid tracer = node.spawn(() -> Proc.receive(m -> m.equals("stop") ? m : null));
        Ref tracerRef = Proc.monitor(tracer);
        Proc.trace(target, tracer, Set.of(TraceFlag.RECEIVE));
        assertThat(Proc.tracer(target)).contains(tracer);
        Proc.send(tracer, "stop");
        awaitDown(tracerRef);
        assertThat(Proc.tracer(target)).isEmpty();
        Proc.send(target, new Ping(me.pid(), "still answers"));
        Mailbox.await(m -> m.equals("still answers") ? m : null, WAIT);

        Proc.trace(target, me.pid(), Set.of(TraceFlag.RECEIVE));
        Ref targetRef = Proc.monitor(target);
        Proc.send(target, "stop");
        awaitDown(targetRef);
        assertThat(Proc.tracer(target)).isEmpty();
        Mailbox.flush();
    }

    @Test
    void badTraceRequestsSayWhatIsWrong(Node node, AttachedProcess me) {
        Pid target = node.spawn(TraceAndPeekTest::echo);
        Pid dead = node.spawn(() -> { });
        Ref ref = Proc.monitor(dead);
        awaitDown(ref);
        assertThatThrownBy(() -> Proc.trace(target, me.pid(), Set.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("flags");
        assertThatThrownBy(() -> Proc.trace(dead, me.pid(), Set.of(TraceFlag.SEND)))
                .isInstanceOf(NoProcException.class).hasMessageContaining("target");
        assertThatThrownBy(() -> Proc.trace(target, dead, Set.of(TraceFlag.SEND)))
                .isInstanceOf(NoProcException.class).hasMessageContaining("tracer");
        assertThatThrownBy(() -> Proc.trace(target, null, Set.of(TraceFlag.SEND)))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("tracer");
        try (Node other = Node.start()) {
            Pid foreign = other.spawn(() -> Proc.receive(Matcher.type(Void.class)));
            assertThatThrownBy(() -> Proc.trace(target, foreign, Set.of(TraceFlag.SEND)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not on the node");
        }
        assertThat(Proc.tracer(dead)).isEmpty();
        assertThat(Proc.untrace(dead)).isFalse();
        Proc.send(target, "stop");
    }
}
