package otp4j.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;

import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import otp4j.testing.LogCapture;
import otp4j.testing.NodeExtension;

/** The runtime's JDK Flight Recorder events: spawn, exit with its reason, crash. */
@ExtendWith(NodeExtension.class)
class ProcessEventsTest {
    @Test
    void aRecordingSeesSpawnsExitsAndCrashes(Node node, AttachedProcess me, @TempDir Path dir) throws Exception {
        Path file = dir.resolve("otp4j.jfr");
        Pid normal;
        Pid crashed;
        try (Recording r = new Recording(); LogCapture log = new LogCapture("otp4j.runtime")) {
            r.enable("otp4j.ProcessSpawn");
            r.enable("otp4j.ProcessExit");
            r.enable("otp4j.ProcessCrash");
            r.start();
            normal = Proc.spawn(() -> { });
            crashed = Proc.spawn(() -> {
                throw new IllegalStateException("boom");
            });
            for (Pid p : List.of(normal, crashed)) {
                Ref ref = Proc.monitor(p);
                Proc.receive(m -> m instanceof Down d && d.ref() == ref ? d : null);
            }
            r.stop();
            r.dump(file);
            assertThat(log.records()).hasSize(1); // the crash report
        }
        List<RecordedEvent> events = RecordingFile.readAllEvents(file);
        assertThat(events).filteredOn(e -> e.getEventType().getName().equals("otp4j.ProcessSpawn"))
                .extracting(e -> e.getString("pid")).containsExactly(normal.toString(), crashed.toString());
        assertThat(events).filteredOn(e -> e.getEventType().getName().equals("otp4j.ProcessSpawn"))
                .allSatisfy(e -> {
                    assertThat(e.getString("parent")).isEqualTo(me.pid().toString());
                    assertThat(e.getString("node")).isEqualTo(node.name());
                    assertThat(e.getString("initialCall")).startsWith(ProcessEventsTest.class.getName());
                });
        assertThat(events).filteredOn(e -> e.getEventType().getName().equals("otp4j.ProcessExit"))
                .extracting(e -> e.getString("pid") + " " + e.getString("reason"))
                .contains(normal + " normal").anyMatch(s -> s.startsWith(crashed + " ") && s.contains("boom"));
        assertThat(events).filteredOn(e -> e.getEventType().getName().equals("otp4j.ProcessCrash"))
                .singleElement().satisfies(e -> {
                    assertThat(e.getString("pid")).isEqualTo(crashed.toString());
                    assertThat(e.getString("exception")).isEqualTo(IllegalStateException.class.getName());
                    assertThat(e.getString("message")).isEqualTo("boom");
                });
    }
}
