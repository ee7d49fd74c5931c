package otp4j.behaviour;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import otp4j.runtime.AttachedProcess;
import otp4j.runtime.Down;
import otp4j.runtime.Matcher;
import otp4j.runtime.Name;
import otp4j.runtime.Node;
import otp4j.runtime.Pid;
import otp4j.runtime.Proc;
import otp4j.runtime.Reason;
import otp4j.runtime.Ref;
import otp4j.testing.NodeExtension;

@ExtendWith(NodeExtension.class)
class GenServerTest {

    /** The counter of the class Javadoc. */
    record Counter(long start) implements GenServer<Long, Counter.Msg> {
        sealed interface Msg permits Add, Get, Slow, Secret {
        }

        record Add(long n) implements Msg {
        }

        record Get() implements Msg {
        }

        record Slow(Duration delay) implements Msg {
        }

        record Secret(String password) implements Msg {
        }

        @Override
        public InitResult<Long> init() {
            return GenServer.ok(start);
        }

        @Override
        public CallResult<Long> handleCall(Msg msg, From from, Long total) {
            return switch (msg) {
                case Add(long n) -> GenServer.reply(total + n, total + n);
                case Get() -> GenServer.reply(total, total);
                case Slow(Duration d) -> {
                    Proc.receive(m -> null, d); // takes its time
                    yield GenServer.reply("slow", total);
                }
                case Secret s -> GenServer.reply("ok", total);
            };
        }

        @Override
        public Result<Long> handleCast(Msg msg, Long total) {
            return msg instanceof Add(long n) ? GenServer.noreply(total + n) : GenServer.noreply(total);
        }

        @Override
        public Object formatStatus(Long total) {
            return "total=" + total;
        }
    }

    @Test
    void callsCastsAndStop(Node node, AttachedProcess me) {
        Pid counter = GenServer.startLink(new Counter(10)).orThrow();
        long total = GenServer.call(counter, new Counter.Add(5));
        assertThat(total).isEqualTo(15);
        GenServer.cast(counter, new Counter.Add(1));
        long after = GenServer.call(counter, new Counter.Get());
        assertThat(after).isEqualTo(16);
        assertThat(Sys.getState(counter)).isEqualTo(16L);
        assertThat(Sys.getStatus(counter).state()).isEqualTo("total=16");
        Ref ref = Proc.monitor(counter);
        GenServer.stop(counter);
        Reason why = Proc.receive(m -> m instanceof Down d && d.ref() == ref ? d.reason() : null);
        assertThat(why).isEqualTo(Reason.NORMAL);
    }

    @Test
    void aLateReplyNeverReachesTheCallerAfterItsTimeout(Node node, AttachedProcess me) {
        Pid counter = GenServer.start(new Counter(0)).orThrow();
        for (int i = 0; i < 20; i++) {
            assertThatThrownBy(() -> GenServer.call(counter, new Counter.Slow(Duration.ofMillis(20)), Duration.ofMillis(1)))
                    .isInstanceOfSatisfying(CallException.class,
                            e -> assertThat(e.kind()).isEqualTo(CallException.Kind.TIMEOUT));
        }
        long total = GenServer.call(counter, new Counter.Get()); // behind all the slow calls
        assertThat(total).isZero();
        assertThat(Proc.messages()).as("no stray reply").isEmpty();
        GenServer.stop(counter);
    }

    @Test
    @Tag("stress")
    void callTimeoutsRacingRepliesNeverLeaveAStrayMessage(Node node, AttachedProcess me) {
        int servers = 8;
        int callers = 40;
        int callsEach = 100;
        List<Pid> pool = new ArrayList<>();
        for (int i = 0; i < servers; i++) {
            pool.add(GenServer.start(new Counter(0)).orThrow());
        }
        record Tally(int replies, int timeouts, List<Object> stray) {
        }
        List<Ref> refs = new ArrayList<>();
        for (int c = 0; c < callers; c++) {
            long seed = c;
            refs.add(Proc.spawnMonitor(() -> {
                SplittableRandom random = new SplittableRandom(seed);
                int replies = 0;
                int timeouts = 0;
                for (int i = 0; i < callsEach; i++) {
                    Pid server = pool.get(random.nextInt(servers));
                    // The reply and the timeout race: the server takes 0-200 µs, the caller waits 100 µs.
                    Counter.Slow slow = new Counter.Slow(Duration.ofNanos(random.nextInt(200_000)));
                    try {
                        Object r = GenServer.call(server, slow, Duration.ofNanos(100_000));
                        assertThat(r).isEqualTo("slow");
                        replies++;
                    } catch (CallException e) {
                        assertThat(e.kind()).isEqualTo(CallException.Kind.TIMEOUT);
                        timeouts++;
                    }
                }
                for (Pid server : pool) {
                    GenServer.call(server, new Counter.Get(), Proc.INFINITY); // every earlier reply is sent by now
                }
                Proc.send(me.pid(), new Tally(replies, timeouts, Proc.messages()));
            }).ref());
        }
        int replies = 0;
        int timeouts = 0;
        for (int c = 0; c < callers; c++) {
            Object m = Proc.receive(x -> x instanceof Tally || x instanceof Down d && d.reason() != Reason.NORMAL ? x : null);
            if (m instanceof Down d) {
                throw new AssertionError("a caller crashed: " + d.reason());
            }
            Tally t = (Tally) m;
            assertThat(t.stray()).as("messages left in a caller's mailbox").isEmpty();
            replies += t.replies();
            timeouts += t.timeouts();
        }
        for (Ref ref : refs) {
            Down down = Proc.receive(m -> m instanceof Down d && d.ref() == ref ? d : null);
            assertThat(down.reason()).isEqualTo(Reason.NORMAL);
        }
        assertThat(replies + timeouts).isEqualTo(callers * callsEach);
        for (Pid server : pool) {
            GenServer.stop(server);
        }
    }

    @Test
    void callsToNobodyOrOneselfFail(Node node, AttachedProcess me) {
        assertThatThrownBy(() -> GenServer.call(new Name("nobody"), new Counter.Get()))
                .isInstanceOfSatisfying(CallException.class, e -> assertThat(e.kind()).isEqualTo(CallException.Kind.NOPROC));
        assertThatThrownBy(() -> GenServer.call(me.pid(), "ping"))
                .isInstanceOfSatisfying(CallException.class,
                        e -> assertThat(e.kind()).isEqualTo(CallException.Kind.CALLING_SELF));
    }

    @Test
    void aCrashRunsTerminateAndReachesTheCaller(Node node, AttachedProcess me) {
        List<Reason> terminated = new CopyOnWriteArrayList<>();
        GenServer<String, String> fragile = new GenServer<>() {
            @Override
            public InitResult<String> init() {
                return GenServer.ok("state");
            }

            @Override
            public CallResult<String> handleCall(String request, From from, String state) {
                throw new IllegalStateException("boom: " + request);
            }

            @Override
            public void terminate(Reason reason, String state) {
                terminated.add(reason);
            }
        };
        Pid p = GenServer.start(fragile).orThrow();
        assertThatThrownBy(() -> GenServer.call(p, "x")).isInstanceOfSatisfying(CallException.class, e -> {
            assertThat(e.kind()).isEqualTo(CallException.Kind.EXIT);
            assertThat(e.exitReason()).get().isInstanceOfSatisfying(Reason.Crash.class,
                    c -> assertThat(c.exception()).hasMessage("boom: x"));
        });
        assertThat(terminated).singleElement().isInstanceOf(Reason.Crash.class);
    }

    @Test
    @SuppressWarnings("try") // the attachment makes this thread a process for the start
    void aThreadThatIsNotAProcessCanCallAPid(Node node) throws Exception {
        Pid counter;
        try (AttachedProcess me = node.attach()) {
            counter = GenServer.start(new Counter(7)).orThrow();
        }
        long total = GenServer.call(counter, new Counter.Get());
        assertThat(total).isEqualTo(7);
    }

    @Test
    void aNamedServerIsCalledByName(Node node, AttachedProcess me) {
        Pid p = GenServer.startLink(new Counter(1), StartOptions.named("counter")).orThrow();
        assertThat(Proc.whereis("counter")).contains(p);
        long total = GenServer.call(new Name("counter"), new Counter.Add(1));
        assertThat(total).isEqualTo(2);
        StartResult second = GenServer.start(new Counter(1), StartOptions.named("counter"));
        assertThat(second).isEqualTo(new StartResult.Failed(Reason.custom(new AlreadyStarted(p))));
        Proc.unlink(p);
        GenServer.stop(p);
        assertThat(Proc.receive(Duration.ZERO)).isEmpty();
        assertThat(Proc.whereis("counter")).isEmpty();
        assertThat(Proc.receive(Matcher.any(), Duration.ZERO)).isEmpty();
    }
}
