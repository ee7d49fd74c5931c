package otp4j.samples.main;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

import com.sun.net.httpserver.HttpHandler;

import otp4j.behaviour.CallException;
import otp4j.runtime.Proc;
import otp4j.samples.pipeline.Job;
import otp4j.samples.pipeline.Outcome;
import otp4j.samples.pipeline.Pipeline;
import otp4j.samples.web.HttpEndpoint;

/** The jobs the main job's pipeline runs, and its {@code /jobs} endpoint. */
final class DemoJobs {
    private DemoJobs() {
    }

    /** The largest {@code primes} job: about a hundred milliseconds of work. */
    private static final int MAX_PRIMES_BELOW = 5_000_000;

    /** How long {@code POST /jobs} waits for its job before answering that it still runs. */
    private static final Duration WAIT = Duration.ofSeconds(10);

    /**
     * {@return the job's result} {@code primes}: how many primes are below the input;
     * {@code flaky}: fails half its attempts, to show the retries.
     *
     * @throws IllegalArgumentException for an unknown kind or a bad input: failed on every attempt, then given up
     */
    static String run(Job job) {
        return switch (job.kind()) {
            case "primes" -> Integer.toString(primesBelow(parseBound(job.input())));
            case "flaky" -> {
                if (ThreadLocalRandom.current().nextBoolean()) {
                    throw new IllegalStateException("flaky job " + job.input() + " failed this attempt");
                }
                yield "flaky job " + job.input() + " went through";
            }
            default -> throw new IllegalArgumentException("unknown job kind \"" + job.kind() + "\"; use primes or flaky");
        };
    }

    private static int parseBound(String input) {
        int n;
        try {
            n = Integer.parseInt(input.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("a primes job counts primes below a whole number, not \"" + input + "\"");
        }
        if (n < 2 || n > MAX_PRIMES_BELOW) {
            throw new IllegalArgumentException("a primes job's bound must be in 2.." + MAX_PRIMES_BELOW + ", was " + n);
        }
        return n;
    }

    /** A sieve: it calls no runtime function, so it is kept short (a kill takes effect after it). */
    private static int primesBelow(int n) {
        boolean[] composite = new boolean[n];
        int count = 0;
        for (int i = 2; i < n; i++) {
            if (!composite[i]) {
                count++;
                for (long j = (long) i * i; j < n; j += i) {
                    composite[(int) j] = true;
                }
            }
        }
        return count;
    }

    /**
     * {@code POST /jobs?kind=primes} with the input as the body: submits the job and answers
     * its outcome, or 202 if it has not finished within ten seconds; {@code GET /jobs}: the
     * pipeline's figures.
     */
    static HttpHandler handler() {
        return exchange -> {
            try {
                switch (exchange.getRequestMethod()) {
                    case "POST" -> {
                        String kind = HttpEndpoint.query(exchange, "kind").orElse("primes");
                        long id = Pipeline.submit(new Job(kind, HttpEndpoint.body(exchange).strip()));
                        Optional<Pipeline.JobFinished> done = Proc.receive(
                                m -> m instanceof Pipeline.JobFinished f && f.id() == id ? f : null, WAIT);
                        if (done.isEmpty()) {
                            HttpEndpoint.reply(exchange, 202, "job " + id + " is still queued or running\n");
                            return;
                        }
                        String answer = switch (done.get().outcome()) {
                            case Outcome.Done(String result, int attempts) ->
                                    "job " + id + " done in " + attempts + " attempt(s): " + result + "\n";
                            case Outcome.GaveUp(int attempts, String error) ->
                                    "job " + id + " given up after " + attempts + " attempt(s): " + error + "\n";
                        };
                        HttpEndpoint.reply(exchange, 200, answer);
                    }
                    case "GET" -> {
                        Pipeline.Stats s = Pipeline.stats();
                        HttpEndpoint.reply(exchange, 200, "jobs: " + s.queued() + " queued, " + s.running() + " running\n");
                    }
                    default -> HttpEndpoint.reply(exchange, 405, "use GET or POST\n");
                }
            } catch (CallException e) {
                HttpEndpoint.reply(exchange, 503, "the pipeline is restarting, try again\n");
            }
        };
    }
}
