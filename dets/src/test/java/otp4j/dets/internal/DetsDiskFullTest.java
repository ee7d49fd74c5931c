package otp4j.dets.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import otp4j.dets.Dets;
import otp4j.dets.DetsOptions;
import otp4j.dets.DiskTable;
import otp4j.dets.Durability;
import otp4j.dets.Repair;
import otp4j.runtime.AttachedProcess;
import otp4j.testing.NodeExtension;

/**
 * A full disk: a write that does not fit fails with an exception that names the file and says
 * the disk is full; nothing written before it is lost; the table reads on, and writes again once
 * there is space. First with the file layer told that the disk takes only a few more bytes, then
 * for real, on a tiny tmpfs (when this JVM may mount one).
 */
@ExtendWith(NodeExtension.class)
class DetsDiskFullTest {
    private static final String FULL = "the disk is full (No space left on device)";

    @TempDir
    Path dir;

    private static String value(int i) {
        return "v" + i + "-" + "y".repeat(200);
    }

    @ParameterizedTest
    @EnumSource(Durability.class)
    void aWriteOnAFullDiskFailsClearlyAndLosesNothing(Durability d, AttachedProcess me) throws IOException {
        Path f = dir.resolve("full-" + d + ".dets");
        DetsOptions opts = DetsOptions.defaults().withFile(f).withDurability(d).withoutAutoSave();
        try (DiskTable<Integer, String> t = Dets.openFile("full", opts)) {
            for (int i = 0; i < 100; i++) {
                t.insert(i, value(i));
            }
            t.sync();
            // The first write after a sync goes to the file at once: it fails, and is not in the table.
            ((DiskTableImpl<?, ?>) t).spaceLeft(10);
            assertThatThrownBy(() -> t.insert(100, value(100))).isInstanceOf(UncheckedIOException.class)
                    .hasMessageContaining(f.toString()).hasMessageContaining(FULL);
            assertThat(t.lookup(100)).isEmpty();
            assertThat(t.size()).isEqualTo(100);
            // Space returns: the next write goes over the bytes the failed one left.
            ((DiskTableImpl<?, ?>) t).spaceLeft(Long.MAX_VALUE);
            t.insert(100, value(100));
            // Writes until the buffer's flush meets the full disk.
            ((DiskTableImpl<?, ?>) t).spaceLeft(1000);
            int failedAt = -1;
            for (int i = 101; i < 2000 && failedAt < 0; i++) {
                try {
                    t.insert(i, value(i));
                } catch (UncheckedIOException e) {
                    assertThat(e).hasMessageContaining(f.toString()).hasMessageContaining(FULL);
                    failedAt = i;
                }
            }
            assertThat(failedAt).as("a write failed").isPositive();
            for (int i = 0; i < failedAt; i++) {
                assertThat(t.lookup(i)).as("key %d", i).containsExactly(value(i));
            }
            assertThatThrownBy(t::sync).hasMessageContaining(FULL);
            ((DiskTableImpl<?, ?>) t).spaceLeft(Long.MAX_VALUE);
            t.insert(-1, "after");
            t.sync();
            int last = failedAt;
            List<Integer> keys = t.select(otp4j.ets.Query.<Integer, String>all().map((k, v) -> k));
            // The write that failed is in the table only if its record stayed buffered for the next sync (EVERY_WRITE).
            assertThat(keys).hasSize(failedAt + 2 - (t.lookup(last).isEmpty() ? 1 : 0));
        }
        try (DiskTable<Integer, String> t = Dets.openFile("full", opts.withRepair(Repair.NEVER))) {
            assertThat(t.lookup(-1)).containsExactly("after");
            t.foldl(null, (k, v, acc) -> {
                assertThat(v).isEqualTo(k < 0 ? "after" : value(k));
                return null;
            });
            for (int i = 0; i <= 100; i++) {
                assertThat(t.lookup(i)).as("key %d", i).containsExactly(value(i));
            }
        }
    }

    @Test
    void aTinyTmpfsFillsUpAndTheTableKeepsWorking(AttachedProcess me) throws Exception {
        Path mnt = Files.createDirectory(dir.resolve("tmpfs"));
        assumeTrue(run("mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", mnt.toString()),
                "mounting a tmpfs is not permitted here (it needs root and CAP_SYS_ADMIN): the injected full disk above covers it");
        try {
            Path f = mnt.resolve("tiny.dets");
            DetsOptions opts = DetsOptions.defaults().withFile(f).withDurability(Durability.EVERY_WRITE).withoutAutoSave();
            int acked = 0;
            try (DiskTable<Integer, String> t = Dets.openFile("tiny", opts)) {
                UncheckedIOException full = null;
                for (int i = 0; full == null; i++) {
                    try {
                        t.insert(i, value(i));
                        acked = i + 1;
                    } catch (UncheckedIOException e) {
                        full = e;
                    }
                }
                assertThat(full).hasMessageContaining(f.toString()).hasMessageContaining(FULL);
                assertThat(acked).isPositive();
                for (int i = 0; i < acked; i++) {
                    assertThat(t.lookup(i)).containsExactly(value(i));
                }
                assertThat(run("mount", "-o", "remount,size=4m", mnt.toString())).as("remount larger").isTrue();
                t.insert(-1, "after");
                t.sync();
            }
            try (DiskTable<Integer, String> t = Dets.openFile("tiny", opts.withRepair(Repair.NEVER))) {
                for (int i = 0; i < acked; i++) {
                    assertThat(t.lookup(i)).as("key %d", i).containsExactly(value(i));
                }
                assertThat(t.lookup(-1)).containsExactly("after");
                t.foldl(null, (k, v, acc) -> {
                    assertThat(v).isEqualTo(k < 0 ? "after" : value(k));
                    return null;
                });
                assertThat(t.size()).isBetween((long) acked + 1, (long) acked + 2);
            }
        } finally {
            run("umount", "-l", mnt.toString()); // lazily: the file stays mapped until the mapping is collected
        }
    }

    private static boolean run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return false;
        }
        return p.exitValue() == 0;
    }
}
