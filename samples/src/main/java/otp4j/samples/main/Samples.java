package otp4j.samples.main;

import java.net.InetAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

import com.sun.net.httpserver.HttpHandler;

import otp4j.behaviour.ApplicationSpec;
import otp4j.behaviour.CallException;
import otp4j.behaviour.StartOptions;
import otp4j.behaviour.StartResult;
import otp4j.behaviour.SupFlags;
import otp4j.behaviour.Supervisor;
import otp4j.behaviour.SupervisorSpec;
import otp4j.ets.NoSuchTableException;
import otp4j.samples.cache.TtlCache;
import otp4j.samples.chaos.ChaosMonkey;
import otp4j.samples.chat.Chat;
import otp4j.samples.pipeline.JobStore;
import otp4j.samples.pipeline.Pipeline;
import otp4j.samples.ratelimit.RateLimiter;
import otp4j.samples.web.HttpEndpoint;

/**
 * All the samples in one supervision tree, as the application {@value #APPLICATION}:
 *
 * <pre>
 * samples_sup            one_for_one
 * ├── cache              the TTL cache's server and its table
 * ├── rate_limiter       the owner of table rate_limiter_requests
 * ├── chat_sup           rest_for_one: the registries, rooms, bots
 * ├── pipeline_sup       rest_for_one: the job workers, the dispatcher (jobs kept in memory)
 * ├── web                the HTTP endpoint: /limited, /cache/&lt;key&gt;, /chat/&lt;room&gt;, /jobs
 * └── chaos_monkey       kills a random worker every few seconds
 * </pre>
 *
 * Children start in that order and stop in the reverse: the monkey first, the cache last.
 */
public final class Samples {

    /** The application's name. */
    public static final String APPLICATION = "samples";

    /** The top supervisor's registered name. */
    public static final String SUPERVISOR = "samples_sup";

    /** The room the chat opens, and fills with bots. */
    public static final String LOBBY = "lobby";

    /**
     * How the samples run.
     *
     * @param port        the HTTP port; 0 for one the system chooses
     * @param rateLimit   requests allowed per client and window
     * @param rateWindow  the rate limiter's window
     * @param cacheTtl    the cache entries' time to live
     * @param bots        the chat bots in the lobby
     * @param chaosEvery  how often the chaos monkey strikes; empty for never on its own
     */
    public record Config(int port, long rateLimit, Duration rateWindow, Duration cacheTtl, int bots,
                         Optional<Duration> chaosEvery) {
        public Config {
            Objects.requireNonNull(rateWindow, "rateWindow");
            Objects.requireNonNull(cacheTtl, "cacheTtl");
            Objects.requireNonNull(chaosEvery, "chaosEvery");
            if (bots < 0) {
                throw new IllegalArgumentException("bots must be >= 0, was " + bots);
            }
        }

        /** {@return port 8080, 10 requests per 10 s, a 60 s cache, 2,000 bots, a strike every 10 s} */
        public static Config defaults() {
            return new Config(8080, 10, Duration.ofSeconds(10), Duration.ofSeconds(60), 2_000,
                    Optional.of(Duration.ofSeconds(10)));
        }

        /** {@return a copy on {@code port}} */
        public Config withPort(int port) {
            return new Config(port, rateLimit, rateWindow, cacheTtl, bots, chaosEvery);
        }

        /** {@return a copy allowing {@code limit} requests per {@code window}} */
        public Config withRate(long limit, Duration window) {
            return new Config(port, limit, window, cacheTtl, bots, chaosEvery);
        }

        /** {@return a copy with {@code ttl} for cache entries} */
        public Config withCacheTtl(Duration ttl) {
            return new Config(port, rateLimit, rateWindow, ttl, bots, chaosEvery);
        }

        /** {@return a copy with {@code bots} chat bots} */
        public Config withBots(int bots) {
            return new Config(port, rateLimit, rateWindow, cacheTtl, bots, chaosEvery);
        }

        /** {@return a copy whose monkey strikes every {@code every}, or only when asked if empty} */
        public Config withChaosEvery(Optional<Duration> every) {
            return new Config(port, rateLimit, rateWindow, cacheTtl, bots, every);
        }
    }

    private final Config config;
    private final TtlCache<String, String> cache;
    private final RateLimiter limiter;
    private final HttpEndpoint web;
    private final Pipeline pipeline;
    private final ChaosMonkey monkey;

    /**
     * Specifies the samples.
     *
     * @param config   how they run
     * @param jobs     where the job pipeline keeps its jobs
     * @param onStrike told of each of the chaos monkey's strikes
     */
    public Samples(Config config, JobStore jobs, Consumer<ChaosMonkey.Strike> onStrike) {
        this.config = Objects.requireNonNull(config, "config");
        Objects.requireNonNull(jobs, "jobs");
        this.cache = new TtlCache<>("cache", config.cacheTtl(), Duration.ofSeconds(1));
        this.limiter = new RateLimiter(config.rateLimit(), config.rateWindow());
        this.pipeline = new Pipeline(jobs, DemoJobs::run, 4, 3);
        this.web = new HttpEndpoint("web", InetAddress.getLoopbackAddress(), config.port(), List.of(
                new HttpEndpoint.Route("/limited", limiter.handler()),
                new HttpEndpoint.Route("/cache/", cacheHandler(cache)),
                new HttpEndpoint.Route("/chat/", Chat.handler()),
                new HttpEndpoint.Route("/jobs", DemoJobs.handler())));
        this.monkey = new ChaosMonkey(List.of(
                new ChaosMonkey.Workers(SUPERVISOR),
                new ChaosMonkey.Workers(Chat.SUPERVISOR),
                new ChaosMonkey.DynamicWorkers(Chat.ROOMS_SUPERVISOR),
                new ChaosMonkey.DynamicWorkers(Chat.BOTS_SUPERVISOR),
                new ChaosMonkey.DynamicWorkers(Pipeline.WORKERS)), config.chaosEvery(), System.nanoTime(), onStrike);
    }

    /** {@return how the samples run} */
    public Config config() {
        return config;
    }

    /** {@return the cache} */
    public TtlCache<String, String> cache() {
        return cache;
    }

    /** {@return the rate limiter} */
    public RateLimiter limiter() {
        return limiter;
    }

    /** {@return the HTTP endpoint} */
    public HttpEndpoint web() {
        return web;
    }

    /** {@return the application, ready for {@link otp4j.behaviour.Application#load}} */
    public ApplicationSpec application() {
        return ApplicationSpec.of(APPLICATION, this::startLink)
                .withDescription("otp4j's samples: a TTL cache, a rate limiter, chat rooms, a job pipeline, a chaos monkey");
    }

    /** {@return the top supervisor, {@value #SUPERVISOR}, started linked to the caller} */
    public StartResult startLink() {
        SupervisorSpec spec = new SupervisorSpec(SupFlags.oneForOne().withIntensity(20, Duration.ofSeconds(10)), List.of(
                cache.childSpec(),
                limiter.childSpec(),
                Chat.childSpec(List.of(LOBBY), config.bots()),
                pipeline.childSpec(),
                web.childSpec(),
                monkey.childSpec()));
        return Supervisor.startLink(() -> Optional.of(spec), StartOptions.named(SUPERVISOR));
    }

    /**
     * {@code GET /cache/<key>}: 200 and the value, or 404; {@code PUT /cache/<key>} with the
     * value as the body: stores it, 204. 503 while the cache restarts.
     */
    private static HttpHandler cacheHandler(TtlCache<String, String> cache) {
        return exchange -> {
            String path = exchange.getRequestURI().getRawPath();
            String key = URLDecoder.decode(path.substring(path.lastIndexOf('/') + 1), StandardCharsets.UTF_8);
            if (key.isEmpty()) {
                HttpEndpoint.reply(exchange, 400, "name a key: /cache/<key>\n");
                return;
            }
            try {
                switch (exchange.getRequestMethod()) {
                    case "GET" -> cache.get(key).ifPresentOrElse(
                            v -> HttpEndpoint.reply(exchange, 200, v + "\n"),
                            () -> HttpEndpoint.reply(exchange, 404, "no " + key + " (never put, or expired after "
                                    + cache.ttl().toSeconds() + " s)\n"));
                    case "PUT", "POST" -> {
                        cache.put(key, HttpEndpoint.body(exchange).strip());
                        HttpEndpoint.reply(exchange, 204, "");
                    }
                    default -> HttpEndpoint.reply(exchange, 405, "use GET or PUT\n");
                }
            } catch (NoSuchTableException | CallException e) {
                HttpEndpoint.reply(exchange, 503, "cache restarting, try again\n");
            }
        };
    }
}
