package otp4j.samples.ratelimit;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

import otp4j.behaviour.Task;
import otp4j.runtime.AttachedProcess;
import otp4j.runtime.Node;

/**
 * Concurrent HTTP clients against the rate limiter's endpoint, each a process making its
 * requests one after the other, as fast as the answers come; then the counts of each client.
 * Run against the main job (which prints the endpoint's URL):
 *
 * <pre>{@code
 * ./mvnw -q -pl samples -am package exec:exec -DskipTests -Dexec.main=otp4j.samples.ratelimit.LoadGenerator \
 *     -Dexec.args="http://127.0.0.1:8080/limited 50 200"
 * }</pre>
 *
 * With a limit of {@code L} per window, a run that fits in one window shows every client with
 * exactly {@code L} requests allowed and the rest refused with 429, however many clients run.
 */
public final class LoadGenerator {
    private LoadGenerator() {
    }

    /** How long one run may take before it is given up as stuck. */
    private static final Duration RUN_DEADLINE = Duration.ofMinutes(5);

    /**
     * What one client saw.
     *
     * @param client  its id, sent as the {@code client} query parameter
     * @param allowed answers 200
     * @param limited answers 429
     * @param other   any other answer (503 while the limiter restarts, for one)
     */
    public record ClientReport(String client, long allowed, long limited, long other) {
    }

    /**
     * What a run saw.
     *
     * @param clients each client's counts, in client order
     * @param elapsed how long the run took
     */
    public record Report(List<ClientReport> clients, Duration elapsed) {
        public Report {
            clients = List.copyOf(clients);
        }

        /** {@return the requests made by all clients} */
        public long requests() {
            return clients.stream().mapToLong(c -> c.allowed() + c.limited() + c.other()).sum();
        }
    }

    /**
     * Runs {@code clients} client processes, each making {@code requestsEach} GET requests to
     * {@code endpoint} with {@code ?client=<prefix>-<n>}, and waits for all of them.
     *
     * <p><b>May be called from:</b> a process; the clients are its linked tasks.
     *
     * @throws IllegalArgumentException if {@code clients} or {@code requestsEach} is below 1
     * @throws otp4j.behaviour.TaskException if a client fails (the endpoint refuses connections)
     *                                       or the run takes over five minutes
     */
    public static Report run(URI endpoint, String prefix, int clients, int requestsEach) {
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(prefix, "prefix");
        if (clients < 1 || requestsEach < 1) {
            throw new IllegalArgumentException("clients and requestsEach must be at least 1, were " + clients + " and "
                    + requestsEach);
        }
        long start = System.nanoTime();
        try (HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build()) {
            List<Task<ClientReport>> tasks = new ArrayList<>(clients);
            for (int i = 0; i < clients; i++) {
                String client = prefix + "-" + i;
                URI uri = URI.create(endpoint + (endpoint.getRawQuery() == null ? "?" : "&") + "client=" + client);
                tasks.add(Task.async(() -> oneClient(http, client, uri, requestsEach)));
            }
            List<ClientReport> reports = Task.awaitMany(tasks, RUN_DEADLINE);
            return new Report(reports, Duration.ofNanos(System.nanoTime() - start));
        }
    }

    private static ClientReport oneClient(HttpClient http, String client, URI uri, int requests)
            throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).GET().build();
        long allowed = 0;
        long limited = 0;
        long other = 0;
        for (int i = 0; i < requests; i++) {
            int status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
            switch (status) {
                case 200 -> allowed++;
                case 429 -> limited++;
                default -> other++;
            }
        }
        return new ClientReport(client, allowed, limited, other);
    }

    /**
     * Runs the load and prints what each client saw. Arguments: the endpoint's URL (default
     * {@code http://127.0.0.1:8080/limited}), the number of clients (50) and of requests each (200).
     */
    @SuppressWarnings("try") // the attached process is used through Proc and Task, not by name
    public static void main(String[] args) {
        URI endpoint = URI.create(args.length > 0 ? args[0] : "http://127.0.0.1:8080/limited");
        int clients = args.length > 1 ? Integer.parseInt(args[1]) : 50;
        int requests = args.length > 2 ? Integer.parseInt(args[2]) : 200;
        try (Node node = Node.start(); AttachedProcess me = node.attach()) {
            System.out.printf(Locale.ROOT, "%d clients x %d requests against %s%n", clients, requests, endpoint);
            Report report = run(endpoint, "load-" + Long.toString(ThreadLocalRandom.current().nextLong(1L << 40), 36), clients, requests);
            long minAllowed = report.clients().stream().mapToLong(ClientReport::allowed).min().orElse(0);
            long maxAllowed = report.clients().stream().mapToLong(ClientReport::allowed).max().orElse(0);
            long limited = report.clients().stream().mapToLong(ClientReport::limited).sum();
            long other = report.clients().stream().mapToLong(ClientReport::other).sum();
            System.out.printf(Locale.ROOT, "%,d requests in %.2f s (%,.0f requests/s)%n", report.requests(),
                    report.elapsed().toNanos() / 1e9, report.requests() * 1e9 / report.elapsed().toNanos());
            System.out.printf(Locale.ROOT, "allowed per client: min %d, max %d; refused with 429: %,d; other: %,d%n",
                    minAllowed, maxAllowed, limited, other);
            System.out.println(minAllowed == maxAllowed
                    ? "the limiter held: every client got the same number of requests through"
                    : "clients got different numbers through: the run crossed a window boundary (or the limiter restarted)");
        }
    }
}
