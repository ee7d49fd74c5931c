package otp4j.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import otp4j.testing.NodeExtension;

/** Bad input gets a specific exception whose message says what was wrong; nothing is dropped silently. */
@ExtendWith(NodeExtension.class)
class BadInputTest {

    private static Pid idle(Node node) {
        return node.spawn(() -> Proc.receive(m -> null));
    }

    @Test
    void nullMessagesAndDestinationsAreRejectedByName(Node node, AttachedProcess me) {
        Pid p = idle(node);
        assertThatThrownBy(() -> Proc.send(p, null)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("message");
        assertThatThrownBy(() -> Proc.send((Dest) null, "x")).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("dest");
        assertThatThrownBy(() -> Proc.send((String) null, "x")).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("name");
        assertThatThrownBy(() -> Proc.link(null)).isInstanceOf(NullPointerException.class).hasMessageContaining("pid");
        assertThatThrownBy(() -> Proc.monitor((Pid) null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> Proc.exit(p, null)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("reason");
        assertThatThrownBy(() -> Proc.receive((Matcher<?>) null)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("matcher");
        assertThatThrownBy(() -> node.spawn(null)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("body");
    }

    @Test
    void pidsOfAnotherNodeAreRejectedWithBothNodesNamed(Node node, AttachedProcess me) {
        try (Node other = Node.start(NodeOptions.defaults().withName("other").withCarriers(1))) {
            Pid foreign = other.spawn(() -> Proc.receive(m -> null));
            for (Runnable op : new Runnable[] {
                    () -> Proc.send(foreign, "x"), () -> Proc.link(foreign), () -> Proc.monitor(foreign),
                    () -> Proc.exit(foreign, Reason.KILL), () -> Proc.register("f", foreign) }) {
                assertThatThrownBy(op::run).isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining(foreign.toString()).hasMessageContaining("other")
                        .hasMessageContaining(node.name());
            }
            assertThat(Proc.isAlive(foreign)).isTrue();
        }
    }

    @Test
    void sendingFromOutsideToAClosedNodeFails(Node node) {
        Node other = Node.start(NodeOptions.defaults().withName("closing").withCarriers(1));
        Pid p = other.spawn(() -> Proc.receive(m -> null));
        other.close();
        assertThatThrownBy(() -> Proc.send(p, "late")).isInstanceOf(NodeClosedException.class)
                .hasMessageContaining("closing").hasMessageContaining("shut down");
        assertThatThrownBy(() -> other.spawn(() -> { })).isInstanceOf(NodeClosedException.class);
        assertThatThrownBy(other::attach).isInstanceOf(NodeClosedException.class);
    }

    @Test
    void registeringTwiceOrADeadPidSaysWhy(Node node, AttachedProcess me) {
        Pid a = idle(node);
        Pid b = idle(node);
        Proc.register("db", a);
        assertThatThrownBy(() -> Proc.register("db", b)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("\"db\" is already registered to " + a);
        assertThatThrownBy(() -> Proc.register("db2", a)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("already registered as \"db\"");
        assertThatThrownBy(() -> Proc.register(" ", b)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("blank");
        Ref ref = Proc.monitor(b);
        Proc.exit(b, Reason.KILL);
        Proc.receive(m -> m instanceof Down d && d.ref() == ref ? d : null);
        assertThatThrownBy(() -> Proc.register("late", b)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not alive");
        assertThatThrownBy(() -> Proc.unregister("nobody")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("\"nobody\" is not registered");
    }

    @Test
    void negativeTimeoutsAreRejected(Node node, AttachedProcess me) {
        Duration minus = Duration.ofMillis(-1);
        assertThatThrownBy(() -> Proc.receive(minus)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("timeout must not be negative");
        assertThatThrownBy(() -> Proc.receive(Matcher.any(), minus)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Proc.sendAfter(minus, me.pid(), "x")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("delay must not be negative");
        assertThatThrownBy(() -> NodeOptions.defaults().withShutdownTimeout(minus))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> NodeOptions.defaults().withCarriers(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("carriers must be >= 1");
    }

    @Test
    void processOnlyFunctionsTellAThreadHowToBecomeAProcess(Node node) {
        assertThatThrownBy(Proc::self).isInstanceOf(IllegalCallerException.class)
                .hasMessageContaining("Proc.self() needs a process").hasMessageContaining("Node.attach()");
        assertThatThrownBy(() -> Proc.receive()).isInstanceOf(IllegalCallerException.class);
        assertThatThrownBy(() -> Proc.send(new Name("x"), "m")).isInstanceOf(IllegalCallerException.class)
                .hasMessageContaining("Node.whereis");
        assertThat(Proc.isProcess()).isFalse();
    }

    @Test
    void aThreadAttachesOnceAndOnlyItsOwnerDetaches(Node node, AttachedProcess me) throws Exception {
        assertThatThrownBy(node::attach).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("already is process " + me.pid());
        Throwable[] failure = new Throwable[1];
        Thread other = Thread.ofPlatform().start(() -> {
            try {
                me.close();
            } catch (Throwable t) {
                failure[0] = t;
            }
        });
        other.join();
        assertThat(failure[0]).isInstanceOf(IllegalCallerException.class)
                .hasMessageContaining("closed by the thread that attached it");
    }

    @Test
    void aMatcherMustNotReceive(Node node, AttachedProcess me) {
        Proc.send(me.pid(), "a");
        assertThatThrownBy(() -> Proc.receive(m -> Proc.receive(Duration.ZERO).orElse(null)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("Matcher must not receive");
    }

    @Test
    void aProcessCannotCloseItsOwnNode(Node node, AttachedProcess me) {
        assertThatThrownBy(node::close).isInstanceOf(IllegalCallerException.class)
                .hasMessageContaining("cannot close its own node");
        Ref ref = Proc.spawnMonitor(() -> {
            try {
                node.close();
            } catch (IllegalCallerException e) {
                Proc.exit(Reason.custom(e.getMessage()));
            }
        }).ref();
        Down down = Proc.receive(m -> m instanceof Down d && d.ref() == ref ? d : null);
        assertThat(down.reason().toString()).contains("cannot close its own node");
    }

    @Test
    void namesAndNodeNamesMustNotBeBlank() {
        assertThatThrownBy(() -> new Name("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> NodeOptions.defaults().withName(" ")).isInstanceOf(IllegalArgumentException.class);
    }
}
