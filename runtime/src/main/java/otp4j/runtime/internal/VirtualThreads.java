package otp4j.runtime.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.reflect.Constructor;
import java.util.Optional;
import java.util.concurrent.Executor;

/**
 * Access to what the JDK keeps package-private about virtual threads: a builder whose threads
 * run on a given scheduler, and the carrier a virtual thread is mounted on.
 *
 * <p>Both need {@code java.lang} opened to otp4j ({@link #openFlag()}); the JDK has had the
 * scheduler constructor since virtual threads shipped (JDK 21) and uses it in its own tests.
 * Without the flag the runtime falls back to the JDK's default scheduler.
 */
public final class VirtualThreads {
    private static final Constructor<?> BUILDER;
    private static final VarHandle CARRIER;
    private static final String FAILURE;

    static {
        Constructor<?> builder = null;
        VarHandle carrier = null;
        String failure = null;
        try {
            Class<?> vt = Class.forName("java.lang.VirtualThread");
            carrier = MethodHandles.privateLookupIn(vt, MethodHandles.lookup())
                    .findVarHandle(vt, "carrierThread", Thread.class);
            Class<?> b = Class.forName("java.lang.ThreadBuilders$VirtualThreadBuilder");
            builder = b.getDeclaredConstructor(Executor.class);
            builder.setAccessible(true);
        } catch (ReflectiveOperationException | RuntimeException e) {
            builder = null;
            carrier = null;
            failure = e.toString();
        }
        BUILDER = builder;
        CARRIER = carrier;
        FAILURE = failure;
    }

    private VirtualThreads() {
    }

    /** {@return why custom schedulers are unavailable, or empty when they are available} */
    public static Optional<String> unavailableBecause() {
        return Optional.ofNullable(FAILURE);
    }

    /** {@return a builder of virtual threads that run on {@code scheduler}} */
    public static Thread.Builder.OfVirtual builder(Executor scheduler) {
        if (BUILDER == null) {
            throw new IllegalStateException("custom virtual-thread schedulers need " + openFlag() + ": " + FAILURE);
        }
        try {
            return (Thread.Builder.OfVirtual) BUILDER.newInstance(scheduler);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot create a virtual-thread builder", e);
        }
    }

    /**
     * {@return the carrier {@code vt} is mounted on; null if it is not mounted, or if the JDK
     * does not let otp4j see carriers (see {@link #unavailableBecause()})}
     */
    public static Thread carrierOf(Thread vt) {
        // Opaque: callers ask about the current thread, whose carrier cannot change under it.
        return CARRIER == null ? null : (Thread) CARRIER.getOpaque(vt);
    }

    /** {@return the JVM flag that lets otp4j install its scheduler, for this deployment} */
    public static String openFlag() {
        Module m = VirtualThreads.class.getModule();
        return "--add-opens java.base/java.lang=" + (m.isNamed() ? m.getName() : "ALL-UNNAMED");
    }
}
