package otp4j.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

import otp4j.runtime.AttachedProcess;
import otp4j.runtime.Node;
import otp4j.runtime.NodeOptions;
import otp4j.runtime.SchedulerType;

/**
 * Gives each test a fresh {@link Node} (and, if asked for, the test thread attached to it as an
 * {@link AttachedProcess}); after the test, fails it if the node is inconsistent, or if closing
 * the node leaves a process, a timer or a thread behind.
 *
 * <p>A test method or class annotated {@link Config} gets a node with those options; a test
 * that takes a {@link ManualTicker} parameter gets a node driven by that ticker.
 */
public final class NodeExtension implements ParameterResolver, AfterEachCallback {

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

    @Override
    public void afterEach(ExtensionContext ec) {
        Node node = store(ec).remove(Node.class, Node.class);
        AttachedProcess me = store(ec).remove(AttachedProcess.class, AttachedProcess.class);
        if (node == null) {
            return;
        }
        try {
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

    private static ExtensionContext.Store store(ExtensionContext ec) {
        return ec.getStore(NS);
    }
}
