package otp4j.dets;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import otp4j.ets.Query;
import otp4j.runtime.AttachedProcess;
import otp4j.testing.NodeExtension;

/**
 * Damaged files: bytes flipped and files cut at random, thousands of cases, with and without the
 * hint. Each open either fails with a {@link DetsFileException} naming the file, or opens; then a
 * full read either fails with an {@link UncheckedIOException} about a damaged record, or shows the
 * table exactly as it was after some prefix of the writes (a torn write cut off): never a value
 * that was not there at that point. Opening read-only never changes the file.
 */
@Tag("stress")
@ExtendWith(NodeExtension.class)
class DetsCorruptionFuzzTest {
    private static final int CASES = (int) Math.max(200,
            2000 * Double.parseDouble(System.getProperty("otp4j.stress.scale", "1")));

    @TempDir
    Path dir;

    @Test
    void flippedAndCutFilesOpenAsAPrefixOrFailClearly(AttachedProcess me) throws IOException {
        Random random = new Random(42);
        Path original = dir.resolve("original.dets");
        // The states after each write, in order: the only contents a damaged file may show.
        List<Map<Integer, String>> states = new ArrayList<>();
        Map<Integer, String> state = new HashMap<>();
        states.add(Map.copyOf(state));
        try (DiskTable<Integer, String> t = Dets.openFile("orig", DetsOptions.defaults().withFile(original))) {
            for (int i = 0; i < 60; i++) {
                int k = random.nextInt(12);
                if (random.nextInt(5) == 0 && state.containsKey(k)) {
                    t.delete(k);
                    state.remove(k);
                } else {
                    String v = "v" + i + "-" + "y".repeat(random.nextInt(30));
                    t.insert(k, v);
                    state.put(k, v);
                }
                states.add(Map.copyOf(state));
            }
        }
        byte[] good = Files.readAllBytes(original);
        byte[] hint = Files.readAllBytes(dir.resolve("original.dets.hint"));
        Path file = dir.resolve("case.dets");
        Path caseHint = dir.resolve("case.dets.hint");
        int opened = 0;
        int refused = 0;
        for (int c = 0; c < CASES; c++) {
            byte[] b = good.clone();
            String how;
            if (random.nextBoolean()) {
                int flips = 1 + random.nextInt(3);
                StringBuilder h = new StringBuilder("flipped");
                for (int f = 0; f < flips; f++) {
                    int at = random.nextInt(b.length);
                    b[at] ^= (byte) (1 + random.nextInt(255));
                    h.append(' ').append(at);
                }
                how = h.toString();
            } else {
                int cut = random.nextInt(b.length);
                b = Arrays.copyOf(b, cut);
                how = "cut at " + cut;
            }
            boolean withHint = random.nextBoolean();
            how += withHint ? ", with hint" : ", without hint";
            Files.write(file, b);
            if (withHint) {
                Files.write(caseHint, hint);
            } else {
                Files.deleteIfExists(caseHint);
            }
            boolean readOnly = random.nextInt(4) == 0;
            DetsOptions o = DetsOptions.defaults().withFile(file)
                    .withAccess(readOnly ? FileAccess.READ : FileAccess.READ_WRITE);
            DiskTable<Integer, String> t;
            try {
                t = Dets.openFile("case", o);
            } catch (DetsFileException e) {
                assertThat(e.getMessage()).as(how).startsWith(file.toString());
                refused++;
                continue;
            }
            try {
                Map<Integer, String> seen = new HashMap<>();
                for (Map.Entry<Integer, String> e : t.select(Query.<Integer, String>all())) {
                    assertThat(seen.put(e.getKey(), e.getValue())).as(how + ": key " + e.getKey() + " once").isNull();
                }
                assertThat(states).as(how + ": the content is the state after some prefix of the writes").contains(seen);
                opened++;
            } catch (UncheckedIOException e) {
                assertThat(e.getCause()).as(how).isInstanceOf(DetsFileException.class);
                assertThat(((DetsFileException) e.getCause()).reason()).as(how).isEqualTo(DetsFileException.Reason.CORRUPT);
                refused++;
            } finally {
                t.close();
            }
            if (readOnly) {
                assertThat(Files.readAllBytes(file)).as(how + ": read-only leaves the file as it was").isEqualTo(b);
            }
        }
        assertThat(opened).as("some damaged files open").isPositive();
        assertThat(refused).as("some are refused").isPositive();
    }

    /**
     * A damaged hint (flipped or cut) with a whole data file: the table is whole, whether the
     * damage is found at the open (header, table of page checksums: the records are replayed) or
     * by the first read of a damaged page (the key directory is rebuilt from the records), and
     * whether the table is then read by traversal or key by key.
     */
    @Test
    void aDamagedHintCostsAReplayNeverData(AttachedProcess me) throws IOException {
        Random random = new Random(43);
        Path file = dir.resolve("hinted.dets");
        Path hint = dir.resolve("hinted.dets.hint");
        Map<Integer, String> state = new HashMap<>();
        try (DiskTable<Integer, String> t = Dets.openFile("hinted", DetsOptions.defaults().withFile(file)
                .withType(otp4j.ets.TableType.BAG))) {
            for (int i = 0; i < 300; i++) {
                t.insert(i % 40, "v" + i);
                state.merge(i % 40, "v" + i, (a, b) -> a + "," + b);
            }
        }
        byte[] good = Files.readAllBytes(hint);
        for (int c = 0; c < CASES / 4; c++) {
            byte[] b = good.clone();
            String how;
            if (random.nextBoolean()) {
                int at = random.nextInt(b.length);
                b[at] ^= (byte) (1 + random.nextInt(255));
                how = "hint flipped at " + at;
            } else {
                int cut = random.nextInt(b.length);
                b = Arrays.copyOf(b, cut);
                how = "hint cut at " + cut;
            }
            Files.write(hint, b);
            try (DiskTable<Integer, String> t = Dets.openFile("hinted", DetsOptions.defaults().withFile(file))) {
                Map<Integer, String> seen = new HashMap<>();
                if (c % 2 == 0) {
                    for (Map.Entry<Integer, String> e : t.select(Query.<Integer, String>all())) {
                        seen.merge(e.getKey(), e.getValue(), (x, y) -> x + "," + y);
                    }
                } else {
                    for (int k = -5; k < 45; k++) {
                        List<String> values = t.lookup(k);
                        assertThat(t.member(k)).as(how + ", key " + k).isEqualTo(!values.isEmpty());
                        if (!values.isEmpty()) {
                            seen.put(k, String.join(",", values));
                        }
                    }
                }
                assertThat(seen).as(how).isEqualTo(state);
            }
        }
    }
}
