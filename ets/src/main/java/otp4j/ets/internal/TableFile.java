package otp4j.ets.internal;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Supplier;
import java.util.zip.CRC32C;
import java.util.zip.CheckedInputStream;
import java.util.zip.CheckedOutputStream;

import otp4j.ets.Access;
import otp4j.ets.BadArgException;
import otp4j.ets.Table;
import otp4j.ets.TableFileException;
import otp4j.ets.TableOptions;
import otp4j.ets.TableType;
import otp4j.ets.TermCodec;
import otp4j.ets.WriteConcurrency;
import otp4j.runtime.Pid;

/**
 * The table file format of {@code tab2file} and {@code file2tab}. All numbers big-endian:
 *
 * <pre>
 * magic        8 bytes   "OTP4JETS"
 * version      u16       1
 * codec        string    the TermCodec's name
 * name         string    the table's name
 * type         string    a TableType name
 * access       string    an Access name
 * named        u8        0 or 1
 * readConc     u8        0 or 1
 * writeConc    string    a WriteConcurrency name
 * comparator   u8 0, or u8 1 then a blob: the ordered set's comparator, through the codec
 * count        i64       the number of objects
 * objects      count times: key blob, value blob (a bag's key once per value)
 * checksum     u32       CRC32C of every byte before it
 * string       i32 length, then that many bytes of UTF-8
 * blob         i32 length, then that many bytes from the codec
 * </pre>
 *
 * The heir is not stored: a pid means nothing to another run.
 */
public final class TableFile {
    private TableFile() {}

    private static final byte[] MAGIC = "OTP4JETS".getBytes(StandardCharsets.US_ASCII);
    private static final int VERSION = 1;

    /** As {@link otp4j.ets.Ets#tab2file}: writes a snapshot of {@code table} (a traversal) to a temporary file, then moves it. */
    public static void write(Table<?, ?> table, Path file, TermCodec codec) throws IOException {
        TableImpl<?, ?> t = (TableImpl<?, ?>) table;
        List<? extends Map.Entry<?, ?>> objects = t.tab2list(); // checks that the caller may read
        TableOptions o = t.fileOptions();
        Path target = file.toAbsolutePath();
        Path tmp = Files.createTempFile(target.getParent(), "." + target.getFileName() + ".", ".tmp");
        boolean moved = false;
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                CheckedOutputStream checked = new CheckedOutputStream(
                        new BufferedOutputStream(Channels.newOutputStream(ch), 1 << 16), new CRC32C());
                DataOutputStream out = new DataOutputStream(checked);
                out.write(MAGIC);
                out.writeShort(VERSION);
                string(out, codec.name());
                string(out, t.name());
                string(out, o.type().name());
                string(out, o.access().name());
                out.writeBoolean(o.namedTable());
                out.writeBoolean(o.readConcurrency());
                string(out, o.writeConcurrency().name());
                out.writeBoolean(o.comparator().isPresent());
                if (o.comparator().isPresent()) {
                    blob(out, encode(codec, o.comparator().get(), () -> "the comparator of table " + t));
                }
                out.writeLong(objects.size());
                for (int i = 0; i < objects.size(); i++) {
                    Map.Entry<?, ?> e = objects.get(i);
                    int n = i;
                    blob(out, encode(codec, e.getKey(), () -> "the key of object " + n + " (key " + e.getKey() + ")"));
                    blob(out, encode(codec, e.getValue(), () -> "the value of object " + n + " (key " + e.getKey() + ")"));
                }
                out.flush();
                out.writeInt((int) checked.getChecksum().getValue());
                out.flush();
                ch.force(true);
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            moved = true;
        } finally {
            if (!moved) {
                Files.deleteIfExists(tmp);
            }
        }
    }

    private static byte[] encode(TermCodec codec, Object term, Supplier<String> what) {
        try {
            return codec.encode(term);
        } catch (IllegalArgumentException e) {
            throw new BadArgException("tab2file: codec " + codec.name() + " cannot write " + what.get() + ", a "
                    + term.getClass().getName() + ": " + e.getMessage() + "; no file was written");
        }
    }

    private static void string(DataOutputStream out, String s) throws IOException {
        blob(out, s.getBytes(StandardCharsets.UTF_8));
    }

    private static void blob(DataOutputStream out, byte[] b) throws IOException {
        out.writeInt(b.length);
        out.write(b);
    }

    /** Counts the bytes read, for error messages. */
    private static final class Counting extends FilterInputStream {
        long position;

        Counting(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                position++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                position += n;
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long s = super.skip(n);
            position += s;
            return s;
        }
    }

    /** The reader's state: the stream and where it is, for messages. */
    private static final class Reader {
        final Path file;
        final long size;
        final Counting counting;
        final CheckedInputStream checked;
        final DataInputStream in;

        Reader(Path file, InputStream raw) throws IOException {
            this.file = file;
            this.size = Files.size(file);
            this.counting = new Counting(new BufferedInputStream(raw, 1 << 16));
            this.checked = new CheckedInputStream(counting, new CRC32C());
            this.in = new DataInputStream(checked);
        }

        TableFileException bad(String what) {
            return new TableFileException(file, what, null);
        }

        byte[] blob(String what) throws IOException {
            long at = counting.position;
            int n = in.readInt();
            if (n < 0 || n > size - counting.position) {
                throw bad("truncated at byte " + size + ", or damaged: the length of " + what + " at byte " + at
                        + " is " + n + ", but only " + (size - counting.position) + " bytes follow");
            }
            byte[] b = new byte[n];
            in.readFully(b);
            return b;
        }

        String string(String what) throws IOException {
            return new String(blob(what), StandardCharsets.UTF_8);
        }

        <E extends Enum<E>> E name(Class<E> type, String what) throws IOException {
            long at = counting.position;
            String s = string(what);
            try {
                return Enum.valueOf(type, s);
            } catch (IllegalArgumentException e) {
                throw bad("unknown " + what + " \"" + s + "\" at byte " + at + " (one of "
                        + Arrays.toString(type.getEnumConstants()) + " expected)");
            }
        }

        Object decode(TermCodec codec, String what) throws IOException {
            long at = counting.position;
            byte[] b = blob(what);
            try {
                return codec.decode(b);
            } catch (IllegalArgumentException e) {
                throw new TableFileException(file, "cannot decode " + what + " at byte " + at + " with codec "
                        + codec.name() + ": " + e.getMessage(), e);
            }
        }
    }

    /**
     * As {@link otp4j.ets.Ets#file2tab}: reads and checks the whole file first, then creates the
     * table owned by {@code owner} and inserts every object at once, so that a bad file never
     * leaves a table behind.
     */
    @SuppressWarnings("unchecked")
    public static <K, V> Table<K, V> read(Path file, boolean verify, TermCodec codec, NodeTables registry, Pid owner)
            throws IOException {
        TableOptions options;
        String name;
        List<Map.Entry<K, V>> objects;
        try (InputStream raw = Files.newInputStream(file)) {
            Reader r = new Reader(file, raw);
            try {
                byte[] magic = r.in.readNBytes(MAGIC.length);
                if (!Arrays.equals(magic, MAGIC)) {
                    if (Arrays.equals(magic, Arrays.copyOf(MAGIC, magic.length))) {
                        throw new EOFException();
                    }
                    throw r.bad("not a table file: it does not start with \"OTP4JETS\"");
                }
                int version = r.in.readUnsignedShort();
                if (version != VERSION) {
                    throw r.bad("table file version " + version + "; this otp4j reads version " + VERSION);
                }
                String written = r.string("the codec name");
                if (!written.equals(codec.name())) {
                    throw r.bad("written with codec \"" + written + "\"; it is being read with codec \""
                            + codec.name() + "\"");
                }
                name = r.string("the table name");
                TableType type = r.name(TableType.class, "table type");
                Access access = r.name(Access.class, "access");
                boolean named = r.in.readBoolean();
                boolean readConcurrency = r.in.readBoolean();
                WriteConcurrency writeConcurrency = r.name(WriteConcurrency.class, "write concurrency");
                Optional<Comparator<Object>> comparator = Optional.empty();
                if (r.in.readBoolean()) {
                    Object c = r.decode(codec, "the comparator");
                    if (!(c instanceof Comparator<?>) || type != TableType.ORDERED_SET) {
                        throw r.bad("the comparator is a " + c.getClass().getName() + " for a " + type
                                + " table; a Comparator of an ORDERED_SET expected");
                    }
                    comparator = Optional.of((Comparator<Object>) c);
                }
                options = new TableOptions(type, access, named, Optional.empty(), comparator, readConcurrency,
                        writeConcurrency, OptionalLong.empty());
                long countAt = r.counting.position;
                long count = r.in.readLong();
                // Each object takes at least two lengths (8 bytes): a count beyond that is damage.
                if (count < 0 || count > (r.size - r.counting.position) / 8) {
                    throw r.bad("truncated at byte " + r.size + ", or damaged: the object count at byte " + countAt
                            + " is " + count + ", which the " + (r.size - r.counting.position) + " remaining bytes cannot hold");
                }
                objects = new ArrayList<>((int) Math.min(count, 1 << 20));
                for (long i = 0; i < count; i++) {
                    K k = (K) r.decode(codec, "the key of object " + i);
                    V v = (V) r.decode(codec, "the value of object " + i);
                    objects.add(Map.entry(k, v));
                }
                long sumAt = r.counting.position;
                int computed = (int) r.checked.getChecksum().getValue();
                int stored = r.in.readInt();
                if (verify && stored != computed) {
                    throw r.bad(String.format("bad checksum: the file says %08x at byte %d, its content gives %08x:"
                            + " the file is damaged", stored, sumAt, computed));
                }
                if (r.in.read() >= 0) {
                    throw r.bad("unexpected bytes after the checksum at byte " + r.counting.position
                            + " (the file is " + r.size + " bytes)");
                }
            } catch (EOFException e) {
                throw new TableFileException(file, "truncated at byte " + r.counting.position + ": the file ends"
                        + " before its " + (r.counting.position < MAGIC.length + 2 ? "header" : "content") + " does", e);
            }
        }
        Table<K, V> t = TableImpl.create(registry, name, options, owner);
        try {
            t.insertAll(objects);
        } catch (RuntimeException e) {
            t.delete();
            throw e;
        }
        return t;
    }
}
