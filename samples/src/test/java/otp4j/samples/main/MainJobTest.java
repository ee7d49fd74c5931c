package otp4j.samples.main;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import otp4j.samples.web.Http;

/**
 * The README's first command runs {@link Main}: here it is started as a child JVM, as the
 * command starts it, answers over HTTP, and stops cleanly on SIGTERM.
 */
class MainJobTest {
    private static final long DEADLINE_SECONDS = 60;
    private static final Pattern LISTENING = Pattern.compile("listening on (http://127\\.0\\.0\\.1:\\d+)");
    private static final Pattern OBSERVER = Pattern.compile("^observer: (http://127\\.0\\.0\\.1:\\d+/) ");
    private static final Pattern LEFT = Pattern.compile("jobs kept in dets table .* \\((\\d+) left by the last run\\)");
    private static final Pattern IDLE = Pattern.compile("^jobs: 0 queued, 0 running");

    private Process job;

    /** Each job's dets table of jobs. */
    @TempDir
    Path tmp;

    private Process start(String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-opens", "java.base/java.lang=ALL-UNNAMED", "-Djdk.trackAllThreads=false",
                "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(List.of(args));
        if (Arrays.stream(args).noneMatch(a -> a.startsWith("--observer="))) {
            command.add("--observer=0"); // any free port: tests run side by side
        }
        command.add("--jobs=" + tmp.resolve("jobs.dets"));
        return new ProcessBuilder(command).start();
    }

    /** Lines of a stream, as they come, read by a thread of their own. */
    private static BlockingQueue<String> lines(InputStream in, StringBuilder all) {
        BlockingQueue<String> q = new LinkedBlockingQueue<>();
        Thread.ofPlatform().daemon().name("main-job-reader").start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    synchronized (all) {
                        all.append(line).append('\n');
                    }
                    q.add(line);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        return q;
    }

    private static String awaitLine(BlockingQueue<String> lines, Pattern p, StringBuilder all) throws InterruptedException {
        for (;;) {
            String line = lines.poll(DEADLINE_SECONDS, TimeUnit.SECONDS);
            if (line == null) {
                throw new AssertionError("no line matching " + p + " within " + DEADLINE_SECONDS + " s; output:\n" + all);
            }
            if (p.matcher(line).find()) {
                return line;
            }
        }
    }

    /** {@return the samples' web endpoint, from the job's "listening on" line} */
    private static URI awaitListening(BlockingQueue<String> stdout, StringBuilder out) throws InterruptedException {
        Matcher listening = LISTENING.matcher(awaitLine(stdout, LISTENING, out));
        assertThat(listening.find()).isTrue();
        return URI.create(listening.group(1));
    }

    @AfterEach
    void killLeftover() {
        if (job != null && job.isAlive()) {
            job.destroyForcibly();
        }
    }

    /** Sends SIGTERM; {@code Process.destroy()} would also close our ends of its pipes, losing its last lines. */
    private void sigterm() {
        assertThat(job.toHandle().destroy()).isTrue();
    }

    /** Waits for the job's exit and checks that it stopped cleanly: status 0 after SIGTERM, no exception on stderr. */
    private void assertStoppedCleanly(BlockingQueue<String> stdout, StringBuilder out, StringBuilder err)
            throws InterruptedException {
        assertThat(job.waitFor(DEADLINE_SECONDS, TimeUnit.SECONDS)).as("stopped within %d s", DEADLINE_SECONDS).isTrue();
        awaitLine(stdout, Pattern.compile("^stopped$"), out.append("exit status " + job.exitValue() + "; stderr:\n").append(err));
        assertThat(job.exitValue()).as("0 after a clean stop, as erl after SIGTERM").isZero();
        synchronized (out) {
            assertThat(out.toString()).contains("stopping: the chaos monkey, the web endpoint");
        }
        synchronized (err) {
            assertThat(err.toString()).as("stderr").doesNotContain("Exception", "\tat ", "WARNING: node");
        }
    }

    @Test
    void theMainJobAnswersTheRateLimiterAndStopsCleanlyOnSigterm() throws Exception {
        // no chaos here: a strike of the rate limiter would empty its counts in the middle
        job = start("--port=0", "--chaos=0", "--bots=200", "--limit=3", "--window=3600");
        StringBuilder out = new StringBuilder();
        StringBuilder err = new StringBuilder();
        BlockingQueue<String> stdout = lines(job.getInputStream(), out);
        lines(job.getErrorStream(), err);

        URI limited = awaitListening(stdout, out).resolve("/limited?client=main-job-test");
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            statuses.add(Http.get(limited).statusCode());
        }
        assertThat(statuses).containsExactly(200, 200, 200, 429, 429);

        Matcher observer = OBSERVER.matcher(awaitLine(stdout, OBSERVER, out));
        assertThat(observer.find()).isTrue();
        HttpResponse<String> processes = Http.get(URI.create(observer.group(1) + "api/processes?sort=pid&order=asc&limit=500"));
        assertThat(processes.statusCode()).isEqualTo(200);
        assertThat(processes.body()).as("the observer lists the samples' processes")
                .contains("\"rate_limiter\"", "\"samples_sup\"", "\"chaos_monkey\"");

        sigterm();
        assertStoppedCleanly(stdout, out, err);
    }

    @Test
    void theMainJobStopsCleanlyOnSigtermWhileTheMonkeyStrikes() throws Exception {
        job = start("--port=0", "--chaos=1", "--bots=200");
        StringBuilder out = new StringBuilder();
        StringBuilder err = new StringBuilder();
        BlockingQueue<String> stdout = lines(job.getInputStream(), out);
        lines(job.getErrorStream(), err);
        awaitLine(stdout, Pattern.compile("^chaos monkey killed .* of \\w+; its supervisor restarts it$"), out);
        awaitLine(stdout, Pattern.compile("^chaos monkey killed "), out);

        sigterm();
        assertStoppedCleanly(stdout, out, err);
    }

    /** Polls {@code GET /jobs} until its answer matches {@code p}; {@return that answer} */
    private static String awaitJobs(URI jobs, Pattern p) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(DEADLINE_SECONDS);
        for (;;) {
            String answer = Http.get(jobs).body();
            if (p.matcher(answer).find()) {
                return answer;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("GET " + jobs + " still answers " + answer.strip() + " after "
                        + DEADLINE_SECONDS + " s; waited for " + p);
            }
            Thread.onSpinWait();
        }
    }

    @Test
    void jobsAcceptedBeforeTheJobIsKilledRunAfterItRestarts() throws Exception {
        job = start("--port=0", "--chaos=0", "--bots=0");
        StringBuilder out = new StringBuilder();
        StringBuilder err = new StringBuilder();
        BlockingQueue<String> stdout = lines(job.getInputStream(), out);
        lines(job.getErrorStream(), err);
        URI jobs = awaitListening(stdout, out).resolve("/jobs");
        assertThat(awaitLine(stdout, LEFT, out)).contains("(0 left by the last run)");

        // A hundred jobs of about 100 ms each, posted at once (each POST waits for its own job),
        // and the JVM killed with SIGKILL while most still wait: no shutdown, no close.
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        for (int i = 0; i < 100; i++) {
            client.sendAsync(HttpRequest.newBuilder(jobs.resolve("/jobs?kind=primes"))
                    .POST(HttpRequest.BodyPublishers.ofString("5000000")).build(), HttpResponse.BodyHandlers.discarding());
        }
        awaitJobs(jobs, Pattern.compile("^jobs: [1-9]\\d* queued"));
        assertThat(job.toHandle().destroyForcibly()).isTrue(); // SIGKILL
        assertThat(job.waitFor(DEADLINE_SECONDS, TimeUnit.SECONDS)).isTrue();
        client.close();

        // Restarted on the same file: the jobs the killed JVM had accepted and not finished run.
        job = start("--port=0", "--chaos=0", "--bots=0");
        stdout = lines(job.getInputStream(), out);
        lines(job.getErrorStream(), err);
        jobs = awaitListening(stdout, out).resolve("/jobs");
        Matcher left = LEFT.matcher(awaitLine(stdout, LEFT, out));
        assertThat(left.find()).isTrue();
        assertThat(Integer.parseInt(left.group(1))).as("jobs left by the killed JVM").isBetween(1, 100);
        awaitJobs(jobs, IDLE);
        sigterm();
        assertStoppedCleanly(stdout, out, err);

        // Run and done: a third start finds none left.
        job = start("--port=0", "--chaos=0", "--bots=0");
        stdout = lines(job.getInputStream(), out);
        lines(job.getErrorStream(), err);
        assertThat(awaitLine(stdout, LEFT, out)).contains("(0 left by the last run)");
        sigterm();
        assertStoppedCleanly(stdout, out, err);
    }

    @Test
    void aTakenPortStopsTheJobWithWhatIsWrong() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            job = start("--port=" + taken.getLocalPort(), "--bots=0");
            assertThat(job.waitFor(DEADLINE_SECONDS, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(job.exitValue()).isEqualTo(1);
        String err = new String(job.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(err).contains("application samples did not start: ", "cannot listen on 127.0.0.1:", "(--port=0 picks a free port)")
                .doesNotContain("\tat ");
    }

    @Test
    void aBadArgumentStopsTheJobWithWhatIsWrong() throws Exception {
        job = start("--port=eighty");
        assertThat(job.waitFor(DEADLINE_SECONDS, TimeUnit.SECONDS)).isTrue();
        assertThat(job.exitValue()).isEqualTo(2);
        assertThat(new String(job.getErrorStream().readAllBytes(), StandardCharsets.UTF_8))
                .startsWith("--port takes a whole number, not \"eighty\"");
    }
}
