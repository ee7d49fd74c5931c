package otp4j.behaviour;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

import otp4j.runtime.AttachedProcess;
import otp4j.runtime.DemonitorOption;
import otp4j.runtime.Dest;
import otp4j.runtime.Down;
import otp4j.runtime.Exit;
import otp4j.runtime.Matcher;
import otp4j.runtime.Name;
import otp4j.runtime.Pid;
import otp4j.runtime.Proc;
import otp4j.runtime.ProcessExit;
import otp4j.runtime.Reason;
import otp4j.runtime.Ref;
import otp4j.runtime.Via;
import otp4j.runtime.internal.Introspection;

/**
 * The loop of a {@link GenServer}, and the client side of its protocol (start, call, stop,
 * {@code sys}).
 *
 * @param <S> the server's state
 * @param <M> its requests
 */
final class ServerLoop<S, M> implements Runnable, Introspection.Behaviour {
    /*
     * Overview
     *
     * Start (proc_lib's protocol): the starter spawns the loop (linked for startLink), monitors
     * it and waits for an InitAck tagged with a fresh ref, or the DOWN, or its start timeout.
     * The loop registers its name first (a taken name fails the start before init runs,
     * GS-035), runs init, and acks. On ignore or stop it frees its name before acking (GS-019),
     * then exits; through a link that exit reaches the starter, as in OTP 25 (GS-013, 014).
     *
     * Call: the caller monitors the server (the monitor ref is the call's tag, and marks the
     * caller's mailbox, so waiting for the reply scans only what came after), sends a
     * CallRequest carrying a From, and waits for the CallReply or the DOWN. From decides by CAS
     * between the reply and the caller's timeout, so a late reply is never queued.
     *
     * Loop: one message at a time: calls, casts, sys requests, the parent's EXIT (when the
     * server traps exits: terminate, then exit, GS-027), anything else to handleInfo. A callback
     * that throws, returns null or calls Proc.exit ends the server: terminate runs, then the
     * server exits with the reason. A kill is not caught: the server is dead already.
     */

    static final System.Logger LOG = System.getLogger("otp4j.behaviour");

    private static final DemonitorOption[] FLUSH = {DemonitorOption.FLUSH};

    private final GenServer<S, M> impl;
    private final Pid starter;
    private final Ref startTag;
    private final boolean linked;
    private final Optional<Dest> name;

    // The server's own process only.
    private Pid self;
    private Pid parent;
    private S state;
    private Object lastMessage;
    private boolean suspended;
    private Pid tracer;
    private Statistics statistics;

    @Override
    public Class<?> callbackClass() {
        return impl.getClass();
    }

    private ServerLoop(GenServer<S, M> impl, Pid starter, Ref startTag, boolean linked, Optional<Dest> name) {
        this.impl = impl;
        this.starter = starter;
        this.startTag = startTag;
        this.linked = linked;
        this.name = name;
    }

    // ------------------------------------------------------------------ start

    static StartResult start(GenServer<?, ?> server, StartOptions options, boolean link) {
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(options, "options");
        Pid me = Proc.self();
        Ref tag = Proc.makeRef();
        ServerLoop<?, ?> loop = new ServerLoop<>(server, me, tag, link, options.name());
        Pid pid = link ? Proc.spawnLink(loop) : Proc.spawn(loop);
        Ref mon = Proc.monitor(pid);
        // The ack may be in the mailbox already, before the monitor's mark: scan it all.
        Object got = Proc.receive(m -> m instanceof InitAck a && a.tag() == tag ? a
                : m instanceof Down d && d.ref() == mon ? d : null, options.timeout()).orElse(null);
        if (got == null) {
            // init took too long (GS-018): the half-started server goes, quietly for a linked starter.
            if (link) {
                Proc.unlink(pid);
            }
            Proc.exit(pid, Reason.KILL);
            Proc.demonitor(mon, FLUSH);
            return new StartResult.Failed(Reason.custom("timeout"));
        }
        if (got instanceof InitAck ack) {
            Proc.demonitor(mon, FLUSH);
            return ack.result();
        }
        return new StartResult.Failed(((Down) got).reason());
    }

    @Override
    public void run() {
        self = Proc.self();
        parent = linked ? starter : self;
        if (name.isPresent() && !registerName(name.get())) {
            return; // acked already_started; exits normal
        }
        InitResult<S> init = invoke("init", impl::init);
        switch (init) {
            case InitResult.Ok<S> ok -> {
                state = ok.state();
                ack(new StartResult.Started(self));
                loop(ok.next());
            }
            case InitResult.Ignore<S> ignore -> {
                unregisterName();
                ack(new StartResult.Ignored());
            }
            case InitResult.Stop<S> stop -> {
                unregisterName();
                ack(new StartResult.Failed(stop.reason()));
                if (stop.reason().isAbnormal()) {
                    LOG.log(System.Logger.Level.ERROR, () -> "** Generic server " + self + " ("
                            + impl.getClass().getName() + ") failed to start: " + stop.reason());
                }
                Proc.exit(stop.reason());
            }
        }
    }

    private boolean registerName(Dest n) {
        switch (n) {
            case Name local -> {
                Optional<Pid> holder = Proc.whereis(local.name());
                if (holder.isEmpty()) {
                    try {
                        Proc.register(local.name(), self);
                        return true;
                    } catch (IllegalArgumentException taken) {
                        holder = Proc.whereis(local.name()); // lost a race for the name
                    }
                }
                ack(new StartResult.Failed(Reason.custom(new AlreadyStarted(holder.orElse(self)))));
                return false;
            }
            case Via via -> {
                if (via.service().registerName(via.key(), self)) {
                    return true;
                }
                Pid holder = via.service().whereisName(via.key()).orElse(self);
                ack(new StartResult.Failed(Reason.custom(new AlreadyStarted(holder))));
                return false;
            }
            case Pid pid -> throw new IllegalArgumentException("a server is not named by a pid: " + pid);
        }
    }

    private void unregisterName() {
        name.ifPresent(n -> {
            switch (n) {
                case Name local -> Proc.unregister(local.name());
                case Via via -> via.service().unregisterName(via.key());
                case Pid pid -> throw new IllegalArgumentException("a server is not named by a pid: " + pid);
            }
        });
    }

    private void ack(StartResult result) {
        Proc.send(starter, new InitAck(startTag, result));
    }

    /**
     * Runs a callback; if it throws, returns null or calls {@link Proc#exit(Reason)}, the server
     * stops with the matching reason. During init, the failure becomes init's result instead.
     */
    @SuppressWarnings("unchecked")
    private <R> R invoke(String callback, Supplier<R> call) {
        Reason failure;
        try {
            R r = call.get();
            if (r != null) {
                return r;
            }
            failure = Reason.crash(new IllegalStateException(impl.getClass().getName() + "." + callback
                    + " returned null; return one of the results GenServer's static methods make"));
        } catch (ProcessExit e) {
            if (!Proc.isAlive(self)) {
                throw e; // killed: the server is already dead
            }
            failure = e.reason();
        } catch (Throwable e) {
            failure = Reason.crash(e);
        }
        if (callback.equals("init")) {
            return (R) new InitResult.Stop<S>(failure);
        }
        return terminateAndExit(failure);
    }

    // ------------------------------------------------------------------ loop

    @SuppressWarnings("unchecked")
    private void loop(Next next) {
        for (;;) {
            if (next instanceof Next.Continue c) {
                lastMessage = c;
                next = afterResult(invoke("handleContinue", () -> impl.handleContinue(c.continuation(), state)));
                continue;
            }
            Object msg;
            if (suspended) {
                // Suspended: only sys requests are taken; the rest waits in the mailbox.
                msg = Proc.receive(Matcher.type(SystemRequest.class));
            } else {
                Duration wait = next instanceof Next.Timeout t ? t.after() : Proc.INFINITY;
                if (next == Next.hibernate()) {
                    lastMessage = null; // nothing else to release: a parked process keeps only its frames
                }
                msg = Proc.receive(wait).orElse(ServerTimeout.TIMEOUT);
            }
            lastMessage = msg;
            if (!(msg instanceof SystemRequest)) {
                countIn(msg);
            }
            next = switch (msg) {
                case CallRequest(From from, Object request) -> afterCall(from,
                        invoke("handleCall", () -> impl.handleCall((M) request, from, state)));
                case CastRequest(Object request) -> afterResult(
                        invoke("handleCast", () -> impl.handleCast((M) request, state)));
                case SystemRequest request -> system(request, next);
                case Exit(Pid from, Reason reason) when from.equals(parent) && !parent.equals(self) ->
                        terminateAndExit(reason);
                default -> afterResult(invoke("handleInfo", () -> impl.handleInfo(msg, state)));
            };
        }
    }

    private Next afterCall(From from, CallResult<S> result) {
        switch (result) {
            case Reply<S> r -> {
                state = r.state();
                reply(from, r.reply());
                return r.next();
            }
            case NoReply<S> r -> {
                state = r.state();
                return r.next();
            }
            case Stop<S> r -> {
                state = r.state();
                return terminateAndExit(r.reason());
            }
            case StopReply<S> r -> {
                state = r.state();
                try {
                    terminate(r.reason());
                } finally {
                    reply(from, r.reply()); // after terminate, as OTP
                }
                return exit(r.reason());
            }
        }
    }

    private Next afterResult(Result<S> result) {
        switch (result) {
            case NoReply<S> r -> {
                state = r.state();
                return r.next();
            }
            case Stop<S> r -> {
                state = r.state();
                return terminateAndExit(r.reason());
            }
        }
    }

    private void reply(From from, Object value) {
        from.reply(value);
        countOut(from.caller(), value);
    }

    private <R> R terminateAndExit(Reason reason) {
        terminate(reason);
        return exit(reason);
    }

    /** Runs terminate; a throw is logged and does not hide {@code reason}. */
    private void terminate(Reason reason) {
        try {
            impl.terminate(reason, state);
        } catch (ProcessExit e) {
            if (!Proc.isAlive(self)) {
                throw e;
            }
            LOG.log(System.Logger.Level.ERROR, () -> "** Generic server " + self + " exited in terminate("
                    + reason + ") with " + e.reason() + "; it exits with " + reason);
        } catch (Throwable e) {
            LOG.log(System.Logger.Level.ERROR, "** Generic server " + self + " crashed in terminate(" + reason
                    + "); it exits with " + reason, e);
        }
    }

    private <R> R exit(Reason reason) {
        if (reason.isAbnormal()) {
            report(reason);
        }
        Proc.exit(reason);
        throw new AssertionError("Proc.exit returns only by throwing");
    }

    /** OTP's two error events for an abnormal stop (GS-048). */
    private void report(Reason reason) {
        // Messages are built only if the level is on: restart storms crash servers by the thousand.
        Throwable cause = reason instanceof Reason.Crash c ? c.exception() : null;
        LOG.log(System.Logger.Level.ERROR, () -> "** Generic server " + self + " (" + impl.getClass().getName()
                + ") terminating\n** Last message in was " + lastMessage + "\n** When server state == "
                + formatStatusSafely() + "\n** Reason for termination ==\n** " + reason, cause);
        LOG.log(System.Logger.Level.ERROR, () -> "crash report: process " + self + " (" + impl.getClass().getName()
                + ") exited with " + reason + "; parent " + parent);
    }

    private Object formatStatusSafely() {
        try {
            return impl.formatStatus(state);
        } catch (RuntimeException e) {
            return "<formatStatus failed: " + e + ">";
        }
    }

    // ------------------------------------------------------------------ sys

    private void countIn(Object msg) {
        if (statistics != null) {
            statistics = statistics.in();
        }
        if (tracer != null) {
            Proc.send(tracer, new TraceEvent(self, TraceEvent.Direction.IN, msg));
        }
    }

    private void countOut(Pid to, Object msg) {
        if (statistics != null) {
            statistics = statistics.out();
        }
        if (tracer != null) {
            Proc.send(tracer, new TraceEvent(self, TraceEvent.Direction.OUT, new TraceEvent.Sent(to, msg)));
        }
    }

    @SuppressWarnings("unchecked")
    private Next system(SystemRequest request, Next next) {
        From from = request.from();
        switch (request.command()) {
            case SystemCommand.GetState g -> from.reply(new SysReply(state));
            case SystemCommand.GetStatus g -> from.reply(new SysReply(new ServerStatus(self, impl.getClass().getName(),
                    parent, suspended, Optional.ofNullable(statistics), formatStatusSafely())));
            case SystemCommand.ReplaceState r -> {
                S replaced;
                try {
                    replaced = (S) r.replace().apply(state);
                } catch (RuntimeException e) {
                    from.reply(new SysReply(new SysFailure(e))); // the state stays as it was
                    return next;
                }
                state = replaced;
                from.reply(new SysReply(state));
            }
            case SystemCommand.Suspend s -> {
                suspended = true;
                from.reply(new SysReply(Boolean.TRUE));
            }
            case SystemCommand.Resume s -> {
                suspended = false;
                from.reply(new SysReply(Boolean.TRUE));
            }
            case SystemCommand.Statistics s -> {
                if (s.on().isPresent()) {
                    statistics = s.on().get() ? new Statistics(Instant.now(), 0, 0) : null;
                }
                from.reply(new SysReply(Optional.ofNullable(statistics)));
            }
            case SystemCommand.Trace t -> {
                tracer = t.tracer().orElse(null);
                from.reply(new SysReply(Boolean.TRUE));
            }
            case SystemCommand.Terminate t -> {
                lastMessage = request;
                terminateAndExit(t.reason());
            }
        }
        return next;
    }

    /** A sys answer, which may be null (a null state). */
    record SysReply(Object value) {
    }

    /** A {@code replaceState} function that threw. */
    record SysFailure(RuntimeException exception) {
    }

    // ------------------------------------------------------------------ client side

    /** {@return the process {@code server} stands for now} */
    static Optional<Pid> resolve(Dest server) {
        return switch (server) {
            case Pid pid -> Optional.of(pid);
            case Name local -> Proc.whereis(local.name());
            case Via via -> via.service().whereisName(via.key());
        };
    }

    @SuppressWarnings({"unchecked", "try"}) // the attached scope is the point, not used by name
    static <R> R call(Dest server, Object request, Duration timeout, boolean explicit) {
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(request, "request: a server cannot be sent null");
        if (!Proc.isProcess()) {
            Pid pid = switch (server) {
                case Pid p -> p;
                case Via via -> via.service().whereisName(via.key()).orElseThrow(
                        () -> new CallException(CallException.Kind.NOPROC, server, request, null, explicit ? timeout : null));
                case Name n -> throw new IllegalCallerException("a call by name needs a process: call it from a "
                        + "process, or attach this thread with Node.attach(), or call the pid");
            };
            try (AttachedProcess caller = pid.node().attach()) {
                return call(server, request, timeout, explicit);
            }
        }
        Object reply = request(server, request, timeout, explicit, from -> new CallRequest(from, request));
        return (R) reply;
    }

    /**
     * Sends a request built by {@code message} and waits for its reply: the call protocol,
     * shared by calls and sys requests.
     */
    private static Object request(Dest server, Object request, Duration timeout, boolean explicit,
                                  java.util.function.Function<From, Object> message) {
        Duration shown = explicit ? timeout : null;
        Pid pid = resolve(server).orElseThrow(
                () -> new CallException(CallException.Kind.NOPROC, server, request, null, shown));
        Pid me = Proc.self();
        if (pid.equals(me)) {
            throw new CallException(CallException.Kind.CALLING_SELF, server, request, null, shown);
        }
        Ref tag = Proc.monitor(pid);
        From from = new From(me, tag);
        Proc.send(pid, message.apply(from));
        Matcher<Object> replyOrDown = m -> m instanceof CallReply r && r.tag() == tag ? r
                : m instanceof Down d && d.ref() == tag ? d : null;
        Object got = Proc.receive(tag, replyOrDown, timeout).orElse(null);
        if (got == null) {
            if (from.abandon()) {
                Proc.demonitor(tag, FLUSH);
                throw new CallException(CallException.Kind.TIMEOUT, server, request, null, shown);
            }
            // The reply won the race with our timeout: it is on its way (or the server is dying).
            got = Proc.receive(tag, replyOrDown, OtpDefaults.CALL_TIMEOUT).orElse(null);
            if (got == null) {
                Proc.demonitor(tag, FLUSH);
                throw new CallException(CallException.Kind.TIMEOUT, server, request, null, shown);
            }
        }
        if (got instanceof CallReply r) {
            Proc.demonitor(tag, FLUSH);
            return r.value();
        }
        Reason why = ((Down) got).reason();
        if (why instanceof Reason.NoProc) {
            throw new CallException(CallException.Kind.NOPROC, server, request, null, shown);
        }
        throw new CallException(CallException.Kind.EXIT, server, request, why, shown);
    }

    /** A {@link Sys} request: answered by every server, whatever its callbacks. */
    static Object system(Dest server, SystemCommand command, Duration timeout) {
        Objects.requireNonNull(server, "server");
        Object answer = request(server, command, timeout, true, from -> new SystemRequest(from, command));
        return ((SysReply) answer).value();
    }

    static void stop(Dest server, Reason reason, Duration timeout) {
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(timeout, "timeout");
        Pid pid = resolve(server).orElseThrow(
                () -> new CallException(CallException.Kind.NOPROC, server, "stop", null, null));
        Pid me = Proc.self();
        if (pid.equals(me)) {
            throw new CallException(CallException.Kind.CALLING_SELF, server, "stop", null, null);
        }
        Ref mon = Proc.monitor(pid);
        Proc.send(pid, new SystemRequest(new From(me, mon), new SystemCommand.Terminate(reason)));
        Down down = Proc.receive(mon, m -> m instanceof Down d && d.ref() == mon ? d : null, timeout).orElse(null);
        if (down == null) {
            Proc.demonitor(mon, FLUSH);
            throw new CallException(CallException.Kind.TIMEOUT, server, "stop", null, timeout);
        }
        if (down.reason() instanceof Reason.NoProc) {
            throw new CallException(CallException.Kind.NOPROC, server, "stop", null, null);
        }
    }

    static GenServer.RequestId sendRequest(Dest server, Object request) {
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(request, "request");
        Pid me = Proc.self();
        Optional<Pid> pid = resolve(server);
        if (pid.isEmpty()) {
            // As a request to a dead process: the response will be noproc.
            Ref dead = Proc.makeRef();
            return new GenServer.RequestId(server, null, dead);
        }
        Ref tag = Proc.monitor(pid.get());
        Proc.send(pid.get(), new CallRequest(new From(me, tag), request));
        return new GenServer.RequestId(server, pid.get(), tag);
    }

    static GenServer.Response receiveResponse(GenServer.RequestId id, Duration timeout) {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(timeout, "timeout");
        if (id.pid == null) {
            return new GenServer.Response.Failed(Reason.NOPROC);
        }
        Ref tag = id.monitor;
        Object got = Proc.receive(tag, m -> m instanceof CallReply r && r.tag() == tag ? r
                : m instanceof Down d && d.ref() == tag ? d : null, timeout).orElse(null);
        if (got == null) {
            return new GenServer.Response.TimedOut();
        }
        if (got instanceof CallReply r) {
            Proc.demonitor(tag, FLUSH);
            return new GenServer.Response.Replied(r.value());
        }
        return new GenServer.Response.Failed(((Down) got).reason());
    }
}
