package otp4j.dets.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import otp4j.ets.TableType;

/**
 * The key directory against a map, with keys whose 64-bit hashes collide on purpose (five hashes
 * for two hundred keys, two of them at the table's last slots so that runs wrap around): every
 * key is told apart by its record's bytes, removals keep the rest reachable, and the hint file
 * gives back the same directory.
 */
class KeyDirTest {
    private static final long[] HASHES = {1, 2, 3, -1, -2};

    @TempDir
    Path dir;

    private static KeyBytes key(int i) {
        return new KeyBytes(("k" + i).getBytes(StandardCharsets.UTF_8), HASHES[i % HASHES.length]);
    }

    @ParameterizedTest
    @EnumSource(value = TableType.class, names = {"SET", "BAG", "DUPLICATE_BAG"})
    void collidingHashesAreToldApartAndTheHintRoundTrips(TableType type) throws IOException {
        Path file = dir.resolve(type + ".dets");
        LogFile log = LogFile.open(file, file, true, true, type, "test");
        try {
            KeyDir d = new KeyDir(log, type.isSet(), 4);
            Map<Integer, List<Long>> model = new HashMap<>();
            Random random = new Random(42);
            for (int op = 0; op < 20_000; op++) {
                int i = random.nextInt(200);
                KeyBytes k = key(i);
                int what = random.nextInt(10);
                if (what < 6) {
                    long off = log.append(LogFile.record(LogFile.PUT, k.bytes, new byte[] {(byte) op}));
                    d.put(k, off);
                    List<Long> l = model.computeIfAbsent(i, x -> new ArrayList<>());
                    if (type.isSet()) {
                        l.clear();
                    }
                    l.add(off);
                } else if (what < 8) {
                    List<Long> gone = model.remove(i);
                    assertThat(d.remove(k)).isEqualTo(gone == null ? 0 : gone.size());
                } else if (model.containsKey(i)) {
                    List<Long> l = model.get(i);
                    long drop = l.get(random.nextInt(l.size()));
                    d.removeOffsets(k, new long[] {drop});
                    l.remove(drop);
                    if (l.isEmpty()) {
                        model.remove(i);
                    }
                }
                int probe = random.nextInt(200);
                assertThat(d.get(key(probe))).as("op %d, key %d", op, probe).isEqualTo(offsets(model.get(probe)));
            }
            assertSame(d, model);
            log.flush();
            HintFile.write(log, d);
            KeyDir back = HintFile.read(log).orElseThrow().dir();
            assertSame(back, model);
            assertThat(back.dead()).isEqualTo(d.dead());
            d.clear();
            assertThat(d.keys()).isZero();
            assertThat(d.get(key(0))).isNull();
        } finally {
            log.close();
        }
    }

    private static long[] offsets(List<Long> l) {
        return l == null ? null : l.stream().mapToLong(Long::longValue).toArray();
    }

    private static void assertSame(KeyDir d, Map<Integer, List<Long>> model) throws IOException {
        for (int i = 0; i < 200; i++) {
            assertThat(d.get(key(i))).as("key %d", i).isEqualTo(offsets(model.get(i)));
        }
        assertThat(d.keys()).isEqualTo(model.size());
        assertThat(d.objects()).isEqualTo(model.values().stream().mapToLong(List::size).sum());
        List<String> keys = new ArrayList<>();
        for (KeyBytes k : d.keyArray()) {
            keys.add(new String(k.bytes, StandardCharsets.UTF_8));
        }
        assertThat(keys).containsExactlyInAnyOrderElementsOf(model.keySet().stream().map(i -> "k" + i).toList());
    }
}
