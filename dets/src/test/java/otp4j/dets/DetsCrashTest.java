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
 * written (nothing invented). Half the children write new keys; the other half rewrite every key
 * round after round, so that their syncs compact the file, and are killed during a sync: at a
 * kill during compaction the old file and its hint must win, or the new one, never a mix. A few
 * iterations in the normal suite; 200 in the stress profile ({@code otp4j.stress.soak}), with a
 * one-line summary.
 */
@Tag("stress")
@ExtendWith(NodeExtension.class)
class DetsCrashTest {
    private static final int ITERATIONS = Boolean.getBoolean("otp4j.stress.soak") ? 200 : 4;
    /** Keys the rewriter writes each round: enough for a file of over 1 MiB, the least that compaction rewrites. */
    private static final int REWRITTEN = 12_000;

    @TempDir
    Path dir;

    @Test
    void sigkillKeepsEverySyncedRecordAndShowsNothingTornOrInvented(AttachedProcess me) throws Exception {
        Random random = new Random(20261128L);
        long start = System.nanoTime();
        long checked = 0;
        int compacting = 0;
        int halfWritten = 0;
        for (int it = 0; it < ITERATIONS; it++) {
            checked += it % 2 == 0 ? killWriter(random, it) : killRewriter(random, it);
            if (it % 2 == 1 && killedCompacting) {
                compacting++;
                halfWritten += lastKillLeftACompactFile ? 1 : 0;
            }
        }
        System.out.printf("dets SIGKILL loop: %d iterations, %d SIGKILLs (%d in writes, %d in a sync that compacts, %d of "
                        + "those with the compacted file left half-written); %d records checked, each there with its "
                        + "value, every file reopened; %.1f s%n", ITERATIONS, ITERATIONS, ITERATIONS - compacting,
                compacting, halfWritten, checked, (System.nanoTime() - start) / 1e9);
    }

    private boolean lastKillLeftACompactFile;
    private boolean killedCompacting;

    /** A child inserting new keys, killed after a random number of them; {@return the records checked} */
    private long killWriter(Random random, int it) throws Exception {
        Durability d = it % 4 == 0 ? Durability.ON_SYNC : Durability.EVERY_WRITE;
        Path file = dir.resolve("crash-" + it + ".dets");
        java.lang.Process child = DetsTesting.child(dir, "writer", file.toString(), "1000000", "97", d.name());
        int killAfter = 1 + random.nextInt(d == Durability.ON_SYNC ? 40 : 3000);
        int[] seen = {0};
        List<String> lines = DetsTesting.readThenKill(child, l -> ++seen[0] >= killAfter);
        int acked = lines.stream().filter(l -> l.startsWith("SYNCED ") || l.startsWith("WROTE "))
                .mapToInt(l -> Integer.parseInt(l.substring(l.indexOf(' ') + 1))).max().orElse(-1);
        long checked;
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
            checked = keys.size();
            // The repaired table takes writes and closes cleanly.
            t.insert(-1, "after");
        }
        reopenClean(file);
        return checked;
    }

    /**
     * A child rewriting every key each round, killed at a random sync (most of which compact);
     * {@return the records checked} Each key holds its value of the last synced round or of the
     * round after it, which the kill interrupted.
     */
    private long killRewriter(Random random, int it) throws Exception {
        Path file = dir.resolve("rewrite-" + it + ".dets");
        java.lang.Process child = DetsTesting.child(dir, "rewriter", file.toString(), String.valueOf(REWRITTEN));
        // The syncs of rounds 2 and 4 compact (dead records outnumber live ones); a kill after any
        // SYNCED line lands in the next round's writes.
        killedCompacting = random.nextBoolean();
        String stop = killedCompacting ? "SYNCING " + (2 + 2 * random.nextInt(2)) : "SYNCED " + (1 + random.nextInt(4));
        List<String> lines = DetsTesting.readThenKill(child, l -> l.equals(stop));
        lastKillLeftACompactFile = java.nio.file.Files.exists(file.resolveSibling(file.getFileName() + ".compact"));
        int synced = lines.stream().filter(l -> l.startsWith("SYNCED "))
                .mapToInt(l -> Integer.parseInt(l.substring(l.indexOf(' ') + 1))).max().orElse(-1);
        String what = "iteration " + it + ", killed after \"" + stop + "\", synced up to round " + synced;
        assertThat(synced).as(what).isGreaterThanOrEqualTo(0);
        try (DiskTable<Integer, String> t = Dets.openFile("rewrite", DetsOptions.defaults().withFile(file))) {
            assertThat(t.size()).as(what + ": every key").isEqualTo(REWRITTEN);
            t.foldl(null, (k, v, acc) -> {
                int round = Integer.parseInt(v.substring(1, v.indexOf('-')));
                assertThat(round).as(what + ": the round of key " + k).isBetween(synced, synced + 1);
                assertThat(v).as(what + ": the value of " + k).isEqualTo(DetsChild.value(k, round));
                return null;
            });
            t.insert(-1, "after");
        }
        reopenClean(file);
        return REWRITTEN;
    }

    private static void reopenClean(Path file) throws Exception {
        try (DiskTable<Integer, String> t = Dets.openFile("clean",
                DetsOptions.defaults().withFile(file).withRepair(Repair.NEVER))) {
            assertThat(t.lookup(-1)).containsExactly("after");
        }
    }
}
