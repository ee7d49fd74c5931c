package otp4j.samples.ring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import otp4j.runtime.AttachedProcess;
import otp4j.runtime.Matcher;
import otp4j.runtime.Node;
import otp4j.runtime.Pid;
import otp4j.runtime.Proc;
import otp4j.testing.NodeExtension;

@ExtendWith(NodeExtension.class)
class RingTest {

    @Test
    void theTokenMakesOneHopPerProcessPerLap(Node node, AttachedProcess me) {
        Pid first = Ring.start(500, me.pid());
        Proc.send(first, new Ring.Token(0));
        for (int lap = 0; lap < 5; lap++) {
            assertThat(Proc.receive(Matcher.type(Ring.Lap.class)).hops()).isEqualTo(500L * lap);
        }
        assertThat(node.processes()).hasSize(501);
    }

    @Test
    void aRingOfOneIsItsOwnNeighbour(Node node, AttachedProcess me) {
        Pid only = Ring.start(1, me.pid());
        Proc.send(only, new Ring.Token(0));
        assertThat(Proc.receive(Matcher.type(Ring.Lap.class)).hops()).isZero();
        assertThat(Proc.receive(Matcher.type(Ring.Lap.class)).hops()).isEqualTo(1);
    }

    @Test
    void anEmptyRingIsRejected(Node node, AttachedProcess me) {
        assertThatThrownBy(() -> Ring.start(0, me.pid()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least one process");
    }
}
