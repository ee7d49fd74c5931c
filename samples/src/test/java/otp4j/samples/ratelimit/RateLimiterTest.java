package otp4j.samples.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import otp4j.behaviour.GenServer;
import otp4j.behaviour.SupFlags;
import otp4j.behaviour.Supervisor;
import otp4j.behaviour.Sys;
import otp4j.behaviour.TraceEvent;
import otp4j.ets.Access;
import otp4j.ets.Ets;
import otp4j.ets.Table;
import otp4j.runtime.AttachedProcess;
import otp4j.runtime.Down;
import otp4j.runtime.Name;
import otp4j.runtime.Node;
import otp4j.runtime.Pid;
import otp4j.runtime.Proc;
import otp4j.runtime.Reason;
import otp4j.samples.web.Http;
import otp4j.samples.web.HttpEndpoint;
import otp4j.testing.Mailbox;
import otp4j.testing.ManualTicker;
import otp4j.testing.NodeExtension;

@ExtendWith(NodeExtension.class)
class RateLimiterTest {
    private static final Duration DEADLINE = Duration.ofSeconds(10);

    private final RateLimiter limiter = new RateLimiter(5, Duration.ofSeconds(10));
    private final HttpEndpoint web = new HttpEndpoint("web", InetAddress.getLoopbackAddress(), 0,
            List.of(new HttpEndpoint.Route("/limited", limiter.handler())));

    private Pid startBoth() {
        return Supervisor.startLink(SupFlags.oneForOne(), List.of(limiter.childSpec(), web.childSpec())).orThrow();
    }

    private URI limited(String client) {
        return URI.create(web.uri() + "/limited?client=" + client);
    }

    @Test
    void theEndpointAnswers429AtTheLimitOverLoopbackAndAgainAfterTheWindow(ManualTicker ticker, Node node, AttachedProcess me) {
        Pid sup = startBoth();
        for (int i = 1; i <= 5; i++) {
            HttpResponse<String> ok = Http.get(limited("alice"));
            assertThat(ok.statusCode()).as("request %d", i).isEqualTo(200);
            assertThat(ok.headers().firstValue("X-RateLimit-Remaining")).contains(Long.toString(5 - i));
        }
        HttpResponse<String> refused = Http.get(limited("alice"));
        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(refused.headers().firstValue("Retry-After")).contains("10");
        assertThat(refused.body()).contains("too many requests from alice: at most 5 per PT10S");
        assertThat(Http.get(limited("bob")).statusCode()).as("another client counts apart").isEqualTo(200);

        Sys.trace(new Name(RateLimiter.NAME), me.pid());
        ticker.advance(Duration.ofSeconds(10));     // the window ends
        Mailbox.awaitInRealTime(m -> m instanceof TraceEvent e && e.direction() == TraceEvent.Direction.IN ? e : null,
                DEADLINE);
        Sys.getState(new Name(RateLimiter.NAME));   // the trace tells of the reset as it is taken; this, once done
        assertThat(Http.get(limited("alice")).statusCode()).as("a new window").isEqualTo(200);
        GenServer.stop(sup);
    }

    @Test
    void theCountsAreInAPublicTableNamedRateLimiterRequests(AttachedProcess me) {
        Pid sup = startBoth();
        Http.get(limited("carol"));
        Http.get(limited("carol"));
        Table<String, Long> table = Ets.<String, Long>whereis(RateLimiter.TABLE).orElseThrow();
        assertThat(table.info().orElseThrow().access()).isEqualTo(Access.PUBLIC);
        assertThat(table.lookup("carol")).containsExactly(2L);
        assertThat(limiter.hit("carol")).isEqualTo(new RateLimiter.Allowed(2));
        GenServer.stop(sup);
    }

    @Test
    void concurrentClientsEachGetExactlyTheLimitThrough(ManualTicker ticker, Node node, AttachedProcess me) {
        Pid sup = startBoth();
        int clients = 20;
        int each = 30;
        LoadGenerator.Report report = LoadGenerator.run(URI.create(web.uri() + "/limited"), "load", clients, each);
        assertThat(report.requests()).isEqualTo((long) clients * each);
        assertThat(report.clients()).hasSize(clients).allSatisfy(c -> {
            assertThat(c.allowed()).as(c.client()).isEqualTo(5);
            assertThat(c.limited()).as(c.client()).isEqualTo(each - 5);
            assertThat(c.other()).as(c.client()).isZero();
        });
        assertThat(Ets.<String, Long>whereis(RateLimiter.TABLE).orElseThrow().lookup("load-7")).containsExactly((long) each);
        GenServer.stop(sup);
    }

    @Test
    void whileTheLimiterIsNotRunningTheEndpointAnswers503(AttachedProcess me) {
        Pid sup = Supervisor.startLink(SupFlags.oneForOne(), List.of(web.childSpec())).orThrow();
        HttpResponse<String> r = Http.get(limited("dave"));
        assertThat(r.statusCode()).isEqualTo(503);
        assertThat(r.headers().firstValue("Retry-After")).contains("1");
        GenServer.stop(sup);
    }

    @Test
    void aKilledEndpointClosesItsListenerAndIsRestartedOnTheSamePort(AttachedProcess me) {
        Pid sup = startBoth();
        int port = web.port();
        assertThat(Http.get(limited("erin")).statusCode()).isEqualTo(200);
        Pid first = Proc.whereis("web").orElseThrow();
        Proc.monitor(first);
        Proc.exit(first, Reason.KILL);
        Mailbox.await(m -> m instanceof Down d && d.target().equals(first) ? d : null, DEADLINE);
        assertThat(Supervisor.whichChildren(sup)).anySatisfy(c -> {
            assertThat(c.id()).isEqualTo("web");
            assertThat(c.pid()).isPresent().get().isNotEqualTo(first);
        });
        assertThat(web.port()).isEqualTo(port);
        assertThat(Http.get(limited("erin")).statusCode()).isEqualTo(200);
        GenServer.stop(sup);
    }

    @Test
    void badSpecificationsAreRefusedWithWhatIsWrong() {
        assertThatThrownBy(() -> new RateLimiter(0, Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("limit must be at least 1 request per window, was 0");
        assertThatThrownBy(() -> new RateLimiter(1, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("window must be at least 1 ms, was PT0S");
        assertThatThrownBy(() -> new HttpEndpoint("w", InetAddress.getLoopbackAddress(), 70_000, List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("port must be in 0..65535 (0: any free port), was 70000");
        assertThatThrownBy(() -> new HttpEndpoint.Route("limited", limiter.handler()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a route's path starts with /, was \"limited\"");
    }
}
