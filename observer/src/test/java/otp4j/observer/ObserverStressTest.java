package otp4j.observer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import otp4j.runtime.AttachedProcess;
import otp4j.runtime.Down;
import otp4j.runtime.Matcher;
import otp4j.runtime.Node;
import otp4j.runtime.Pid;
import otp4j.runtime.Proc;
import otp4j.testing.Mailbox;
import otp4j.testing.NodeExtension;

/**
 * Clients read every page while processes are spawned and die under them: every answer is a
 * page or a 404 for a process that has just died, never an error; and closing the observer
 * leaves no thread and no process of its own behind.
 */
@Tag("stress")
@ExtendWith(NodeExtension.class)
class ObserverStressTest {
    private static final int CHURN = 20_000 * Integer.getInteger("otp4j.stress.scale", 1);

    @Test
    void pagesAnswerWhileProcessesComeAndGo(Node node, AttachedProcess me) throws Exception {
        Shop.startApplication();
        List<Pid> before = node.processes();
        ConcurrentLinkedQueue<String> wrong = new ConcurrentLinkedQueue<>();
        AtomicBoolean churning = new AtomicBoolean(true);
        int clients = 4;
        CountDownLatch done = new CountDownLatch(clients);
        try (Observer o = Observer.start(ObserverOptions.defaults().withNode(node).withServerState(true)
                .withRefreshInterval(java.time.Duration.ofMillis(100)))) {
            for (int c = 0; c < clients; c++) {
                int client = c;
                Thread.ofPlatform().daemon().start(() -> {
                    try {
                        int i = 0;
                        while (churning.get()) {
                            String path = switch ((client + i++) % 5) {
                                case 0 -> "/api/processes?sort=memory&limit=20";
                                case 1 -> "/api/applications";
                                case 2 -> "/api/tables";
                                case 3 -> "/api/system";
                                default -> "/api/processes?sort=pid&order=desc&limit=1";
                            };
                            Http.Answer a = Http.get(o, path);
                            if (a.status() != 200) {
                                wrong.add(path + " -> " + a.status() + " " + a.body());
                                continue;
                            }
                            if (path.endsWith("limit=1")) {
                                // The newest process, which may die before we ask for it.
                                String pid = (String) a.list("rows").getFirst().get("pid");
                                Http.Answer p = Http.get(o, "/api/process?pid=" + Http.enc(pid));
                                if (p.status() != 200 && p.status() != 404) {
                                    wrong.add(pid + " -> " + p.status() + " " + p.body());
                                }
                            }
                        }
                    } catch (Throwable t) {
                        wrong.add(t.toString());
                    } finally {
                        done.countDown();
                    }
                });
            }
            for (int i = 0; i < CHURN; i++) {
                Proc.spawnMonitor(() -> Proc.receive(java.time.Duration.ofMillis(1)));
                if (i % 1000 == 999) {
                    for (int k = 0; k < 1000; k++) {
                        Mailbox.await(Matcher.type(Down.class), java.time.Duration.ofSeconds(30));
                    }
                }
            }
            churning.set(false);
            done.await();
        }
        assertThat(wrong).isEmpty();
        assertThat(node.processes()).as("no errand process left").containsExactlyElementsOf(before);
        assertThat(Thread.getAllStackTraces().keySet()).extracting(Thread::getName)
                .noneMatch(n -> n.startsWith("otp4j-observer-"));
    }
}
