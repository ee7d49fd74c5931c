package otp4j.observer.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import otp4j.behaviour.ServerStatus;
import otp4j.behaviour.Sys;
import otp4j.observer.ObserverOptions;
import otp4j.runtime.Dest;
import otp4j.runtime.Node;
import otp4j.runtime.Pid;
import otp4j.runtime.Proc;
import otp4j.runtime.ProcessInfo;
import otp4j.runtime.Reason;
import otp4j.runtime.internal.Introspection;

/**
 * The observer's HTTP server, on the JDK's {@code jdk.httpserver}: the page and its assets, and
 * the JSON API behind it. <b>Not API.</b>
 */
public final class ObserverServer {
    /*
     * Overview
     *
     * Threads: four platform threads answer requests, each request within the request timeout
     * (RequestThreads); one platform thread samples the node every
     * refresh interval (Sampler). None is a carrier, and none is a process: what must be a
     * process (sys requests, application calls) runs in an errand process with a deadline
     * (Calls).
     *
     * Every request goes through handle(): the loopback check (when bound to loopback, a
     * request from another address, or one whose Host header names another host, as a DNS
     * rebinding page would send, gets 403); then the route; an HttpError becomes its status
     * with a JSON {"error": message}; anything else is logged and becomes a 500 that says only
     * "internal error": no stack trace reaches the client.
     *
     * Actions (POST) need the actions option and the start's token in the X-Observer-Token
     * header, compared in constant time. A cross-site form cannot set a header, so a page from
     * elsewhere cannot act through a user's browser. Each action is logged.
     */

    private static final System.Logger LOG = System.getLogger("otp4j.observer");
    private static final String TOKEN_HEADER = "X-Observer-Token";
    private static final Duration CALL_DEADLINE = Duration.ofSeconds(5);
    /** The sampler waits at least this many times as long as its last sample took (a tenth of a core at most). */
    private static final long MAX_SAMPLING_SHARE = 10;
    /** Threads answering requests; a client too slow holds one for at most the request timeout. */
    private static final int HTTP_THREADS = 4;
    /** Web assets served, by path; nothing else under the root is. */
    private static final Map<String, String> ASSETS = Map.of(
            "/", "index.html", "/index.html", "index.html", "/app.js", "app.js", "/app.css", "app.css");
    private static final AtomicInteger INSTANCES = new AtomicInteger();

    private final Node node;
    private final ObserverOptions options;
    private final String token;
    private final List<TableProvider> tables;
    private final Sampler sampler;
    private final Tracer tracer;
    private final Map<String, byte[]> assets = new LinkedHashMap<>();
    private final HttpServer http;
    private final RequestThreads httpThreads;
    private final ScheduledExecutorService samplerThread;
    /**
     * Every thread the pools above made: close() waits for each to end. A pool's termination
     * comes a little before its last thread's end, and a caller that closes the observer may look
     * for threads left straight after.
     */
    private final Queue<Thread> threads = new ConcurrentLinkedQueue<>();
    private final Jmx jmx;
    private final URI url;
    private final long startedAtMillis = System.currentTimeMillis();
    private final Runnable closeHook = this::close;
    private final AtomicBoolean closed = new AtomicBoolean();
    /** One sample at a time: the sampler's thread, or a caller of sampleNow. */
    private final ReentrantLock sampleLock = new ReentrantLock();

    private ObserverServer(Node node, ObserverOptions options) throws IOException {
        this.node = node;
        this.options = options;
        this.token = options.actions() ? newToken() : null;
        this.tables = List.of(new KindTables<>(new EtsTables(node)), new KindTables<>(new DetsTables(node)));
        this.sampler = new Sampler(node, tables);
        this.tracer = new Tracer(node);
        for (String name : Set.copyOf(ASSETS.values())) {
            assets.put(name, resource(name));
        }
        int instance = INSTANCES.incrementAndGet();
        String prefix = "otp4j-observer-" + instance + "-";
        sampler.sample(); // the first pages answer at once
        HttpServer h = HttpServer.create(new InetSocketAddress(options.bindAddress(), options.port()), 50);
        this.http = h;
        this.jmx = Jmx.register(node, sampler, tables);
        this.samplerThread = Executors.newSingleThreadScheduledExecutor(daemon(prefix + "sampler"));
        this.httpThreads = new RequestThreads(HTTP_THREADS, daemon(prefix + "http"), samplerThread,
                options.requestTimeout());
        http.setExecutor(httpThreads);
        http.createContext("/", this::handle);
        http.start();
        String host = options.bindAddress().getHostAddress();
        if (host.contains(":")) {
            host = "[" + host + "]";
        }
        this.url = URI.create("http://" + host + ":" + http.getAddress().getPort() + "/");
        samplerThread.schedule(this::sampleQuietly, options.refreshInterval().toNanos(), TimeUnit.NANOSECONDS);
        node.addCloseHook(closeHook);
    }

    public static ObserverServer start(Node node, ObserverOptions options) throws IOException {
        ObserverServer s = new ObserverServer(node, options);
        LOG.log(System.Logger.Level.INFO, () -> "otp4j observer of node " + node.name() + " at " + s.url
                + (s.token == null ? "" : " (actions on: open " + s.url + "#token=" + s.token
                + " to use them; each is logged)"));
        return s;
    }

    public URI url() {
        return url;
    }

    public Optional<String> token() {
        return Optional.ofNullable(token);
    }

    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        node.removeCloseHook(closeHook);
        http.stop(0);
        samplerThread.shutdownNow();
        httpThreads.shutdownNow();
        jmx.unregister();
        if (!node.isClosed()) {
            tracer.stop();
        }
        try {
            samplerThread.awaitTermination(10, TimeUnit.SECONDS);
            httpThreads.awaitTermination(Duration.ofSeconds(10));
            for (Thread t : threads) {
                if (t != Thread.currentThread()) {
                    t.join(Duration.ofSeconds(10));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Takes a sample now, as the sampler does every interval, so that what a caller did before
     * shows in every page and bean after: for tests, which wait for events, never for time.
     */
    public void sampleNow() {
        sampleLock.lock();
        try {
            sampler.sample();
            jmx.sync();
        } finally {
            sampleLock.unlock();
        }
    }

    /**
     * Samples, then schedules the next sample one refresh interval later, or later still when
     * the walk took more than a tenth of the interval: on a node of a million processes a walk
     * takes most of a second, and the observer must not keep a core busy walking.
     */
    private void sampleQuietly() {
        long start = System.nanoTime();
        try {
            sampleNow();
        } catch (RuntimeException e) {
            // A failed sample leaves the previous one in place; the next may succeed.
            LOG.log(System.Logger.Level.WARNING, "otp4j observer: sampling node " + node.name() + " failed", e);
        }
        long took = System.nanoTime() - start;
        if (!closed.get() && !node.isClosed()) {
            long delay = Math.max(options.refreshInterval().toNanos(), MAX_SAMPLING_SHARE * took);
            try {
                samplerThread.schedule(this::sampleQuietly, delay, TimeUnit.NANOSECONDS);
            } catch (RejectedExecutionException e) {
                // closed meanwhile: no more samples
            }
        }
    }

    private static String newToken() {
        byte[] b = new byte[24];
        new SecureRandom().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    private ThreadFactory daemon(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = Thread.ofPlatform().name(name + "-" + n.incrementAndGet()).daemon(true).unstarted(r);
            threads.add(t);
            return t;
        };
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = ObserverServer.class.getResourceAsStream("/otp4j/observer/web/" + name)) {
            if (in == null) {
                throw new IOException("the observer's asset " + name + " is missing from the jar");
            }
            return in.readAllBytes();
        }
    }

    // ------------------------------------------------------------------ requests

    private void handle(HttpExchange ex) {
        try (ex) {
            if (!RequestThreads.startAnswer()) {
                return; // the client took longer than the request timeout: its connection closes
            }
            int status;
            byte[] body;
            String type;
            try {
                checkOrigin(ex);
                String path = ex.getRequestURI().getRawPath();
                if (path.startsWith("/api/")) {
                    body = api(ex, path).toString().getBytes(StandardCharsets.UTF_8);
                    type = "application/json; charset=utf-8";
                } else {
                    body = asset(ex, path);
                    type = contentType(path);
                }
                status = 200;
            } catch (HttpError e) {
                status = e.status();
                body = new Json().beginObject().field("error", e.getMessage()).endObject().toString()
                        .getBytes(StandardCharsets.UTF_8);
                type = "application/json; charset=utf-8";
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "otp4j observer: " + ex.getRequestMethod() + " "
                        + ex.getRequestURI().getRawPath() + " failed", e);
                status = 500;
                body = "{\"error\":\"internal error; the node's log has the details\"}".getBytes(StandardCharsets.UTF_8);
                type = "application/json; charset=utf-8";
            }
            RequestThreads.startWriting();
            send(ex, status, type, body);
        } catch (IOException e) {
            // the client went away, or was too slow: nothing to answer
        }
    }

    private static void send(HttpExchange ex, int status, String type, byte[] body) throws IOException {
        var h = ex.getResponseHeaders();
        h.set("Content-Type", type);
        h.set("Cache-Control", "no-store");
        h.set("X-Content-Type-Options", "nosniff");
        h.set("X-Frame-Options", "DENY");
        h.set("Referrer-Policy", "no-referrer");
        // Only the page's own script and style: even text that slipped into the markup could not run.
        h.set("Content-Security-Policy", "default-src 'none'; script-src 'self'; style-src 'self'; "
                + "connect-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'");
        boolean head = "HEAD".equals(ex.getRequestMethod());
        ex.sendResponseHeaders(status, head ? -1 : body.length);
        if (!head) {
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        }
    }

    private void checkOrigin(HttpExchange ex) {
        if (!options.bindAddress().isLoopbackAddress()) {
            return;
        }
        InetAddress from = ex.getRemoteAddress().getAddress();
        if (from == null || !from.isLoopbackAddress()) {
            throw HttpError.forbidden("this observer answers only requests from this machine");
        }
        String host = ex.getRequestHeaders().getFirst("Host");
        int port = http.getAddress().getPort();
        if (host == null || !Set.of("127.0.0.1:" + port, "localhost:" + port, "[::1]:" + port).contains(
                host.toLowerCase(Locale.ROOT))) {
            throw HttpError.forbidden("the Host header must name this machine (127.0.0.1:" + port + " or localhost:"
                    + port + ")");
        }
    }

    private byte[] asset(HttpExchange ex, String path) {
        requireMethod(ex, "GET", "HEAD");
        String name = ASSETS.get(path);
        if (name == null) {
            throw HttpError.notFound("no page " + Params.clip(path));
        }
        if (ex.getRequestURI().getRawQuery() != null) {
            throw HttpError.badRequest("the page takes no query parameters; its views are in the fragment (#/...)");
        }
        return assets.get(name);
    }

    private static String contentType(String path) {
        if (path.endsWith(".js")) {
            return "text/javascript; charset=utf-8";
        }
        if (path.endsWith(".css")) {
            return "text/css; charset=utf-8";
        }
        return "text/html; charset=utf-8";
    }

    private static void requireMethod(HttpExchange ex, String... methods) {
        for (String m : methods) {
            if (m.equals(ex.getRequestMethod())) {
                return;
            }
        }
        throw new HttpError(405, ex.getRequestMethod() + " is not allowed here; use " + String.join(" or ", methods));
    }

    private Json api(HttpExchange ex, String path) {
        String q = ex.getRequestURI().getRawQuery();
        Json j = new Json().beginObject();
        switch (path) {
            case "/api/config" -> {
                requireMethod(ex, "GET");
                Params.parse(q, Set.of());
                config(j);
            }
            case "/api/system" -> {
                requireMethod(ex, "GET");
                Params.parse(q, Set.of());
                system(j);
            }
            case "/api/load" -> {
                requireMethod(ex, "GET");
                Params p = Params.parse(q, Set.of("since"));
                load(j, p.integer("since", 0, 0, Long.MAX_VALUE));
            }
            case "/api/processes" -> {
                requireMethod(ex, "GET");
                processes(j, Params.parse(q, Set.of("sort", "order", "limit", "filter")));
            }
            case "/api/process" -> {
                requireMethod(ex, "GET");
                process(j, Params.parse(q, Set.of("pid")).pid("pid", node));
            }
            case "/api/applications" -> {
                requireMethod(ex, "GET");
                Params.parse(q, Set.of());
                ProcessSnapshot snap = sampler.processes();
                Calls.inProcess(node, CALL_DEADLINE, "the supervisors", () -> {
                    Trees.write(j, node, snap);
                    return null;
                });
            }
            case "/api/tables" -> {
                requireMethod(ex, "GET");
                Params.parse(q, Set.of());
                tables(j);
            }
            case "/api/table" -> {
                requireMethod(ex, "GET");
                table(j, Params.parse(q, Set.of("kind", "id", "offset", "limit")));
            }
            case "/api/trace" -> {
                requireMethod(ex, "GET");
                requireTrace();
                tracer.write(j, Params.parse(q, Set.of("after")).integer("after", 0, 0, Long.MAX_VALUE));
            }
            case "/api/trace/start" -> {
                requireMethod(ex, "POST");
                requireTrace();
                Pid pid = Params.parse(q, Set.of("pid")).pid("pid", node);
                tracer.start(pid);
                LOG.log(System.Logger.Level.INFO, () -> "otp4j observer: trace of " + pid + " started by "
                        + ex.getRemoteAddress());
                tracer.write(j, 0);
            }
            case "/api/trace/stop" -> {
                requireMethod(ex, "POST");
                requireTrace();
                Params.parse(q, Set.of());
                tracer.stop();
                tracer.write(j, 0);
            }
            case "/api/actions/kill" -> {
                requireMethod(ex, "POST");
                Pid pid = Params.parse(q, Set.of("pid")).pid("pid", node);
                authorize(ex, "kill " + pid);
                Proc.exit(pid, Reason.KILL);
                j.field("killed", pid.toString());
            }
            case "/api/actions/delete-object" -> {
                requireMethod(ex, "POST");
                Params p = Params.parse(q, Set.of("kind", "id", "position", "key", "value"));
                TableProvider t = provider(p);
                long id = p.requiredInteger("id", 0, Long.MAX_VALUE);
                long position = p.requiredInteger("position", 0, Long.MAX_VALUE);
                String key = p.required("key");
                String value = p.required("value");
                authorize(ex, "delete object " + position + " (key " + Params.clip(key) + ") of " + t.kind()
                        + " table " + id);
                t.deleteObject(id, position, key, value);
                j.field("deleted", true);
            }
            default -> throw HttpError.notFound("no API endpoint " + Params.clip(path)
                    + "; the endpoints are listed in the observer's documentation");
        }
        return j.endObject();
    }

    private void requireTrace() {
        if (!options.trace()) {
            throw HttpError.forbidden("traces are off; start the observer with ObserverOptions.withTrace(true)");
        }
    }

    /** Refuses an action unless actions are on and the request carries the token; logs it. */
    private void authorize(HttpExchange ex, String what) {
        if (token == null) {
            LOG.log(System.Logger.Level.WARNING, () -> "otp4j observer: refused to " + what + " for "
                    + ex.getRemoteAddress() + ": actions are off");
            throw HttpError.forbidden("actions are off; start the observer with ObserverOptions.withActions(true)");
        }
        String given = ex.getRequestHeaders().getFirst(TOKEN_HEADER);
        if (given == null || !MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8),
                token.getBytes(StandardCharsets.UTF_8))) {
            LOG.log(System.Logger.Level.WARNING, () -> "otp4j observer: refused to " + what + " for "
                    + ex.getRemoteAddress() + ": " + (given == null ? "no token" : "wrong token"));
            throw HttpError.forbidden("this action needs the observer's token in the " + TOKEN_HEADER + " header"
                    + (given == null ? "" : "; the one given is wrong"));
        }
        LOG.log(System.Logger.Level.INFO, () -> "otp4j observer: " + what + ", asked by " + ex.getRemoteAddress());
    }

    // ------------------------------------------------------------------ the pages' data

    private void config(Json j) {
        j.field("node", node.name());
        j.field("refreshMillis", options.refreshInterval().toMillis());
        j.field("actions", options.actions());
        j.field("serverState", options.serverState());
        j.field("trace", options.trace());
        j.field("messages", options.messages());
        j.name("tableKinds").beginArray();
        for (TableProvider t : tables) {
            j.value(t.kind());
        }
        j.endArray();
    }

    private void system(Json j) {
        Sampler.SystemSample s = sampler.latest();
        Runtime rt = Runtime.getRuntime();
        j.field("node", node.name());
        j.field("otp4jVersion", version());
        j.field("javaVersion", System.getProperty("java.version"));
        j.field("javaVendor", System.getProperty("java.vendor"));
        j.field("vm", System.getProperty("java.vm.name") + " " + System.getProperty("java.vm.version"));
        j.field("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        j.field("availableProcessors", rt.availableProcessors());
        j.field("jvmUptimeMillis", java.lang.management.ManagementFactory.getRuntimeMXBean().getUptime());
        j.field("observerUptimeMillis", System.currentTimeMillis() - startedAtMillis);
        j.field("scheduler", node.scheduler().name().toLowerCase(Locale.ROOT));
        j.name("sample");
        sample(j, s);
    }

    private void sample(Json j, Sampler.SystemSample s) {
        j.beginObject();
        j.field("time", s.epochMillis());
        j.field("processes", s.processes());
        j.field("lingering", s.lingering());
        j.field("spawned", s.spawned());
        j.field("runQueue", s.runQueue());
        j.field("carriers", s.carriers());
        j.field("armedTimers", s.armedTimers());
        j.field("reductionsPerSecond", Math.round(s.reductionsPerSecond()));
        j.field("messagesPerSecond", Math.round(s.messagesPerSecond()));
        j.name("memory").beginObject();
        j.field("heapUsed", s.heapUsed());
        j.field("heapCommitted", s.heapCommitted());
        j.field("heapMax", s.heapMax());
        j.field("nonHeapUsed", s.nonHeapUsed());
        j.field("processes", s.processMemory());
        List<String> kinds = sampler.kinds();
        for (int i = 0; i < kinds.size(); i++) {
            j.field(kinds.get(i), s.tableMemory()[i]);
        }
        j.endObject();
        j.name("gc").beginObject().field("collections", s.gcCount()).field("millis", s.gcMillis()).endObject();
        j.field("platformThreads", s.platformThreads());
        j.endObject();
    }

    private static String version() {
        String v = Node.class.getPackage().getImplementationVersion();
        return v != null ? v : "development build";
    }

    private void load(Json j, long since) {
        j.field("refreshMillis", options.refreshInterval().toMillis());
        j.name("samples").beginArray();
        for (Sampler.SystemSample s : sampler.history()) {
            if (s.epochMillis() > since) {
                sample(j, s);
            }
        }
        j.endArray();
    }

    private void processes(Json j, Params p) {
        String column = p.choice("sort", "reductionsDelta", Processes.COLUMNS);
        boolean descending = p.choice("order", "desc", Set.of("asc", "desc")).equals("desc");
        int limit = (int) p.integer("limit", 50, 1, Processes.MAX_LIMIT);
        String filter = p.string("filter", "", 100);
        ProcessSnapshot s = sampler.processes();
        Processes.Page page = Processes.top(s, Processes.order(s, column, descending), limit, filter);
        j.field("total", s.size);
        j.field("matched", page.matched());
        j.field("sort", column);
        j.field("order", descending ? "desc" : "asc");
        j.field("intervalMillis", s.intervalNanos / 1_000_000);
        j.name("rows").beginArray();
        for (int i : page.rows()) {
            j.beginObject();
            j.field("pid", s.pid[i].toString());
            j.field("name", s.name[i]);
            j.field("initialCall", s.initialCall[i]);
            j.field("behaviour", s.behaviour[i] == null ? null : s.behaviour[i].getName());
            j.field("status", s.status(i).name().toLowerCase(Locale.ROOT));
            j.field("messageQueueLength", s.queue[i]);
            j.field("memory", s.memory[i]);
            j.field("reductions", s.reductions[i]);
            j.field("reductionsDelta", s.reductionsDelta[i]);
            j.field("messagesReceived", s.received[i]);
            j.field("messagesReceivedDelta", s.receivedDelta[i]);
            j.endObject();
        }
        j.endArray();
    }

    private void process(Json j, Pid pid) {
        ProcessInfo info = Proc.info(pid).orElseThrow(() -> HttpError.notFound("process " + pid + " has exited"));
        List<StackTraceElement> stack = Proc.stackTrace(pid).orElse(List.of());
        Optional<Class<?>> behaviour = Introspection.behaviour(pid);
        j.field("pid", pid.toString());
        j.field("name", info.registeredName().orElse(null));
        j.field("initialCall", info.initialCall());
        j.field("behaviour", behaviour.map(Class::getName).orElse(null));
        j.field("status", info.status().name().toLowerCase(Locale.ROOT));
        j.field("messageQueueLength", info.messageQueueLength());
        j.field("memory", info.memory());
        j.field("reductions", info.reductions());
        j.field("messagesReceived", info.messagesReceived());
        j.field("trapExit", info.trapExit());
        j.field("groupLeader", info.groupLeader().toString());
        j.field("spawnedAt", info.spawnedAt().toString());
        j.field("runawayMillis", info.runaway().map(Duration::toMillis).orElse(0L));
        pids(j, "links", info.links());
        j.name("monitors").beginArray();
        for (Dest d : info.monitors()) {
            j.value(d.toString());
        }
        j.endArray();
        pids(j, "monitoredBy", info.monitoredBy());
        j.field("currentFunction", Processes.currentFunction(stack));
        j.name("stack").beginArray();
        for (StackTraceElement e : stack) {
            j.value(e.toString());
        }
        j.endArray();
        j.name("messages");
        if (options.messages()) {
            j.beginArray();
            for (Object m : Proc.messages(pid, ObserverOptions.MAX_MESSAGES_SHOWN).orElse(List.of())) {
                j.value(Text.show(m));
            }
            j.endArray();
        } else {
            j.nullValue();
            j.field("messagesNote", "mailbox contents are off; start the observer with"
                    + " ObserverOptions.withMessages(true)");
        }
        j.name("state");
        if (!options.serverState() || behaviour.isEmpty()) {
            j.nullValue();
            j.field("stateNote", !options.serverState()
                    ? "server state is off; start the observer with ObserverOptions.withServerState(true)"
                    : "a plain process has no server state");
        } else {
            ServerStatus st = Calls.inProcess(node, CALL_DEADLINE, "process " + pid, () -> Sys.getStatus(pid));
            j.value(Text.show(st.state()));
            j.field("suspended", st.suspended());
        }
    }

    private static void pids(Json j, String name, List<Pid> pids) {
        j.name(name).beginArray();
        for (Pid p : pids) {
            j.value(p.toString());
        }
        j.endArray();
    }

    private void tables(Json j) {
        j.name("tables").beginArray();
        for (TableProvider p : tables) {
            for (TableProvider.TableRow t : p.tables()) {
                tableRow(j, t);
            }
        }
        j.endArray();
    }

    private static void tableRow(Json j, TableProvider.TableRow t) {
        j.beginObject();
        j.field("kind", t.kind());
        j.field("id", t.id());
        j.field("name", t.name());
        j.field("named", t.named());
        j.field("type", t.type());
        j.field("access", t.access());
        j.field("owner", t.owner());
        j.field("heir", t.heir());
        j.field("size", t.size());
        j.field("memory", t.memory());
        j.name("fileSize");
        if (t.fileSize() < 0) {
            j.nullValue();
        } else {
            j.value(t.fileSize());
        }
        j.field("readable", t.readable());
        j.field("writable", t.writable());
        j.endObject();
    }

    /** The most objects one table page returns. */
    static final int MAX_TABLE_PAGE = 500;

    private void table(Json j, Params p) {
        TableProvider t = provider(p);
        long id = p.requiredInteger("id", 0, Long.MAX_VALUE);
        long offset = p.integer("offset", 0, 0, Long.MAX_VALUE);
        int limit = (int) p.integer("limit", 50, 1, MAX_TABLE_PAGE);
        TableProvider.TablePage page = t.page(id, offset, limit)
                .orElseThrow(() -> HttpError.notFound("no " + t.kind() + " table with id " + id));
        j.name("table");
        tableRow(j, page.table());
        j.field("offset", page.offset());
        j.field("limit", limit);
        j.field("more", page.more());
        j.name("rows").beginArray();
        for (String[] row : page.rows()) {
            j.beginObject().field("key", row[0]).field("value", row[1]).endObject();
        }
        j.endArray();
    }

    private TableProvider provider(Params p) {
        String kind = p.string("kind", "ets", 20);
        for (TableProvider t : tables) {
            if (t.kind().equals(kind)) {
                return t;
            }
        }
        throw HttpError.badRequest("parameter kind must be one of "
                + String.join(", ", tables.stream().map(TableProvider::kind).toList()) + ", was \""
                + Params.clip(kind) + "\"");
    }
}
