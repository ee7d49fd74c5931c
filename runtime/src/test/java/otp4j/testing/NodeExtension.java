package otp4j.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;

import otp4j.runtime.AttachedProcess;
import otp4j.runtime.Node;
import otp4j.runtime.NodeOptions;
import otp4j.runtime.Pid;
import otp4j.runtime.Proc;
import otp4j.runtime.ProcessInfo;
import otp4j.runtime.Reason;
import otp4j.runtime.SchedulerType;

/**
 * Gives each test a fresh {@link Node} (and, if asked for, the test thread attached to it as an
 * {@link AttachedProcess}); after the test, fails it if the node is inconsistent, or if closing
 * the node leaves a process, a timer or a thread behind.
 *
 * <p>A test method or class annotated {@link Config} gets a node with those options; a test
 * that takes a {@link ManualTicker} parameter gets a node driven by that ticker.
 *
 * <p>A test still running after {@link #DEADLINE} is stopped rather than left to hang the build:
 * the extension records every process of its node with its stack, kills the attached test
 * process (which ends a receive in progress) and interrupts the test thread, then fails the test
 * with that record, so a deadlock seen once on a build machine can be diagnosed from its log.
 */
public final class NodeExtension
        implements ParameterResolver, BeforeEachCallback, TestExecutionExceptionHandler, AfterEachCallback {

    /**
     * How long one test may run: the longest stress test takes a few seconds. The system
     * property {@code otp4j.test.deadline} (seconds) changes it.
     */
    static final Duration DEADLINE = Duration.ofSeconds(Long.getLong("otp4j.test.deadline", 120));

    private static final ScheduledExecutorService WATCHDOG = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "otp4j-test-watchdog");
        t.setDaemon(true);
        return t;
    });

    /** Options for the node of a test class or method. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target({ElementType.TYPE, ElementType.METHOD})
    public @interface Config {
        /** Carrier threads; 0 for the default (one per processor). */
        int carriers() default 0;

        /** The scheduler. */
        SchedulerType scheduler() default SchedulerType.OTP4J;
    }

    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(NodeExtension.class);

    @Override
    public boolean supportsParameter(ParameterContext pc, ExtensionContext ec) {
        Class<?> t = pc.getParameter().getType();
        return t == Node.class || t == AttachedProcess.class || t == ManualTicker.class;
    }

    @Override
    public Object resolveParameter(ParameterContext pc, ExtensionContext ec) {
        Class<?> t = pc.getParameter().getType();
        if (t == ManualTicker.class) {
            return ticker(ec);
        }
        Node node = node(ec);
        if (t == Node.class) {
            return node;
        }
        return store(ec).getOrComputeIfAbsent(AttachedProcess.class, k -> node.attach(), AttachedProcess.class);
    }

    private static ManualTicker ticker(ExtensionContext ec) {
        if (store(ec).get(Node.class) != null && store(ec).get(ManualTicker.class) == null) {
            throw new IllegalStateException("declare the ManualTicker parameter before the Node parameter");
        }
        return store(ec).getOrComputeIfAbsent(ManualTicker.class, k -> new ManualTicker(), ManualTicker.class);
    }

    private static Node node(ExtensionContext ec) {
        return store(ec).getOrComputeIfAbsent(Node.class, k -> {
            NodeOptions options = NodeOptions.defaults().withName(ec.getRequiredTestMethod().getName());
            Config config = ec.getRequiredTestMethod().getAnnotation(Config.class);
            if (config == null) {
                config = ec.getRequiredTestClass().getAnnotation(Config.class);
            }
            if (config != null) {
                if (config.carriers() > 0) {
                    options = options.withCarriers(config.carriers());
                }
                options = options.withScheduler(config.scheduler());
            }
            ManualTicker ticker = store(ec).get(ManualTicker.class, ManualTicker.class);
            if (ticker != null) {
                options = options.withTicker(ticker);
            }
            return Node.start(options);
        }, Node.class);
    }

    /** What the watchdog saw when a test overran its deadline. */
    private record Overrun(String report) {
    }

    @Override
    public void beforeEach(ExtensionContext ec) {
        Thread test = Thread.currentThread();
        ExtensionContext.Store store = store(ec);
        ScheduledFuture<?> watch = WATCHDOG.schedule(() -> overrun(store, test), DEADLINE.toMillis(),
                TimeUnit.MILLISECONDS);
        store.put(ScheduledFuture.class, watch);
    }

    private static void overrun(ExtensionContext.Store store, Thread test) {
        StringBuilder report = new StringBuilder("the test did not finish within " + DEADLINE.toSeconds() + " s");
        appendStack(report, "test thread " + test, List.of(test.getStackTrace()));
        Node node = store.get(Node.class, Node.class);
        if (node != null) {
            for (Pid pid : node.processes()) {
                ProcessInfo info = Proc.info(pid).orElse(null);
                if (info != null) {
                    appendStack(report, info.toString(), Proc.stackTrace(pid).orElse(List.of()));
                }
            }
        }
        store.put(Overrun.class, new Overrun(report.toString()));
        AttachedProcess me = store.get(AttachedProcess.class, AttachedProcess.class);
        if (me != null) {
            Proc.exit(me.pid(), Reason.KILL);
        }
        test.interrupt();
    }

    /**
     * A test the watchdog stopped fails with the watchdog's report as its error, the exception
     * that stopped it (typically {@code killed}) as the cause: build logs show the report.
     */
    @Override
    public void handleTestExecutionException(ExtensionContext ec, Throwable thrown) throws Throwable {
        Overrun overrun = store(ec).remove(Overrun.class, Overrun.class);
        if (overrun != null) {
            throw new AssertionError(overrun.report(), thrown);
        }
        throw thrown;
    }

    private static void appendStack(StringBuilder out, String title, List<StackTraceElement> stack) {
        out.append("\n\n").append(title);
        stack.stream().limit(25).forEach(f -> out.append("\n    at ").append(f));
    }

    @Override
    public void afterEach(ExtensionContext ec) {
        ScheduledFuture<?> watch = store(ec).remove(ScheduledFuture.class, ScheduledFuture.class);
        if (!watch.cancel(false)) {
            awaitWatchdog(watch); // it fired: let it finish its report before the node goes
        }
        Thread.interrupted(); // the watchdog may have interrupted us after the test had ended
        Overrun overrun = store(ec).remove(Overrun.class, Overrun.class);
        Node node = store(ec).remove(Node.class, Node.class);
        AttachedProcess me = store(ec).remove(AttachedProcess.class, AttachedProcess.class);
        if (node == null) {
            if (overrun != null) {
                throw new AssertionError(overrun.report());
            }
            return;
        }
        try {
            if (overrun != null) {
                throw new AssertionError(overrun.report());
            }
            if (ec.getExecutionException().isEmpty()) {
                assertThat(node.checkInvariants()).as("node invariants after the test").isEmpty();
            }
        } finally {
            if (me != null) {
                me.close();
            }
            node.close();
        }
        assertThat(node.processes()).as("processes after close").isEmpty();
        assertThat(node.lingering()).as("process threads still running after close").isEmpty();
        assertThat(node.systemInfo().armedTimers()).as("timers after close").isZero();
        assertThat(node.systemInfo().runtimeThreads()).as("runtime threads after close").isZero();
    }

    private static void awaitWatchdog(ScheduledFuture<?> watch) {
        try {
            watch.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            throw new AssertionError("the test watchdog failed", e.getCause());
        }
    }

    private static ExtensionContext.Store store(ExtensionContext ec) {
        return ec.getStore(NS);
    }
}
