package otp4j.samples.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import otp4j.behaviour.ChildInfo;
import otp4j.behaviour.DynamicSupervisor;
import otp4j.behaviour.GenServer;
import otp4j.behaviour.StartOptions;
import otp4j.behaviour.SupFlags;
import otp4j.behaviour.Supervisor;
import otp4j.behaviour.SupervisorSpec;
import otp4j.runtime.AttachedProcess;
import otp4j.runtime.Name;
import otp4j.runtime.Node;
import otp4j.runtime.Pid;
import otp4j.runtime.Proc;
import otp4j.samples.chat.Chat;
import otp4j.samples.main.Samples;
import otp4j.samples.pipeline.MemoryJobStore;
import otp4j.samples.web.Http;
import otp4j.testing.Mailbox;
import otp4j.testing.ManualTicker;
import otp4j.testing.NodeExtension;

@ExtendWith(NodeExtension.class)
class ChaosMonkeyTest {
    private static final Duration DEADLINE = Duration.ofSeconds(10);

    /** What a test's {@code onStrike} sends the test. */
    record Struck(ChaosMonkey.Strike strike) {
    }

    private static List<ChildInfo> children(String supervisor) {
        return supervisor.equals(Chat.ROOMS_SUPERVISOR) || supervisor.equals(Chat.BOTS_SUPERVISOR)
                ? DynamicSupervisor.whichChildren(new Name(supervisor))
                : Supervisor.whichChildren(new Name(supervisor));
    }

    @Test
    void theSamplesRecoverFromEveryStrikeAndKeepAnswering(AttachedProcess me) {
        Samples samples = new Samples(Samples.Config.defaults().withPort(0).withBots(40).withRate(1_000_000,
                Duration.ofHours(1)).withChaosEvery(Optional.empty()), new MemoryJobStore(), strike -> {
        });
        Pid top = samples.startLink().orThrow();
        URI base = samples.web().uri();
        Map<String, Integer> bySupervisor = new HashMap<>();
        for (int i = 0; i < 40; i++) {
            ChaosMonkey.Strike s = ChaosMonkey.strike().orElseThrow();
            bySupervisor.merge(s.supervisor(), 1, Integer::sum);
            // the supervisor had the exit queued before strike() returned: it answers after the restart
            assertThat(children(s.supervisor())).as("strike %d: %s", i, s).anySatisfy(c -> {
                assertThat(c.id()).isEqualTo(s.id());
                assertThat(c.pid()).isPresent().get().isNotEqualTo(s.pid());
            });
            assertThat(Proc.isAlive(s.pid())).isFalse();

            assertThat(Http.get(URI.create(base + "/limited?client=chaos")).statusCode()).as("after %s", s).isEqualTo(200);
            assertThat(Http.send("PUT", URI.create(base + "/cache/k" + i), "v" + i).statusCode()).isEqualTo(204);
            assertThat(Http.get(URI.create(base + "/cache/k" + i)).body()).isEqualTo("v" + i + "\n");
            assertThat(Http.send("POST", URI.create(base + "/chat/lobby?from=test"), "still there?").body())
                    .isEqualTo("sent to 40 members of lobby\n");
            assertThat(Http.send("POST", URI.create(base + "/jobs?kind=primes"), "1000").body())
                    .matches("job \\d+ done in 1 attempt\\(s\\): 168\n");
        }
        assertThat(ChaosMonkey.strikes()).isEqualTo(40);
        assertThat(bySupervisor.keySet()).as("every kind of prey was hit").containsExactlyInAnyOrder(
                Samples.SUPERVISOR, Chat.SUPERVISOR, Chat.ROOMS_SUPERVISOR, Chat.BOTS_SUPERVISOR);
        assertThat(Proc.isAlive(top)).isTrue();
        GenServer.stop(top);
    }

    @Test
    void theMonkeyStrikesOnItsTimer(ManualTicker ticker, Node node, AttachedProcess me) {
        Pid test = me.pid();
        Pid sup = Supervisor.startLink(SupFlags.oneForOne().withIntensity(10, Duration.ofSeconds(5)), List.of(
                ChildSpecs.sleeper("a"), ChildSpecs.sleeper("b"))).orThrow();
        Proc.register("prey_sup", sup);
        ChaosMonkey monkey = new ChaosMonkey(List.of(new ChaosMonkey.Workers("prey_sup")),
                Optional.of(Duration.ofSeconds(5)), 1, strike -> Proc.send(test, new Struck(strike)));
        Pid m = monkey.startLink().orThrow();
        for (int i = 0; i < 3; i++) {
            ticker.advance(Duration.ofSeconds(5));
            Struck s = Mailbox.awaitInRealTime(x -> x instanceof Struck st ? st : null, DEADLINE);
            assertThat(s.strike().supervisor()).isEqualTo("prey_sup");
            assertThat(s.strike().id()).isIn("a", "b");
        }
        assertThat(ChaosMonkey.strikes()).isEqualTo(3);
        GenServer.stop(m);
        GenServer.stop(sup);
    }

    @Test
    void theMonkeySparesSupervisorsAndItself(AttachedProcess me) {
        ChaosMonkey monkey = new ChaosMonkey(List.of(new ChaosMonkey.Workers("prey_sup")), Optional.empty(), 1,
                strike -> {
                });
        Pid sup = Supervisor.startLink(() -> Optional.of(new SupervisorSpec(SupFlags.oneForOne(), List.of(
                ChildSpecs.emptySupervisor("inner"), monkey.childSpec()))), StartOptions.named("prey_sup"))
                .orThrow();
        assertThat(ChaosMonkey.strike()).isEmpty();
        assertThat(ChaosMonkey.strike()).as("a supervisor that is not running has no prey").isEmpty();
        GenServer.stop(sup);
    }

    @Test
    void badSpecificationsAreRefusedWithWhatIsWrong() {
        assertThatThrownBy(() -> new ChaosMonkey(List.of(), Optional.empty(), 1, s -> {
        })).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a chaos monkey needs at least one supervisor to prey on");
        assertThatThrownBy(() -> new ChaosMonkey(List.of(new ChaosMonkey.Workers("s")), Optional.of(Duration.ZERO), 1,
                s -> {
                })).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("every must be positive, was PT0S");
    }
}
