package otp4j.runtime.stress;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import otp4j.runtime.AttachedProcess;
import otp4j.runtime.Matcher;
import otp4j.runtime.Node;
import otp4j.runtime.Proc;
import otp4j.runtime.Ref;
import otp4j.testing.NodeExtension;

/** Thousands of timers armed, cancelled and fired at once: each fires at most once, none leaks. */
@Tag("stress")
@ExtendWith(NodeExtension.class)
class TimerStressTest {
    private record Tick(int n) {
    }

    private record Result(int fired, int cancelled, int duplicates) {
    }

    @Test
    void timersFireOnceOrNeverAndNoneIsLeftArmed(Node node, AttachedProcess me) {
        int processes = Stress.scaled(2_000);
        int timersEach = 20;
        for (int p = 0; p < processes; p++) {
            int seed = p;
            Proc.spawn(() -> {
                Ref[] refs = new Ref[timersEach];
                for (int i = 0; i < timersEach; i++) {
                    refs[i] = Proc.sendAfter(Duration.ofMillis((seed + i) % 7), Proc.self(), new Tick(i));
                }
                int cancelled = 0;
                boolean[] expect = new boolean[timersEach];
                for (int i = 0; i < timersEach; i++) {
                    expect[i] = true;
                    if (i % 3 == 0 && Proc.cancelTimer(refs[i]).isPresent()) {
                        expect[i] = false; // cancelled before it fired: it must never arrive
                        cancelled++;
                    }
                }
                int fired = 0;
                int duplicates = 0;
                boolean[] got = new boolean[timersEach];
                for (int i = 0; i < timersEach - cancelled; i++) {
                    Tick t = Proc.receive(Matcher.type(Tick.class));
                    if (!expect[t.n()] || got[t.n()]) {
                        duplicates++;
                    }
                    got[t.n()] = true;
                    fired++;
                }
                Proc.send(me.pid(), new Result(fired, cancelled, duplicates));
            });
        }
        int fired = 0;
        int cancelled = 0;
        for (int p = 0; p < processes; p++) {
            Result r = Proc.receive(Matcher.type(Result.class));
            assertThat(r.duplicates()).isZero();
            fired += r.fired();
            cancelled += r.cancelled();
        }
        assertThat(fired + cancelled).isEqualTo(processes * timersEach);
        assertThat(node.systemInfo().armedTimers()).isZero();
    }

    @Test
    void timersAimedAtProcessesThatDieAreDisarmed(Node node, AttachedProcess me) {
        int processes = Stress.scaled(5_000);
        Ref[] refs = new Ref[processes];
        for (int p = 0; p < processes; p++) {
            var s = Proc.spawnMonitor(() -> Proc.receive());
            refs[p] = Proc.sendAfter(Duration.ofHours(1), s.pid(), "never");
            Proc.send(s.pid(), "stop");
        }
        for (int p = 0; p < processes; p++) {
            Proc.receive(Matcher.type(otp4j.runtime.Down.class));
        }
        assertThat(node.systemInfo().armedTimers()).isZero();
        for (Ref r : refs) {
            assertThat(Proc.readTimer(r)).isEmpty();
        }
    }
}
