package otp4j.dets.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import otp4j.ets.TableType;

/**
 * A key directory read from a hint probes the hint's mapping, checks each page the first time a
 * probe reads it, and is rebuilt from the data file's records when a page is damaged; it is
 * copied into the heap at the first change.
 */
class MappedHintTest {
    private static final int KEYS = 20_000;
    /** The header page, then the hashes: the page of the hashes that holds slot i. */
    private static final int SLOTS_PER_PAGE = HintFile.PAGE / 8;

    @TempDir
    Path dir;
    private Path file;
    private int capacity;

    private static KeyBytes key(int i) {
        return new KeyBytes(("key-" + i).getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] value(int i) {
        return ("value-" + i).getBytes(StandardCharsets.UTF_8);
    }

    /** A clean file of KEYS keys, one of them deleted, and its hint. */
    @BeforeEach
    void write() throws IOException {
        file = dir.resolve("t.dets");
        LogFile log = LogFile.open(file, file, true, true, TableType.SET, "test");
        try {
            KeyDir d = new KeyDir(log, true, 16);
            for (int i = 0; i < KEYS; i++) {
                d.put(key(i), log.append(LogFile.record(LogFile.PUT, key(i).bytes, value(i))));
            }
            log.append(LogFile.record(LogFile.DELETE_KEY, key(7).bytes, new byte[0]));
            d.remove(key(7));
            d.addDead(1);
            log.flush();
            log.force();
            HintFile.write(log, d);
            capacity = d.capacity();
        } finally {
            log.close();
        }
    }

    private LogFile open() throws IOException {
        return LogFile.open(file, file, true, true, TableType.SET, "test");
    }

    private static void assertWhole(KeyDir d) throws IOException {
        for (int i = 0; i < KEYS; i++) {
            long[] offs = d.get(key(i));
            if (i == 7) {
                assertThat(offs).as("key 7, deleted").isNull();
            } else {
                assertThat(offs).as("key %d", i).hasSize(1);
                assertThat(d.record(offs[0]).value()).as("key %d", i).isEqualTo(value(i));
            }
        }
        assertThat(d.keys()).isEqualTo(KEYS - 1);
        assertThat(d.objects()).isEqualTo(KEYS - 1);
    }

    /** {@return the hashes page of {@code k}'s home slot} */
    private int homePage(KeyBytes k) {
        return (int) ((k.hash & (capacity - 1)) / SLOTS_PER_PAGE);
    }

    @Test
    void lookupsReadTheMappingUntilTheFirstChange() throws IOException {
        LogFile log = open();
        try {
            KeyDir d = HintFile.read(log).orElseThrow().dir();
            assertWhole(d);
            assertThat(d.mapped()).as("lookups change nothing").isTrue();
            d.put(key(7), log.append(LogFile.record(LogFile.PUT, key(7).bytes, value(7))));
            assertThat(d.mapped()).as("a change copies the slots into the heap").isFalse();
            assertThat(d.record(d.get(key(7))[0]).value()).isEqualTo(value(7));
            assertThat(d.keys()).isEqualTo(KEYS);
        } finally {
            log.close();
        }
    }

    @Test
    void aDamagedPageIsFoundByTheFirstProbeThatReadsItAndTheDirectoryIsRebuiltFromTheRecords() throws IOException {
        int pages = capacity / SLOTS_PER_PAGE;
        int damaged = pages / 2;
        flip(HintFile.PAGE + (long) damaged * HintFile.PAGE + 100);
        LogFile log = open();
        try {
            KeyDir d = HintFile.read(log).orElseThrow(() -> new AssertionError("the open checks only the header and the table")).dir();
            // Keys far from the damaged page: their probes never read it.
            int far = 0;
            for (int i = 0; i < KEYS; i++) {
                if (i != 7 && homePage(key(i)) < damaged - 1) {
                    assertThat(d.record(d.get(key(i))[0]).value()).isEqualTo(value(i));
                    far++;
                }
            }
            assertThat(far).isGreaterThan(KEYS / 4);
            assertThat(d.mapped()).as("the damaged page is not read yet").isTrue();
            int near = 0;
            while (near == 7 || homePage(key(near)) != damaged) {
                near++;
            }
            assertThat(d.record(d.get(key(near))[0]).value()).as("the lookup that meets the damage")
                    .isEqualTo(value(near));
            assertThat(d.mapped()).as("rebuilt into the heap").isFalse();
            assertWhole(d);
            assertThat(d.dead()).as("the rebuilt directory counts the dead records").isEqualTo(2);
        } finally {
            log.close();
        }
    }

    @Test
    void aDamagedPageFoundByTheCopyOfTheFirstChangeRebuildsTheDirectory() throws IOException {
        flip(HintFile.PAGE + 2L * HintFile.PAGE + 5);
        LogFile log = open();
        try {
            KeyDir d = HintFile.read(log).orElseThrow().dir();
            d.remove(key(8));
            assertThat(d.mapped()).isFalse();
            assertThat(d.get(key(8))).isNull();
            assertThat(d.keys()).isEqualTo(KEYS - 2);
            assertThat(d.record(d.get(key(9))[0]).value()).isEqualTo(value(9));
        } finally {
            log.close();
        }
    }

    @Test
    void aDamagedTableOfChecksumsOrHeaderIsNoHint() throws IOException {
        long size = java.nio.file.Files.size(HintFile.path(file));
        for (long at : new long[] {20, size - 7, size - 2}) {
            flip(at);
            LogFile log = open();
            try {
                assertThat(HintFile.read(log)).as("flipped at %d", at).isEmpty();
            } finally {
                log.close();
            }
            flip(at);
        }
    }

    private void flip(long at) throws IOException {
        try (RandomAccessFile raf = new RandomAccessFile(HintFile.path(file).toFile(), "rw")) {
            raf.seek(at);
            int b = raf.read();
            raf.seek(at);
            raf.write(b ^ 0x5A);
        }
    }
}
