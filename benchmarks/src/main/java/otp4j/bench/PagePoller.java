package otp4j.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * Reads an observer's page every second from a JVM of its own, as a person's browser would: the
 * page's HTTP client then takes no thread, heap or garbage of the JVM being measured, whose cost
 * is the observer's only. (With the client in the measured JVM, its selector and worker threads
 * and their garbage were the largest part of what the observer seemed to cost a call with one
 * client; see docs/observer.md.)
 *
 * <p>The measured JVM starts one poller, the first time it opens an observer, and keeps it for
 * every run after that, so that the poller's own start (a JVM's, on the same two cores) falls in
 * the warm-up. It talks to it over the child's standard streams, a line each way: the measured
 * JVM writes the page's URL to start polling it, and the poller answers {@code read} once it has
 * read it the first time; the measured JVM writes {@code stop}, and the poller answers {@code
 * polled N}. Either answer is {@code failed: why} if a read failed. The poller exits at the end
 * of its input, that is when the measured JVM does.
 *
 * <p>{@link #watch} returns after the first read: a run measures the node with the observer
 * open, as a person would have had it open before, not the observer starting (its first sample
 * and first answer, compiled or not yet, fell on the first workload's first second).
 */
final class PagePoller {
    /** The poller's answer for a page read without error, followed by the number of reads. */
    private static final String POLLED = "polled ";
    /** The poller's answer once a page has been read the first time. */
    private static final String READ = "read";

    private static PagePoller instance;

    private final Process child;
    private final PrintWriter toChild;
    private final BufferedReader fromChild;
    private boolean polling;

    private PagePoller(Process child) {
        this.child = child;
        this.toChild = new PrintWriter(child.outputWriter(StandardCharsets.UTF_8), true);
        this.fromChild = child.inputReader(StandardCharsets.UTF_8);
    }

    /** {@return this JVM's poller}, started the first time: a JVM on this one's class path */
    static synchronized PagePoller get() {
        if (instance == null) {
            String java = ProcessHandle.current().info().command()
                    .orElseThrow(() -> new IllegalStateException("cannot tell which java runs this JVM"));
            // Small and quick to start: a browser tab's worth of work, not a second benchmark.
            List<String> command = List.of(java, "-Xmx64m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                    "-cp", System.getProperty("java.class.path"), PagePoller.class.getName());
            try {
                instance = new PagePoller(new ProcessBuilder(command)
                        .redirectError(ProcessBuilder.Redirect.INHERIT).start());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start the page poller " + command, e);
            }
        }
        return instance;
    }

    /**
     * Starts reading {@code page} every second, and returns once it has been read; at most one
     * page at a time.
     *
     * @throws IllegalStateException if the first read failed
     */
    synchronized void watch(URI page) {
        if (polling) {
            throw new IllegalStateException("the poller is already reading a page");
        }
        toChild.println(page);
        polling = true;
        String answer = answer();
        if (!answer.equals(READ)) {
            throw Bench.wrong("the page poller " + answer);
        }
    }

    /**
     * Stops reading the page and {@return how many times it was read}.
     *
     * @throws IllegalStateException if a read failed (a run must then fail, not report a time)
     */
    synchronized long stop() {
        if (!polling) {
            throw new IllegalStateException("the poller is reading no page");
        }
        polling = false;
        toChild.println("stop");
        String answer = answer();
        if (!answer.startsWith(POLLED)) {
            throw Bench.wrong("the page poller " + answer);
        }
        return Long.parseLong(answer.substring(POLLED.length()));
    }

    private String answer() {
        String answer;
        try {
            answer = fromChild.readLine();
        } catch (IOException e) {
            throw new UncheckedIOException("the page poller did not answer", e);
        }
        if (answer == null) {
            throw new IllegalStateException("the page poller ended (" + child.info() + ")");
        }
        return answer;
    }

    /** The poller's JVM: see the class comment for its protocol. */
    public static void main(String[] args) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newHttpClient();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        Reads reads = null;
        for (String line; (line = in.readLine()) != null; ) {
            if (reads != null) {
                System.out.println(reads.stop());
                reads = null;
            }
            if (!line.equals("stop")) {
                reads = new Reads(http, URI.create(line));
                System.out.println(reads.first());
            }
            System.out.flush();
        }
    }

    /** The reads of one page, on a thread of their own until stopped. */
    private static final class Reads {
        private final Thread thread;
        private final CountDownLatch firstRead = new CountDownLatch(1);
        private long count;
        private String failure;

        Reads(HttpClient http, URI page) {
            this.thread = Thread.ofPlatform().daemon().name("page-poller").start(() -> {
                HttpRequest request = HttpRequest.newBuilder(page).build();
                try {
                    for (;;) {
                        HttpResponse<Void> r = http.send(request, HttpResponse.BodyHandlers.discarding());
                        if (r.statusCode() != 200) {
                            failure = "read " + page + ": status " + r.statusCode();
                            return;
                        }
                        count++;
                        firstRead.countDown();
                        Thread.sleep(1000); // a person's refresh, not a synchronisation
                    }
                } catch (InterruptedException e) {
                    // stopped
                } catch (IOException e) {
                    failure = "read " + page + ": " + e;
                } finally {
                    firstRead.countDown();
                }
            });
        }

        /** {@return the answer to the page's URL}, once it has been read or has failed */
        String first() throws InterruptedException {
            firstRead.await();
            return count > 0 ? READ : "failed: " + failure;
        }

        /** {@return the answer for this page}, once its thread has ended */
        String stop() throws InterruptedException {
            thread.interrupt();
            thread.join();
            return failure == null ? POLLED + count : "failed: " + failure;
        }
    }
}
