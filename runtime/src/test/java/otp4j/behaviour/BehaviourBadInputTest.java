package otp4j.behaviour;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import otp4j.runtime.AttachedProcess;
import otp4j.runtime.Down;
import otp4j.runtime.Pid;
import otp4j.runtime.Proc;
import otp4j.runtime.Reason;
import otp4j.runtime.Ref;
import otp4j.testing.NodeExtension;

/** Mistakes in child specs, flags and callbacks get an error that names what is wrong and what to do. */
@ExtendWith(NodeExtension.class)
class BehaviourBadInputTest {

    /** A server whose init returns null: a mistake the types cannot catch. */
    record NullInit() implements GenServer<String, Object> {
        @Override
        public InitResult<String> init() {
            return null;
        }
    }

    /** A server whose casts crash, and whose terminate crashes too. */
    record CrashesTwice() implements GenServer<String, Object> {
        @Override
        public InitResult<String> init() {
            return GenServer.ok("state");
        }

        @Override
        public Result<String> handleCast(Object request, String state) {
            throw new IllegalStateException("the original crash");
        }

        @Override
        public void terminate(Reason reason, String state) {
            throw new UnsupportedOperationException("a crash in terminate");
        }
    }

    @Test
    void childSpecsAndFlagsNameWhatIsWrong() {
        assertThatThrownBy(() -> ChildSpec.worker("db", null)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("child db needs a start function");
        assertThatThrownBy(() -> SupFlags.oneForOne().withIntensity(-1, Duration.ofSeconds(5)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("intensity must be >= 0, was -1");
        assertThatThrownBy(() -> SupFlags.oneForOne().withIntensity(3, Duration.ofMillis(500)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("period must be at least 1 s");
        assertThatThrownBy(() -> Shutdown.timeout(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("a shutdown timeout must be positive").hasMessageContaining("brutalKill");
        ChildSpec start = ChildSpec.worker("w", () -> GenServer.startLink(new NullInit()));
        assertThatThrownBy(() -> start.withRestart(Restart.PERMANENT).withSignificant(true))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("child w cannot be both significant and permanent");
    }

    @Test
    void anInitThatReturnsNullFailsTheStartNamingTheCallback(AttachedProcess me) {
        StartResult r = GenServer.start(new NullInit());
        assertThat(r).isInstanceOfSatisfying(StartResult.Failed.class, f -> assertThat(f.reason())
                .isInstanceOfSatisfying(Reason.Crash.class, c -> assertThat(c.exception())
                        .hasMessageContaining(NullInit.class.getName() + ".init returned null")));
    }

    @Test
    void aSupervisorNamesTheChildWhoseStartFailed(AttachedProcess me) {
        Proc.trapExit(true); // the failed start exits the supervisor, linked to us
        StartResult r = Supervisor.startLink(SupFlags.oneForOne(),
                List.of(ChildSpec.worker("nulls", () -> GenServer.startLink(new NullInit()))));
        assertThat(r).isInstanceOfSatisfying(StartResult.Failed.class, f -> assertThat(f.reason())
                .isInstanceOfSatisfying(Reason.Shutdown.class, s -> assertThat(s.toString()).contains("nulls")));
    }

    @Test
    void aCrashInTerminateDoesNotHideTheOriginalReason(AttachedProcess me) {
        Pid server = GenServer.start(new CrashesTwice()).orThrow();
        Ref ref = Proc.monitor(server);
        GenServer.cast(server, "crash");
        Down down = Proc.receive(m -> m instanceof Down d && d.ref() == ref ? d : null);
        assertThat(down.reason()).isInstanceOfSatisfying(Reason.Crash.class, c -> assertThat(c.exception())
                .isInstanceOf(IllegalStateException.class).hasMessage("the original crash"));
    }
}
