package otp4j.dets;

import static java.util.Map.entry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.RandomAccessFile;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import otp4j.ets.BadArgException;
import otp4j.ets.Query;
import otp4j.ets.TableType;
import otp4j.ets.TermCodec;
import otp4j.runtime.AttachedProcess;
import otp4j.runtime.Node;
import otp4j.testing.NodeExtension;

/** Bad input: each is a specific exception naming the file, offset or value and what to do; nothing is written or lost. */
@ExtendWith(NodeExtension.class)
class DetsBadInputTest {

    @TempDir
    Path dir;

    record Point(int x, int y) {
    }

    private Path written(String name) throws IOException {
        Path f = dir.resolve(name + ".dets");
        try (DiskTable<String, Integer> t = Dets.openFile(name, DetsOptions.defaults().withFile(f))) {
            t.insertAll(List.of(entry("a", 1), entry("b", 2)));
        }
        return f;
    }

    private static DetsFileException.Reason reasonOf(Throwable e) {
        return ((DetsFileException) e).reason();
    }

    @Test
    void aFileOfANewerFormatVersionSaysSoAndIsNotChanged(AttachedProcess me) throws IOException {
        Path f = written("newer");
        try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "rw")) {
            raf.seek(8);
            raf.writeShort(7);
        }
        byte[] before = Files.readAllBytes(f);
        assertThatThrownBy(() -> Dets.openFile("newer", DetsOptions.defaults().withFile(f)))
                .isInstanceOf(DetsFileException.class).hasMessageStartingWith(f.toString())
                .hasMessageContaining("format version 7").hasMessageContaining("newer otp4j")
                .satisfies(e -> assertThat(reasonOf(e)).isEqualTo(DetsFileException.Reason.NEWER_VERSION));
        assertThat(Files.readAllBytes(f)).isEqualTo(before);
    }

    @Test
    void aDamagedHeaderIsCorruptAndNamesTheBytes(AttachedProcess me) throws IOException {
        Path f = written("header");
        byte[] b = Files.readAllBytes(f);
        b[14] ^= 1; // in the file id
        Files.write(f, b);
        assertThatThrownBy(() -> Dets.openFile("header", DetsOptions.defaults().withFile(f)))
                .isInstanceOf(DetsFileException.class).hasMessageContaining("header's checksum")
                .satisfies(e -> assertThat(reasonOf(e)).isEqualTo(DetsFileException.Reason.CORRUPT));
    }

    @Test
    void damageInTheMiddleIsRefusedAndForceKeepsThePrefixAndTheWholeFileAside(AttachedProcess me) throws IOException {
        Path f = dir.resolve("middle.dets");
        try (DiskTable<Integer, String> t = Dets.openFile("middle", DetsOptions.defaults().withFile(f))) {
            for (int i = 0; i < 10; i++) {
                t.insert(i, "value " + i);
            }
        }
        Files.delete(dir.resolve("middle.dets.hint"));
        byte[] b = Files.readAllBytes(f);
        int at = new String(b, java.nio.charset.StandardCharsets.ISO_8859_1).indexOf("value 5");
        b[at] ^= 1;
        Files.write(f, b);
        assertThatThrownBy(() -> Dets.openFile("middle", DetsOptions.defaults().withFile(f)))
                .isInstanceOf(DetsFileException.class).hasMessageContaining("damaged record at byte")
                .hasMessageContaining("Repair.FORCE")
                .satisfies(e -> assertThat(((DetsFileException) e).offset()).isPresent())
                .satisfies(e -> assertThat(reasonOf(e)).isEqualTo(DetsFileException.Reason.CORRUPT));
        assertThat(Files.readAllBytes(f)).as("refusing changes nothing").isEqualTo(b);
        try (DiskTable<Integer, String> t = Dets.openFile("middle", DetsOptions.defaults().withFile(f)
                .withRepair(Repair.FORCE))) {
            assertThat(t.select(Query.<Integer, String>all().map((k, v) -> k))).containsExactlyInAnyOrder(0, 1, 2, 3, 4);
        }
        assertThat(Files.readAllBytes(dir.resolve("middle.dets.corrupt"))).isEqualTo(b);
    }

    @Test
    void aValueOrKeyTheCodecCannotWriteIsNamedAndNothingIsWritten(AttachedProcess me) throws IOException {
        Path f = dir.resolve("codec.dets");
        try (DiskTable<Object, Object> t = Dets.openFile("codec", DetsOptions.defaults().withFile(f))) {
            t.insert("ok", 1);
            long size = t.info().orElseThrow().fileSize();
            assertThatThrownBy(() -> t.insert("p", new Point(1, 2))).isInstanceOf(BadArgException.class)
                    .hasMessageContaining("the value of key p").hasMessageContaining(Point.class.getName())
                    .hasMessageContaining("withTypes(Point.class").hasMessageContaining("nothing was written");
            assertThatThrownBy(() -> t.insertAll(List.of(entry("fine", 1), entry(new Point(0, 0), 1))))
                    .isInstanceOf(BadArgException.class).hasMessageContaining("key Point[x=0, y=0]");
            assertThat(t.lookup("fine")).as("a list insert is all or nothing").isEmpty();
            assertThat(t.info().orElseThrow().fileSize()).isEqualTo(size);
            assertThatThrownBy(() -> t.insert(null, 1)).isInstanceOf(NullPointerException.class).hasMessage("key");
            assertThatThrownBy(() -> t.insert("k", null)).isInstanceOf(NullPointerException.class).hasMessage("value");
        }
    }

    @Test
    void registeredTypesRoundTripAndAReaderWithoutThemSaysWhatIsMissing(AttachedProcess me) throws IOException {
        Path f = dir.resolve("typed.dets");
        TermCodec codec = TermCodec.standard().withTypes(Point.class);
        try (DiskTable<Point, List<Point>> t = Dets.openFile("typed", DetsOptions.defaults().withFile(f).withCodec(codec))) {
            t.insert(new Point(1, 2), List.of(new Point(3, 4)));
        }
        try (DiskTable<Point, List<Point>> t = Dets.openFile("typed", DetsOptions.defaults().withFile(f).withCodec(codec))) {
            assertThat(t.lookup(new Point(1, 2))).containsExactly(List.of(new Point(3, 4)));
        }
        try (DiskTable<Object, Object> t = Dets.openFile("typed", DetsOptions.defaults().withFile(f))) {
            assertThatThrownBy(() -> t.first()).isInstanceOf(UncheckedIOException.class)
                    .hasMessageContaining(f.toString()).hasMessageContaining("not registered")
                    .hasMessageContaining("the codec (and the registered types) it was written with");
        }
    }

    @Test
    void aFileWrittenWithAnotherCodecIsRefused(AttachedProcess me) throws IOException {
        Path f = written("othercodec");
        TermCodec strings = new TermCodec() {
            @Override
            public String name() {
                return "strings";
            }

            @Override
            public byte[] encode(Object term) {
                return term.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
            }

            @Override
            public Object decode(byte[] bytes) {
                return new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
            }
        };
        assertThatThrownBy(() -> Dets.openFile("othercodec", DetsOptions.defaults().withFile(f).withCodec(strings)))
                .isInstanceOf(DetsFileException.class).hasMessageContaining("written with codec \"standard\"")
                .satisfies(e -> assertThat(reasonOf(e)).isEqualTo(DetsFileException.Reason.CODEC_MISMATCH));
    }

    /**
     * A file the user cannot write. As root, permissions do not stop a write, so the file is put
     * on a tmpfs that is then remounted read-only (which stops root too); as another user, its
     * permissions are enough.
     */
    @Test
    void aReadOnlyFileOpenedForWritingIsAccessDenied(AttachedProcess me) throws Exception {
        Path f = written("readonly");
        Path mnt = null;
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("r--r--r--"));
        if (Files.isWritable(f)) {
            mnt = Files.createDirectory(dir.resolve("ro"));
            assumeTrue(run("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", mnt.toString()),
                    "root may write any file, and mounting a read-only tmpfs is not permitted here");
            Path copy = mnt.resolve("readonly.dets");
            Files.copy(f, copy);
            Files.copy(dir.resolve("readonly.dets.hint"), mnt.resolve("readonly.dets.hint"));
            assertThat(run("mount", "-o", "remount,ro", mnt.toString())).as("remount read-only").isTrue();
            f = copy;
        }
        try {
            Path file = f;
            assertThat(Files.isWritable(file)).isFalse();
            byte[] before = Files.readAllBytes(file);
            assertThatThrownBy(() -> Dets.openFile("readonly", DetsOptions.defaults().withFile(file)))
                    .isInstanceOf(AccessDeniedException.class).hasMessageContaining(file.toString())
                    .hasMessageContaining("FileAccess.READ");
            try (DiskTable<String, Integer> t = Dets.openFile("readonly", DetsOptions.defaults().withFile(file)
                    .withAccess(FileAccess.READ))) {
                assertThat(t.lookup("a")).containsExactly(1);
            }
            assertThat(Files.readAllBytes(file)).isEqualTo(before);
        } finally {
            if (mnt != null) {
                run("umount", "-l", mnt.toString()); // lazily: the file stays mapped until the mapping is collected
            }
        }
    }

    /** Opening read-only changes nothing, not even a torn tail that a read-write open would cut, and writes are refused. */
    @Test
    void aReadOnlyOpenLeavesTheFileByteForByte(AttachedProcess me) throws IOException {
        Path f = written("untouched");
        try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "rw")) {
            raf.seek(raf.length());
            raf.write(new byte[] {(byte) 0xD5, 1, 40, 3}); // a record torn after its first bytes
        }
        byte[] data = Files.readAllBytes(f);
        byte[] hint = Files.readAllBytes(dir.resolve("untouched.dets.hint"));
        try (DiskTable<String, Integer> t = Dets.openFile("untouched", DetsOptions.defaults().withFile(f)
                .withAccess(FileAccess.READ))) {
            assertThat(t.lookup("a")).containsExactly(1);
            assertThat(t.size()).isEqualTo(2);
            assertThatThrownBy(() -> t.insert("c", 3)).isInstanceOf(otp4j.ets.TableAccessException.class);
            t.sync();
        }
        assertThat(Files.readAllBytes(f)).isEqualTo(data);
        assertThat(Files.readAllBytes(dir.resolve("untouched.dets.hint"))).isEqualTo(hint);
    }

    /** A hint file of format version 1 (each key's bytes): the file was closed cleanly; its records are read instead. */
    @Test
    void aHintOfAnOlderFormatIsIgnoredAndTheRecordsReplayed(AttachedProcess me) throws IOException {
        Path f = written("older");
        Path hint = dir.resolve("older.dets.hint");
        byte[] data = Files.readAllBytes(f);
        java.nio.ByteBuffer v1 = java.nio.ByteBuffer.allocate(8 + 2 + 8 * 4 + 4);
        v1.put("OTP4JDHT".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putShort((short) 1)
                .put(data, 12, 8).putLong(data.length).putLong(0).putLong(0);
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(v1.array(), 0, v1.position());
        v1.putInt((int) crc.getValue());
        Files.write(hint, v1.array());
        // Clean as far as the old hint says: opens even with Repair.NEVER, and every record is there.
        try (DiskTable<String, Integer> t = Dets.openFile("older", DetsOptions.defaults().withFile(f)
                .withRepair(Repair.NEVER))) {
            assertThat(t.lookup("a")).containsExactly(1);
            assertThat(t.lookup("b")).containsExactly(2);
            assertThat(t.size()).isEqualTo(2);
        }
        byte[] now = Files.readAllBytes(hint);
        assertThat(((now[8] & 0xFF) << 8) | (now[9] & 0xFF)).as("the hint is rewritten in the current format").isEqualTo(3);
        // An old hint that covers less than the file is no clean mark.
        v1.putLong(18, data.length - 1);
        crc.reset();
        crc.update(v1.array(), 0, v1.capacity() - 4);
        v1.putInt(v1.capacity() - 4, (int) crc.getValue());
        Files.write(hint, v1.array());
        assertThatThrownBy(() -> Dets.openFile("older", DetsOptions.defaults().withFile(f).withRepair(Repair.NEVER)))
                .isInstanceOf(DetsFileException.class)
                .satisfies(e -> assertThat(reasonOf(e)).isEqualTo(DetsFileException.Reason.NEEDS_REPAIR));
    }

    private static boolean run(String... cmd) throws IOException, InterruptedException {
        java.lang.Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
        if (!p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return false;
        }
        return p.exitValue() == 0;
    }

    @Test
    void aDirectoryIsNotADetsFile(AttachedProcess me) throws IOException {
        Path d = Files.createDirectory(dir.resolve("adir"));
        assertThatThrownBy(() -> Dets.openFile("adir", DetsOptions.defaults().withFile(d)))
                .isInstanceOf(DetsFileException.class).hasMessageContaining("a directory")
                .satisfies(e -> assertThat(reasonOf(e)).isEqualTo(DetsFileException.Reason.NOT_A_DETS_FILE));
    }

    @Test
    void invalidOptionsAndArgumentsSayWhich(AttachedProcess me) throws IOException {
        assertThatThrownBy(() -> DetsOptions.defaults().withAutoSave(Duration.ZERO)).isInstanceOf(BadArgException.class)
                .hasMessageContaining("autoSave must be positive");
        assertThatThrownBy(() -> DetsOptions.defaults().withAccess(FileAccess.READ).withRepair(Repair.FORCE))
                .isInstanceOf(BadArgException.class).hasMessageContaining("open it READ_WRITE");
        try (DiskTable<String, Long> t = Dets.openFile("args", DetsOptions.defaults().withFile(dir.resolve("a.dets")))) {
            assertThatThrownBy(() -> t.select(Query.all(), 0)).isInstanceOf(BadArgException.class)
                    .hasMessageContaining("limit must be at least 1, was 0");
            assertThatThrownBy(() -> t.next("missing")).isInstanceOf(BadArgException.class)
                    .hasMessageContaining("key missing is not in disk table args");
            t.insert("s", 1L);
            assertThatThrownBy(() -> t.updateCounter("s", otp4j.ets.CounterOp.add(2, 1)))
                    .isInstanceOf(BadArgException.class).hasMessageContaining("not counter 2");
        }
        try (DiskTable<String, Object> t = Dets.openFile("args2", DetsOptions.defaults().withFile(dir.resolve("b.dets")))) {
            t.insert("s", "text");
            assertThatThrownBy(() -> t.updateCounter("s", 1)).isInstanceOf(BadArgException.class)
                    .hasMessageContaining("is a java.lang.String, not a Long or Counters");
        }
    }

    @Test
    void openingFromAThreadThatIsNotAProcessSaysWhereToCallIt(Node node) throws Exception {
        CompletableFuture<Throwable> f = CompletableFuture.supplyAsync(() -> {
            try {
                Dets.openFile("x", DetsOptions.defaults().withFile(dir.resolve("x.dets")));
                return null;
            } catch (Throwable e) {
                return e;
            }
        });
        assertThat(f.get()).isInstanceOf(IllegalCallerException.class).hasMessageContaining("node.spawn");
    }

    @Test
    void aSecondJvmCannotOpenAFileThatIsOpenHere(AttachedProcess me) throws Exception {
        Path f = dir.resolve("locked.dets");
        try (DiskTable<String, Integer> t = Dets.openFile("locked", DetsOptions.defaults().withFile(f))) {
            t.insert("k", 1);
            java.lang.Process child = DetsTesting.child(dir, "tryopen", f.toString());
            List<String> out = DetsTesting.readThenKill(child, l -> true);
            assertThat(out).singleElement().asString().startsWith("IN_USE " + f).contains("open in another JVM");
            assertThat(t.lookup("k")).containsExactly(1);
        }
    }

    @Test
    void aBagTypeIsKeptOnReopenAndTheWrongTypeIsRefused(AttachedProcess me) throws IOException {
        Path f = dir.resolve("bag.dets");
        Dets.openFile("bag", DetsOptions.defaults().withFile(f).withType(TableType.DUPLICATE_BAG)).close();
        assertThatThrownBy(() -> Dets.openFile("bag", DetsOptions.defaults().withFile(f).withType(TableType.SET)))
                .hasMessageContaining("holds a DUPLICATE_BAG table, not a SET");
    }
}
