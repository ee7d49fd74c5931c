package otp4j.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Scheduler;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.scaladsl.AskPattern;
import org.apache.pekko.util.Timeout;
import scala.concurrent.ExecutionContext;
import scala.reflect.ClassTag;
import scala.reflect.ClassTag$;
import scala.runtime.BoxedUnit;
import scala.util.Try;

import otp4j.behaviour.CallResult;
import otp4j.behaviour.From;
import otp4j.behaviour.GenServer;
import otp4j.behaviour.InitResult;
import otp4j.runtime.Pid;
import otp4j.runtime.Proc;

/**
 * W5 GenServer call: clients call a counter server, which answers each {@code incr} with the
 * counter incremented; the cost of a synchronous request to a server, as every GenServer API
 * call pays it. (a) one client × A calls, (b) C clients × B calls, all at once. Figures, as
 * {@code w5_genserver.erl}: calls/s, from {@code go} until the last client had its last reply,
 * by the client's own clock (for (b) the Erlang program stops its clock when the last client's
 * report reaches it: one message later, a few microseconds in a second). The counter is checked:
 * one more call answers the number of calls made + 1.
 *
 * <p>otp4j: {@link GenServer#call(otp4j.runtime.Dest, Object)} with its default 5 s timeout, as
 * {@code gen_server:call/2}. The floor: a request carrying the client, answered into the
 * client's mailbox (no monitor, tag or timeout). Pekko, three ways, each answer triggering the
 * next call: the ask pattern with a 5 s timeout (a temporary reply actor and a timer per call),
 * each ask made by the previous one's completion ({@link AskClient}; {@code w5*_call_*}, the
 * figures compared with otp4j's); the same ask from inside a client actor
 * ({@code w5*_ctxask_*}); and the plain request-response of typed actors, a request carrying the
 * client's own reference, without timeout or correlation ({@code w5*_tell_*}, what the floor
 * does).
 *
 * <p>Run with {@code benchmarks/run.sh w5} (all implementations, side by side), or alone
 * as the benchmarks README shows ({@code Bench w5 otp4j}).
 */
final class W5GenServer {
    private static final String GO = "go";
    private static final String STOP = "stop";
    /** gen_server:call/2's default timeout, given to Pekko's ask too. */
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(5);
    private static final Timeout ASK_TIMEOUT = Timeout.create(CALL_TIMEOUT);
    private static final ClassTag<Long> LONG = ClassTag$.MODULE$.apply(Long.class);

    private W5GenServer() {
    }

    private enum Request {
        INCR
    }

    /** When a client had its last reply. */
    private record Done(long at) {
    }

    static void run(Bench.Impl impl, Report out, int calls1, int clients, int callsEach) throws InterruptedException {
        switch (impl) {
            case OTP4J -> Bench.otp4j(() -> {
                report(out, "w5a_call_1client_per_s", calls1, otp4j(1, calls1));
                report(out, "w5b_call_100clients_per_s", (long) clients * callsEach, otp4j(clients, callsEach));
            });
            case VT -> Bench.vt(self -> {
                report(out, "w5a_call_1client_per_s", calls1, vt(self, 1, calls1));
                report(out, "w5b_call_100clients_per_s", (long) clients * callsEach, vt(self, clients, callsEach));
            });
            case PEKKO, PEKKO_VT -> Bench.pekko(impl, pekko -> {
                report(out, "w5a_call_1client_per_s", calls1, pekkoAsk(pekko, 1, calls1));
                report(out, "w5b_call_100clients_per_s", (long) clients * callsEach, pekkoAsk(pekko, clients, callsEach));
                report(out, "w5a_ctxask_1client_per_s", calls1, pekko(pekko, true, 1, calls1));
                report(out, "w5b_ctxask_100clients_per_s", (long) clients * callsEach,
                        pekko(pekko, true, clients, callsEach));
                report(out, "w5a_tell_1client_per_s", calls1, pekko(pekko, false, 1, calls1));
                report(out, "w5b_tell_100clients_per_s", (long) clients * callsEach, pekko(pekko, false, clients, callsEach));
            });
        }
    }

    /** What a run measured: the time from go to done, and the answer to one more call. */
    private record Result(long nanos, long last) {
    }

    // ------------------------------------------------------------------ otp4j

    /** {@code w5_counter.erl}. */
    private record Counter() implements GenServer<Long, Request> {
        @Override
        public InitResult<Long> init() {
            return GenServer.ok(0L);
        }

        @Override
        public CallResult<Long> handleCall(Request request, From from, Long n) {
            Long next = n + 1;
            return GenServer.reply(next, next);
        }
    }

    private static Result otp4j(int clients, int callsEach) {
        Pid server = GenServer.start(new Counter()).orThrow();
        Pid parent = Proc.self();
        List<Pid> pids = new ArrayList<>(clients);
        for (int i = 0; i < clients; i++) {
            pids.add(Proc.spawn(() -> {
                Proc.receive();
                for (int k = 0; k < callsEach; k++) {
                    GenServer.call(server, Request.INCR);
                }
                Proc.send(parent, new Done(System.nanoTime()));
            }));
        }
        long t0 = System.nanoTime();
        for (Pid p : pids) {
            Proc.send(p, GO);
        }
        long t1 = 0;
        for (int i = 0; i < clients; i++) {
            t1 = Math.max(t1, ((Done) Proc.receive()).at());
        }
        long last = GenServer.<Long>call(server, Request.INCR);
        GenServer.stop(server);
        return new Result(t1 - t0, last);
    }

    // ------------------------------------------------------------------ floor

    /** A call on the floor: the client to answer. */
    private record Call(VtProc from) {
    }

    private static Result vt(VtProc parent, int clients, int callsEach) {
        VtProc server = VtProc.spawn(self -> {
            long n = 0;
            for (Object m = self.receive(); m != STOP; m = self.receive()) {
                ((Call) m).from().send(++n);
            }
        });
        List<VtProc> procs = new ArrayList<>(clients);
        for (int i = 0; i < clients; i++) {
            procs.add(VtProc.spawn(self -> {
                self.receive();
                Call call = new Call(self);
                for (int k = 0; k < callsEach; k++) {
                    server.send(call);
                    self.receive();
                }
                parent.send(new Done(System.nanoTime()));
            }));
        }
        long t0 = System.nanoTime();
        for (VtProc p : procs) {
            p.send(GO);
        }
        long t1 = 0;
        for (int i = 0; i < clients; i++) {
            t1 = Math.max(t1, ((Done) parent.receive()).at());
        }
        server.send(new Call(parent));
        long last = (Long) parent.receive();
        server.send(STOP); // the floor cannot kill
        return new Result(t1 - t0, last);
    }

    // ------------------------------------------------------------------ Pekko

    private record Incr(ActorRef<Long> replyTo) {
    }

    private static final class PekkoCounter extends AbstractBehavior<Incr> {
        private long n;

        PekkoCounter(ActorContext<Incr> context) {
            super(context);
        }

        @Override
        public Receive<Incr> createReceive() {
            return newReceiveBuilder().onMessage(Incr.class, m -> {
                m.replyTo().tell(++n);
                return this;
            }).build();
        }
    }

    /**
     * Calls {@code callsEach} times, one at a time, by ask or by a plain request carrying the
     * client's own reference; completes {@code done} with when the last answer came.
     */
    private static final class PekkoClient extends AbstractBehavior<Object> {
        private final ActorRef<Incr> counter;
        private final boolean ask;
        private final CompletableFuture<Long> done;
        private final Incr tell;
        private int left;

        PekkoClient(ActorContext<Object> context, ActorRef<Incr> counter, boolean ask, int callsEach,
                CompletableFuture<Long> done) {
            super(context);
            this.counter = counter;
            this.ask = ask;
            this.left = callsEach;
            this.done = done;
            this.tell = new Incr(context.getSelf().narrow());
        }

        @Override
        public Receive<Object> createReceive() {
            return newReceiveBuilder()
                    .onMessageEquals(GO, this::call)
                    .onMessage(Long.class, reply -> --left == 0 ? finish() : call())
                    .onMessage(Throwable.class, failure -> {
                        done.completeExceptionally(failure);
                        return Behaviors.stopped();
                    })
                    .build();
        }

        private Behavior<Object> call() {
            if (!ask) {
                counter.tell(tell);
                return this;
            }
            // The Scala API's ask: the Java API's (javadsl.ActorContext.ask) is the same ask, but
            // its answer reaches the actor through a CompletionStage adapter that runs every
            // callback on the JDK's common pool, one more thread hop per call (about 10x slower).
            getContext().asScala().ask(counter, Incr::new,
                    (Try<Long> t) -> t.isSuccess() ? t.get() : t.failed().get(), ASK_TIMEOUT, LONG);
            return this;
        }

        private Behavior<Object> finish() {
            done.complete(System.nanoTime());
            return Behaviors.stopped();
        }
    }

    /**
     * A client of the ask pattern: each call is an ask ({@code scaladsl.AskPattern}: a temporary
     * reply actor and a timeout timer per call), and the next one is made when the answer
     * completes the previous one's future. The completion runs where the answer is sent, on the
     * counter's thread while it handles the request ({@code ExecutionContext.parasitic}): the
     * client has no thread or mailbox of its own to wake. The Java API's ask
     * ({@code javadsl.AskPattern}) is the same ask, but its {@code CompletionStage} runs every
     * callback on the JDK's common pool, one more thread hop per call (about 40x slower here).
     */
    private static final class AskClient {
        private final ActorRef<Incr> counter;
        private final Scheduler scheduler;
        private final CompletableFuture<Long> done;
        private final scala.Function1<Try<Long>, BoxedUnit> onAnswer = this::answered;
        private int left;

        AskClient(ActorRef<Incr> counter, Scheduler scheduler, int callsEach, CompletableFuture<Long> done) {
            this.counter = counter;
            this.scheduler = scheduler;
            this.left = callsEach;
            this.done = done;
        }

        void call() {
            AskPattern.Askable$.MODULE$.<Long, Incr>ask$extension(counter, Incr::new, ASK_TIMEOUT, scheduler)
                    .onComplete(onAnswer, ExecutionContext.parasitic$.MODULE$);
        }

        private BoxedUnit answered(Try<Long> answer) {
            if (answer.isFailure()) {
                done.completeExceptionally(answer.failed().get());
            } else if (--left == 0) {
                done.complete(System.nanoTime());
            } else {
                call();
            }
            return BoxedUnit.UNIT;
        }
    }

    private static Result pekkoAsk(PekkoSystem pekko, int clients, int callsEach) {
        ActorRef<Incr> counter = pekko.spawn(Behaviors.setup(PekkoCounter::new));
        List<CompletableFuture<Long>> dones = new ArrayList<>(clients);
        List<AskClient> askers = new ArrayList<>(clients);
        for (int i = 0; i < clients; i++) {
            CompletableFuture<Long> done = new CompletableFuture<>();
            dones.add(done);
            askers.add(new AskClient(counter, pekko.scheduler(), callsEach, done));
        }
        long t0 = System.nanoTime();
        for (AskClient a : askers) {
            a.call();
        }
        long t1 = 0;
        for (CompletableFuture<Long> d : dones) {
            t1 = Math.max(t1, d.join());
        }
        long last = pekko.<Incr, Long>ask(counter, Incr::new);
        return new Result(t1 - t0, last);
    }

    private static Result pekko(PekkoSystem pekko, boolean ask, int clients, int callsEach) {
        ActorRef<Incr> counter = pekko.spawn(Behaviors.setup(PekkoCounter::new));
        List<CompletableFuture<Long>> dones = new ArrayList<>(clients);
        List<ActorRef<Object>> refs = new ArrayList<>(clients);
        for (int i = 0; i < clients; i++) {
            CompletableFuture<Long> done = new CompletableFuture<>();
            dones.add(done);
            refs.add(pekko.spawn(Behaviors.setup(ctx -> new PekkoClient(ctx, counter, ask, callsEach, done))));
        }
        long t0 = System.nanoTime();
        for (ActorRef<Object> r : refs) {
            r.tell(GO);
        }
        long t1 = 0;
        for (CompletableFuture<Long> d : dones) {
            t1 = Math.max(t1, d.join());
        }
        long last = pekko.<Incr, Long>ask(counter, Incr::new);
        return new Result(t1 - t0, last);
    }

    private static void report(Report out, String name, long calls, Result r) {
        if (r.last() != calls + 1) {
            throw Bench.wrong("the counter answered " + r.last() + " after " + calls + " calls; expected "
                    + (calls + 1));
        }
        out.rate(name, calls, r.nanos(), "calls/s");
    }
}
