package otp4j.runtime;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The functions a process calls: Erlang's BIFs for processes, messages, links, monitors, exit
 * signals, names and timers, under their Erlang names.
 *
 * <p>Each function says from where it may be called:
 * <ul>
 *   <li><b>a process</b>: code running in a process, or in a thread attached with
 *       {@link Node#attach()}. Called elsewhere, it throws {@link IllegalCallerException}.</li>
 *   <li><b>any thread</b>: also from threads that are not processes.</li>
 * </ul>
 * In a process that has been killed, or has died of an exit signal, every function throws
 * {@link ProcessExit}, so that its thread unwinds.
 *
 * <p>Interrupting a process's thread does not end a receive; to stop a process, send it an exit
 * signal with {@link #exit(Pid, Reason)}.
 *
 * <p>See the package documentation for ordering and visibility guarantees.
 */
public final class Proc {
    private Proc() {
    }

    /** Erlang's {@code infinity}: a timeout that never expires. */
    public static final Duration INFINITY = ChronoUnit.FOREVER.getDuration();

    // ------------------------------------------------------------------ identity

    /**
     * {@return the calling process's pid, as {@code self()}}
     *
     * <p><b>May be called from:</b> a process.
     */
    public static Pid self() {
        return current("self()").pid;
    }

    /**
     * {@return the node the calling process runs on}
     *
     * <p><b>May be called from:</b> a process.
     */
    public static Node node() {
        return current("node()").node;
    }

    /** {@return whether the calling thread is a process (spawned, or attached)} */
    public static boolean isProcess() {
        return ProcessImpl.current() != null;
    }

    // ------------------------------------------------------------------ spawning

    /**
     * Starts a process on the caller's node, as {@code spawn/1}.
     *
     * <p><b>May be called from:</b> a process; elsewhere use {@link Node#spawn(Runnable)}.
     *
     * @throws SystemLimitException if the node holds {@link NodeOptions#maxProcesses()} processes
     *                              (as every spawn method)
     */
    public static Pid spawn(Runnable body) {
        Objects.requireNonNull(body, "body");
        ProcessImpl self = current("spawn()");
        return self.node.spawnProcess(body, self, false, null).pid;
    }

    /**
     * Starts a process linked to the caller, as {@code spawn_link/1}: the link exists before the
     * new process runs, so even an instant crash reaches the caller with its real reason
     * (EXIT-027).
     *
     * <p><b>May be called from:</b> a process.
     */
    public static Pid spawnLink(Runnable body) {
        Objects.requireNonNull(body, "body");
        ProcessImpl self = current("spawnLink()");
        return self.node.spawnProcess(body, self, true, null).pid;
    }

    /**
     * Starts a process monitored by the caller, as {@code spawn_monitor/1} (EXIT-046).
     *
     * <p><b>May be called from:</b> a process.
     */
    public static Spawned spawnMonitor(Runnable body) {
        Objects.requireNonNull(body, "body");
        ProcessImpl self = current("spawnMonitor()");
        Ref ref = self.node.makeRef();
        self.mark(ref);
        Pid pid = self.node.spawnProcess(body, self, false, ref).pid;
        return new Spawned(pid, ref);
    }

    /**
     * Starts a process linked to and monitored by the caller, as
     * {@code spawn_opt(Fun, [link, monitor])}: both exist before the new process runs, so its
     * exit reaches the caller as an exit signal and as a {@link Down} with its real reason,
     * however quickly it dies. What {@code Task.async} is built on.
     *
     * <p><b>May be called from:</b> a process.
     */
    public static Spawned spawnLinkMonitor(Runnable body) {
        Objects.requireNonNull(body, "body");
        ProcessImpl self = current("spawnLinkMonitor()");
        Ref ref = self.node.makeRef();
        self.mark(ref);
        Pid pid = self.node.spawnProcess(body, self, true, ref).pid;
        return new Spawned(pid, ref);
    }

    // ------------------------------------------------------------------ messages

    /**
     * Sends {@code message} to {@code dest} and returns at once, as {@code Dest ! Msg}. A message
     * to a dead pid, or to a {@link Name} nobody has registered, is dropped without error
     * (PROC-001, PROC-030, PROC-050); a {@link Via} nobody holds throws.
     *
     * <p><b>May be called from:</b> any thread, for a {@link Pid} or a {@link Via}; a process,
     * for a {@link Name} (names belong to the caller's node).
     * <p><b>Ordering:</b> messages from one sender to one receiver arrive in the order sent
     * (PROC-002); nothing is promised across senders.
     * <p><b>Memory effects:</b> actions in the sender before {@code send} happen-before actions in
     * the receiver after the receive that returns {@code message}.
     *
     * @throws NullPointerException     if {@code dest} or {@code message} is null
     * @throws IllegalArgumentException if a process sends to a pid of another node
     * @throws NodeClosedException      if a thread that is not a process sends to a pid of a node
     *                                  that was shut down
     * @throws NoProcException          if {@code dest} is a {@link Via} that nobody holds
     */
    public static void send(Dest dest, Object message) {
        Objects.requireNonNull(dest, "dest");
        Objects.requireNonNull(message, "message: a process cannot be sent null");
        ProcessImpl self = ProcessImpl.current();
        if (self != null) {
            self.checkAlive();
            self.countWork();
            self.traceSend(message, dest);
        }
        // instanceof rather than a pattern switch: this is the hottest path of the runtime.
        if (dest instanceof Pid pid) {
            Node node = pid.node();
            if (self != null && self.node != node) {
                throw foreign(pid, self.node);
            }
            ProcessImpl p = pid.getProcOpaque();
            if (p != null) {
                p.deliver(message);
            } else if (self == null) {
                node.ensureOpen(); // from outside, a dead pid of a closed node is an error
            }
        } else if (dest instanceof Name name) {
            if (self == null) {
                throw notAProcess("send(Name, ...)", "use a Pid, or Node.whereis(name)");
            }
            ProcessImpl p = self.node.lookup(name.name());
            if (p != null) {
                p.deliver(message);
            }
        } else {
            Via via = (Via) dest;
            Pid pid = via.service().whereisName(via.key())
                    .orElseThrow(() -> new NoProcException("nothing is registered as " + via));
            send(pid, message);
        }
    }

    /**
     * Sends {@code message} to the process registered as {@code name}, as {@code Name ! Msg}.
     *
     * <p><b>May be called from:</b> a process.
     *
     * @throws NoProcException if nothing is registered as {@code name} (PROC-029); use
     *                         {@code send(new Name(name), message)} to drop the message instead
     */
    public static void send(String name, Object message) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(message, "message: a process cannot be sent null");
        ProcessImpl self = current("send(name, ...)");
        self.checkAlive();
        self.countWork();
        if (self.tracesSends()) {
            self.traceSend(message, new Name(name));
        }
        ProcessImpl p = self.node.lookup(name);
        if (p == null) {
            throw new NoProcException("no process is registered as \"" + name + "\" on node " + self.node.name());
        }
        p.deliver(message);
    }

    /**
     * Takes the oldest message, waiting as long as it takes.
     *
     * <p><b>May be called from:</b> a process.
     */
    public static Object receive() {
        return current("receive()").receive(Matcher.any(), null, -1);
    }

    /**
     * Takes the oldest message, waiting at most {@code timeout}; empty if none came, as
     * {@code receive M -> M after T -> timeout end}. A zero timeout only looks (PROC-005, 006).
     *
     * <p><b>May be called from:</b> a process.
     *
     * @throws IllegalArgumentException if {@code timeout} is negative
     */
    public static Optional<Object> receive(Duration timeout) {
        long t = Node.toNanos(timeout, "timeout");
        return Optional.ofNullable(current("receive()").receive(Matcher.any(), null, infiniteToNegative(t)));
    }

    /**
     * Selective receive: takes the oldest message {@code matcher} accepts and returns its result,
     * waiting as long as it takes. Messages it does not accept stay in the mailbox, in order
     * (PROC-003, PROC-004).
     *
     * <p><b>May be called from:</b> a process.
     */
    public static <R> R receive(Matcher<R> matcher) {
        Objects.requireNonNull(matcher, "matcher");
        return current("receive()").receive(matcher, null, -1);
    }

    /**
     * Selective receive with a timeout, as {@code receive ... after T -> ... end}; empty if no
     * accepted message came in time. Messages the matcher does not accept do not restart the
     * timeout (PROC-054).
     *
     * <p><b>May be called from:</b> a process.
     *
     * @throws IllegalArgumentException if {@code timeout} is negative
     */
    public static <R> Optional<R> receive(Matcher<R> matcher, Duration timeout) {
        Objects.requireNonNull(matcher, "matcher");
        long t = Node.toNanos(timeout, "timeout");
        return Optional.ofNullable(current("receive()").receive(matcher, null, infiniteToNegative(t)));
    }

    /**
     * Selective receive that looks only at messages that arrived after {@code mark} was made by
     * this process ({@link #makeRef()}, {@link #monitor(Pid)}, {@link #spawnMonitor(Runnable)}):
     * Erlang's optimisation for a reply tagged with a fresh reference, so that waiting for a
     * reply does not scan a long mailbox. Only the most recent mark of the process is kept; with
     * an older one, the whole mailbox is scanned (same result, more work).
     *
     * <p><b>May be called from:</b> a process.
     *
     * @throws IllegalArgumentException if {@code timeout} is negative
     */
    public static <R> Optional<R> receive(Ref mark, Matcher<R> matcher, Duration timeout) {
        Objects.requireNonNull(mark, "mark");
        Objects.requireNonNull(matcher, "matcher");
        long t = Node.toNanos(timeout, "timeout");
        return Optional.ofNullable(current("receive()").receive(matcher, mark, infiniteToNegative(t)));
    }

    /**
     * {@return the messages in the caller's mailbox, oldest first, without taking them}
     * (PROC-013)
     *
     * <p><b>May be called from:</b> a process.
     */
    public static List<Object> messages() {
        ProcessImpl self = current("messages()");
        self.checkAlive();
        return List.copyOf(self.snapshot());
    }

    /**
     * {@return a new unique reference, as {@code make_ref()}}; in a process, it also marks the
     * mailbox for {@link #receive(Ref, Matcher, Duration)}.
     *
     * <p><b>May be called from:</b> a process.
     */
    public static Ref makeRef() {
        ProcessImpl self = current("makeRef()");
        self.checkAlive();
        Ref ref = self.node.makeRef();
        self.mark(ref);
        return ref;
    }

    // ------------------------------------------------------------------ links, monitors, exits

    /**
     * Links the caller and {@code pid}, as {@code link/1}: if either exits with a reason other
     * than {@code normal}, the other gets an exit signal. Linking twice makes one link
     * (EXIT-024); linking to oneself does nothing (EXIT-025).
     *
     * <p>If {@code pid} has already exited: a caller that traps exits receives
     * {@code Exit(pid, noproc)}; otherwise the call throws (EXIT-019).
     *
     * <p><b>May be called from:</b> a process.
     *
     * @throws NoProcException if {@code pid} is not alive and the caller does not trap exits
     */
    public static void link(Pid pid) {
        Objects.requireNonNull(pid, "pid");
        ProcessImpl self = current("link()");
        self.checkAlive();
        sameNode(self, pid);
        if (!self.link(pid.getProcOpaque())) {
            if (self.trapExit()) {
                self.deliver(new Exit(pid, Reason.NOPROC));
            } else {
                throw new NoProcException("cannot link to " + pid + ": it is not alive (noproc)");
            }
        }
    }

    /**
     * Removes the link between the caller and {@code pid}, in both directions, as
     * {@code unlink/1}. Unlinking a process that is not linked, or dead, does nothing (EXIT-026).
     * An {@link Exit} that had already arrived stays in the mailbox (EXIT-022).
     *
     * <p><b>May be called from:</b> a process.
     */
    public static void unlink(Pid pid) {
        Objects.requireNonNull(pid, "pid");
        ProcessImpl self = current("unlink()");
        self.checkAlive();
        sameNode(self, pid);
        self.unlink(pid.getProcOpaque());
    }

    /**
     * Monitors {@code pid}, as {@code monitor(process, Pid)}: when it exits, the caller receives
     * {@code Down(ref, pid, reason)}, once per monitor (EXIT-031). If it has already exited, the
     * {@code Down} with reason {@code noproc} comes at once (EXIT-030). A monitor on oneself is
     * allowed and never fires (EXIT-048). The ref also marks the mailbox (see
     * {@link #receive(Ref, Matcher, Duration)}).
     *
     * <p><b>May be called from:</b> a process.
     */
    public static Ref monitor(Pid pid) {
        Objects.requireNonNull(pid, "pid");
        ProcessImpl self = current("monitor()");
        self.checkAlive();
        sameNode(self, pid);
        Ref ref = self.node.makeRef();
        self.mark(ref);
        self.monitor(ref, pid.getProcOpaque(), pid);
        return ref;
    }

    /**
     * Monitors the process registered as {@code name} now, as {@code monitor(process, Name)}: the
     * {@link Down} names the {@link Name}, not the pid (EXIT-037), and comes at once with
     * {@code noproc} if nothing is registered (EXIT-036).
     *
     * <p><b>May be called from:</b> a process.
     */
    public static Ref monitor(String name) {
        Objects.requireNonNull(name, "name");
        ProcessImpl self = current("monitor()");
        self.checkAlive();
        Name item = new Name(name);
        Ref ref = self.node.makeRef();
        self.mark(ref);
        self.monitor(ref, self.node.lookup(name), item);
        return ref;
    }

    /**
     * Turns off monitor {@code ref}, as {@code demonitor/1}: no {@link Down} arrives for it
     * afterwards (EXIT-032), but one already in the mailbox stays (EXIT-033). A ref that is not
     * an active monitor of the caller is ignored (EXIT-035).
     *
     * <p><b>May be called from:</b> a process.
     */
    public static void demonitor(Ref ref) {
        demonitor(ref, new DemonitorOption[0]);
    }

    /**
     * Turns off monitor {@code ref}, as {@code demonitor/2}: with {@link DemonitorOption#FLUSH}
     * also removes its {@link Down} if already queued (EXIT-033); returns whether the monitor was
     * still active with {@link DemonitorOption#INFO} (EXIT-034), and true otherwise.
     *
     * <p><b>May be called from:</b> a process.
     */
    public static boolean demonitor(Ref ref, DemonitorOption... options) {
        Objects.requireNonNull(ref, "ref");
        Objects.requireNonNull(options, "options");
        ProcessImpl self = current("demonitor()");
        self.checkAlive();
        boolean flush = false;
        boolean info = false;
        for (DemonitorOption o : options) {
            switch (Objects.requireNonNull(o, "option")) {
                case FLUSH -> flush = true;
                case INFO -> info = true;
            }
        }
        boolean active = self.demonitor(ref);
        if (flush) {
            self.removeFirst(m -> m instanceof Down d && d.ref() == ref);
        }
        return !info || active;
    }

    /**
     * Sets whether the caller traps exits, as {@code process_flag(trap_exit, On)}; returns the
     * previous value (PROC-020). A trapping process receives exit signals as {@link Exit}
     * messages instead of dying, except {@link Reason#KILL} (EXIT-003).
     *
     * <p><b>May be called from:</b> a process.
     */
    public static boolean trapExit(boolean on) {
        ProcessImpl self = current("trapExit()");
        self.checkAlive();
        return self.setTrapExit(on);
    }

    /**
     * Bounds the calling process's mailbox at {@code limit} messages ({@code 0}: no bound, the
     * default, as in Erlang); {@return the previous bound} A send that leaves more than
     * {@code limit} messages queued kills the process: it dies with reason {@code killed},
     * untrappable, and an error report names it and the bound, as Erlang's
     * {@code max_heap_size} with {@code kill => true} does for a process whose heap and queue
     * outgrow it. The sender is never blocked or failed; the queued messages are dropped with
     * the process. For a server that must not let a flood of requests take the heap: its
     * supervisor restarts it empty.
     *
     * <p><b>May be called from:</b> a process.
     *
     * @throws IllegalArgumentException if {@code limit} is negative
     */
    public static int setMessageQueueLimit(int limit) {
        if (limit < 0) {
            throw new IllegalArgumentException("a message queue limit must be >= 0 (0: none), was " + limit);
        }
        ProcessImpl self = current("setMessageQueueLimit()");
        self.checkAlive();
        int old = self.setMessageQueueLimit(limit);
        self.checkAlive(); // a queue already over the new bound has just killed us
        return old;
    }

    /**
     * Sends exit signal {@code reason} to {@code pid}, as {@code exit/2}:
     * <ul>
     *   <li>{@link Reason#KILL}: the process dies with {@code killed}, trapping or not
     *       (EXIT-003, EXIT-009);</li>
     *   <li>a process that traps exits receives {@code Exit(sender, reason)} (EXIT-002,
     *       EXIT-042); the sender is the caller, or the node's system pid {@code <N.0.0>} when
     *       the caller is not a process;</li>
     *   <li>otherwise {@link Reason#NORMAL} is ignored (EXIT-001), except by the caller itself,
     *       which exits; any other reason ends the process with that reason (EXIT-041).</li>
     * </ul>
     * When the process dies, it is dead to the world when this returns: not alive, its name free,
     * its links and monitors notified. Its thread unwinds at its next runtime call or blocking
     * point; code that computes without calling the runtime keeps running until then (see
     * {@link ProcessInfo#runaway()} and {@link Node#lingering()}). A dead pid is ignored.
     *
     * <p><b>May be called from:</b> any thread.
     *
     * @throws IllegalArgumentException if a process signals a pid of another node
     */
    public static void exit(Pid pid, Reason reason) {
        Objects.requireNonNull(pid, "pid");
        Objects.requireNonNull(reason, "reason");
        ProcessImpl self = ProcessImpl.current();
        Pid from = pid.node().systemPid();
        if (self != null) {
            self.checkAlive();
            sameNode(self, pid);
            from = self.pid;
        }
        ProcessImpl target = pid.getProcOpaque();
        if (target != null) {
            target.exitSignal(from, reason);
        }
        if (self != null) {
            self.checkAlive(); // we may have died: exit(self(), kill), or a link to the victim
        }
    }

    /**
     * Ends the calling process with {@code reason}, as {@code exit/1}, by throwing
     * {@link ProcessExit}; no crash report is logged (PROC-053).
     *
     * <p><b>May be called from:</b> a process.
     */
    public static void exit(Reason reason) {
        Objects.requireNonNull(reason, "reason");
        ProcessImpl self = current("exit()");
        self.checkAlive();
        throw new ProcessExit(reason);
    }

    // ------------------------------------------------------------------ names

    /**
     * Registers {@code pid} under {@code name} on the caller's node, as {@code register/2}. The
     * name is released when the process exits, before its links and monitors hear of it
     * (PROC-033).
     *
     * <p><b>May be called from:</b> a process.
     *
     * @throws IllegalArgumentException if the name is taken (PROC-025), the process already has a
     *                                  name (PROC-026) or is not alive (PROC-027), or the name is
     *                                  blank
     */
    public static void register(String name, Pid pid) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(pid, "pid");
        if (name.isBlank()) {
            throw new IllegalArgumentException("a registered name must not be blank");
        }
        ProcessImpl self = current("register()");
        self.checkAlive();
        sameNode(self, pid);
        self.node.register(name, pid.getProcOpaque());
    }

    /**
     * Removes the registered name {@code name}, as {@code unregister/1} (PROC-032).
     *
     * <p><b>May be called from:</b> a process.
     *
     * @throws IllegalArgumentException if {@code name} is not registered
     */
    public static void unregister(String name) {
        Objects.requireNonNull(name, "name");
        ProcessImpl self = current("unregister()");
        self.checkAlive();
        self.node.unregister(name);
    }

    /**
     * {@return the process registered as {@code name} on the caller's node, as {@code whereis/1}}
     *
     * <p><b>May be called from:</b> a process; elsewhere use {@link Node#whereis(String)}.
     */
    public static Optional<Pid> whereis(String name) {
        return current("whereis()").node.whereis(name);
    }

    /**
     * {@return the names registered on the caller's node, as {@code registered/0}}
     *
     * <p><b>May be called from:</b> a process; elsewhere use {@link Node#registered()}.
     */
    public static Set<String> registered() {
        return current("registered()").node.registered();
    }

    // ------------------------------------------------------------------ group leaders

    /**
     * {@return the caller's group leader, as {@code group_leader/0}}. A process inherits its
     * group leader from the process that spawned it; a process spawned from a thread that is not
     * a process, or an attached one, is its own leader. otp4j has no I/O server: the group
     * leader only says which process tree a process belongs to (an application's master leads
     * the processes of its application, see {@code Application.getApplication}).
     *
     * <p><b>May be called from:</b> a process.
     */
    public static Pid groupLeader() {
        ProcessImpl self = current("groupLeader()");
        self.checkAlive();
        return self.groupLeader();
    }

    /**
     * Makes {@code leader} the group leader of {@code pid}, as {@code group_leader/2}; processes
     * {@code pid} spawns afterwards inherit it. A dead {@code pid} is ignored; {@code leader}
     * need not be alive (Erlang does not check either).
     *
     * <p><b>May be called from:</b> a process.
     *
     * @throws IllegalArgumentException if either pid belongs to another node
     */
    public static void groupLeader(Pid leader, Pid pid) {
        Objects.requireNonNull(leader, "leader");
        Objects.requireNonNull(pid, "pid");
        ProcessImpl self = current("groupLeader()");
        self.checkAlive();
        sameNode(self, leader);
        sameNode(self, pid);
        ProcessImpl target = pid.getProcOpaque();
        if (target != null) {
            target.groupLeader = leader.equals(pid) ? null : leader;
        }
    }

    // ------------------------------------------------------------------ timers

    /**
     * Sends {@code message} to {@code dest} after {@code delay}, as {@code erlang:send_after/3}.
     * The timer belongs to its destination: it fires even if the caller has exited (PROC-047),
     * and is cancelled when a pid destination exits (PROC-043). A {@link Name} or {@link Via} is
     * resolved when the timer fires, and the message dropped if nobody holds it then (PROC-044).
     * To a dead pid, the timer is inert (PROC-042).
     *
     * <p><b>May be called from:</b> a process.
     *
     * @throws IllegalArgumentException if {@code delay} is negative (PROC-045)
     */
    public static Ref sendAfter(Duration delay, Dest dest, Object message) {
        Objects.requireNonNull(message, "message");
        return startTimer(delay, dest, message, false);
    }

    /**
     * As {@link #sendAfter}, but delivers {@code Timeout(ref, message)}, as
     * {@code erlang:start_timer/3} (PROC-041).
     *
     * <p><b>May be called from:</b> a process.
     *
     * @throws IllegalArgumentException if {@code delay} is negative
     */
    public static Ref startTimer(Duration delay, Dest dest, Object message) {
        Objects.requireNonNull(message, "message");
        return startTimer(delay, dest, message, true);
    }

    private static Ref startTimer(Duration delay, Dest dest, Object message, boolean wrap) {
        long nanos = Node.toNanos(delay, "delay");
        Objects.requireNonNull(dest, "dest");
        ProcessImpl self = current("sendAfter()");
        self.checkAlive();
        Node node = self.node;
        Ref ref = node.makeRef();
        Object msg = wrap ? new Timeout(ref, message) : message;
        long deadline = saturatedAdd(node.timers.now(), nanos);
        switch (dest) {
            case Pid pid -> {
                sameNode(self, pid);
                ProcessImpl target = pid.getProcOpaque();
                if (target != null) {
                    SendTimer t = new SendTimer(deadline, ref, node, dest, target, msg);
                    ref.setAttachmentRelease(t);
                    if (target.addTimer(t)) {
                        node.timers.schedule(t);
                    } else {
                        ref.setAttachmentRelease(null);
                    }
                }
            }
            case Name name -> schedule(node, new SendTimer(deadline, ref, node, dest, null, msg));
            case Via via -> schedule(node, new SendTimer(deadline, ref, node, dest, null, msg));
        }
        return ref;
    }

    private static void schedule(Node node, SendTimer t) {
        t.ref.setAttachmentRelease(t);
        node.timers.schedule(t);
    }

    /**
     * Cancels timer {@code ref}, as {@code erlang:cancel_timer/1}: returns the time that was
     * left (PROC-036), or empty if the timer had already fired or been cancelled, or {@code ref}
     * is not a timer (PROC-037..039). Cancelling never waits.
     *
     * <p><b>May be called from:</b> a process.
     */
    public static Optional<Duration> cancelTimer(Ref ref) {
        Objects.requireNonNull(ref, "ref");
        ProcessImpl self = current("cancelTimer()");
        self.checkAlive();
        if (ref.getAttachmentAcquire() instanceof SendTimer t && t.cancel()) {
            ref.casAttachment(t, null);
            if (t.target != null) {
                t.target.forgetTimer(t);
            }
            return Optional.of(remaining(self.node, t));
        }
        return Optional.empty();
    }

    /**
     * {@return the time left on timer {@code ref}, as {@code erlang:read_timer/1}; empty once it
     * has fired or been cancelled} (PROC-040)
     *
     * <p><b>May be called from:</b> a process.
     */
    public static Optional<Duration> readTimer(Ref ref) {
        Objects.requireNonNull(ref, "ref");
        ProcessImpl self = current("readTimer()");
        self.checkAlive();
        if (ref.getAttachmentAcquire() instanceof SendTimer t && t.isPending()) {
            return Optional.of(remaining(self.node, t));
        }
        return Optional.empty();
    }

    private static Duration remaining(Node node, SendTimer t) {
        return Duration.ofNanos(Math.max(0, t.deadline() - node.timers.now()));
    }

    // ------------------------------------------------------------------ introspection

    /**
     * {@return whether {@code pid} is alive, as {@code is_process_alive/1}} (PROC-011). False as
     * soon as the process starts to exit.
     *
     * <p><b>May be called from:</b> any thread.
     */
    public static boolean isAlive(Pid pid) {
        Objects.requireNonNull(pid, "pid");
        ProcessImpl p = pid.getProcOpaque();
        return p != null && p.isAlive();
    }

    /**
     * {@return a snapshot of {@code pid}, as {@code process_info/1}; empty if it is not alive}
     * (PROC-023). Reading it neither stops the process nor sends it anything.
     *
     * <p><b>May be called from:</b> any thread.
     */
    public static Optional<ProcessInfo> info(Pid pid) {
        Objects.requireNonNull(pid, "pid");
        ProcessImpl p = pid.getProcOpaque();
        return p == null ? Optional.empty() : Optional.ofNullable(p.info());
    }

    /**
     * {@return the first {@code limit} messages in {@code pid}'s mailbox, oldest first, without
     * taking them, as {@code process_info(P, messages)}; empty if it is not alive}. The list is
     * the mailbox as it was at one moment during the call. For tools (the observer's process
     * page); a process reads its own mailbox with {@link #messages()}.
     *
     * <p><b>May be called from:</b> any thread.
     *
     * @throws IllegalArgumentException if {@code limit} is negative
     */
    public static Optional<List<Object>> messages(Pid pid, int limit) {
        Objects.requireNonNull(pid, "pid");
        if (limit < 0) {
            throw new IllegalArgumentException("limit: must be 0 or more, was " + limit);
        }
        ProcessImpl p = pid.getProcOpaque();
        return p == null ? Optional.empty() : Optional.ofNullable(p.peekMessages(limit));
    }

    /**
     * Traces {@code target}: from now on {@code tracer} receives a {@link TraceEvent} for each
     * message {@code target} sends ({@link TraceFlag#SEND}) and each message queued in its mailbox
     * ({@link TraceFlag#RECEIVE}), as {@code erlang:trace(Target, true, [send, 'receive',
     * {tracer, Tracer}])}. A process has at most one tracer: this replaces any trace before. The
     * trace ends with {@link #untrace(Pid)}, or when either process ends. Trace events are not
     * traced themselves. Events from one process arrive in the order they happened.
     *
     * <p><b>May be called from:</b> any thread.
     *
     * @throws IllegalArgumentException if {@code flags} is empty, or the pids are of different nodes
     * @throws NoProcException          if {@code target} or {@code tracer} is not alive
     */
    public static void trace(Pid target, Pid tracer, Set<TraceFlag> flags) {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(tracer, "tracer");
        Objects.requireNonNull(flags, "flags");
        if (flags.isEmpty()) {
            throw new IllegalArgumentException("flags: empty; name SEND, RECEIVE or both (untrace ends a trace)");
        }
        if (target.node() != tracer.node()) {
            throw new IllegalArgumentException("tracer " + tracer + " is not on the node of target " + target);
        }
        ProcessImpl t = target.getProcOpaque();
        if (t == null || !t.isAlive()) {
            throw new NoProcException("target " + target + " is not alive");
        }
        ProcessImpl r = tracer.getProcOpaque();
        if (r == null || !r.isAlive()) {
            throw new NoProcException("tracer " + tracer + " is not alive");
        }
        t.setTracing(new ProcessImpl.Tracing(r, flags.contains(TraceFlag.SEND), flags.contains(TraceFlag.RECEIVE)));
    }

    /**
     * Ends the trace of {@code target}, as {@code erlang:trace(Target, false, all)}; events
     * already queued at the tracer stay there. {@return whether {@code target} was traced}
     *
     * <p><b>May be called from:</b> any thread.
     */
    public static boolean untrace(Pid target) {
        Objects.requireNonNull(target, "target");
        ProcessImpl t = target.getProcOpaque();
        if (t == null || t.tracing() == null) {
            return false;
        }
        t.setTracing(null);
        return true;
    }

    /**
     * {@return the process tracing {@code target}, as {@code erlang:trace_info(Target, tracer)};
     * empty if it is not traced or not alive}
     *
     * <p><b>May be called from:</b> any thread.
     */
    public static Optional<Pid> tracer(Pid target) {
        Objects.requireNonNull(target, "target");
        ProcessImpl t = target.getProcOpaque();
        ProcessImpl.Tracing tr = t == null || !t.isAlive() ? null : t.tracing();
        return tr == null ? Optional.empty() : Optional.of(tr.tracer().pid);
    }

    /**
     * {@return the current stack of {@code pid}'s thread, as
     * {@code process_info(P, current_stacktrace)}; empty if it is not alive}. On some JDKs
     * this briefly pauses a process that is running.
     *
     * <p><b>May be called from:</b> any thread.
     */
    public static Optional<List<StackTraceElement>> stackTrace(Pid pid) {
        Objects.requireNonNull(pid, "pid");
        ProcessImpl p = pid.getProcOpaque();
        if (p == null || !p.isAlive() || p.thread == null) {
            return Optional.empty();
        }
        return Optional.of(List.of(p.thread.getStackTrace()));
    }

    // ------------------------------------------------------------------ process dictionary

    /**
     * Stores {@code value} under {@code key} in the caller's process dictionary, as
     * {@code put/2}; returns the previous value (PROC-022).
     *
     * <p><b>May be called from:</b> a process.
     */
    public static Optional<Object> put(Object key, Object value) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        return current("put()").put(key, value);
    }

    /**
     * {@return the value under {@code key} in the caller's process dictionary, as {@code get/1}}
     *
     * <p><b>May be called from:</b> a process.
     */
    public static Optional<Object> get(Object key) {
        Objects.requireNonNull(key, "key");
        return current("get()").get(key);
    }

    /**
     * Removes {@code key} from the caller's process dictionary, as {@code erase/1}; returns the
     * removed value.
     *
     * <p><b>May be called from:</b> a process.
     */
    public static Optional<Object> erase(Object key) {
        Objects.requireNonNull(key, "key");
        return current("erase()").erase(key);
    }

    /**
     * {@return a copy of the caller's process dictionary} (PROC-021)
     *
     * <p><b>May be called from:</b> a process.
     */
    public static Map<Object, Object> dictionary() {
        return current("dictionary()").dictionary();
    }

    // ------------------------------------------------------------------ helpers

    private static ProcessImpl current(String what) {
        ProcessImpl p = ProcessImpl.current();
        if (p == null) {
            throw notAProcess(what, "run this code in a process (Node.spawn), or attach the thread with Node.attach()");
        }
        return p;
    }

    private static IllegalCallerException notAProcess(String what, String fix) {
        return new IllegalCallerException("Proc." + what + " needs a process, but " + Thread.currentThread()
                + " is not one; " + fix);
    }

    private static void sameNode(ProcessImpl self, Pid pid) {
        if (pid.node() != self.node) {
            throw foreign(pid, self.node);
        }
    }

    private static IllegalArgumentException foreign(Pid pid, Node node) {
        return new IllegalArgumentException(pid + " belongs to node " + pid.node().name() + ", not to "
                + node.name() + ": processes of different nodes cannot message, link or monitor each other");
    }

    private static long infiniteToNegative(long nanos) {
        return nanos == Long.MAX_VALUE ? -1 : nanos;
    }

    private static long saturatedAdd(long a, long b) {
        long r = a + b;
        return ((a ^ r) & (b ^ r)) < 0 ? Long.MAX_VALUE : r;
    }
}
