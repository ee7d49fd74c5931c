package otp4j.observer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import javax.management.MBeanServer;
import javax.management.ObjectName;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import otp4j.behaviour.GenServer;
import otp4j.dets.Dets;
import otp4j.dets.DetsOptions;
import otp4j.dets.DiskTable;
import otp4j.behaviour.Supervisor;
import otp4j.runtime.AttachedProcess;
import otp4j.runtime.Down;
import otp4j.runtime.Matcher;
import otp4j.runtime.Node;
import otp4j.runtime.Pid;
import otp4j.runtime.Proc;
import otp4j.runtime.Reason;
import otp4j.runtime.Ref;
import otp4j.testing.Mailbox;
import otp4j.testing.NodeExtension;

/** The JSON API against a node running a known supervision tree and tables ({@link Shop}). */
@ExtendWith(NodeExtension.class)
class ObserverApiTest {
    private static final Duration DEADLINE = Duration.ofSeconds(10);

    /** A process that never takes a message: its mailbox only grows. */
    private static Pid deaf(Node node) {
        return node.spawn(() -> Proc.receive(Matcher.type(Void.class)));
    }

    @Test
    void processesPageIsTheTopNByTheChosenColumn(Node node, AttachedProcess me) {
        Pid busy = deaf(node);
        for (int i = 0; i < 7; i++) {
            Proc.send(busy, "m" + i);
        }
        Pid quieter = deaf(node);
        Proc.send(quieter, "one");
        try (Observer o = Observer.start(node)) {
            o.server().sampleNow();
            Http.Answer a = Http.get(o, "/api/processes?sort=messageQueueLength&limit=2");
            assertThat(a.status()).isEqualTo(200);
            assertThat(a.contentType()).startsWith("application/json");
            List<Map<String, Object>> rows = a.list("rows");
            assertThat(rows).hasSize(2);
            assertThat(rows.get(0)).containsEntry("pid", busy.toString()).containsEntry("messageQueueLength", 7L);
            assertThat(rows.get(1)).containsEntry("pid", quieter.toString()).containsEntry("messageQueueLength", 1L);
            assertThat(a.json().get("total")).isEqualTo((long) node.processes().size());

            Http.Answer asc = Http.get(o, "/api/processes?sort=pid&order=asc&limit=500");
            assertThat(asc.list("rows")).extracting(r -> r.get("pid"))
                    .containsExactlyElementsOf(node.processes().stream().map(Pid::toString).toList());
        }
    }

    @Test
    void processesPageCountsWorkPerInterval(Node node, AttachedProcess me) {
        Pid echo = node.spawn(() -> {
            for (;;) {
                if (Proc.receive() instanceof Pid from) {
                    Proc.send(from, "pong");
                }
            }
        });
        awaitWaiting(echo);
        try (Observer o = Observer.start(node)) {
            o.server().sampleNow();
            for (int i = 0; i < 5; i++) {
                Proc.send(echo, me.pid());
                Proc.receive(m -> "pong".equals(m) ? m : null);
            }
            // Each receive counts as it begins: wait until echo is back in its sixth, which the
            // first sample had not seen begin either, so that the interval holds five of each.
            awaitWaiting(echo);
            o.server().sampleNow();
            Map<String, Object> row = Http.get(o, "/api/processes?filter=" + Http.enc(echo)).list("rows").getFirst();
            assertThat(row).containsEntry("pid", echo.toString()).containsEntry("messagesReceivedDelta", 5L)
                    .containsEntry("reductionsDelta", 10L).containsEntry("status", "waiting");
            assertThat((String) row.get("initialCall")).startsWith(ObserverApiTest.class.getName());
        }
    }

    /** Waits, with a failure deadline, until {@code pid} is blocked in a receive. */
    private static void awaitWaiting(Pid pid) {
        long end = System.nanoTime() + DEADLINE.toNanos();
        while (Proc.info(pid).orElseThrow().status() != otp4j.runtime.ProcessStatus.WAITING) {
            if (System.nanoTime() > end) {
                throw new AssertionError(pid + " did not block in receive within " + DEADLINE);
            }
            Thread.onSpinWait();
        }
    }

    @Test
    void processesPageFiltersByNameAndFunction(Node node, AttachedProcess me) {
        Shop.startApplication();
        try (Observer o = Observer.start(node)) {
            o.server().sampleNow();
            Http.Answer a = Http.get(o, "/api/processes?filter=ORDERS");
            assertThat(a.list("rows")).singleElement().satisfies(r -> {
                assertThat(r).containsEntry("name", "orders").containsEntry("behaviour", Shop.Orders.class.getName());
                // No stack captured per row: only the process page has the current function.
                assertThat(r).doesNotContainKey("currentFunction");
            });
            assertThat(a.json().get("matched")).isEqualTo(1L);
        }
    }

    @Test
    void processPageShowsLinksMonitorsAndStack(Node node, AttachedProcess me) {
        Pid worker = Proc.spawnLink(() -> Proc.receive(Matcher.type(Void.class)));
        Ref ref = Proc.monitor(worker);
        try (Observer o = Observer.start(node)) {
            Map<String, Object> p = Http.get(o, "/api/process?pid=" + Http.enc(worker)).json();
            assertThat(p).containsEntry("pid", worker.toString()).containsEntry("status", "waiting")
                    .containsEntry("trapExit", false).containsEntry("links", List.of(me.pid().toString()))
                    .containsEntry("monitoredBy", List.of(me.pid().toString()));
            assertThat((List<?>) p.get("stack")).isNotEmpty();
            assertThat(p.get("state")).isNull();
            assertThat((String) p.get("stateNote")).contains("withServerState(true)");
        }
        Proc.demonitor(ref);
        Proc.unlink(worker);
        Proc.exit(worker, Reason.KILL);
    }

    @Test
    void serverStateIsOptInAndShownThroughFormatStatus(Node node, AttachedProcess me) {
        Shop.startApplication();
        assertThat((String) GenServer.call(Shop.whereis("orders"), "book")).isEqualTo("order 1: book");
        try (Observer off = Observer.start(node)) {
            assertThat(Http.get(off, "/api/process?pid=" + Http.enc(Shop.whereis("orders"))).json().get("state"))
                    .isNull();
        }
        try (Observer on = Observer.start(ObserverOptions.defaults().withNode(node).withServerState(true))) {
            Map<String, Object> p = Http.get(on, "/api/process?pid=" + Http.enc(Shop.whereis("orders"))).json();
            assertThat(p).containsEntry("state", "orders=1 password=<redacted>").containsEntry("suspended", false);
            assertThat(Http.get(on, "/api/process?pid=" + Http.enc(Shop.whereis("orders"))).body())
                    .doesNotContain("hunter2");
        }
    }

    @Test
    void applicationsPageDrawsEachTreeWithRestartCounts(Node node, AttachedProcess me) {
        Shop.startApplication();
        Pid sup = Shop.whereis("shop_sup");
        Pid workers = Supervisor.whichChildren(sup).stream().filter(c -> c.id().equals("workers")).findFirst()
                .orElseThrow().pid().orElseThrow();
        Pid w1 = Supervisor.whichChildren(workers).stream().filter(c -> c.id().equals("w1")).findFirst()
                .orElseThrow().pid().orElseThrow();
        Proc.monitor(w1);
        Proc.exit(w1, Reason.KILL);
        Mailbox.await(Matcher.type(Down.class), DEADLINE);
        // The supervisor had the EXIT before we had the DOWN: this call comes after its restart.
        assertThat(Supervisor.whichChildren(workers)).hasSize(2);
        try (Observer o = Observer.start(node)) {
            o.server().sampleNow();
            Map<String, Object> a = Http.get(o, "/api/applications").json();
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> apps = (List<Map<String, Object>>) a.get("applications");
            assertThat(apps).singleElement().satisfies(app -> assertThat(app)
                    .containsEntry("name", "shop").containsEntry("version", "1.2.3")
                    .containsEntry("supervisor", sup.toString()));
            @SuppressWarnings("unchecked")
            Map<String, Object> tree = ((List<Map<String, Object>>) a.get("trees")).stream()
                    .filter(t -> "shop".equals(t.get("application"))).findFirst().orElseThrow();
            @SuppressWarnings("unchecked")
            Map<String, Object> root = (Map<String, Object>) tree.get("root");
            assertThat(root).containsEntry("pid", sup.toString()).containsEntry("name", "shop_sup")
                    .containsEntry("strategy", "one_for_one").containsEntry("restarts", 0L);
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> children = (List<Map<String, Object>>) root.get("children");
            assertThat(children).extracting(c -> c.get("id")).containsExactly("workers", "orders");
            assertThat(children.get(0)).containsEntry("type", "supervisor").containsEntry("strategy", "rest_for_one")
                    .containsEntry("restarts", 1L);
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> leaves = (List<Map<String, Object>>) children.get(0).get("children");
            assertThat(leaves).extracting(c -> c.get("id")).containsExactly("w2", "w1");
            assertThat(leaves).allSatisfy(l -> assertThat(l).containsEntry("type", "worker"));
            assertThat(leaves.get(1).get("pid")).isNotEqualTo(w1.toString()).isNotNull();
        }
    }

    @Test
    void tablesPageListsEtsTablesAndBrowsesReadableOnes(Node node, AttachedProcess me) {
        Shop.Tables t = Shop.createTables();
        try (Observer o = Observer.start(node)) {
            List<Map<String, Object>> tables = Http.get(o, "/api/tables").list("tables");
            assertThat(tables).extracting(r -> r.get("name")).containsExactly("cache", "prices", "secrets");
            assertThat(tables.get(0)).containsEntry("kind", "ets").containsEntry("type", "set")
                    .containsEntry("access", "public").containsEntry("size", 3L)
                    .containsEntry("owner", me.pid().toString()).containsEntry("readable", true)
                    .containsEntry("writable", true).containsEntry("fileSize", null);
            assertThat((Long) tables.get(0).get("memory")).isPositive();
            assertThat(tables.get(2)).containsEntry("readable", false);

            Http.Answer first = Http.get(o, "/api/table?kind=ets&id=" + t.prices().id() + "&limit=50");
            assertThat(first.status()).isEqualTo(200);
            assertThat(first.list("rows")).hasSize(50).first().isEqualTo(Map.of("key", "0", "value", "price 0"));
            assertThat(first.json()).containsEntry("more", true);
            Http.Answer last = Http.get(o, "/api/table?id=" + t.prices().id() + "&offset=100&limit=50");
            assertThat(last.list("rows")).hasSize(20).last().isEqualTo(Map.of("key", "119", "value", "price 119"));
            assertThat(last.json()).containsEntry("more", false);

            Http.Answer secret = Http.get(o, "/api/table?id=" + t.secrets().id());
            assertThat(secret.status()).isEqualTo(403);
            assertThat(secret.error()).contains("private");
            assertThat(secret.body()).doesNotContain("s3cr3t");
        }
        t.cache().delete();
        t.prices().delete();
        t.secrets().delete();
    }

    @Test
    void tablesPageListsDetsTablesAndBrowsesThem(Node node, AttachedProcess me, @TempDir Path dir) throws IOException {
        try (DiskTable<String, String> jobs = Dets.openFile("jobs", DetsOptions.defaults().withFile(dir.resolve("jobs.dets")));
             Observer o = Observer.start(node)) {
            for (int i = 0; i < 30; i++) {
                jobs.insert("job " + i, "<b>state " + i + "</b>");
            }
            Map<String, Object> row = Http.get(o, "/api/tables").list("tables").stream()
                    .filter(r -> "dets".equals(r.get("kind"))).findFirst().orElseThrow();
            assertThat(row).containsEntry("name", "jobs").containsEntry("type", "set")
                    .containsEntry("access", "read_write").containsEntry("size", 30L)
                    .containsEntry("owner", List.of(me.pid()).toString()).containsEntry("readable", true)
                    .containsEntry("writable", true);
            assertThat((Long) row.get("fileSize")).isPositive();

            Http.Answer page = Http.get(o, "/api/table?kind=dets&id=" + row.get("id") + "&limit=20");
            assertThat(page.status()).isEqualTo(200);
            assertThat(page.list("rows")).hasSize(20);
            assertThat(page.json()).containsEntry("more", true);
            assertThat(page.list("rows")).allSatisfy(r -> assertThat((String) r.get("value")).startsWith("<b>state "));

            Http.Answer unknown = Http.get(o, "/api/table?kind=dets&id=999");
            assertThat(unknown.status()).isEqualTo(404);
        }
    }

    @Test
    void systemAndLoadPagesShowTheNodesCounters(Node node, AttachedProcess me) {
        Shop.Tables t = Shop.createTables();
        try (Observer o = Observer.start(ObserverOptions.defaults().withNode(node)
                .withRefreshInterval(Duration.ofMillis(100)))) {
            o.server().sampleNow();
            Map<String, Object> s = Http.get(o, "/api/system").json();
            assertThat(s).containsEntry("node", node.name()).containsEntry("javaVersion",
                    System.getProperty("java.version"));
            @SuppressWarnings("unchecked")
            Map<String, Object> sample = (Map<String, Object>) s.get("sample");
            assertThat(sample.get("processes")).isEqualTo((long) node.processes().size());
            @SuppressWarnings("unchecked")
            Map<String, Object> memory = (Map<String, Object>) sample.get("memory");
            assertThat((Long) memory.get("ets")).isEqualTo(t.cache().info().orElseThrow().memory()
                    + t.prices().info().orElseThrow().memory() + t.secrets().info().orElseThrow().memory());
            assertThat((Long) memory.get("heapUsed")).isPositive();
            List<Map<String, Object>> samples = Http.get(o, "/api/load").list("samples");
            assertThat(samples.size()).isGreaterThanOrEqualTo(2);
            long lastTime = (Long) samples.getLast().get("time");
            assertThat(Http.get(o, "/api/load?since=" + lastTime).list("samples")).isEmpty();
        }
        t.cache().delete();
        t.prices().delete();
        t.secrets().delete();
    }

    @Test
    void badInputGetsASpecific4xx(Node node, AttachedProcess me) throws IOException {
        try (Observer o = Observer.start(node)) {
            Pid dead = node.spawn(() -> { });
            Proc.monitor(dead);
            Mailbox.await(Matcher.type(Down.class), DEADLINE);
            assertError(Http.get(o, "/api/process?pid=" + Http.enc(dead)), 404, "no live process " + dead);
            assertError(Http.get(o, "/api/process?pid=" + Http.enc("<" + node.index() + ".99999999.0>")), 404,
                    "no live process");
            assertError(Http.get(o, "/api/process?pid=" + Http.enc("<" + (node.index() + 1) + ".1.0>")), 404,
                    "this node's pids begin with <" + node.index() + ".");
            assertError(Http.get(o, "/api/process?pid=123"), 400, "must be a pid such as <0.42.0>");
            assertError(Http.get(o, "/api/process"), 400, "missing query parameter \"pid\"");
            assertError(Http.get(o, "/api/processes?limit=100000"), 400, "limit must be between 1 and 500");
            assertError(Http.get(o, "/api/processes?limit=ten"), 400, "limit must be an integer");
            assertError(Http.get(o, "/api/processes?sort=cpu"), 400, "sort must be one of");
            assertError(Http.get(o, "/api/processes?limit=5&limit=6"), 400, "given more than once");
            assertError(Http.get(o, "/api/processes?lmit=5"), 400, "unknown query parameter \"lmit\"");
            assertThat(raw(o, "GET /api/processes?filter=%ZZ HTTP/1.1\r\nHost: 127.0.0.1:" + o.url().getPort()
                    + "\r\nConnection: close\r\n\r\n")).startsWith("HTTP/1.1 400") // the JDK's server refuses it
                    .doesNotContain("\tat ");
            assertError(Http.get(o, "/api/processes?filter=%C3%28"), 400, "not valid UTF-8");
            assertError(Http.get(o, "/api/table?id=999999"), 404, "no ets table with id 999999");
            assertError(Http.get(o, "/api/table?kind=dbm&id=1"), 400, "kind must be one of ets");
            assertError(Http.get(o, "/api/table?id=1&limit=501"), 400, "limit must be between 1 and 500");
            assertError(Http.get(o, "/api/nothing"), 404, "no API endpoint");
            assertError(Http.get(o, "/etc/passwd"), 404, "no page");
            assertError(Http.get(o, "/api/actions/kill?pid=" + Http.enc(me.pid())), 405, "GET is not allowed");
            assertError(Http.get(o, "/api/trace"), 403, "withTrace(true)");
            assertThat(Proc.isAlive(me.pid())).isTrue();
        }
    }

    private static void assertError(Http.Answer a, int status, String message) {
        assertThat(a.status()).as(a.body()).isEqualTo(status);
        assertThat(a.error()).contains(message);
        assertThat(a.body()).doesNotContain("Exception").doesNotContain("\tat ");
    }

    @Test
    void requestsNamingAnotherHostAreRefused(Node node, AttachedProcess me) throws IOException {
        try (Observer o = Observer.start(node)) {
            String answer = raw(o, "GET /api/system HTTP/1.1\r\nHost: attacker.example:" + o.url().getPort()
                    + "\r\nConnection: close\r\n\r\n");
            assertThat(answer).startsWith("HTTP/1.1 403").contains("the Host header must name this machine");
            assertThat(raw(o, "GET /api/system HTTP/1.1\r\nHost: localhost:" + o.url().getPort()
                    + "\r\nConnection: close\r\n\r\n")).startsWith("HTTP/1.1 200");
        }
    }

    private static String raw(Observer o, String request) throws IOException {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), o.url().getPort())) {
            s.setSoTimeout(30_000);
            OutputStream out = s.getOutputStream();
            out.write(request.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void anInjectedNameIsEscapedInTheJson(Node node, AttachedProcess me) {
        Pid p = deaf(node);
        Proc.register("<script>alert(1)</script>", p);
        try (Observer o = Observer.start(node)) {
            o.server().sampleNow();
            Http.Answer a = Http.get(o, "/api/processes?filter=" + Http.enc("<script>"));
            assertThat(a.body()).doesNotContain("<script>").contains("\\u003cscript\\u003ealert(1)\\u003c/script\\u003e");
            assertThat(a.list("rows")).singleElement().satisfies(r ->
                    assertThat(r).containsEntry("name", "<script>alert(1)</script>"));
        }
        Proc.exit(p, Reason.KILL);
    }

    @Test
    void actionsAreOffByDefault(Node node, AttachedProcess me) {
        Pid victim = deaf(node);
        try (Observer o = Observer.start(node)) {
            assertThat(o.token()).isEmpty();
            assertError(Http.post(o, "/api/actions/kill?pid=" + Http.enc(victim), "anything"), 403,
                    "actions are off");
            assertThat(Proc.isAlive(victim)).isTrue();
        }
        Proc.exit(victim, Reason.KILL);
    }

    @Test
    void actionsNeedTheTokenOfTheStart(Node node, AttachedProcess me) {
        Pid victim = deaf(node);
        Ref ref = Proc.monitor(victim);
        Shop.Tables t = Shop.createTables();
        try (Observer o = Observer.start(ObserverOptions.defaults().withNode(node).withActions(true));
             Observer other = Observer.start(ObserverOptions.defaults().withNode(node).withActions(true))) {
            String token = o.token().orElseThrow();
            assertThat(token).hasSize(48).isNotEqualTo(other.token().orElseThrow());
            String kill = "/api/actions/kill?pid=" + Http.enc(victim);
            assertError(Http.post(o, kill, null), 403, "needs the observer's token");
            assertError(Http.post(o, kill, other.token().orElseThrow()), 403, "the one given is wrong");
            assertThat(Proc.isAlive(victim)).isTrue();
            assertThat(Http.post(o, kill, token).json()).containsEntry("killed", victim.toString());
            Down down = Mailbox.await(Matcher.type(Down.class), DEADLINE);
            assertThat(down.ref()).isEqualTo(ref);
            assertThat(down.reason()).isEqualTo(Reason.KILLED);

            String delete = "/api/actions/delete-object?id=" + t.cache().id() + "&position=1&key=b&value=2";
            assertError(Http.post(o, "/api/actions/delete-object?id=" + t.cache().id() + "&position=1&key=b&value=3",
                    token), 404, "nothing deleted");
            assertThat(t.cache().size()).isEqualTo(3);
            assertThat(Http.post(o, delete, token).status()).isEqualTo(200);
            assertThat(t.cache().member("b")).isFalse();
            assertThat(t.cache().size()).isEqualTo(2);
            assertError(Http.post(o, "/api/actions/delete-object?id=" + t.prices().id()
                    + "&position=0&key=0&value=price%200", token), 403, "only its owner");
            assertThat(t.prices().size()).isEqualTo(120);
        }
        t.cache().delete();
        t.prices().delete();
        t.secrets().delete();
    }

    @Test
    void traceShowsAnyProcessMessagesInAndOut(Node node, AttachedProcess me) {
        Pid echo = Proc.spawnLink(() -> {
            Object m = Proc.receive(Matcher.type(String.class));
            Proc.send(me.pid(), "echo " + m);
            Proc.receive(Matcher.type(Void.class));
        });
        try (Observer o = Observer.start(ObserverOptions.defaults().withNode(node).withTrace(true))) {
            assertThat(Http.post(o, "/api/trace/start?pid=" + Http.enc(echo), null).json())
                    .containsEntry("pid", echo.toString()).containsEntry("active", true);
            Proc.send(echo, "hello <b>");
            assertThat(Mailbox.await(Matcher.type(String.class), DEADLINE)).isEqualTo("echo hello <b>");
            // Oldest first (the page shows them newest first): the in of a message before the out
            // of its answer.
            List<Map<String, Object>> events = awaitEvents(o, 2);
            assertThat(events).extracting(e -> e.get("direction") + " " + e.get("message"))
                    .containsExactly("in hello <b>", "out to " + me.pid() + ": echo hello <b>");
            assertThat(Http.post(o, "/api/trace/stop", null).json()).containsEntry("active", false);
            assertThat(Proc.tracer(echo)).as("the trace is over").isEmpty();
        }
    }

    @Test
    void traceShowsAServersCallsAndReplies(Node node, AttachedProcess me) {
        Shop.startApplication();
        Pid orders = Shop.whereis("orders");
        try (Observer o = Observer.start(ObserverOptions.defaults().withNode(node).withTrace(true))) {
            Http.post(o, "/api/trace/start?pid=" + Http.enc(orders), null);
            GenServer.call(orders, "traced");
            List<Map<String, Object>> events = awaitEvents(o, 2);
            assertThat(events).extracting(e -> e.get("direction")).containsExactly("in", "out");
            Map<String, Object> in = events.stream().filter(e -> e.get("direction").equals("in")).findFirst().orElseThrow();
            Map<String, Object> out = events.stream().filter(e -> e.get("direction").equals("out")).findFirst().orElseThrow();
            assertThat((String) in.get("message")).contains("traced");
            assertThat((String) out.get("message")).startsWith("to " + me.pid() + ": ").contains("order 1: traced");
        }
    }

    /** How far a trace may fall behind before it ends (docs/observer.md). */
    private static final int TRACE_BACKLOG = 100_000;

    /** A message whose text the tracer cannot make until the test lets it: holds the tracer up. */
    private record Held(java.util.concurrent.CountDownLatch gate) {
        @Override
        public String toString() {
            try {
                gate.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return "held";
        }
    }

    @Test
    void aTraceThatFallsTooFarBehindEndsAndSaysWhy(Node node, AttachedProcess me) {
        Pid busy = Proc.spawnLink(() -> Proc.receive(Matcher.type(Void.class)));
        java.util.concurrent.CountDownLatch gate = new java.util.concurrent.CountDownLatch(1);
        try (Observer o = Observer.start(ObserverOptions.defaults().withNode(node).withTrace(true))) {
            Http.post(o, "/api/trace/start?pid=" + Http.enc(busy), null);
            Pid tracer = Proc.tracer(busy).orElseThrow();
            Ref watch = Proc.monitor(tracer);
            Proc.send(busy, new Held(gate)); // the tracer stops at this event's text
            for (int i = 0; i <= TRACE_BACKLOG; i++) {
                Proc.send(busy, i);
            }
            Down down = Mailbox.await(Matcher.type(Down.class), DEADLINE);
            assertThat(down.ref()).isEqualTo(watch);
            assertThat(Proc.tracer(busy)).as("the trace ended with its tracer").isEmpty();
            Map<String, Object> trace = Http.get(o, "/api/trace").json();
            assertThat(trace).containsEntry("active", false);
            assertThat((String) trace.get("ended")).contains("fell more than 100000 events behind");
            assertThat(Proc.info(busy).orElseThrow().messageQueueLength()).as("the process lost nothing")
                    .isEqualTo(TRACE_BACKLOG + 2);
        } finally {
            gate.countDown();
        }
    }

    @Test
    void traceOfAProcessTracedByAnotherIsRefused(Node node, AttachedProcess me) {
        Pid p = Proc.spawnLink(() -> Proc.receive(Matcher.type(Void.class)));
        Proc.trace(p, me.pid(), java.util.EnumSet.of(otp4j.runtime.TraceFlag.RECEIVE));
        try (Observer o = Observer.start(ObserverOptions.defaults().withNode(node).withTrace(true))) {
            assertError(Http.post(o, "/api/trace/start?pid=" + Http.enc(p), null), 409,
                    "already traced by " + me.pid());
            assertThat(Proc.tracer(p)).contains(me.pid());
        }
        Proc.untrace(p);
    }

    @Test
    void processPageShowsTheFirstMessagesOnlyWhenAskedTo(Node node, AttachedProcess me) {
        Pid p = Proc.spawnLink(() -> Proc.receive(Matcher.type(Void.class)));
        for (int i = 0; i < 25; i++) {
            Proc.send(p, "message " + i + " <script>alert(1)</script>");
        }
        Pid q = Proc.spawnLink(() -> Proc.receive(Matcher.type(Void.class)));
        Proc.send(q, "x".repeat(5_000));
        try (Observer o = Observer.start(node)) {
            Map<String, Object> page = Http.get(o, "/api/process?pid=" + Http.enc(p)).json();
            assertThat(page.get("messages")).isNull();
            assertThat((String) page.get("messagesNote")).contains("withMessages(true)");
            assertThat(Http.get(o, "/api/config").json()).containsEntry("messages", false);
        }
        try (Observer o = Observer.start(ObserverOptions.defaults().withNode(node).withMessages(true))) {
            Http.Answer a = Http.get(o, "/api/process?pid=" + Http.enc(p));
            assertThat(a.body()).doesNotContain("<script>");
            @SuppressWarnings("unchecked")
            List<String> messages = (List<String>) a.json().get("messages");
            assertThat(messages).hasSize(ObserverOptions.MAX_MESSAGES_SHOWN)
                    .startsWith("message 0 <script>alert(1)</script>", "message 1 <script>alert(1)</script>");
            assertThat(Proc.info(p).orElseThrow().messageQueueLength()).as("nothing taken").isEqualTo(25);
            @SuppressWarnings("unchecked")
            List<String> long1 = (List<String>) Http.get(o, "/api/process?pid=" + Http.enc(q)).json().get("messages");
            assertThat(long1).singleElement().satisfies(m -> assertThat(m).hasSize(2_003).endsWith("..."));
        }
    }

    /** Reads the trace until it has {@code n} events, with a failure deadline. */
    private static List<Map<String, Object>> awaitEvents(Observer o, int n) {
        long end = System.nanoTime() + DEADLINE.toNanos();
        for (;;) {
            List<Map<String, Object>> events = Http.get(o, "/api/trace").list("events");
            if (events.size() >= n || System.nanoTime() > end) {
                return events;
            }
            Thread.onSpinWait();
        }
    }

    @Test
    void jmxBeansFollowTheNodeAndItsTables(Node node, AttachedProcess me) throws Exception {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        ObjectName nodeBean = new ObjectName("otp4j:type=Node,name=" + ObjectName.quote(node.name()));
        Shop.Tables t = Shop.createTables();
        ObjectName cacheBean = new ObjectName("otp4j:type=Table,node=" + ObjectName.quote(node.name())
                + ",kind=ets,id=" + t.cache().id() + ",name=" + ObjectName.quote("cache"));
        try (Observer o = Observer.start(node)) {
            o.server().sampleNow();
            assertThat(server.getAttribute(nodeBean, "ProcessCount")).isEqualTo(node.processes().size());
            assertThat(server.getAttribute(cacheBean, "Size")).isEqualTo(3L);
            assertThat(server.getAttribute(cacheBean, "Access")).isEqualTo("public");
            t.cache().insert("d", 4);
            o.server().sampleNow();
            assertThat(server.getAttribute(cacheBean, "Size")).isEqualTo(4L);
            t.cache().delete();
            o.server().sampleNow();
            assertThat(server.isRegistered(cacheBean)).isFalse();
            assertThat(server.isRegistered(nodeBean)).isTrue();
        }
        assertThat(server.isRegistered(nodeBean)).isFalse();
        assertThat(server.queryNames(new ObjectName("otp4j:type=Table,node=" + ObjectName.quote(node.name())
                + ",*"), null)).isEmpty();
        t.prices().delete();
        t.secrets().delete();
    }

    @Test
    void startNeedsANodeOrAProcess(Node node) {
        assertThatThrownBy(Observer::start).isInstanceOf(IllegalCallerException.class)
                .hasMessageContaining("use Observer.start(node)");
        assertThatThrownBy(() -> ObserverOptions.defaults().withPort(70_000))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("port must be between 0 and 65535");
        assertThatThrownBy(() -> ObserverOptions.defaults().withRefreshInterval(Duration.ofMillis(10)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 100 ms");
    }

    @Test
    void aPortInUseIsSaidSo(Node node) {
        try (Observer first = Observer.start(node)) {
            int port = first.url().getPort();
            assertThatThrownBy(() -> Observer.start(ObserverOptions.defaults().withNode(node).withPort(port)))
                    .isInstanceOf(java.io.UncheckedIOException.class)
                    .hasMessageStartingWith("cannot listen on 127.0.0.1:" + port);
            assertThat(Http.get(first, "/api/config").status()).isEqualTo(200);
        }
    }

    @Test
    void closingTheNodeClosesItsObserver(AttachedProcess me) {
        Node other = Node.start();
        Observer o = Observer.start(other);
        assertThat(Http.get(o, "/api/system").status()).isEqualTo(200);
        other.close();
        assertThatThrownBy(() -> Http.get(o, "/api/system")).isInstanceOf(AssertionError.class);
        o.close();
    }
}
