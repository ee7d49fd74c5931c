package otp4j.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;

import otp4j.dets.Dets;
import otp4j.dets.DetsOptions;
import otp4j.dets.DiskTable;
import otp4j.dets.Repair;
import otp4j.ets.TableType;

/**
 * W8 disk table: small persistent state kept by a server that must survive a crash, with no
 * database server. N records, key K (1..N, a {@code Long}), value 100 bytes (K as 8 bytes, then
 * 92 zero bytes), as {@code w8_dets.erl}. Figures:
 *
 * <ul>
 *   <li>(a) {@code w8a_insert_per_s}: open a fresh file, N inserts one by one, sync, close, all
 *       timed; {@code w8a_insert_loop_only_per_s} the inserts alone; {@code w8a_sync_s},
 *       {@code w8a_close_s}; {@code w8a_file_size} after the close.</li>
 *   <li>(b) {@code w8b_reopen_s}: reopen the cleanly closed file (the size is checked);
 *       {@code w8b_lookup_per_s}: L lookups of random keys ({@code bu:xs/1}, {@code bu:key/2}),
 *       each result checked.</li>
 *   <li>(c) {@code w8c_bulk_insert_s}: all N records in one insert call into a fresh file;
 *       {@code w8c_bulk_insert_sync_close_s} with the sync and close; {@code w8c_file_size}.</li>
 *   <li>(d) a child JVM opens a fresh file, inserts the N records one by one (no sync), prints
 *       READY and is killed with SIGKILL; {@code w8d_repair_reopen_s}: the reopen, with repair;
 *       {@code w8d_records_survived} of {@code w8d_records_written}.</li>
 * </ul>
 *
 * <p>otp4j: {@link DiskTable} from {@code otp4j.dets}, a set, default options (auto-save every
 * 180 s, as DETS; durability on sync). The floor ({@code vt}): a bare append log on a
 * {@link FileChannel}, with the same durability (a force at the sync): a length-prefixed record
 * per insert through a 64 KB buffer, a {@code HashMap} of offsets, positional reads; reopening
 * and repair scan the whole log. {@code mvstore}: H2's MVStore, a map committed at the sync,
 * the embedded store a Java user would pick.
 *
 * <p>Run with {@code benchmarks/run.sh w8}, or alone ({@code Bench w8 otp4j 100000 100000}).
 */
final class W8Disk {
    private W8Disk() {
    }

    private static final int PAD = 92;
    private static final int LOOKUP_SEED = 0x9E3779B9;

    /** One implementation's table: the few operations W8 needs. */
    interface Store extends AutoCloseable {
        void insert(long k, byte[] v) throws IOException;

        void insertAll(List<Map.Entry<Long, byte[]>> all) throws IOException;

        byte[] lookup(long k) throws IOException;

        long size() throws IOException;

        void sync() throws IOException;

        @Override
        void close() throws IOException;
    }

    /** Opens a store of one implementation on a file. */
    interface Opener {
        Store open(Path file) throws IOException;
    }

    static byte[] value(long k) {
        return ByteBuffer.allocate(8 + PAD).putLong(k).array();
    }

    static void run(Bench.Impl impl, Report out, int n, int lookups) throws InterruptedException {
        Path dir;
        try {
            dir = Files.createTempDirectory("w8-" + impl.label() + "-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            switch (impl) {
                case OTP4J -> Bench.otp4j(() -> workload(impl, W8Disk::dets, out, dir, n, lookups));
                case VT -> workload(impl, AppendLog::new, out, dir, n, lookups);
                case MVSTORE -> workload(impl, MvStore::new, out, dir, n, lookups);
                default -> throw Bench.unsupported("w8", impl, "a disk table needs otp4j, the floor or MVStore");
            }
        } finally {
            delete(dir);
        }
    }

    private static void workload(Bench.Impl impl, Opener opener, Report out, Path dir, int n, int lookups)
            throws InterruptedException {
        try {
            oneByOne(opener, out, dir.resolve("a.db"), n);
            reopen(opener, out, dir.resolve("a.db"), n, lookups);
            bulk(opener, out, dir.resolve("c.db"), n);
            unclean(impl, opener, out, dir.resolve("d.db"), n);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void oneByOne(Opener opener, Report out, Path file, int n) throws IOException {
        long t0 = System.nanoTime();
        Store s = opener.open(file);
        long t1 = System.nanoTime();
        for (long k = 1; k <= n; k++) {
            s.insert(k, value(k));
        }
        long t2 = System.nanoTime();
        s.sync();
        long t3 = System.nanoTime();
        s.close();
        long t4 = System.nanoTime();
        out.rate("w8a_insert_per_s", n, t4 - t0, "inserts/s");
        out.rate("w8a_insert_loop_only_per_s", n, t2 - t1, "inserts/s");
        out.secs("w8a_sync_s", t3 - t2);
        out.secs("w8a_close_s", t4 - t3);
        out.num("w8a_file_size", directorySize(file), "bytes");
    }

    private static void reopen(Opener opener, Report out, Path file, int n, int lookups) throws IOException {
        long t0 = System.nanoTime();
        try (Store s = opener.open(file)) {
            long size = s.size();
            long t1 = System.nanoTime();
            if (size != n) {
                throw Bench.wrong("reopened size " + size + ", expected " + n);
            }
            out.secs("w8b_reopen_s", t1 - t0);
            int x = LOOKUP_SEED;
            long t2 = System.nanoTime();
            for (int i = 0; i < lookups; i++) {
                x = W7Tables.xs(x);
                long k = W7Tables.key(x, n);
                byte[] v = s.lookup(k);
                if (v == null || ByteBuffer.wrap(v).getLong() != k) {
                    throw Bench.wrong("lookup of " + k);
                }
            }
            long t3 = System.nanoTime();
            out.rate("w8b_lookup_per_s", lookups, t3 - t2, "lookups/s");
        }
    }

    private static void bulk(Opener opener, Report out, Path file, int n) throws IOException {
        List<Map.Entry<Long, byte[]>> all = new ArrayList<>(n);
        for (long k = 1; k <= n; k++) {
            all.add(Map.entry(k, value(k)));
        }
        Store s = opener.open(file);
        long t0 = System.nanoTime();
        s.insertAll(all);
        long t1 = System.nanoTime();
        s.sync();
        s.close();
        long t2 = System.nanoTime();
        out.secs("w8c_bulk_insert_s", t1 - t0);
        out.secs("w8c_bulk_insert_sync_close_s", t2 - t0);
        out.num("w8c_file_size", directorySize(file), "bytes");
    }

    private static void unclean(Bench.Impl impl, Opener opener, Report out, Path file, int n)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElseThrow()));
        cmd.addAll(ProcessHandle.current().info().arguments().map(a -> {
            // The same JVM flags and class path as this run, then the child's arguments.
            List<String> flags = new ArrayList<>();
            for (int i = 0; i < a.length && !a[i].equals(Bench.class.getName()); i++) {
                flags.add(a[i]);
            }
            return flags;
        }).orElseThrow());
        cmd.addAll(List.of(W8Disk.class.getName(), impl.label(), file.toString(), Integer.toString(n)));
        Process child = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null && !line.equals("READY")) {
                System.err.println("# child: " + line);
            }
            if (line == null) {
                throw new IllegalStateException("the W8 child ended without READY, status " + child.waitFor());
            }
        }
        child.destroyForcibly(); // SIGKILL
        if (!child.waitFor(10, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the killed W8 child did not end");
        }
        long size = directorySize(file);
        long t0 = System.nanoTime();
        try (Store s = opener.open(file)) {
            long t1 = System.nanoTime();
            long survived = s.size();
            for (long k = 1; k <= survived; k++) {
                byte[] v = s.lookup(k);
                if (v == null || ByteBuffer.wrap(v).getLong() != k) {
                    throw Bench.wrong("after the kill, record " + k + " of " + survived + " is missing or wrong");
                }
            }
            out.num("w8d_file_size_at_kill", size, "bytes");
            out.secs("w8d_repair_reopen_s", t1 - t0);
            out.num("w8d_records_survived", survived, "records");
            out.num("w8d_records_written", n, "records");
        }
    }

    /** The child of (d): opens a fresh file, inserts one by one, prints READY, and waits for its SIGKILL. */
    public static void main(String[] args) throws Exception {
        Bench.Impl impl = Bench.Impl.valueOf(args[0].toUpperCase(java.util.Locale.ROOT));
        Path file = Path.of(args[1]);
        int n = Integer.parseInt(args[2]);
        ChildBody body = () -> {
            Store s = switch (impl) {
                case OTP4J -> dets(file);
                case VT -> new AppendLog(file);
                case MVSTORE -> new MvStore(file);
                default -> throw new IllegalArgumentException(impl.label());
            };
            for (long k = 1; k <= n; k++) {
                s.insert(k, value(k));
            }
            System.out.println("READY");
            System.out.flush();
            new java.util.concurrent.CountDownLatch(1).await();
        };
        if (impl == Bench.Impl.OTP4J) {
            Bench.otp4j(() -> {
                try {
                    body.run();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } else {
            body.run();
        }
    }

    /** The child's work, in a process for otp4j, on the main thread otherwise. */
    private interface ChildBody {
        void run() throws IOException, InterruptedException;
    }

    private static long directorySize(Path file) throws IOException {
        // A store may keep more than one file (dets: the hint); count all that start with the name.
        try (Stream<Path> files = Files.list(file.getParent())) {
            return files.filter(f -> f.getFileName().toString().startsWith(file.getFileName().toString()))
                    .mapToLong(f -> {
                        try {
                            return Files.size(f);
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    }).sum();
        }
    }

    private static void delete(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ------------------------------------------------------------------ otp4j

    private static Store dets(Path file) throws IOException {
        DiskTable<Long, byte[]> t = Dets.openFile("w8", DetsOptions.defaults().withFile(file).withType(TableType.SET)
                .withRepair(Repair.IF_NEEDED));
        return new Store() {
            @Override
            public void insert(long k, byte[] v) {
                t.insert(k, v);
            }

            @Override
            public void insertAll(List<Map.Entry<Long, byte[]>> all) {
                t.insertAll(all);
            }

            @Override
            public byte[] lookup(long k) {
                List<byte[]> l = t.lookup(k);
                return l.isEmpty() ? null : l.getFirst();
            }

            @Override
            public long size() {
                return t.size();
            }

            @Override
            public void sync() {
                t.sync();
            }

            @Override
            public void close() {
                t.close();
            }
        };
    }

    // ------------------------------------------------------------------ the floor

    /** A bare append log: records {@code [u32 length][u64 key][value]}, a map of offsets, a force at sync. */
    static final class AppendLog implements Store {
        private final FileChannel ch;
        private final Map<Long, Long> offsets = new HashMap<>();
        private final ByteBuffer buffer = ByteBuffer.allocate(1 << 16);
        private long end;

        AppendLog(Path file) throws IOException {
            ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            // Reopening and repair: scan the whole log, cutting a torn record at its end.
            long size = ch.size();
            ByteBuffer in = ByteBuffer.allocate(1 << 20);
            long at = 0;
            ch.position(0);
            in.limit(0);
            while (true) {
                if (in.remaining() < 12) {
                    in.compact();
                    ch.read(in, at + in.position());
                    in.flip();
                    if (in.remaining() < 12) {
                        break;
                    }
                }
                int len = in.getInt(in.position());
                if (len < 8 || at + 4 + len > size) {
                    break;
                }
                long k = in.getLong(in.position() + 4);
                if (in.remaining() < 4 + len) {
                    in.compact();
                    ch.read(in, at + in.position());
                    in.flip();
                    if (in.remaining() < 4 + len) {
                        break;
                    }
                }
                offsets.put(k, at);
                in.position(in.position() + 4 + len);
                at += 4 + len;
            }
            end = at;
            ch.truncate(end);
        }

        @Override
        public void insert(long k, byte[] v) throws IOException {
            if (buffer.remaining() < 12 + v.length) {
                flush();
            }
            offsets.put(k, end + buffer.position());
            buffer.putInt(8 + v.length).putLong(k).put(v);
        }

        @Override
        public void insertAll(List<Map.Entry<Long, byte[]>> all) throws IOException {
            for (Map.Entry<Long, byte[]> e : all) {
                insert(e.getKey(), e.getValue());
            }
        }

        private void flush() throws IOException {
            buffer.flip();
            while (buffer.hasRemaining()) {
                end += ch.write(buffer, end);
            }
            buffer.clear();
        }

        @Override
        public byte[] lookup(long k) throws IOException {
            Long off = offsets.get(k);
            if (off == null) {
                return null;
            }
            if (off >= end) {
                flush();
            }
            ByteBuffer head = ByteBuffer.allocate(12);
            ch.read(head, off);
            byte[] v = new byte[head.getInt(0) - 8];
            ch.read(ByteBuffer.wrap(v), off + 12);
            return v;
        }

        @Override
        public long size() {
            return offsets.size();
        }

        @Override
        public void sync() throws IOException {
            flush();
            ch.force(false);
        }

        @Override
        public void close() throws IOException {
            sync();
            ch.close();
        }
    }

    // ------------------------------------------------------------------ MVStore

    /** H2's MVStore: one map, committed at the sync; its own background writer as configured by default. */
    static final class MvStore implements Store {
        private final MVStore store;
        private final MVMap<Long, byte[]> map;

        MvStore(Path file) {
            store = new MVStore.Builder().fileName(file.toString()).open();
            map = store.openMap("w8");
        }

        @Override
        public void insert(long k, byte[] v) {
            map.put(k, v);
        }

        @Override
        public void insertAll(List<Map.Entry<Long, byte[]>> all) {
            for (Map.Entry<Long, byte[]> e : all) {
                map.put(e.getKey(), e.getValue());
            }
        }

        @Override
        public byte[] lookup(long k) {
            return map.get(k);
        }

        @Override
        public long size() {
            return map.sizeAsLong();
        }

        @Override
        public void sync() {
            store.commit();
            store.sync();
        }

        @Override
        public void close() {
            store.close();
        }
    }
}
