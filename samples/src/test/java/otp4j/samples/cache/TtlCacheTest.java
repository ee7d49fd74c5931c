package otp4j.samples.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import otp4j.behaviour.ChildInfo;
import otp4j.behaviour.GenServer;
import otp4j.behaviour.SupFlags;
import otp4j.behaviour.Supervisor;
import otp4j.behaviour.Sys;
import otp4j.behaviour.TraceEvent;
import otp4j.ets.Ets;
import otp4j.ets.NoSuchTableException;
import otp4j.ets.Table;
import otp4j.ets.TableAccessException;
import otp4j.runtime.AttachedProcess;
import otp4j.runtime.Down;
import otp4j.runtime.Name;
import otp4j.runtime.Node;
import otp4j.runtime.Pid;
import otp4j.runtime.Proc;
import otp4j.runtime.Reason;
import otp4j.testing.Mailbox;
import otp4j.testing.ManualTicker;
import otp4j.testing.NodeExtension;

@ExtendWith(NodeExtension.class)
class TtlCacheTest {
    private static final Duration DEADLINE = Duration.ofSeconds(10);

    private final TtlCache<String, String> cache = new TtlCache<>("cache", Duration.ofSeconds(10), Duration.ofSeconds(30));

    @Test
    void anEntryIsReadUntilItsTimeToLiveHasPassedWhetherOrNotItWasSwept(ManualTicker ticker, Node node, AttachedProcess me) {
        cache.startLink().orThrow();
        cache.put("a", "1");
        assertThat(cache.get("a")).contains("1");
        ticker.advance(Duration.ofSeconds(9));
        assertThat(cache.get("a")).contains("1");
        ticker.advance(Duration.ofSeconds(1));
        assertThat(cache.get("a")).isEmpty();
        assertThat(cache.stats().entries()).as("expired, not swept yet").isEqualTo(1);
        GenServer.stop(new Name("cache"));
    }

    @Test
    void aPutRenewsTheTimeToLive(ManualTicker ticker, Node node, AttachedProcess me) {
        cache.startLink().orThrow();
        cache.put("a", "1");
        ticker.advance(Duration.ofSeconds(8));
        cache.put("a", "2");
        ticker.advance(Duration.ofSeconds(8));
        assertThat(cache.get("a")).contains("2");
        assertThat(cache.delete("a")).isTrue();
        assertThat(cache.delete("a")).isFalse();
        assertThat(cache.get("a")).isEmpty();
        GenServer.stop(new Name("cache"));
    }

    @Test
    void theSweepTimerDeletesExpiredEntriesOnly(ManualTicker ticker, Node node, AttachedProcess me) {
        Pid server = cache.startLink().orThrow();
        cache.put("old", "1");                       // expires at 10 s
        ticker.advance(Duration.ofSeconds(25));
        cache.put("new", "2");                       // expires at 35 s
        Sys.trace(server, me.pid());
        ticker.advance(Duration.ofSeconds(5));       // 30 s: the sweep
        Mailbox.awaitInRealTime(m -> m instanceof TraceEvent e && e.direction() == TraceEvent.Direction.IN ? e : null,
                DEADLINE);
        Sys.untrace(server);
        assertThat(cache.stats()).isEqualTo(new TtlCache.Stats(1, 1));
        assertThat(cache.get("new")).contains("2");
        assertThat(Ets.<String, Object>whereis("cache").orElseThrow().member("old")).isFalse();
        GenServer.stop(server);
    }

    @Test
    void readersReadTheTableWithoutTheServerButOnlyTheServerWritesIt(AttachedProcess me) {
        Pid server = cache.startLink().orThrow();
        cache.put("a", "1");
        Sys.suspend(server);                          // it answers nothing now, but reads need it not
        assertThat(cache.get("a")).contains("1");
        Sys.resume(server);
        Table<String, Object> table = Ets.<String, Object>whereis("cache").orElseThrow();
        assertThat(table.lookup("a")).hasSize(1);
        assertThatThrownBy(() -> table.insert("b", "2"))
                .isInstanceOf(TableAccessException.class)
                .hasMessageContaining("protected");
        GenServer.stop(new Name("cache"));
    }

    @Test
    void theTableDiesWithItsServerAndTheRestartedServerStartsEmpty(AttachedProcess me) {
        Pid sup = Supervisor.startLink(SupFlags.oneForOne(), List.of(cache.childSpec())).orThrow();
        cache.put("a", "1");
        Pid first = Proc.whereis("cache").orElseThrow();
        Proc.monitor(first);
        Proc.exit(first, Reason.KILL);
        Mailbox.await(m -> m instanceof Down d && d.target().equals(first) ? d : null, DEADLINE);

        List<ChildInfo> children = Supervisor.whichChildren(sup);   // answered after the restart
        assertThat(children.getFirst().pid()).isPresent().get().isNotEqualTo(first);
        assertThat(cache.get("a")).isEmpty();
        assertThat(cache.stats()).isEqualTo(new TtlCache.Stats(0, 0));
        GenServer.stop(sup);
    }

    @Test
    void aReadWhileTheCacheIsNotRunningSaysSo(AttachedProcess me) {
        assertThatThrownBy(() -> cache.get("a"))
                .isInstanceOf(NoSuchTableException.class)
                .hasMessageContaining("cache cache is not running");
    }

    @Test
    void badSpecificationsAreRefusedWithWhatIsWrong() {
        assertThatThrownBy(() -> new TtlCache<>("c", Duration.ZERO, Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("ttl must be positive, was PT0S");
        assertThatThrownBy(() -> new TtlCache<>("c", Duration.ofSeconds(1), Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("sweepEvery must be positive, was PT-1S");
        assertThatThrownBy(() -> new TtlCache<>(null, Duration.ofSeconds(1), Duration.ofSeconds(1)))
                .isInstanceOf(NullPointerException.class).hasMessage("name");
    }
}
