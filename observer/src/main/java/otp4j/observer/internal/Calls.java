package otp4j.observer.internal;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

import otp4j.runtime.Node;
import otp4j.runtime.NodeClosedException;
import otp4j.runtime.Pid;
import otp4j.runtime.Proc;
import otp4j.runtime.Reason;
import otp4j.runtime.internal.ExitHooks;

/**
 * Runs code that must be a process (a {@code sys} request, a call to a supervisor) in a
 * short-lived process of the node, and waits for it with a deadline: a server that does not
 * answer costs the observer one killed errand, never a stuck thread.
 */
final class Calls {
    private Calls() {}

    /**
     * {@return what {@code body} returns, run in a new process of {@code node}}
     *
     * @throws HttpError 503 if it takes longer than {@code deadline} (the errand is killed),
     *                   500 if it throws something other than an {@link HttpError}
     */
    static <T> T inProcess(Node node, Duration deadline, String what, Supplier<T> body) {
        CompletableFuture<T> result = new CompletableFuture<>();
        Pid errand;
        try {
            errand = node.spawn(() -> {
                try {
                    result.complete(body.get());
                } catch (RuntimeException e) {
                    result.completeExceptionally(e);
                }
            });
        } catch (NodeClosedException e) {
            throw new HttpError(503, "the node is shut down");
        }
        // The answer waits for the errand's death too, so that no errand outlives the request
        // that made it: whoever gets the answer finds the node as it was before.
        CountDownLatch gone = new CountDownLatch(1);
        if (!ExitHooks.add(errand, pid -> gone.countDown())) {
            gone.countDown();
        }
        try {
            long end = System.nanoTime() + deadline.toNanos();
            T value = result.get(deadline.toMillis(), TimeUnit.MILLISECONDS);
            if (!gone.await(Math.max(0, end - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                throw new TimeoutException();
            }
            return value;
        } catch (TimeoutException e) {
            Proc.exit(errand, Reason.KILL);
            throw new HttpError(503, what + " did not answer within " + deadline.toMillis() + " ms");
        } catch (InterruptedException e) {
            Proc.exit(errand, Reason.KILL);
            Thread.currentThread().interrupt();
            throw new HttpError(503, "interrupted while waiting for " + what);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof HttpError h) {
                throw h;
            }
            throw new IllegalStateException(what + " failed", e.getCause());
        }
    }
}
