package otp4j.samples.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import otp4j.runtime.AttachedProcess;
import otp4j.runtime.Node;
import otp4j.testing.NodeExtension;

/**
 * The store on disk: the contract of every store, then what only it does: its jobs and their
 * attempts are there after a reopen, and after a {@code kill -9} of the JVM that wrote them.
 */
@ExtendWith(NodeExtension.class)
class DetsJobStoreTest extends JobStoreContract {
    @TempDir
    Path dir;

    private final List<DetsJobStore> opened = new ArrayList<>();

    /** The test thread opens the stores, so it must be a process: asking for one attaches it. */
    @BeforeEach
    void attach(Node node, AttachedProcess me) {
        assertThat(node.processes()).contains(me.pid());
    }

    @AfterEach
    void closeStores() {
        opened.forEach(DetsJobStore::close);
    }

    @Override
    JobStore newStore() {
        return open(dir.resolve("jobs-" + opened.size() + ".dets"));
    }

    private DetsJobStore open(Path file) {
        try {
            DetsJobStore s = DetsJobStore.open(file);
            opened.add(s);
            return s;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void jobsAndAttemptsAreThereAfterAReopen() {
        Path file = dir.resolve("jobs.dets");
        DetsJobStore store = open(file);
        long a = store.add(new Job("primes", "100"));
        long b = store.add(new Job("flaky", "7"));
        store.attempt(b);
        store.finish(a, new Outcome.Done("25", 1));
        store.close();
        opened.remove(store);

        DetsJobStore again = open(file);
        assertThat(again.pending()).containsExactly(new JobStore.StoredJob(b, new Job("flaky", "7"), 1));
        assertThat(again.add(new Job("primes", "10"))).as("ids go on from the last").isGreaterThan(b);
    }

    /** A child JVM adds jobs and is killed with SIGKILL: every job whose add returned is pending after it. */
    @Test
    void everyAddedJobIsPendingAfterAKillOfTheJvm() throws Exception {
        Path file = dir.resolve("crash.dets");
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-opens", "java.base/java.lang=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                DetsJobStoreChild.class.getName(), file.toString()).redirectErrorStream(true).start();
        long added = 0;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                if (line.startsWith("added ")) {
                    added = Long.parseLong(line.substring("added ".length()));
                    if (added == DetsJobStoreChild.BEFORE_KILL) {
                        child.toHandle().destroyForcibly(); // SIGKILL, while it goes on adding
                        break;
                    }
                }
            }
        }
        assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(added).as("the child reported its adds").isEqualTo(DetsJobStoreChild.BEFORE_KILL);

        List<JobStore.StoredJob> pending = open(file).pending();
        assertThat(pending.size()).isGreaterThanOrEqualTo((int) added);
        for (int i = 0; i < pending.size(); i++) { // nothing invented, nothing lost in between
            assertThat(pending.get(i)).isEqualTo(new JobStore.StoredJob(i + 1, new Job("count", Integer.toString(i + 1)), 0));
        }
    }
}
