package otp4j.behaviour.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;
import static org.assertj.core.api.Assertions.fail;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.logging.Level;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import otp4j.behaviour.AlreadyStarted;
import otp4j.behaviour.CallException;
import otp4j.behaviour.CallResult;
import otp4j.behaviour.From;
import otp4j.behaviour.GenServer;
import otp4j.behaviour.InitResult;
import otp4j.behaviour.Next;
import otp4j.behaviour.Result;
import otp4j.behaviour.ServerTimeout;
import otp4j.behaviour.StartOptions;
import otp4j.behaviour.StartResult;
import otp4j.runtime.AttachedProcess;
import otp4j.runtime.Down;
import otp4j.runtime.Exit;
import otp4j.runtime.Matcher;
import otp4j.runtime.Name;
import otp4j.runtime.Node;
import otp4j.runtime.Pid;
import otp4j.runtime.Proc;
import otp4j.runtime.ProcessInfo;
import otp4j.runtime.ProcessStatus;
import otp4j.runtime.Reason;
import otp4j.runtime.Ref;
import otp4j.runtime.Spawned;
import otp4j.testing.LogCapture;
import otp4j.testing.Mailbox;
import otp4j.testing.ManualTicker;
import otp4j.testing.NodeExtension;

/**
 * Conformance tests for section 3 of the Erlang/OTP conformance corpus, "gen_server"
 * (GS-001 .. GS-051): each test asserts, in Java terms, the outcome observed on Erlang/OTP 25.
 * The test thread is attached as a process ({@code me}) and plays the role of the Erlang
 * scenario's body; like it, it does not trap exits unless the test says so.
 *
 * <p>The corpus's {@code conf_gs_srv}, a server whose callbacks run funs sent to it, is
 * {@link Srv}: {@code call(P, {do, Fun})} is {@code call(p, new Do((from, state) -> result))},
 * {@code cast(P, {do, Fun})} and {@code P ! {do, Fun}} are {@code new DoAsync(state -> result)};
 * its state is an immutable map. {@code conf_gs_min} is {@link MinServer}. Atoms are strings,
 * and Erlang's {@code {error, Reason}} from a start is {@link StartResult.Failed}; a caller that
 * Erlang exits with {@code {Why, {gen_server, call, [Server, Request | Timeout]}}} gets a
 * {@link CallException} whose {@code kind()}/{@code exitReason()}, {@code server()},
 * {@code request()} and {@code timeout()} are those parts. A callback "returning ok" where Java's
 * method is {@code void} becomes "returns normally".
 *
 * <p>Synchronisation never relies on sleeping. Absence of a message is checked by ordering: what
 * a dying process sent arrives before its {@link Exit}s, which arrive before its {@link Down}s.
 * Where an init must identify itself (its start may fail, so no pid comes back) it first sends
 * {@link Init} with its pid. Scenarios about a timeout that must <em>not</em> fire (GS-039,
 * GS-051) run on a {@link ManualTicker}; the others wait for real, with the corpus's small
 * values.
 *
 * <p>IDs GS-006, 017 and 028 do not exist in the corpus. Parts of scenarios that cannot be
 * expressed in Java:
 * <table class="striped">
 *   <caption>Not applicable</caption>
 *   <thead><tr><th>ID</th><th>why not applicable</th><th>what Java does instead</th></tr></thead>
 *   <tbody>
 *   <tr><td>GS-025</td><td>{@code handle_call} returning a malformed value ({@code oops}):
 *       callbacks return a sealed {@link CallResult}, so a malformed value does not
 *       compile</td><td>the one malformed value left, {@code null}, crashes the server like
 *       Erlang's {@code {bad_return_value, oops}}: the caller gets a {@link CallException} with
 *       the crash, and {@code terminate} the same reason:
 *       {@link #GS_025_handleCallReturningNullExitsCallerWithCrash}</td></tr>
 *   <tr><td>GS-033 (current_function)</td><td>a virtual thread has no
 *       {@code current_function}, and a hibernating server has no heap of its own to
 *       shrink</td><td>the server, having hibernated, is parked in its receive
 *       ({@link ProcessStatus#WAITING}) and still answers:
 *       {@link #GS_033_hibernatingServerStillAnswers}</td></tr>
 *   <tr><td>GS-043 (bare noproc)</td><td>Erlang's {@code gen_server:stop} exits with a bare
 *       {@code noproc}, without the {@code {gen_server, call, ...}} wrapper of a call; Java
 *       reports both through {@link CallException}</td><td>{@link CallException.Kind#NOPROC}
 *       naming the server: {@link #GS_043_stopOfDeadPidOrUnregisteredNameFailsWithNoproc}</td></tr>
 *   </tbody>
 * </table>
 */
@ExtendWith(NodeExtension.class)
class GenServerConformanceTest {

    /** How long a passing test may wait for a message before it is failed; passing tests never get near it. */
    private static final Duration FAILURE_DEADLINE = Duration.ofSeconds(10);

    /** The empty map, Erlang's {@code #{}}. */
    private static final Map<String, Object> EMPTY = Map.of();

    // ------------------------------------------------------------------ the servers under test

    /** Erlang's {@code {do, fun(From, State) -> Result end}}, sent as a call. */
    record Do(CallFun fun) {
    }

    /** The fun of a {@link Do}. */
    @FunctionalInterface
    interface CallFun {
        CallResult<Map<String, Object>> apply(From from, Map<String, Object> state);
    }

    /** Erlang's {@code {do, fun(State) -> Result end}}, sent as a cast or a plain message. */
    record DoAsync(AsyncFun fun) {
    }

    /** The fun of a {@link DoAsync}. */
    @FunctionalInterface
    interface AsyncFun {
        Result<Map<String, Object>> apply(Map<String, Object> state);
    }

    /** Erlang's {@code {sleep, Ms}}: the server sleeps, then replies {@code slept}. */
    record Sleep(Duration duration) {
    }

    /** Erlang's {@code {terminate, Reason}}, sent to the state's {@code report} pid from terminate. */
    record Terminate(Reason reason) {
    }

    /** Erlang's {@code {info, Msg}}, sent to the state's {@code report} pid for other messages. */
    record Info(Object message) {
    }

    /** Erlang's {@code {continue, C}}, sent to the state's {@code report} pid from handleContinue. */
    record Continued(Object continuation) {
    }

    /** Sent by an init to identify its server, whose start may not return a pid. */
    record Init(Pid pid) {
    }

    /** Erlang's {@code {server, S}}. */
    record Server(Pid pid) {
    }

    /** Erlang's {@code {answer, Reply}}. */
    record Answer(Object reply) {
    }

    /** Sent by a server to say that it keeps {@code from} for a deferred reply. */
    record Waiting(From from) {
    }

    /** What a calling process got: the reply, or the {@link CallException}. */
    record Outcome(Object value) {
    }

    /**
     * The corpus's {@code conf_gs_srv}. {@code call(P, ping)} replies {@code pong},
     * {@code call(P, get_state)} replies with the state, {@link Sleep} sleeps then replies
     * {@code slept}, {@link Do} and {@link DoAsync} run their funs. If the state has
     * {@code report => Pid}, the server sends {@code Pid} {@link Terminate} from terminate,
     * {@link Info} for other messages and {@link Continued} from handleContinue (which also sets
     * {@code continued} in the state).
     */
    static final class Srv implements GenServer<Map<String, Object>, Object> {
        private final Supplier<InitResult<Map<String, Object>>> init;

        /** Erlang's {@code init(Map) -> {ok, Map}}. */
        Srv(Map<String, Object> state) {
            this(() -> GenServer.ok(state));
        }

        /** Erlang's {@code init(Fun) -> Fun()}. */
        Srv(Supplier<InitResult<Map<String, Object>>> init) {
            this.init = init;
        }

        @Override
        public InitResult<Map<String, Object>> init() {
            return init.get();
        }

        @Override
        public CallResult<Map<String, Object>> handleCall(Object request, From from, Map<String, Object> state) {
            return switch (request) {
                case Do d -> d.fun().apply(from, state);
                case Sleep(Duration d) -> {
                    sleep(d);
                    yield GenServer.reply("slept", state);
                }
                case String s when s.equals("ping") -> GenServer.reply("pong", state);
                case String s when s.equals("get_state") -> GenServer.reply(state, state);
                default -> throw new IllegalArgumentException("unexpected call: " + request);
            };
        }

        @Override
        public Result<Map<String, Object>> handleCast(Object request, Map<String, Object> state) {
            if (request instanceof DoAsync d) {
                return d.fun().apply(state);
            }
            throw new IllegalArgumentException("unexpected cast: " + request);
        }

        @Override
        public Result<Map<String, Object>> handleInfo(Object message, Map<String, Object> state) {
            if (message instanceof DoAsync d) {
                return d.fun().apply(state);
            }
            report(state, new Info(message));
            return GenServer.noreply(state);
        }

        @Override
        public Result<Map<String, Object>> handleContinue(Object continuation, Map<String, Object> state) {
            report(state, new Continued(continuation));
            return GenServer.noreply(with(state, "continued", continuation));
        }

        @Override
        public void terminate(Reason reason, Map<String, Object> state) {
            report(state, new Terminate(reason));
        }

        private static void report(Map<String, Object> state, Object message) {
            if (state.get("report") instanceof Pid to) {
                Proc.send(to, message);
            }
        }
    }

    /** The corpus's {@code conf_gs_min}: only init, handleCall ({@code ping}) and handleCast. */
    static final class MinServer implements GenServer<Map<String, Object>, Object> {
        @Override
        public InitResult<Map<String, Object>> init() {
            return GenServer.ok(EMPTY);
        }

        @Override
        public CallResult<Map<String, Object>> handleCall(Object request, From from, Map<String, Object> state) {
            return GenServer.reply("pong", state);
        }

        @Override
        public Result<Map<String, Object>> handleCast(Object request, Map<String, Object> state) {
            return GenServer.noreply(state);
        }
    }

    // ------------------------------------------------------------------ GS-001 .. 012: calls and casts

    /** GS-001: start_link returns {ok, Pid}; a call returns the reply from handle_call. */
    @Test
    void GS_001_startLinkReturnsPidAndCallReturnsReply(AttachedProcess me) {
        StartResult r = GenServer.startLink(new Srv(EMPTY));
        assertThat(r).isInstanceOf(StartResult.Started.class);
        Pid p = r.orThrow();

        String reply = GenServer.call(p, "ping");

        assertThat(reply).isEqualTo("pong");
    }

    /** GS-002: cast returns ok at once; the cast is handled before a later call from the same client. */
    @Test
    void GS_002_castReturnsAtOnceAndIsHandledBeforeLaterCall(AttachedProcess me) {
        Pid p = GenServer.startLink(new Srv(Map.of("n", 0))).orThrow();

        GenServer.cast(p, new DoAsync(s -> GenServer.noreply(with(s, "n", 1))));
        Map<String, Object> state = GenServer.call(p, "get_state");

        assertThat(state).isEqualTo(Map.of("n", 1));
    }

    /** GS-003: cast to a dead pid or to an unregistered name still returns ok (never fails). */
    @Test
    void GS_003_castToDeadPidOrUnregisteredNameNeverFails(AttachedProcess me) {
        Pid p = Proc.spawn(() -> { });
        waitDead(p);

        assertThatCode(() -> GenServer.cast(p, "hello")).doesNotThrowAnyException();
        assertThatCode(() -> GenServer.cast(new Name("gs003_nobody"), "hello")).doesNotThrowAnyException();
    }

    /** GS-004: A plain message (not call/cast) is delivered to handle_info. */
    @Test
    void GS_004_plainMessageGoesToHandleInfo(AttachedProcess me) {
        Pid p = GenServer.startLink(new Srv(reportTo(me.pid()))).orThrow();

        Proc.send(p, "hello");

        assertThat(info()).isEqualTo("hello");
    }

    /**
     * GS-005: A call that is not answered within its timeout makes the CALLER exit with {timeout, {gen_server, call, [Server, Request, Timeout]}}.
     *
     * <p>Real time, as in the corpus: the server sleeps 300 ms, the call waits 100 ms.
     */
    @Test
    void GS_005_callTimeoutExitsTheCaller(AttachedProcess me) {
        Pid p = GenServer.startLink(new Srv(EMPTY)).orThrow();
        Sleep request = new Sleep(Duration.ofMillis(300));

        assertThatThrownBy(() -> GenServer.call(p, request, Duration.ofMillis(100)))
                .isInstanceOfSatisfying(CallException.class, e -> {
                    assertThat(e.kind()).isEqualTo(CallException.Kind.TIMEOUT);
                    assertThat(e.server()).isEqualTo(p);
                    assertThat(e.request()).isEqualTo(request);
                    assertThat(e.timeout()).contains(Duration.ofMillis(100));
                });
    }

    /** GS-007: call to a dead pid: the caller exits with {noproc, {gen_server, call, [Pid, Request]}}. */
    @Test
    void GS_007_callToDeadPidFailsWithNoproc(AttachedProcess me) {
        Pid p = Proc.spawn(() -> { });
        waitDead(p);

        assertThatThrownBy(() -> GenServer.call(p, "ping"))
                .isInstanceOfSatisfying(CallException.class, e -> {
                    assertThat(e.kind()).isEqualTo(CallException.Kind.NOPROC);
                    assertThat(e.server()).isEqualTo(p);
                    assertThat(e.request()).isEqualTo("ping");
                    assertThat(e.timeout()).isEmpty();
                });
    }

    /** GS-008: call to a name that is not registered: exit {noproc, {gen_server, call, [Name, Request]}}. */
    @Test
    void GS_008_callToUnregisteredNameFailsWithNoproc(AttachedProcess me) {
        Name name = new Name("gs008_nobody");

        assertThatThrownBy(() -> GenServer.call(name, "ping"))
                .isInstanceOfSatisfying(CallException.class, e -> {
                    assertThat(e.kind()).isEqualTo(CallException.Kind.NOPROC);
                    assertThat(e.server()).isEqualTo(name);
                    assertThat(e.request()).isEqualTo("ping");
                    assertThat(e.timeout()).isEmpty();
                });
    }

    /**
     * GS-009: A server calling itself gets exit {calling_self, {gen_server, call, [Self, Request]}} (no deadlock).
     *
     * <p>As in the corpus, the exception is caught inside the server and returned as the reply.
     */
    @Test
    void GS_009_serverCallingItselfGetsCallingSelf(AttachedProcess me) {
        Pid p = GenServer.startLink(new Srv(EMPTY)).orThrow();

        Object reply = GenServer.call(p, new Do((from, s) -> {
            try {
                Object pong = GenServer.call(Proc.self(), "ping");
                return GenServer.reply(new Outcome(pong), s);
            } catch (CallException e) {
                return GenServer.reply(e, s);
            }
        }));

        assertThat(reply).isInstanceOfSatisfying(CallException.class, e -> {
            assertThat(e.kind()).isEqualTo(CallException.Kind.CALLING_SELF);
            assertThat(e.server()).isEqualTo(p);
            assertThat(e.request()).isEqualTo("ping");
            assertThat(e.timeout()).isEmpty();
        });
    }

    /**
     * GS-010: Deferred reply: handle_call returns {noreply, S} and keeps From; a later cast answers with gen_server:reply(From, X), which returns ok.
     *
     * <p>The server says when it keeps From ({@link Waiting}) instead of the corpus polling
     * {@code sys:get_state}. {@code reply_returned} comes from the server and {@code answer} from
     * the caller: two senders, so their order is not part of the outcome.
     */
    @Test
    void GS_010_deferredReplyFromLaterCast(AttachedProcess me) {
        Pid self = me.pid();
        Pid p = GenServer.startLink(new Srv(EMPTY)).orThrow();
        Proc.spawn(() -> {
            Object answer = GenServer.call(p, new Do((from, s) -> {
                Proc.send(self, new Waiting(from));
                return GenServer.noreply(with(s, "waiting", from));
            }));
            Proc.send(self, new Answer(answer));
        });
        await(m -> m instanceof Waiting w ? w : null);

        GenServer.cast(p, new DoAsync(s -> {
            ((From) s.get("waiting")).reply("later");
            Proc.send(self, "reply_returned"); // reached only if reply returned normally
            return GenServer.noreply(s);
        }));
        List<Object> got = List.of(await(Matcher.any()), await(Matcher.any()));

        assertThat(got).containsExactlyInAnyOrder("reply_returned", new Answer("later"));
        assertThat(flush()).isEmpty();
    }

    /** GS-011: The deferred reply may be sent by any process, e.g. a helper spawned in handle_call. */
    @Test
    void GS_011_deferredReplyFromAnyProcess(AttachedProcess me) {
        Pid p = GenServer.startLink(new Srv(EMPTY)).orThrow();

        String reply = GenServer.call(p, new Do((from, s) -> {
            Proc.spawn(() -> from.reply("from_helper"));
            return GenServer.noreply(s);
        }));

        assertThat(reply).isEqualTo("from_helper");
    }

    /**
     * GS-012: From in handle_call is a 2-tuple whose first element is the caller's pid.
     *
     * <p>Java: a {@link From} whose {@code caller()} is the caller's pid and {@code tag()} the
     * call's tag.
     */
    @Test
    void GS_012_fromCarriesCallerPid(AttachedProcess me) {
        Pid p = GenServer.startLink(new Srv(EMPTY)).orThrow();

        From from = GenServer.call(p, new Do((f, s) -> GenServer.reply(f, s)));

        assertThat(from.caller()).isEqualTo(me.pid());
        assertThat(from.tag()).isNotNull();
    }

    // ------------------------------------------------------------------ GS-013 .. 019: starting

    /** GS-013: init returning {stop, Reason}: start_link returns {error, Reason}; a trapping caller then also gets {'EXIT', Pid, Reason}. */
    @Test
    void GS_013_initStopUnderStartLinkReturnsFailedAndTrappingCallerGetsExit(AttachedProcess me) {
        Pid self = me.pid();
        Proc.trapExit(true);

        StartResult r = GenServer.startLink(new Srv(() -> {
            Proc.send(self, new Init(Proc.self()));
            return GenServer.stopInit(Reason.custom("bad_config"));
        }));
        Pid p = await(m -> m instanceof Init i ? i.pid() : null);
        List<Object> got = messagesUntil(m -> m instanceof Exit);
        got.addAll(flush());

        assertThat(r).isEqualTo(new StartResult.Failed(Reason.custom("bad_config")));
        assertThat(got).containsExactly(new Exit(p, Reason.custom("bad_config")));
    }

    /** GS-014: init returning {stop, Reason} under start_link kills a NON-trapping caller with Reason (OTP 25). */
    @Test
    void GS_014_initStopUnderStartLinkKillsNonTrappingCaller(AttachedProcess me) {
        Spawned caller = Proc.spawnMonitor(() -> {
            GenServer.startLink(new Srv(() -> GenServer.stopInit(Reason.custom("bad_config"))));
            idle();
        });

        assertThat(down(caller.ref())).isEqualTo(Reason.custom("bad_config"));
    }

    /** GS-015: gen_server:start (no link) with init {stop, Reason}: {error, Reason} and no EXIT message. */
    @Test
    void GS_015_initStopUnderStartReturnsFailedWithoutExit(AttachedProcess me) {
        Pid self = me.pid();
        Proc.trapExit(true);

        StartResult r = GenServer.start(new Srv(() -> {
            Proc.send(self, new Init(Proc.self()));
            return GenServer.stopInit(Reason.custom("bad_config"));
        }));
        Pid p = await(m -> m instanceof Init i ? i.pid() : null);
        waitDead(p); // an EXIT from p, had it been sent, would now be queued

        assertThat(r).isEqualTo(new StartResult.Failed(Reason.custom("bad_config")));
        assertThat(flush()).isEmpty();
    }

    /** GS-016: init returning ignore: start_link returns ignore, the name is not registered, a trapping caller gets {'EXIT', Pid, normal}. */
    @Test
    void GS_016_initIgnoreReturnsIgnoredFreesNameAndExitsNormal(AttachedProcess me) {
        Pid self = me.pid();
        Proc.trapExit(true);

        StartResult r = GenServer.startLink(new Srv(() -> {
            Proc.send(self, new Init(Proc.self()));
            return GenServer.ignore();
        }), StartOptions.named("gs016_name"));
        Optional<Pid> registered = Proc.whereis("gs016_name");
        Pid p = await(m -> m instanceof Init i ? i.pid() : null);
        List<Object> got = messagesUntil(m -> m instanceof Exit);
        got.addAll(flush());

        assertThat(r).isEqualTo(new StartResult.Ignored());
        assertThat(registered).isEmpty();
        assertThat(got).containsExactly(new Exit(p, Reason.NORMAL));
    }

    /**
     * GS-018: init slower than the start {timeout, Ms} option: start returns {error, timeout}; the half-started server is killed (asynchronously: its name is freed shortly after).
     *
     * <p>Java: {@code Failed(Reason.custom("timeout"))}; the server's death is awaited with a
     * monitor, then its name must be free.
     */
    @Test
    void GS_018_initSlowerThanStartTimeoutFailsWithTimeoutAndServerIsKilled(AttachedProcess me) {
        Pid self = me.pid();

        StartResult r = GenServer.start(new Srv(() -> {
            Proc.send(self, new Init(Proc.self()));
            sleep(Duration.ofSeconds(1));
            return GenServer.ok(EMPTY);
        }), StartOptions.named("gs018_name").withTimeout(Duration.ofMillis(100)));
        Pid p = await(m -> m instanceof Init i ? i.pid() : null);
        waitDead(p);

        assertThat(r).isEqualTo(new StartResult.Failed(Reason.custom("timeout")));
        assertThat(Proc.whereis("gs018_name")).isEmpty();
    }

    /** GS-019: init returning {stop, Reason} with {local, Name}: the name is already free when start returns. */
    @Test
    void GS_019_initStopFreesNameBeforeStartReturns(AttachedProcess me) {
        StartResult r = GenServer.start(new Srv(() -> GenServer.stopInit(Reason.custom("nope"))),
                StartOptions.named("gs019_name"));
        Optional<Pid> registered = Proc.whereis("gs019_name");

        assertThat(r).isEqualTo(new StartResult.Failed(Reason.custom("nope")));
        assertThat(registered).isEmpty();
    }

    // ------------------------------------------------------------------ GS-020 .. 030: stopping, crashes, exits

    /** GS-020: handle_call returning {stop, Reason, Reply, S}: the caller gets Reply, terminate(Reason) runs, the server exits with Reason. */
    @Test
    void GS_020_stopReplyRepliesTerminatesAndExits(AttachedProcess me) {
        Proc.trapExit(true);
        Pid p = GenServer.startLink(new Srv(reportTo(me.pid()))).orThrow();

        String reply = GenServer.call(p, new Do((f, s) -> GenServer.stopReply(Reason.custom("stopping"), "my_reply", s)));
        List<Object> got = messagesUntil(m -> m instanceof Exit);
        got.addAll(flush());

        assertThat(reply).isEqualTo("my_reply");
        assertThat(got).containsExactly(new Terminate(Reason.custom("stopping")), new Exit(p, Reason.custom("stopping")));
    }

    /** GS-021: handle_call returning {stop, Reason, S} (no reply): the caller exits with {Reason, {gen_server, call, ...}}. */
    @Test
    void GS_021_stopWithoutReplyExitsTheCaller(AttachedProcess me) {
        Pid p = GenServer.start(new Srv(reportTo(me.pid()))).orThrow();
        Do request = new Do((f, s) -> GenServer.stop(Reason.custom("no_reply_stop"), s));

        assertThatThrownBy(() -> GenServer.call(p, request))
                .isInstanceOfSatisfying(CallException.class, e -> {
                    assertThat(e.kind()).isEqualTo(CallException.Kind.EXIT);
                    assertThat(e.exitReason()).contains(Reason.custom("no_reply_stop"));
                    assertThat(e.server()).isEqualTo(p);
                    assertThat(e.request()).isEqualTo(request);
                });
        // terminate reported before the server died, so before the DOWN that failed the call.
        assertThat(flush()).containsExactly(new Terminate(Reason.custom("no_reply_stop")));
    }

    /** GS-022: handle_cast returning {stop, normal, S}: terminate(normal) runs; a linked non-trapping client is unaffected. */
    @Test
    void GS_022_castStopNormalRunsTerminateAndSparesLinkedClient(AttachedProcess me) {
        Pid p = GenServer.startLink(new Srv(reportTo(me.pid()))).orThrow();
        Ref ref = Proc.monitor(p);

        GenServer.cast(p, new DoAsync(s -> GenServer.stop(Reason.NORMAL, s)));
        Reason why = down(ref); // the exit signal from p came before its DOWN: had it killed us, this would throw

        assertThat(why).isEqualTo(Reason.NORMAL);
        assertThat(flush()).containsExactly(new Terminate(Reason.NORMAL));
        assertThat(Proc.isAlive(me.pid())).isTrue();
    }

    /**
     * GS-023: A crash in handle_call: the caller exits with {{Error, Stack}, {gen_server, call, ...}}; terminate gets {Error, Stack}.
     *
     * <p>Java: {@code Crash(ArithmeticException)}, with its stack trace.
     */
    @Test
    void GS_023_crashInHandleCallExitsCallerAndReachesTerminate(AttachedProcess me) {
        Pid p = GenServer.start(new Srv(reportTo(me.pid()))).orThrow();
        Do request = new Do((f, s) -> GenServer.reply(1 / zero(), s));
        AtomicReference<Reason> reason = new AtomicReference<>();

        assertThatThrownBy(() -> GenServer.call(p, request))
                .isInstanceOfSatisfying(CallException.class, e -> {
                    assertThat(e.kind()).isEqualTo(CallException.Kind.EXIT);
                    assertThat(e.server()).isEqualTo(p);
                    assertThat(e.request()).isEqualTo(request);
                    reason.set(e.exitReason().orElseThrow());
                });

        assertThat(crashException(reason.get())).isInstanceOf(ArithmeticException.class);
        assertThat(flush()).containsExactly(new Terminate(reason.get()));
    }

    /**
     * GS-024: A crash in handle_info: terminate({Error, Stack}) runs and the server exits with {Error, Stack}.
     *
     * <p>Erlang's {@code error(oops)} is a thrown {@code IllegalStateException("oops")}.
     */
    @Test
    void GS_024_crashInHandleInfoReachesTerminateAndExitReason(AttachedProcess me) {
        Pid p = GenServer.start(new Srv(reportTo(me.pid()))).orThrow();
        Ref ref = Proc.monitor(p);

        Proc.send(p, new DoAsync(s -> {
            throw new IllegalStateException("oops");
        }));
        Reason why = down(ref);

        assertThat(crashException(why)).isInstanceOf(IllegalStateException.class).hasMessage("oops");
        assertThat(flush()).containsExactly(new Terminate(why));
    }

    /**
     * GS-025: handle_call returning a malformed value: caller exits with {{bad_return_value, V}, {gen_server, call, ...}}.
     *
     * <p>Java: the only malformed value a typed callback can return is {@code null}; it crashes
     * the server, and the caller and terminate get the same crash (see the class table).
     */
    @Test
    void GS_025_handleCallReturningNullExitsCallerWithCrash(AttachedProcess me) {
        Pid p = GenServer.start(new Srv(reportTo(me.pid()))).orThrow();
        Do request = new Do((f, s) -> null);
        AtomicReference<Reason> reason = new AtomicReference<>();

        assertThatThrownBy(() -> GenServer.call(p, request))
                .isInstanceOfSatisfying(CallException.class, e -> {
                    assertThat(e.kind()).isEqualTo(CallException.Kind.EXIT);
                    assertThat(e.server()).isEqualTo(p);
                    assertThat(e.request()).isEqualTo(request);
                    reason.set(e.exitReason().orElseThrow());
                });

        assertThat(reason.get()).isInstanceOf(Reason.Crash.class);
        assertThat(((Reason.Crash) reason.get()).exception()).hasMessageContaining("returned null");
        assertThat(flush()).containsExactly(new Terminate(reason.get()));
    }

    /** GS-026: Server not trapping exits, parent (the start_link caller) exits with shutdown: server dies with shutdown, terminate is NOT called. */
    @Test
    void GS_026_parentShutdownKillsNonTrappingServerWithoutTerminate(AttachedProcess me) {
        Pid self = me.pid();
        Pid parent = Proc.spawn(() -> {
            Pid s = GenServer.startLink(new Srv(reportTo(self))).orThrow();
            Proc.send(self, new Server(s));
            idle();
        });
        Pid s = await(m -> m instanceof Server sv ? sv.pid() : null);
        Ref ref = Proc.monitor(s);

        Proc.exit(parent, Reason.SHUTDOWN);

        assertThat(down(ref)).isEqualTo(Reason.SHUTDOWN);
        assertThat(flush()).isEmpty();
    }

    /** GS-027: Server trapping exits, parent exits with shutdown: terminate(shutdown) IS called and the server exits with shutdown. */
    @Test
    void GS_027_parentShutdownRunsTerminateOfTrappingServer(AttachedProcess me) {
        Pid self = me.pid();
        Supplier<InitResult<Map<String, Object>>> init = () -> {
            Proc.trapExit(true);
            return GenServer.ok(reportTo(self));
        };
        Pid parent = Proc.spawn(() -> {
            Pid s = GenServer.startLink(new Srv(init)).orThrow();
            Proc.send(self, new Server(s));
            idle();
        });
        Pid s = await(m -> m instanceof Server sv ? sv.pid() : null);
        Ref ref = Proc.monitor(s);

        Proc.exit(parent, Reason.SHUTDOWN);

        assertThat(down(ref)).isEqualTo(Reason.SHUTDOWN);
        assertThat(flush()).containsExactly(new Terminate(Reason.SHUTDOWN));
    }

    /** GS-029: A trapping server linked to a process that is NOT its parent gets that process's exit as handle_info({'EXIT', Pid, Reason}). */
    @Test
    void GS_029_exitOfNonParentLinkGoesToHandleInfo(AttachedProcess me) {
        Pid self = me.pid();
        Pid p = GenServer.start(new Srv(() -> {
            Proc.trapExit(true);
            return GenServer.ok(reportTo(self));
        })).orThrow();

        Pid other = GenServer.call(p, new Do((f, s) ->
                GenServer.reply(Proc.spawnLink(() -> Proc.exit(Reason.custom("other_died"))), s)));
        Object got = info();
        boolean alive = Proc.isAlive(p);

        assertThat(got).isEqualTo(new Exit(other, Reason.custom("other_died")));
        assertThat(alive).isTrue();
        GenServer.stop(p); // it traps exits: stop it rather than make the node's shutdown wait for it
    }

    /** GS-030: A module without handle_info/2 receiving a plain message: the server logs a warning and keeps running. */
    @Test
    void GS_030_serverWithoutHandleInfoLogsWarningAndKeepsRunning(AttachedProcess me) {
        List<LogEvent> events;
        boolean alive;
        try (LogCapture logs = new LogCapture("otp4j.behaviour")) {
            Pid p = GenServer.start(new MinServer()).orThrow();
            Proc.send(p, "unexpected");
            String pong = GenServer.call(p, "ping"); // handled after the message, so after its warning
            assertThat(pong).isEqualTo("pong");
            alive = Proc.isAlive(p);
            events = events(logs, message -> message.lines().findFirst().orElse(""));
        }

        assertThat(alive).isTrue();
        assertThat(events).containsExactly(
                new LogEvent("warning", "** Undefined handle_info in " + MinServer.class.getName()));
    }

    // ------------------------------------------------------------------ GS-031 .. 040: continue, hibernate, names, timeouts

    /** GS-031: init returning {ok, S, {continue, C}}: handle_continue runs before any call is handled. */
    @Test
    void GS_031_initContinueRunsBeforeFirstCall(AttachedProcess me) {
        Pid self = me.pid();
        Pid p = GenServer.startLink(new Srv(() -> GenServer.ok(reportTo(self), Next.handleContinue("warm_up"))))
                .orThrow();

        Map<String, Object> state = GenServer.call(p, "get_state");

        assertThat(state).containsEntry("continued", "warm_up");
        assertThat(flush()).containsExactly(new Continued("warm_up"));
    }

    /** GS-032: handle_call returning {reply, R, S, {continue, C}}: the reply is sent first, then handle_continue runs before the next message. */
    @Test
    void GS_032_replyContinueRepliesThenContinues(AttachedProcess me) {
        Pid p = GenServer.startLink(new Srv(reportTo(me.pid()))).orThrow();

        String reply = GenServer.call(p, new Do((f, s) -> GenServer.reply("first", s, Next.handleContinue("after_reply"))));
        Map<String, Object> state = GenServer.call(p, "get_state");

        assertThat(reply).isEqualTo("first");
        assertThat(state).containsEntry("continued", "after_reply");
        assertThat(flush()).containsExactly(new Continued("after_reply"));
    }

    /**
     * GS-033: {reply, R, S, hibernate}: the server hibernates (current_function {erlang, hibernate, 3}) and still answers later calls.
     *
     * <p>otp4j has no {@code current_function}: what applies is that the server, having replied
     * with {@link Next#hibernate()}, is parked in its receive ({@link ProcessStatus#WAITING}) and
     * still answers (see the class table).
     */
    @Test
    void GS_033_hibernatingServerStillAnswers(AttachedProcess me) {
        Pid p = GenServer.startLink(new Srv(EMPTY)).orThrow();

        String ok = GenServer.call(p, new Do((f, s) -> GenServer.reply("ok", s, Next.hibernate())));
        awaitCondition(p + " hibernating in its receive", () -> info(p).status() == ProcessStatus.WAITING);
        String pong = GenServer.call(p, "ping");

        assertThat(ok).isEqualTo("ok");
        assertThat(pong).isEqualTo("pong");
    }

    /** GS-034: A {local, Name} server is registered under Name and can be called by name. */
    @Test
    void GS_034_namedServerIsRegisteredAndCallableByName(AttachedProcess me) {
        Pid p = GenServer.startLink(new Srv(EMPTY), StartOptions.named("gs034_name")).orThrow();

        Optional<Pid> registered = Proc.whereis("gs034_name");
        String pong = GenServer.call(new Name("gs034_name"), "ping");

        assertThat(registered).contains(p);
        assertThat(pong).isEqualTo("pong");
    }

    /** GS-035: Starting a second server with a taken name: {error, {already_started, ExistingPid}}; init of the second one never runs. */
    @Test
    void GS_035_takenNameFailsWithAlreadyStartedAndInitNeverRuns(AttachedProcess me) {
        Pid self = me.pid();
        Pid first = GenServer.startLink(new Srv(EMPTY), StartOptions.named("gs035_name")).orThrow();

        StartResult r = GenServer.startLink(new Srv(() -> {
            Proc.send(self, "second_init_ran");
            return GenServer.ok(EMPTY);
        }), StartOptions.named("gs035_name"));

        assertThat(r).isEqualTo(new StartResult.Failed(Reason.custom(new AlreadyStarted(first))));
        // Had the second init run, its message would have come before the start's answer.
        assertThat(flush()).isEmpty();
    }

    /** GS-036: The name may be held by any process, not just a gen_server: still {error, {already_started, Pid}}. */
    @Test
    void GS_036_nameHeldByPlainProcessFailsWithAlreadyStarted(AttachedProcess me) {
        Pid holder = Proc.spawn(GenServerConformanceTest::idle);
        Proc.register("gs036_name", holder);

        StartResult r = GenServer.start(new Srv(EMPTY), StartOptions.named("gs036_name"));

        assertThat(r).isEqualTo(new StartResult.Failed(Reason.custom(new AlreadyStarted(holder))));
    }

    /** GS-037: start_link links the server to the caller; start does not. */
    @Test
    void GS_037_startLinkLinksStartDoesNot(AttachedProcess me) {
        Pid a = GenServer.startLink(new Srv(EMPTY)).orThrow();
        Pid b = GenServer.start(new Srv(EMPTY)).orThrow();

        List<Pid> links = info(me.pid()).links();

        assertThat(links).contains(a).doesNotContain(b);
    }

    /** GS-038: init returning {ok, S, 50}: with no message within 50 ms, handle_info(timeout) is called. */
    @Test
    void GS_038_initTimeoutDeliversTimeoutToHandleInfo(AttachedProcess me) {
        Pid self = me.pid();
        GenServer.startLink(new Srv(() -> GenServer.ok(reportTo(self), Next.timeout(Duration.ofMillis(50))))).orThrow();

        assertThat(info()).isEqualTo(ServerTimeout.TIMEOUT);
    }

    /**
     * GS-039: {reply, R, S, Timeout}: the timeout message arrives only if no other message comes first.
     *
     * <p>On a {@link ManualTicker}, so that the cancelled timeout is proved by ordering, not by
     * waiting: once the server's 30 ms timeout is armed (the only timer of the node), the clock
     * moves 30 ms and the timeout arrives. Then the 300 ms timeout is followed by a call; once
     * the server waits again, no timer is armed. The clock moves 500 ms, a probe timer due after
     * the 300 ms fires (timers fire in deadline order), and a second call, handled after
     * anything the server was woken for, leaves no {@code timeout} behind.
     */
    @Test
    void GS_039_replyTimeoutFiresOnlyWithoutOtherMessages(ManualTicker ticker, Node node, AttachedProcess me) {
        Pid p = GenServer.startLink(new Srv(reportTo(me.pid()))).orThrow();

        String first = GenServer.call(p, new Do((f, s) -> GenServer.reply("first", s, Next.timeout(Duration.ofMillis(30)))));
        awaitCondition("the server's 30 ms timeout armed", () -> node.systemInfo().armedTimers() == 1);
        ticker.advance(Duration.ofMillis(30));
        Object a = info();

        String second = GenServer.call(p, new Do((f, s) -> GenServer.reply("second", s, Next.timeout(Duration.ofMillis(300)))));
        String pong = GenServer.call(p, "ping"); // any message cancels the pending timeout
        awaitCondition(p + " back in its receive after the call", () -> info(p).status() == ProcessStatus.WAITING);
        long armed = node.systemInfo().armedTimers();
        Proc.sendAfter(Duration.ofMillis(500), me.pid(), "probe");
        ticker.advance(Duration.ofMillis(500));
        await(m -> m.equals("probe") ? m : null);
        String pong2 = GenServer.call(p, "ping");
        List<Object> b = flush();

        assertThat(List.of(first, second, pong, pong2)).containsExactly("first", "second", "pong", "pong");
        assertThat(a).isEqualTo(ServerTimeout.TIMEOUT);
        assertThat(armed).as("timers armed once the server waits again").isZero();
        assertThat(b).as("no timeout after the call that cancelled it").isEmpty();
    }

    /** GS-040: gen_server:call with timeout infinity works like a normal call. */
    @Test
    void GS_040_callWithInfiniteTimeout(AttachedProcess me) {
        Pid p = GenServer.startLink(new Srv(EMPTY)).orThrow();

        String reply = GenServer.call(p, new Sleep(Duration.ofMillis(20)), Proc.INFINITY);

        assertThat(reply).isEqualTo("slept");
    }

    // ------------------------------------------------------------------ GS-041 .. 051: stop, replies, failures

    /** GS-041: gen_server:stop(P) returns ok after terminate(normal) ran, even though the server does not trap exits. */
    @Test
    void GS_041_stopRunsTerminateNormalAndReturnsAfterExit(AttachedProcess me) {
        Pid p = GenServer.start(new Srv(reportTo(me.pid()))).orThrow();

        GenServer.stop(p);

        assertThat(flush()).containsExactly(new Terminate(Reason.NORMAL));
        assertThat(Proc.isAlive(p)).isFalse();
    }

    /** GS-042: gen_server:stop(P, Reason, Timeout): terminate(Reason) runs; a trapping linked caller gets {'EXIT', P, Reason}. */
    @Test
    void GS_042_stopWithReasonRunsTerminateAndExitsWithReason(AttachedProcess me) {
        Proc.trapExit(true);
        Pid p = GenServer.startLink(new Srv(reportTo(me.pid()))).orThrow();

        GenServer.stop(p, Reason.custom("custom_reason"), Proc.INFINITY);

        // stop returned on the server's DOWN, which comes after its messages and its EXIT.
        assertThat(flush()).containsExactly(
                new Terminate(Reason.custom("custom_reason")), new Exit(p, Reason.custom("custom_reason")));
    }

    /** GS-043: gen_server:stop on a dead pid or an unregistered name exits the caller with noproc. */
    @Test
    void GS_043_stopOfDeadPidOrUnregisteredNameFailsWithNoproc(AttachedProcess me) {
        Pid p = Proc.spawn(() -> { });
        waitDead(p);
        Name nobody = new Name("gs043_nobody");

        assertThatThrownBy(() -> GenServer.stop(p))
                .isInstanceOfSatisfying(CallException.class, e -> {
                    assertThat(e.kind()).isEqualTo(CallException.Kind.NOPROC);
                    assertThat(e.server()).isEqualTo(p);
                });
        assertThatThrownBy(() -> GenServer.stop(nobody))
                .isInstanceOfSatisfying(CallException.class, e -> {
                    assertThat(e.kind()).isEqualTo(CallException.Kind.NOPROC);
                    assertThat(e.server()).isEqualTo(nobody);
                });
    }

    /**
     * GS-044: gen_server:reply to a caller that has already died returns ok and does not fail.
     *
     * <p>A {@link From} comes only from a call: a process sends the request (as
     * {@code send_request}) and ends; the server keeps its From and hands it over.
     */
    @Test
    void GS_044_replyToDeadCallerIsHarmless(AttachedProcess me) {
        Pid self = me.pid();
        Pid p = GenServer.startLink(new Srv(EMPTY)).orThrow();
        Pid dead = Proc.spawn(() -> GenServer.sendRequest(p, new Do((from, s) -> {
            Proc.send(self, new Waiting(from));
            return GenServer.noreply(s);
        })));
        From from = await(m -> m instanceof Waiting w ? w.from() : null);
        waitDead(dead);

        assertThat(from.caller()).isEqualTo(dead);
        assertThatCode(() -> from.reply("too_late")).doesNotThrowAnyException();
        String pong = GenServer.call(p, "ping");
        assertThat(pong).isEqualTo("pong");
    }

    /** GS-045: The server exits (exit(normal)) while handling a call: the caller exits with {normal, {gen_server, call, ...}}. */
    @Test
    void GS_045_serverExitingNormallyDuringCallExitsCaller(AttachedProcess me) {
        Pid p = GenServer.start(new Srv(EMPTY)).orThrow();
        Do request = new Do((f, s) -> {
            Proc.exit(Reason.NORMAL);
            throw new AssertionError("Proc.exit returned");
        });

        assertThatThrownBy(() -> GenServer.call(p, request))
                .isInstanceOfSatisfying(CallException.class, e -> {
                    assertThat(e.kind()).isEqualTo(CallException.Kind.EXIT);
                    assertThat(e.exitReason()).contains(Reason.NORMAL);
                    assertThat(e.server()).isEqualTo(p);
                    assertThat(e.request()).isEqualTo(request);
                });
    }

    /**
     * GS-046: The server is killed by a third party while a call is pending: the caller exits with {killed, {gen_server, call, ...}}.
     *
     * <p>The server tells the killer when it is busy with the call (the corpus polls its
     * {@code current_function}), then sleeps 5 s, as {@code {sleep, 5000}}.
     */
    @Test
    void GS_046_serverKilledDuringCallExitsCallerWithKilled(AttachedProcess me) {
        Pid p = GenServer.start(new Srv(EMPTY)).orThrow();
        Pid killer = Proc.spawn(() -> {
            await(m -> m.equals("busy") ? m : null);
            Proc.exit(p, Reason.KILL);
        });
        Do request = new Do((f, s) -> {
            Proc.send(killer, "busy");
            sleep(Duration.ofSeconds(5));
            return GenServer.reply("slept", s);
        });

        assertThatThrownBy(() -> GenServer.call(p, request))
                .isInstanceOfSatisfying(CallException.class, e -> {
                    assertThat(e.kind()).isEqualTo(CallException.Kind.EXIT);
                    assertThat(e.exitReason()).contains(Reason.KILLED);
                    assertThat(e.server()).isEqualTo(p);
                    assertThat(e.request()).isEqualTo(request);
                });
    }

    /**
     * GS-047: send_request + receive_response (OTP 25): {reply, R}; an unanswered one gives timeout.
     *
     * <p>The unanswered request is one the server never answers (the corpus's sleeps 200 ms
     * against a 20 ms wait), so the outcome cannot depend on timing.
     */
    @Test
    void GS_047_sendRequestAndReceiveResponse(AttachedProcess me) {
        Pid p = GenServer.startLink(new Srv(EMPTY)).orThrow();

        GenServer.RequestId id1 = GenServer.sendRequest(p, "ping");
        GenServer.Response a = GenServer.receiveResponse(id1, Duration.ofMillis(1000));
        GenServer.RequestId id2 = GenServer.sendRequest(p, new Do((f, s) -> GenServer.noreply(s)));
        GenServer.Response b = GenServer.receiveResponse(id2, Duration.ofMillis(20));

        assertThat(a).isEqualTo(new GenServer.Response.Replied("pong"));
        assertThat(b).isEqualTo(new GenServer.Response.TimedOut());
    }

    /**
     * GS-048: Stop reasons normal, shutdown and {shutdown, _} are not logged as errors; any other stop reason produces an error log event.
     *
     * <p>Java: records of {@code System.Logger} {@code otp4j.behaviour}; an error is
     * {@code ERROR} ({@code SEVERE} in java.util.logging). They are logged before the server
     * exits, so before its DOWN.
     */
    @Test
    void GS_048_onlyAbnormalStopsAreLoggedAsErrors(AttachedProcess me) {
        Map<Reason, List<LogEvent>> result = new LinkedHashMap<>();
        try (LogCapture logs = new LogCapture("otp4j.behaviour")) {
            for (Reason reason : List.of(Reason.NORMAL, Reason.SHUTDOWN, Reason.shutdown("x"), Reason.custom("boom"))) {
                logs.clear();
                Pid p = GenServer.start(new Srv(EMPTY)).orThrow();
                Ref ref = Proc.monitor(p);
                GenServer.cast(p, new DoAsync(s -> GenServer.stop(reason, s)));
                down(ref);
                result.put(reason, events(logs, GenServerConformanceTest::kind));
            }
        }

        assertThat(result).containsExactly(
                entry(Reason.NORMAL, List.of()),
                entry(Reason.SHUTDOWN, List.of()),
                entry(Reason.shutdown("x"), List.of()),
                entry(Reason.custom("boom"), List.of(
                        new LogEvent("error", "gen_server_terminating"), new LogEvent("error", "crash_report"))));
    }

    /** GS-049: A call to a server that stays silent ({noreply, S} and never replies) ends in the caller's timeout exit. */
    @Test
    void GS_049_silentServerEndsInCallerTimeout(AttachedProcess me) {
        Pid p = GenServer.startLink(new Srv(EMPTY)).orThrow();

        assertThatThrownBy(() -> GenServer.call(p, new Do((f, s) -> GenServer.noreply(s)), Duration.ofMillis(50)))
                .isInstanceOfSatisfying(CallException.class,
                        e -> assertThat(e.kind()).isEqualTo(CallException.Kind.TIMEOUT));
        assertThat(Proc.isAlive(p)).isTrue();
    }

    /** GS-050: Calling a registered name after its server has stopped: the caller exits with {noproc, {gen_server, call, [Name, Request]}}. */
    @Test
    void GS_050_callToNameOfStoppedServerFailsWithNoproc(AttachedProcess me) {
        Pid p = GenServer.start(new Srv(EMPTY), StartOptions.named("gs050_name")).orThrow();
        GenServer.stop(p);
        Name name = new Name("gs050_name");

        assertThatThrownBy(() -> GenServer.call(name, "ping"))
                .isInstanceOfSatisfying(CallException.class, e -> {
                    assertThat(e.kind()).isEqualTo(CallException.Kind.NOPROC);
                    assertThat(e.server()).isEqualTo(name);
                    assertThat(e.request()).isEqualTo("ping");
                });
    }

    /**
     * GS-051: gen_server:call/2 uses a default timeout of 5000 ms: calling a process that never answers exits after about 5 s.
     *
     * <p>On a {@link ManualTicker}: once the caller waits (its timeout armed at the current
     * time), the clock moves 4.9 s and a probe timer due then fires; timers fire in deadline
     * order, each counted out before it fires, so the caller's timeout, had it been 4.9 s or
     * less, would no longer be armed. 0.1 s more, and the call fails with {@code timeout},
     * without a timeout in the exception (the two-argument form).
     */
    @Test
    void GS_051_callHasDefaultTimeoutOfFiveSeconds(ManualTicker ticker, Node node, AttachedProcess me) {
        Pid self = me.pid();
        Pid silent = Proc.spawn(GenServerConformanceTest::idle);
        Pid caller = Proc.spawn(() -> {
            Object outcome;
            try {
                outcome = GenServer.call(silent, "ping");
            } catch (CallException e) {
                outcome = e;
            }
            Proc.send(self, new Outcome(outcome));
        });
        awaitCondition(caller + " waiting for its reply", () -> Proc.info(caller)
                .map(ProcessInfo::status).orElse(null) == ProcessStatus.WAITING);

        Proc.sendAfter(Duration.ofMillis(4900), self, "probe");
        ticker.advance(Duration.ofMillis(4900));
        await(m -> m.equals("probe") ? m : null);
        long armedAfter4900ms = node.systemInfo().armedTimers();
        List<Object> after4900ms = flush();
        ticker.advance(Duration.ofMillis(100));
        Object outcome = await(m -> m instanceof Outcome o ? o.value() : null);

        assertThat(armedAfter4900ms).as("the caller's timeout, still armed after 4.9 s").isEqualTo(1);
        assertThat(after4900ms).isEmpty();
        assertThat(outcome).isInstanceOfSatisfying(CallException.class, e -> {
            assertThat(e.kind()).isEqualTo(CallException.Kind.TIMEOUT);
            assertThat(e.server()).isEqualTo(silent);
            assertThat(e.request()).isEqualTo("ping");
            assertThat(e.timeout()).isEmpty();
        });
    }

    // ------------------------------------------------------------------ helpers

    /** {@code #{report => Pid}}. */
    private static Map<String, Object> reportTo(Pid pid) {
        return Map.of("report", pid);
    }

    /** {@code State#{Key => Value}}. */
    private static Map<String, Object> with(Map<String, Object> state, String key, Object value) {
        Map<String, Object> m = new HashMap<>(state);
        m.put(key, value);
        return Map.copyOf(m);
    }

    /** Erlang's {@code timer:sleep(Ms)} in a process: a receive that takes nothing. */
    private static void sleep(Duration d) {
        Proc.receive(m -> null, d);
    }

    /** A process body that blocks forever in a receive that takes nothing, as {@code receive never -> ok end}. */
    private static void idle() {
        Proc.receive(m -> null);
    }

    /** Erlang's {@code receive {info, M} -> M end}: the next message a {@link Srv} reported from handleInfo. */
    private static Object info() {
        return await(m -> m instanceof Info i ? i.message() : null);
    }

    /**
     * Takes the oldest message {@code matcher} accepts, failing the test if none comes within
     * {@link #FAILURE_DEADLINE} of real time (the node's own clock may be a ManualTicker that
     * never reaches a receive timeout).
     */
    private static <R> R await(Matcher<R> matcher) {
        return Mailbox.awaitInRealTime(matcher, FAILURE_DEADLINE);
    }

    /** Erlang's {@code down(Ref)}: waits for the DOWN of monitor {@code ref}; returns its reason. */
    private static Reason down(Ref ref) {
        return await(m -> m instanceof Down d && d.ref() == ref ? d.reason() : null);
    }

    /** Erlang's {@code wait_dead(P)}: monitors P and waits until it has exited; returns the DOWN reason. */
    private static Reason waitDead(Pid p) {
        return down(Proc.monitor(p));
    }

    /** Erlang's {@code flush()}: takes and returns every message now in the mailbox, oldest first. */
    private static List<Object> flush() {
        return Mailbox.flush();
    }

    /** Takes messages in arrival order up to and including the first that {@code last} accepts. */
    private static List<Object> messagesUntil(Predicate<Object> last) {
        List<Object> out = new ArrayList<>();
        for (;;) {
            Object m = await(Matcher.any());
            out.add(m);
            if (last.test(m)) {
                return out;
            }
        }
    }

    /** {@code erlang:process_info(P)} of a live process. */
    private static ProcessInfo info(Pid p) {
        return Proc.info(p).orElseThrow(() -> new AssertionError(p + " is not alive"));
    }

    /**
     * Waits until {@code condition} holds, failing after {@link #FAILURE_DEADLINE}. Only for a
     * state that no message or monitor announces (a process blocked in receive, a timer armed),
     * as the corpus's {@code cu:wait_until/1}; it waits for the condition, not for an amount of
     * time.
     */
    private static void awaitCondition(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + FAILURE_DEADLINE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                fail("not within " + FAILURE_DEADLINE + ": " + what);
            }
            Thread.yield();
        }
    }

    /**
     * Asserts that {@code reason} is a crash (Erlang's {@code {Error, Stacktrace}}) whose
     * exception has a stack trace, and returns the exception.
     */
    private static Throwable crashException(Reason reason) {
        assertThat(reason).isInstanceOf(Reason.Crash.class);
        Throwable e = ((Reason.Crash) reason).exception();
        assertThat(e.getStackTrace()).as("stack trace of " + e).isNotEmpty();
        return e;
    }

    /** Erlang's {@code zero()}: 0, hidden from the compiler's constant folding. */
    private static int zero() {
        return 0;
    }

    /** The corpus's {@code kind(Text)} of GS-048: which of OTP's two error reports a log message is. */
    private static String kind(String message) {
        if (message.startsWith("** Generic server") && message.contains("terminating")) {
            return "gen_server_terminating";
        }
        if (message.startsWith("crash report")) {
            return "crash_report";
        }
        return message;
    }

    /** A log event as the corpus prints it: {@code {Level, Kind}}. */
    record LogEvent(String level, String kind) {
    }

    /** {@return the records of {@code logs}, levels as Erlang's logger names them, messages through {@code kind}} */
    private static List<LogEvent> events(LogCapture logs, Function<String, String> kind) {
        return logs.records().stream()
                .map(r -> new LogEvent(level(r.getLevel()), kind.apply(String.valueOf(r.getMessage()))))
                .toList();
    }

    private static String level(Level l) {
        if (l == Level.SEVERE) {
            return "error";
        }
        return l.getName().toLowerCase(java.util.Locale.ROOT);
    }
}
