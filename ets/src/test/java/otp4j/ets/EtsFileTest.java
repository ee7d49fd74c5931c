package otp4j.ets;

import static java.util.Map.entry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import otp4j.runtime.AttachedProcess;
import otp4j.runtime.Proc;
import otp4j.testing.NodeExtension;

/** tab2file and file2tab: every table type round-trips; a bad file makes no table and says what is wrong. */
@ExtendWith({NoTableLeftExtension.class, NodeExtension.class})
class EtsFileTest {

    @TempDir
    Path dir;

    private static int tables() {
        return Ets.all(Proc.node()).size();
    }

    @Test
    void everyTableTypeRoundTripsWithItsOptionsAndObjectOrder(AttachedProcess me) throws IOException {
        for (TableType type : TableType.values()) {
            TableOptions o = TableOptions.defaults().withType(type).withAccess(Access.PUBLIC)
                    .withReadConcurrency(true).withWriteConcurrency(WriteConcurrency.AUTO).withHeir(me.pid(), "h");
            Table<String, Object> t = Ets.newTable("t-" + type, o);
            t.insertAll(List.of(entry("b", 2L), entry("a", "one"), entry("c", Counters.of(1, 2, 3)), entry("a", 1.5),
                    entry("a", "one")));
            Path file = dir.resolve(type + ".ets");
            Ets.tab2file(t, file);
            Table<String, Object> back = Ets.file2tab(file);
            TableInfo i = back.info().orElseThrow();
            assertThat(back).isNotSameAs(t);
            assertThat(i.name()).isEqualTo("t-" + type);
            assertThat(i.type()).isEqualTo(type);
            assertThat(i.access()).isEqualTo(Access.PUBLIC);
            assertThat(i.named()).isFalse();
            assertThat(i.readConcurrency()).isTrue();
            assertThat(i.writeConcurrency()).isEqualTo(WriteConcurrency.AUTO);
            assertThat(i.heir()).as("a pid means nothing to another run").isEmpty();
            assertThat(i.owner()).isEqualTo(me.pid());
            assertThat(back.tab2list()).as(type.name()).containsExactlyElementsOf(t.tab2list());
            assertThat(i.size()).isEqualTo(t.size());
            assertThat(i.memory()).isEqualTo(t.info().orElseThrow().memory());
        }
        Table<String, Object> dup = Ets.file2tab(dir.resolve("DUPLICATE_BAG.ets"));
        assertThat(dup.lookup("a")).containsExactly("one", 1.5, "one");
    }

    @Test
    void aNamedOrderedSetKeepsItsNameAndItsWellKnownComparator(AttachedProcess me) throws IOException {
        Table<String, Integer> t = Ets.newTable("named", TableOptions.defaults().withType(TableType.ORDERED_SET)
                .withComparator(Comparator.reverseOrder()).named());
        t.insertAll(List.of(entry("a", 1), entry("c", 3), entry("b", 2)));
        Path file = dir.resolve("named.ets");
        Ets.tab2file(t, file);
        assertThatThrownBy(() -> Ets.file2tab(file)).as("the name is still taken")
                .isInstanceOf(BadArgException.class).hasMessageContaining("named");
        t.delete();
        Table<String, Integer> back = Ets.file2tab(file);
        assertThat(Ets.<String, Integer>whereis("named")).containsSame(back);
        assertThat(back.tab2list()).containsExactly(entry("c", 3), entry("b", 2), entry("a", 1));
        back.insert("d", 4);
        assertThat(back.first()).contains("d");
    }

    @Test
    void anEmptyTableRoundTrips(AttachedProcess me) throws IOException {
        Path file = dir.resolve("empty.ets");
        Ets.tab2file(Ets.newTable("empty"), file);
        assertThat(Ets.file2tab(file).size()).isZero();
    }

    @Test
    void aPluggableCodecWritesTheTermsAndMustMatchOnReading(AttachedProcess me) throws IOException {
        TermCodec utf8 = new TermCodec() {
            @Override
            public String name() {
                return "utf8-strings";
            }

            @Override
            public byte[] encode(Object term) {
                if (!(term instanceof String s)) {
                    throw new IllegalArgumentException("only strings");
                }
                return s.getBytes(StandardCharsets.UTF_8);
            }

            @Override
            public Object decode(byte[] bytes) {
                return new String(bytes, StandardCharsets.UTF_8);
            }
        };
        Table<String, String> t = Ets.newTable("t");
        t.insert("k", "vé");
        Path file = dir.resolve("t.ets");
        Ets.tab2file(t, file, utf8);
        assertThat(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1)).contains("utf8-strings");
        assertThat(Ets.<String, String>file2tab(file, true, utf8).lookup("k")).containsExactly("vé");
        assertThatThrownBy(() -> Ets.file2tab(file)).isInstanceOf(TableFileException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("written with codec \"utf8-strings\"")
                .hasMessageContaining("\"standard\"");
        t.insert("n", "x");
        Table<String, Object> mixed = Ets.newTable("m");
        mixed.insert("k", 1L);
        assertThatThrownBy(() -> Ets.tab2file(mixed, dir.resolve("m.ets"), utf8)).isInstanceOf(BadArgException.class)
                .hasMessageContaining("only strings").hasMessageContaining("java.lang.Long");
    }

    record Holder(Object inside) {
    }

    enum Colour { RED, GREEN }

    @Test
    void aRecordTheCodecDoesNotKnowIsNamedWithHowToRegisterItAndNoFileIsWritten(AttachedProcess me) throws IOException {
        Table<String, Object> t = Ets.newTable("t");
        t.insert("fine", "x");
        t.insert("bad", new Holder(1));
        Path file = dir.resolve("t.ets");
        Files.writeString(file, "the file as it was");
        assertThatThrownBy(() -> Ets.tab2file(t, file)).isInstanceOf(BadArgException.class)
                .hasMessageContaining("the value of object")
                .hasMessageContaining("key bad")
                .hasMessageContaining("record " + Holder.class.getName() + " is not registered")
                .hasMessageContaining("withTypes(Holder.class");
        assertThat(Files.readString(file)).as("the old file is untouched").isEqualTo("the file as it was");
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).as("no temporary file is left").containsExactly(file);
        }
    }

    @Test
    void registeredRecordsAndEnumsRoundTripAndAReaderWithoutThemSaysWhichTypeIsMissing(AttachedProcess me)
            throws IOException {
        TermCodec codec = TermCodec.standard().withTypes(Holder.class, Colour.class);
        Table<Colour, Holder> t = Ets.newTable("t");
        t.insert(Colour.RED, new Holder(List.of(Colour.GREEN, 2L)));
        Path file = dir.resolve("t.ets");
        Ets.tab2file(t, file, codec);
        assertThat(Ets.<Colour, Holder>file2tab(file, true, codec).lookup(Colour.RED))
                .containsExactly(new Holder(List.of(Colour.GREEN, 2L)));
        assertThatThrownBy(() -> Ets.file2tab(file)).isInstanceOf(TableFileException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining(Colour.class.getName() + ", which is not registered");
    }

    @Test
    void tab2fileReplacesAnExistingFileWhole(AttachedProcess me) throws IOException {
        Table<Integer, Integer> t = Ets.newTable("t");
        Path file = dir.resolve("t.ets");
        t.insert(1, 1);
        Ets.tab2file(t, file);
        t.insert(2, 2);
        Ets.tab2file(t, file);
        assertThat(Ets.<Integer, Integer>file2tab(file).size()).isEqualTo(2);
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).containsExactly(file);
        }
    }

    private Path written(AttachedProcess me) throws IOException {
        Table<String, Long> t = Ets.newTable("t", TableOptions.defaults().withType(TableType.BAG));
        t.insertAll(List.of(entry("a", 1L), entry("a", 2L), entry("b", 3L)));
        Path file = dir.resolve("t.ets");
        Ets.tab2file(t, file);
        t.delete();
        return file;
    }

    @Test
    void aChangedByteAnywhereIsABadChecksumAndMakesNoTable(AttachedProcess me) throws IOException {
        Path file = written(me);
        byte[] good = Files.readAllBytes(file);
        int before = tables();
        Path bad = dir.resolve("bad.ets");
        // Every byte after the magic and version: the header, the objects and the checksum itself.
        for (int i = 10; i < good.length; i++) {
            byte[] b = good.clone();
            b[i] ^= 0x01;
            Files.write(bad, b);
            assertThatThrownBy(() -> Ets.file2tab(bad)).as("byte %d", i).isInstanceOf(TableFileException.class)
                    .hasMessageStartingWith(bad.toString())
                    .satisfies(e -> assertThat(((TableFileException) e).file()).isEqualTo(bad));
            assertThat(tables()).as("byte %d", i).isEqualTo(before);
        }
        // The last object's value ends with its long, 3 as the one zigzag varint byte 6, just before
        // the checksum: a changed bit there still decodes, as another Long, and only the checksum tells.
        for (int i : new int[] {good.length - 5, good.length - 1}) {
            byte[] b = good.clone();
            b[i] ^= 0x10;
            Files.write(bad, b);
            assertThatThrownBy(() -> Ets.file2tab(bad)).as("byte %d", i).isInstanceOf(TableFileException.class)
                    .hasMessageContaining("bad checksum");
        }
        byte[] b = good.clone();
        b[good.length - 5] ^= 0x10;
        Files.write(bad, b);
        assertThat(Ets.<String, Long>file2tab(bad, false).lookup("b")).as("not verified: read as written")
                .containsExactly((long) ((6 ^ 0x10) >>> 1));
    }

    @Test
    void aTruncatedFileSaysWhereItEndsAndMakesNoTable(AttachedProcess me) throws IOException {
        Path file = written(me);
        byte[] good = Files.readAllBytes(file);
        int before = tables();
        Path cut = dir.resolve("cut.ets");
        for (int n = 0; n < good.length; n++) {
            Files.write(cut, Arrays.copyOf(good, n));
            for (boolean verify : new boolean[] {true, false}) {
                assertThatThrownBy(() -> Ets.file2tab(cut, verify)).as("cut at %d, verify %s", n, verify)
                        .isInstanceOf(TableFileException.class)
                        .hasMessageStartingWith(cut.toString())
                        .hasMessageContaining("truncated at byte " + n);
            }
            assertThat(tables()).isEqualTo(before);
        }
        byte[] longer = Arrays.copyOf(good, good.length + 3);
        Files.write(cut, longer);
        assertThatThrownBy(() -> Ets.file2tab(cut)).isInstanceOf(TableFileException.class)
                .hasMessageContaining("unexpected bytes after the checksum");
    }

    @Test
    void aFileThatIsNotATableFileIsNamedAsSuch(AttachedProcess me) throws IOException {
        Path text = dir.resolve("notes.txt");
        Files.writeString(text, "these are not the objects you are looking for");
        assertThatThrownBy(() -> Ets.file2tab(text)).isInstanceOf(TableFileException.class)
                .hasMessage(text + ": not a table file: it does not start with \"OTP4JETS\"");
        Path file = written(me);
        byte[] b = Files.readAllBytes(file);
        b[9] = 7;
        Files.write(file, b);
        assertThatThrownBy(() -> Ets.file2tab(file)).isInstanceOf(TableFileException.class)
                .hasMessageContaining("table file version 7");
        assertThatThrownBy(() -> Ets.file2tab(dir.resolve("missing.ets"))).isInstanceOf(java.nio.file.NoSuchFileException.class);
    }

    @Test
    void file2tabNeedsAProcessAndTab2fileTheRightToRead(AttachedProcess me) throws IOException {
        Path file = written(me);
        Table<String, String> priv = Ets.newTable("p", TableOptions.defaults().withAccess(Access.PRIVATE));
        EtsTesting.Outcome o = EtsTesting.inOther(() -> {
            try {
                Ets.tab2file(priv, dir.resolve("p.ets"));
                return "written";
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        assertThat(o.raised()).isInstanceOf(TableAccessException.class);
        Thread.Builder b = Thread.ofPlatform();
        Throwable[] thrown = new Throwable[1];
        Thread th = b.start(() -> {
            try {
                Ets.file2tab(file);
            } catch (Throwable e) {
                thrown[0] = e;
            }
        });
        try {
            th.join();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
        assertThat(thrown[0]).isInstanceOf(IllegalCallerException.class).hasMessageContaining("not a process");
    }
}
