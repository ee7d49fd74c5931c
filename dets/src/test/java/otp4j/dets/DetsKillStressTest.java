package otp4j.dets;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import otp4j.runtime.AttachedProcess;
import otp4j.runtime.Down;
import otp4j.runtime.Pid;
import otp4j.runtime.Proc;
import otp4j.runtime.Reason;
import otp4j.testing.Mailbox;
import otp4j.testing.NodeExtension;

/**
 * Processes killed in the middle of table calls: the kill interrupts their threads, which must not
 * close the file or tear a record. After a storm of kills the table works for everyone, every
 * key holds a value some process wrote for it, and a reopen (with its replay) sees the same.
 */
@Tag("stress")
@ExtendWith(NodeExtension.class)
class DetsKillStressTest {
    private static final int ROUNDS = (int) Math.max(1, 30 * Double.parseDouble(System.getProperty("otp4j.stress.scale", "1")));

    @TempDir
    Path dir;

    record Progress(Pid from, int n) {
    }

    @Test
    void killingProcessesMidCallLeavesTheTableWorkingForOthers(AttachedProcess me) throws Exception {
        Path f = dir.resolve("kill.dets");
        Random random = new Random(7);
        try (DiskTable<Integer, String> t = Dets.openFile("kill", DetsOptions.defaults().withFile(f)
                .withDurability(Durability.EVERY_WRITE))) {
            for (int round = 0; round < ROUNDS; round++) {
                List<Pid> workers = new ArrayList<>();
                for (int w = 0; w < 4; w++) {
                    int id = w;
                    workers.add(Proc.spawn(() -> {
                        for (int i = 0; ; i++) {
                            int k = (id * 31 + i) % 64;
                            t.insert(k, "w" + id + "-" + i);
                            t.lookup(k);
                            if (i % 5 == 0) {
                                t.select(otp4j.ets.Query.all());
                            }
                            if (i % 3 == 0) {
                                t.delete((k + 1) % 64);
                            }
                            Proc.send(me.pid(), new Progress(Proc.self(), i));
                        }
                    }));
                }
                for (int i = 0, kills = 1 + random.nextInt(12); i < kills; i++) {
                    Mailbox.await(m -> m instanceof Progress p ? p : null, Duration.ofSeconds(10));
                }
                for (Pid w : workers) {
                    Proc.monitor(w);
                    Proc.exit(w, Reason.KILL);
                }
                for (int i = 0; i < workers.size(); i++) {
                    Mailbox.await(m -> m instanceof Down d ? d : null, Duration.ofSeconds(10));
                }
                Mailbox.flush();
                // Still working for the survivor: a write, a read, a sync.
                t.insert(1000 + round, "me");
                assertThat(t.lookup(1000 + round)).containsExactly("me");
                t.sync();
            }
            t.foldl(null, (k, v, acc) -> {
                assertThat(v).matches(k >= 1000 ? "me" : "w[0-3]-\\d+");
                return null;
            });
            assertThat(t.info().orElseThrow().users()).containsExactly(me.pid());
        }
        try (DiskTable<Integer, String> t = Dets.openFile("kill", DetsOptions.defaults().withFile(f)
                .withRepair(Repair.NEVER))) {
            assertThat(t.size()).isGreaterThanOrEqualTo(ROUNDS);
        }
    }
}
