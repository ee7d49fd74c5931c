package otp4j.behaviour;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import otp4j.runtime.AttachedProcess;
import otp4j.runtime.Down;
import otp4j.runtime.Exit;
import otp4j.runtime.Node;
import otp4j.runtime.Pid;
import otp4j.runtime.Proc;
import otp4j.runtime.Reason;
import otp4j.runtime.Spawned;
import otp4j.testing.NodeExtension;

/**
 * A server under a flood of junk: random plain messages, casts and calls of requests it does not
 * know, calls whose caller is dead or whose tag nobody waits for, and system requests, while
 * clients make real calls. The server never dies, answers every real call right, and counts
 * every junk message as its handleInfo saw it: no hang, no crash, no wrong answer (20,000 junk
 * messages here, 10,000,000 in the stress profile).
 */
@Tag("stress")
@ExtendWith(NodeExtension.class)
class GenServerFuzzTest {
    private static final long JUNK = Boolean.getBoolean("otp4j.stress.soak") ? 10_000_000 : 20_000;

    private record Inc() {
    }

    private record Get() {
    }

    private record Junk(int n) {
    }

    /** State: real increments, junk infos seen, unknown calls and casts seen. */
    private record Tally(long count, long infos, long unknownCalls, long unknownCasts) {
    }

    private static final class Counter implements GenServer<Tally, Object> {
        @Override
        public InitResult<Tally> init() {
            return GenServer.ok(new Tally(0, 0, 0, 0));
        }

        @Override
        public CallResult<Tally> handleCall(Object request, From from, Tally s) {
            return switch (request) {
                case Inc i -> GenServer.reply(s.count() + 1, new Tally(s.count() + 1, s.infos(), s.unknownCalls(),
                        s.unknownCasts()));
                case Get g -> GenServer.reply(s, s);
                default -> GenServer.reply("unknown", new Tally(s.count(), s.infos(), s.unknownCalls() + 1,
                        s.unknownCasts()));
            };
        }

        @Override
        public Result<Tally> handleCast(Object request, Tally s) {
            return GenServer.noreply(new Tally(s.count(), s.infos(), s.unknownCalls(), s.unknownCasts() + 1));
        }

        @Override
        public Result<Tally> handleInfo(Object message, Tally s) {
            return GenServer.noreply(new Tally(s.count(), s.infos() + 1, s.unknownCalls(), s.unknownCasts()));
        }
    }

    private static Object junk(SplittableRandom rnd, int n) {
        return switch (rnd.nextInt(8)) {
            case 0 -> n;
            case 1 -> "junk " + n;
            case 2 -> new byte[rnd.nextInt(64)];
            case 3 -> new Junk(n);
            case 4 -> List.of(n, "x", Optional.empty());
            case 5 -> Map.of("k", n);
            case 6 -> new Exit(Proc.self(), Reason.custom(n)); // looks like a signal; is a message
            default -> Reason.KILL; // a reason as a message is no signal either
        };
    }

    @Test
    void junkNeverKillsOrConfusesAServer(Node node, AttachedProcess me) {
        Pid server = GenServer.start(new Counter()).orThrow();
        Spawned watch = new Spawned(server, Proc.monitor(server));
        Pid dead = Proc.spawn(() -> { });
        int clients = 4;
        int callsEach = (int) Math.min(JUNK / 10, 100_000);
        List<Spawned> cs = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            cs.add(Proc.spawnMonitor(() -> {
                long last = 0;
                for (int i = 0; i < callsEach; i++) {
                    long n = GenServer.<Long>call(server, new Inc());
                    if (n <= last) {
                        throw new AssertionError("the count went from " + last + " to " + n);
                    }
                    last = n;
                }
            }));
        }
        long infos = 0;
        long unknownCalls = 0;
        long casts = 0;
        SplittableRandom rnd = new SplittableRandom(5);
        for (int n = 0; n < JUNK; n++) {
            switch (rnd.nextInt(10)) {
                case 0 -> {
                    // A call whose caller is dead: the reply goes nowhere.
                    Proc.send(server, new CallRequest(new From(dead, Proc.makeRef()), junk(rnd, n)));
                    unknownCalls++;
                }
                case 1 -> {
                    // A call from us under a tag nobody waits for: the reply is a stray message here.
                    Proc.send(server, new CallRequest(new From(me.pid(), Proc.makeRef()), junk(rnd, n)));
                    unknownCalls++;
                }
                case 2 -> {
                    Proc.send(server, new CastRequest(junk(rnd, n)));
                    casts++;
                }
                case 3 -> Proc.send(server, new SystemRequest(new From(dead, Proc.makeRef()),
                        new SystemCommand.GetState()));
                default -> {
                    Proc.send(server, junk(rnd, n));
                    infos++;
                }
            }
            if ((n & 1023) == 0) {
                while (Proc.receive(m -> m instanceof CallReply r ? r : null, Duration.ZERO).isPresent()) {
                    // the replies to our stray calls
                }
            }
        }
        for (Spawned c : cs) {
            Down d = Proc.receive(m -> m instanceof Down x && x.ref() == c.ref() ? x : null);
            assertThat(d.reason()).as("client %s", c.pid()).isEqualTo(Reason.NORMAL);
        }
        Tally t = GenServer.call(server, new Get());
        assertThat(t).isEqualTo(new Tally((long) clients * callsEach, infos, unknownCalls, casts));
        assertThat(Proc.isAlive(server)).isTrue();
        GenServer.stop(server);
        Down d = Proc.receive(m -> m instanceof Down x && x.ref() == watch.ref() ? x : null);
        assertThat(d.reason()).isEqualTo(Reason.NORMAL);
    }
}
