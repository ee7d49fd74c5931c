package otp4j.dets;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import otp4j.ets.Query;
import otp4j.runtime.AttachedProcess;
import otp4j.testing.NodeExtension;

/**
 * Crash safety for real: a child JVM writes and is killed with SIGKILL at a random point; on
 * reopen every record acknowledged as durable before the kill is there, what is there is a
 * prefix of what was written (nothing after a torn write, no hole), and every value is the one
 * written (nothing invented). A few iterations by default; {@code -Dotp4j.stress.scale=N} runs
 * N times as many.
 */
@Tag("stress")
@ExtendWith(NodeExtension.class)
class DetsCrashTest {
    private static final int ITERATIONS = (int) Math.max(1,
            3 * Double.parseDouble(System.getProperty("otp4j.stress.scale", "1")));

    @TempDir
    Path dir;

    @Test
    void sigkillKeepsEverySyncedRecordAndShowsNothingTornOrInvented(AttachedProcess me) throws Exception {
        Random random = new Random(20261128L);
        for (int it = 0; it < ITERATIONS; it++) {
            Durability d = it % 2 == 0 ? Durability.ON_SYNC : Durability.EVERY_WRITE;
            Path file = dir.resolve("crash-" + it + ".dets");
            java.lang.Process child = DetsTesting.child(dir, "writer", file.toString(), "1000000", "97", d.name());
            int killAfter = 1 + random.nextInt(d == Durability.ON_SYNC ? 40 : 3000);
            int[] seen = {0};
            List<String> lines = DetsTesting.readThenKill(child, l -> ++seen[0] >= killAfter);
            int acked = lines.stream().filter(l -> l.startsWith("SYNCED ") || l.startsWith("WROTE "))
                    .mapToInt(l -> Integer.parseInt(l.substring(l.indexOf(' ') + 1))).max().orElse(-1);
            try (DiskTable<Integer, String> t = Dets.openFile("crash", DetsOptions.defaults().withFile(file))) {
                List<Integer> keys = t.select(Query.<Integer, String>all().map((k, v) -> k)).stream().sorted().toList();
                String what = "iteration " + it + " (" + d + "), acknowledged up to " + acked + ", killed after line "
                        + killAfter;
                assertThat(keys.size()).as(what + ": every acknowledged record is there").isGreaterThan(acked);
                for (int i = 0; i < keys.size(); i++) {
                    assertThat(keys.get(i)).as(what + ": a prefix, no hole").isEqualTo(i);
                }
                t.foldl(null, (k, v, acc) -> {
                    assertThat(v).as(what + ": the value of " + k).isEqualTo(DetsChild.value(k));
                    return null;
                });
                // The repaired table takes writes and closes cleanly.
                t.insert(-1, "after");
            }
            try (DiskTable<Integer, String> t = Dets.openFile("crash",
                    DetsOptions.defaults().withFile(file).withRepair(Repair.NEVER))) {
                assertThat(t.lookup(-1)).containsExactly("after");
            }
        }
    }
}
