package otp4j.dets.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;

/**
 * The platform threads of the dets module: auto-save timers, closes after an opener's death
 * (an exit hook must not block), and what only a FileChannel can do (force a directory, map a
 * file). None
 * of them is ever interrupted, so a FileChannel used here cannot close itself. Daemon threads:
 * they never keep the JVM alive.
 */
final class Background {
    private Background() {}

    private static ThreadFactory named(String name) {
        return Thread.ofPlatform().daemon().name(name, 0).factory();
    }

    private static final ExecutorService WORKERS = Executors.newCachedThreadPool(named("otp4j-dets-"));
    private static final ScheduledExecutorService TIMER;

    static {
        ScheduledThreadPoolExecutor t = new ScheduledThreadPoolExecutor(1, named("otp4j-dets-timer-"));
        t.setRemoveOnCancelPolicy(true);
        TIMER = t;
    }

    static ScheduledExecutorService timer() {
        return TIMER;
    }

    static void run(Runnable task) {
        WORKERS.execute(task);
    }

    /** An I/O step for a worker thread. */
    interface IoCall<T> {
        T call() throws IOException;
    }

    /** {@return what {@code c} returns, run on a worker thread and waited for without being interruptible} */
    static <T> T call(IoCall<T> c) throws IOException {
        try {
            return CompletableFuture.supplyAsync(() -> {
                try {
                    return c.call();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }, WORKERS).join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof UncheckedIOException u) {
                throw u.getCause();
            }
            throw e;
        }
    }

    /**
     * Forces {@code file}'s directory, so that a rename into it survives a power loss; on a
     * worker thread, waited for without being interruptible.
     */
    static void forceDirectory(Path file) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        call(() -> {
            try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
                ch.force(true);
            }
            return null;
        });
    }
}
