package otp4j.behaviour;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.logging.LogRecord;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import otp4j.runtime.AttachedProcess;
import otp4j.runtime.Down;
import otp4j.runtime.Exit;
import otp4j.runtime.Node;
import otp4j.runtime.Pid;
import otp4j.runtime.Proc;
import otp4j.runtime.Reason;
import otp4j.runtime.Ref;
import otp4j.testing.LogCapture;
import otp4j.testing.NodeExtension;

@ExtendWith(NodeExtension.class)
@SuppressWarnings("try") // an attached scope is used for what it is, not by name
class ApplicationTest {
    /** How long a test waits for an event before failing; far longer than any event takes. */
    private static final Duration PATIENCE = Duration.ofSeconds(30);

    /**
     * What the applications of a test did, in order: the callbacks and the workers' terminate
     * add to it, and tell the observer (when there is one) so that the test can wait for an event.
     */
    static final class Events {
        final Queue<String> log = new ConcurrentLinkedQueue<>();
        final Pid observer;

        Events(Pid observer) {
            this.observer = observer;
        }

        void add(String event) {
            log.add(event);
            if (observer != null) {
                Proc.send(observer, new Event(event));
            }
        }

        /** Waits, in the observer, until {@code event} has happened. */
        void await(String event) {
            Proc.receive(m -> m instanceof Event e && e.what().equals(event) ? e : null, PATIENCE)
                    .orElseThrow(() -> new AssertionError("no " + event + " within " + PATIENCE + "; saw " + log));
        }
    }

    record Event(String what) {
    }

    /** A worker that traps exits, so that its terminate runs when its supervisor stops it. */
    record Worker(String app, Events events) implements GenServer<String, String> {
        @Override
        public InitResult<String> init() {
            Proc.trapExit(true);
            return GenServer.ok(app);
        }

        @Override
        public CallResult<String> handleCall(String request, From from, String state) {
            return switch (request) {
                case "application" -> GenServer.reply(Application.getApplication(), state);
                case "self" -> GenServer.reply(Proc.self(), state);
                default -> GenServer.reply(Application.getEnv(app, request), state);
            };
        }

        @Override
        public void terminate(Reason reason, String state) {
            events.add("terminate " + app + " " + reason);
        }
    }

    /** Callbacks that record each call and start a one_for_one supervisor of one worker. */
    record Recording(String name, Events events) implements ApplicationCallbacks {
        @Override
        public StartResult start() {
            events.add("start " + name);
            return Supervisor.startLink(SupFlags.oneForOne(), List.of(
                    ChildSpec.worker("worker", () -> GenServer.startLink(new Worker(name, events)))));
        }

        @Override
        public void prepStop() {
            events.add("prepStop " + name);
        }

        @Override
        public void stop() {
            events.add("stop " + name);
        }
    }

    private static ApplicationSpec app(String name, Events events, String... dependencies) {
        return ApplicationSpec.of(name, new Recording(name, events)).withDependencies(dependencies);
    }

    private static List<String> running() {
        return Application.whichApplications().stream().map(ApplicationInfo::name).toList();
    }

    private static Pid worker(String app) {
        Pid sup = Application.getSupervisor(app).orElseThrow();
        return Supervisor.whichChildren(sup).get(0).pid().orElseThrow();
    }

    private static Down awaitDown(Ref ref) {
        return Proc.receive(m -> m instanceof Down d && d.ref() == ref ? d : null, PATIENCE)
                .orElseThrow(() -> new AssertionError("no DOWN within " + PATIENCE));
    }

    private static ApplicationException failure(Runnable call) {
        try {
            call.run();
        } catch (ApplicationException e) {
            return e;
        }
        throw new AssertionError("expected an ApplicationException");
    }

    // ------------------------------------------------------------------ start and stop

    @Test
    void applicationsStartAfterTheirDependenciesAndStopInOrder(AttachedProcess me) {
        try (LogCapture log = new LogCapture("otp4j.behaviour")) {
            startAndStopInOrder(me);
            assertThat(log.records()).extracting(LogRecord::getMessage)
                    .contains("Application b exited: stopped, type: permanent",
                            "Application a exited: stopped, type: temporary");
        }
    }

    private static void startAndStopInOrder(AttachedProcess me) {
        Events events = new Events(me.pid());
        Application.load(app("a", events));
        Application.load(app("b", events, "a").withDescription("bee").withVersion("2.0"));
        Application.start("a");
        Application.start("b", Application.RestartType.PERMANENT);

        assertThat(running()).containsExactly("b", "a");
        ApplicationInfo b = Application.whichApplications().get(0);
        assertThat(b.description()).isEqualTo("bee");
        assertThat(b.version()).isEqualTo("2.0");
        assertThat(b.type()).contains(Application.RestartType.PERMANENT);
        assertThat(b.supervisor()).isEqualTo(Application.getSupervisor("b"));
        assertThat(Proc.isAlive(b.supervisor().orElseThrow())).isTrue();

        Application.stop("b");
        Application.stop("a");
        assertThat(events.log).containsExactly("start a", "start b",
                "prepStop b", "terminate b shutdown", "stop b",
                "prepStop a", "terminate a shutdown", "stop a");
        assertThat(running()).isEmpty();
        assertThat(Proc.isAlive(b.supervisor().orElseThrow())).isFalse();
        assertThat(Application.loadedApplications()).extracting(ApplicationInfo::name).containsExactly("a", "b");
        assertThat(Application.loadedApplications()).noneMatch(ApplicationInfo::running);
    }

    @Test
    void stoppingADependencyLeavesItsDependentsRunning(AttachedProcess me) {
        Events events = new Events(me.pid());
        Application.load(app("a", events));
        Application.load(app("b", events, "a"));
        Application.ensureAllStarted("b");
        Application.stop("a");
        assertThat(running()).containsExactly("b");
    }

    @Test
    void anApplicationWhoseDependencyDoesNotRunDoesNotStart(AttachedProcess me) {
        Events events = new Events(me.pid());
        Application.load(app("a", events));
        Application.load(app("b", events, "a"));

        ApplicationException e = failure(() -> Application.start("b"));
        assertThat(e.kind()).isEqualTo(ApplicationException.Kind.NOT_STARTED);
        assertThat(e.application()).isEqualTo("b");
        assertThat(e.dependency()).contains("a");
        assertThat(e).hasMessageContaining("needs a, which is not started")
                .hasMessageContaining("ensureAllStarted(\"b\")");
        assertThat(running()).isEmpty();
        assertThat(events.log).isEmpty();
    }

    @Test
    void ensureAllStartedStartsWhatIsMissingDependenciesFirst(AttachedProcess me) {
        Events events = new Events(me.pid());
        Application.load(app("a", events));
        Application.load(app("b", events, "a"));
        Application.load(app("c", events, "a"));
        Application.load(app("d", events, "b", "c"));
        Application.start("a");

        assertThat(Application.ensureAllStarted("d")).containsExactly("b", "c", "d");
        assertThat(events.log).containsExactly("start a", "start b", "start c", "start d");
        assertThat(running()).containsExactly("d", "c", "b", "a");
        assertThat(Application.ensureAllStarted("d")).as("all running: nothing to start").isEmpty();
        assertThat(Application.whichApplications()).allMatch(i -> i.type().equals(
                Optional.of(Application.RestartType.TEMPORARY)));
    }

    @Test
    void ensureAllStartedStopsWhatItStartedWhenAStartFails(AttachedProcess me) {
        Proc.trapExit(true);
        Events events = new Events(me.pid());
        Application.load(app("a", events));
        Application.load(ApplicationSpec.of("b", () -> {
            throw new IllegalStateException("no disk");
        }).withDependencies("a"));

        ApplicationException e = failure(() -> Application.ensureAllStarted("b"));
        assertThat(e.kind()).isEqualTo(ApplicationException.Kind.START_FAILED);
        assertThat(e.application()).isEqualTo("b");
        assertThat(e.getCause()).hasMessage("no disk");
        assertThat(events.log).containsExactly("start a", "prepStop a", "terminate a shutdown", "stop a");
        assertThat(running()).isEmpty();
    }

    @Test
    void ensureAllStartedNamesTheDependencyThatIsNotLoaded(AttachedProcess me) {
        Events events = new Events(me.pid());
        Application.load(app("b", events, "a"));
        ApplicationException e = failure(() -> Application.ensureAllStarted("b"));
        assertThat(e.kind()).isEqualTo(ApplicationException.Kind.NOT_LOADED);
        assertThat(e.application()).isEqualTo("b");
        assertThat(e.dependency()).contains("a");
        assertThat(e).hasMessageContaining("b needs a, which is not loaded");
        assertThat(events.log).isEmpty();
    }

    @Test
    void aStartedApplicationIsAlreadyStarted(AttachedProcess me) {
        Events events = new Events(me.pid());
        Application.load(app("a", events));
        Application.start("a");
        Pid sup = Application.getSupervisor("a").orElseThrow();

        ApplicationException e = failure(() -> Application.start("a", Application.RestartType.PERMANENT));
        assertThat(e.kind()).isEqualTo(ApplicationException.Kind.ALREADY_STARTED);
        assertThat(e).hasMessage("application a is already started");
        assertThat(Application.getSupervisor("a")).contains(sup);
        assertThat(Application.whichApplications().get(0).type()).contains(Application.RestartType.TEMPORARY);
        assertThat(events.log).containsExactly("start a");
    }

    @Test
    void misuseOfLoadStartStopAndUnloadIsRefusedWithTheApplicationNamed(AttachedProcess me) {
        Events events = new Events(me.pid());
        assertThat(failure(() -> Application.start("ghost")))
                .hasMessage("application ghost is not loaded; load its spec first with Application.load(spec)")
                .extracting(ApplicationException::kind).isEqualTo(ApplicationException.Kind.NOT_LOADED);
        assertThat(failure(() -> Application.stop("ghost")).kind()).isEqualTo(ApplicationException.Kind.NOT_STARTED);
        assertThat(failure(() -> Application.unload("ghost")).kind()).isEqualTo(ApplicationException.Kind.NOT_LOADED);
        assertThat(failure(() -> Application.setEnv("ghost", "k", 1)).kind())
                .isEqualTo(ApplicationException.Kind.NOT_LOADED);

        Application.load(app("a", events));
        assertThat(failure(() -> Application.load(app("a", events))))
                .hasMessageContaining("application a is already loaded")
                .extracting(ApplicationException::kind).isEqualTo(ApplicationException.Kind.ALREADY_LOADED);
        assertThat(failure(() -> Application.stop("a")))
                .hasMessage("application a is not started");
        Application.start("a");
        assertThat(failure(() -> Application.unload("a")))
                .hasMessage("application a is running; stop it before unloading it")
                .extracting(ApplicationException::kind).isEqualTo(ApplicationException.Kind.RUNNING);
        Application.stop("a");
        Application.unload("a");
        assertThat(Application.loadedApplications()).isEmpty();
        Application.load(app("a", events));
        Application.start("a");
        assertThat(running()).containsExactly("a");
    }

    @Test
    void badNamesAndSpecsAreRefusedWhenMade() {
        ApplicationCallbacks none = () -> new StartResult.Ignored();
        assertThatThrownBy(() -> ApplicationSpec.of(null, none)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("every application needs a name");
        assertThatThrownBy(() -> ApplicationSpec.of(" ", none)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must not be blank");
        assertThatThrownBy(() -> ApplicationSpec.of("a.b", none)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("contains '.'");
        assertThatThrownBy(() -> ApplicationSpec.of("a", null)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("application a needs at least a start function");
        assertThatThrownBy(() -> ApplicationSpec.of("a", none).withDependencies("a"))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("application a lists itself as a dependency");
        assertThatThrownBy(() -> ApplicationSpec.of("a", none).withDependencies("b", "b"))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("application a lists dependency b twice");
        assertThatThrownBy(() -> ApplicationSpec.of("a", none).withEnv("k", null))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("key k of application a");
    }

    @Test
    void badNamesAreRefusedByEveryFunction(AttachedProcess me) {
        assertThatThrownBy(() -> Application.start(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> Application.start("")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must not be blank");
        assertThatThrownBy(() -> Application.stop(" ")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Application.getEnv(null, "k")).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> Application.start("a", null)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("PERMANENT, TRANSIENT or TEMPORARY");
    }

    @Test
    void aDependencyCycleIsRefusedByTheLoadThatClosesIt(AttachedProcess me) {
        Events events = new Events(me.pid());
        Application.load(app("a", events, "b"));
        Application.load(app("b", events, "c"));
        ApplicationException e = failure(() -> Application.load(app("c", events, "a")));
        assertThat(e.kind()).isEqualTo(ApplicationException.Kind.CYCLE);
        assertThat(e).hasMessage("applications depend on each other in a cycle: c -> a -> b -> c; "
                + "remove one of these dependencies");
        assertThat(Application.loadedApplications()).extracting(ApplicationInfo::name).containsExactly("a", "b");
        // Without c, a cannot be started at all; with a c that needs nothing, it can.
        assertThat(failure(() -> Application.ensureAllStarted("a")).dependency()).contains("c");
        Application.load(app("c", events));
        assertThat(Application.ensureAllStarted("a")).containsExactly("c", "b", "a");
    }

    // ------------------------------------------------------------------ bad start functions

    @Test
    void aStartFunctionThatDoesNotStartASupervisorFailsTheStartAndSaysWhatToFix(AttachedProcess me) {
        Proc.trapExit(true);
        Map<String, ApplicationCallbacks> bad = Map.of(
                "throws", () -> {
                    throw new IllegalStateException("no database");
                },
                "null", () -> null,
                "ignore", () -> new StartResult.Ignored(),
                "failed", () -> Supervisor.startLink(SupFlags.oneForOne(), List.of(
                        ChildSpec.worker("w", () -> new StartResult.Failed(Reason.custom("no_port"))))),
                "server", () -> GenServer.startLink(new Worker("server", new Events(null))),
                "process", () -> new StartResult.Started(Proc.spawnLink(Proc::receive)));
        Map<String, String> said = Map.of(
                "throws", "java.lang.IllegalStateException: no database",
                "null", "the start function of application null returned null",
                "ignore", "the start function of application ignore returned ignore",
                "failed", "no_port",
                "server", "is a " + Worker.class.getName() + " server, not a supervisor",
                "process", "is not a supervisor; the start function of application process must return the "
                        + "StartResult of Supervisor.startLink or DynamicSupervisor.startLink");
        for (var entry : bad.entrySet()) {
            String name = entry.getKey();
            Application.load(ApplicationSpec.of(name, entry.getValue()));
            ApplicationException e = failure(() -> Application.start(name));
            assertThat(e.kind()).as(name).isEqualTo(ApplicationException.Kind.START_FAILED);
            assertThat(e.application()).isEqualTo(name);
            assertThat(e.reason()).as(name).isPresent();
            assertThat(e).as(name).hasMessageStartingWith("application " + name + " did not start: ")
                    .hasMessageContaining(said.get(name));
            Application.unload(name); // not running: the failed start left nothing behind
        }
        assertThat(running()).isEmpty();
        assertThat(Proc.messages()).as("nothing linked to the test died").isEmpty();
    }

    @Test
    void aStartFunctionMayReturnADynamicSupervisor(AttachedProcess me) {
        Application.load(ApplicationSpec.of("dyn", () -> DynamicSupervisor.startLink(DynamicSupervisor.Flags.defaults())));
        Application.start("dyn");
        assertThat(DynamicSupervisor.countChildren(Application.getSupervisor("dyn").orElseThrow()).workers()).isZero();
    }

    // ------------------------------------------------------------------ environment

    @Test
    void theEnvironmentStartsFromTheDefaultsAndSystemPropertiesAndLastsUntilUnload(Node node, AttachedProcess me) {
        // A name of this node's own: the property is JVM-wide, and another test class runs this too.
        String name = "envapp" + node.index();
        String property = "otp4j.app." + name + ".pool_size";
        System.setProperty(property, "20");
        try {
            Events events = new Events(me.pid());
            Application.load(app(name, events).withEnv("pool_size", 10).withEnv("host", "localhost"));
        } finally {
            System.clearProperty(property);
        }
        assertThat(Application.getEnv(name, "pool_size")).as("the property wins, as a string").contains("20");
        assertThat(Application.getEnv(name, "host")).contains("localhost");
        assertThat(Application.getEnv(name, "port")).isEmpty();
        assertThat(Application.getEnv(name, "port", 5432)).isEqualTo(5432);
        assertThat(Application.getEnv("nobody", "port")).isEmpty();

        Application.setEnv(name, "port", 6543);
        Application.unsetEnv(name, "host");
        assertThat(Application.getAllEnv(name)).isEqualTo(Map.of("pool_size", "20", "port", 6543));

        Application.start(name);
        Optional<Object> port = GenServer.call(worker(name), "port");
        assertThat(port).as("read inside the application").contains(6543);
        Application.stop(name);
        assertThat(Application.getEnv(name, "port")).as("kept across a stop").contains(6543);
        Application.unload(name);
        assertThat(Application.getAllEnv(name)).isEmpty();
    }

    // ------------------------------------------------------------------ which application

    @Test
    void aProcessBelongsToTheApplicationWhoseTreeSpawnedIt(AttachedProcess me) {
        Events events = new Events(me.pid());
        Application.load(app("a", events));
        Application.load(app("b", events));
        Application.start("a");
        Application.start("b");
        Pid worker = worker("a");
        assertThat(Application.getApplication(worker)).contains("a");
        assertThat(Application.getApplication(Application.getSupervisor("b").orElseThrow())).contains("b");
        Optional<String> itsOwn = GenServer.call(worker, "application");
        assertThat(itsOwn).contains("a");
        assertThat(Application.getApplication()).as("the test process").isEmpty();
        assertThat(Application.getApplication(Proc.whereis(Application.CONTROLLER).orElseThrow())).isEmpty();

        Application.stop("a");
        assertThat(Application.getApplication(worker)).as("dead").isEmpty();
    }

    // ------------------------------------------------------------------ restart types

    @Test
    void aTemporaryApplicationWhoseSupervisorDiesIsOnlyReported(Node node, AttachedProcess me) {
        Events events = new Events(me.pid());
        Application.load(app("a", events));
        Application.load(app("b", events));
        Application.start("a");
        Application.start("b");
        Pid sup = Application.getSupervisor("a").orElseThrow();
        Ref master = Proc.monitor(Proc.info(sup).orElseThrow().groupLeader());

        Proc.exit(sup, Reason.KILL);
        assertThat(awaitDown(master).reason()).isEqualTo(Reason.KILLED);
        assertThat(running()).containsExactly("b");
        assertThat(node.isClosed()).isFalse();
        // The worker, which traps exits, hears of its supervisor's death when it may: its
        // terminate is not ordered with the master's callbacks.
        assertThat(events.log).containsSubsequence("start a", "start b", "prepStop a", "stop a")
                .doesNotContain("prepStop b", "stop b");

        Application.start("a"); // it can be started again
        assertThat(running()).containsExactly("a", "b");
    }

    @Test
    void aTransientApplicationWhoseSupervisorExitsNormallyIsOnlyReported(Node node, AttachedProcess me) {
        Events events = new Events(me.pid());
        Application.load(app("a", events));
        Application.load(app("b", events));
        Application.start("a", Application.RestartType.TRANSIENT);
        Application.start("b");
        Pid sup = Application.getSupervisor("a").orElseThrow();
        Ref master = Proc.monitor(Proc.info(sup).orElseThrow().groupLeader());

        GenServer.stop(sup);
        assertThat(awaitDown(master).reason()).isEqualTo(Reason.NORMAL);
        assertThat(running()).containsExactly("b");
        assertThat(node.isClosed()).isFalse();
    }

    @Test
    void aTransientApplicationWhoseSupervisorCrashesTakesTheNodeDown(Node node) {
        assertTakesTheNodeDown(node, Application.RestartType.TRANSIENT, sup -> Proc.exit(sup, Reason.KILL));
    }

    @Test
    void aPermanentApplicationWhoseSupervisorExitsEvenNormallyTakesTheNodeDown(Node node) {
        assertTakesTheNodeDown(node, Application.RestartType.PERMANENT, GenServer::stop);
    }

    /**
     * On a node of its own: starts base, then the application under test, then top; ends the
     * application's supervisor; checks that the others are stopped, most recent first, and
     * that the node is closed.
     */
    private static void assertTakesTheNodeDown(Node node, Application.RestartType type,
                                               java.util.function.Consumer<Pid> end) {
        Node other = Node.start(node.options().withName(node.name() + "-doomed"));
        Events events = new Events(null);
        try {
            try (AttachedProcess me = other.attach()) {
                Proc.trapExit(true);
                Application.load(app("base", events));
                Application.load(app("app", events, "base"));
                Application.load(app("top", events, "app"));
                Application.ensureAllStarted("base");
                Application.start("app", type);
                Application.start("top");
                end.accept(Application.getSupervisor("app").orElseThrow());
                // The node's close signals every process, us included, once the applications
                // have stopped.
                Exit closing = Proc.receive(m -> m instanceof Exit x ? x : null, PATIENCE).orElseThrow(
                        () -> new AssertionError("the node was not closed; applications did " + events.log));
                assertThat(closing.reason()).isEqualTo(Reason.SHUTDOWN);
            }
            other.close(); // waits for the close under way
            assertThat(events.log).containsSubsequence("start base", "start app", "start top",
                    "prepStop app", "stop app",
                    "prepStop top", "terminate top shutdown", "stop top",
                    "prepStop base", "terminate base shutdown", "stop base");
            assertThat(other.processes()).isEmpty();
        } finally {
            other.close();
        }
    }

    @Test
    void aPermanentApplicationThatFailsToStartTakesTheNodeDown(Node node) {
        Node other = Node.start(node.options().withName(node.name() + "-doomed"));
        Events events = new Events(null);
        try {
            try (AttachedProcess me = other.attach()) {
                Proc.trapExit(true);
                Application.load(app("base", events));
                Application.load(ApplicationSpec.of("app", () -> new StartResult.Failed(Reason.custom("boom"))));
                Application.start("base");
                ApplicationException e = failure(() -> Application.start("app", Application.RestartType.PERMANENT));
                assertThat(e.reason()).contains(Reason.custom("boom"));
                Exit closing = Proc.receive(m -> m instanceof Exit x ? x : null, PATIENCE).orElseThrow(
                        () -> new AssertionError("the node was not closed"));
                assertThat(closing.reason()).isEqualTo(Reason.SHUTDOWN);
            }
            other.close();
            assertThat(events.log).containsExactly("start base", "prepStop base", "terminate base shutdown",
                    "stop base");
        } finally {
            other.close();
        }
    }

    // ------------------------------------------------------------------ node shutdown

    @Test
    void closingTheNodeStopsTheApplicationsInReverseStartOrder(Node node) {
        Node other = Node.start(node.options().withName(node.name() + "-closed"));
        Events events = new Events(null);
        try {
            try (AttachedProcess me = other.attach()) {
                Application.load(app("a", events));
                Application.load(app("b", events, "a"));
                Application.load(app("c", events, "b"));
                Application.load(app("d", events));
                assertThat(Application.ensureAllStarted("c")).containsExactly("a", "b", "c");
                Application.start("d");
            }
            other.close();
            assertThat(events.log).containsExactly("start a", "start b", "start c", "start d",
                    "prepStop d", "terminate d shutdown", "stop d",
                    "prepStop c", "terminate c shutdown", "stop c",
                    "prepStop b", "terminate b shutdown", "stop b",
                    "prepStop a", "terminate a shutdown", "stop a");
            assertThat(other.processes()).isEmpty();
            assertThat(other.lingering()).isEmpty();
        } finally {
            other.close();
        }
    }
}
