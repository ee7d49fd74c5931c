package otp4j.dets.internal;

import java.io.FileNotFoundException;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.zip.CRC32C;

/**
 * The hint file of a data file: its {@link KeyDir} as of a clean point, stored as the directory's
 * own arrays, page-aligned, with a checksum per page. A clean open maps the file and checks only
 * its header and its table of page checksums; the directory then probes the mapping, checking
 * each page the first time it reads it ({@link Mapped}). The format is in the dets-format
 * document.
 */
final class HintFile {
    private HintFile() {}

    private static final byte[] MAGIC = "OTP4JDHT".getBytes(StandardCharsets.US_ASCII);
    /**
     * Versions 1 (each key's bytes and offsets) and 2 (the arrays under one checksum) are read only
     * to tell that their file was closed cleanly.
     */
    static final int VERSION = 3;
    /** magic, version, then file id, length, keys, objects, dead, capacity, lists, listed: u64 each. */
    private static final int FIELDS = 8 + 2 + 8 * 8;
    /** The header page: the fields and their checksum, then zeros; the arrays start page-aligned after it. */
    static final int PAGE_BITS = 12;
    static final int PAGE = 1 << PAGE_BITS;
    /** Bytes written at a time: a whole number of pages. */
    private static final int CHUNK = 1 << 20;
    /** Bytes of the file one mapping covers: a whole number of pages, so no page and no u64 crosses two. */
    private static final int MAP_BITS = 30;

    /** A hint read back: the key directory as of {@code length} bytes of the data file. */
    record Hint(KeyDir dir, long length) {
    }

    static Path path(Path file) {
        return file.resolveSibling(file.getFileName() + ".hint");
    }

    /**
     * Writes the key directory as the hint of {@code log}'s current length (which must be
     * flushed and forced): to a temporary file, then moved over the old hint.
     */
    static void write(LogFile log, KeyDir dir) throws IOException {
        List<long[]> lists = new ArrayList<>();
        long[] offs = dir.denseOffsets(lists);
        long[] hashes = dir.hashes();
        long listed = lists.stream().mapToLong(l -> l.length).sum();
        Path hint = path(log.path);
        Path tmp = hint.resolveSibling(hint.getFileName() + ".tmp");
        // Not forced: a hint lost or torn by a power cut fails its checksums and costs a replay of
        // the data file, which is forced; a crash of the JVM alone loses nothing written here.
        boolean ok = false;
        try (FileOutputStream f = new FileOutputStream(tmp.toFile())) {
            ByteBuffer header = ByteBuffer.allocate(PAGE);
            header.put(MAGIC).putShort((short) VERSION).putLong(log.fileId).putLong(log.length()).putLong(dir.keys())
                    .putLong(dir.objects()).putLong(dir.dead()).putLong(hashes.length).putLong(lists.size())
                    .putLong(listed);
            header.putInt(crc(header.array(), 0, FIELDS));
            f.write(header.array());
            Body body = new Body(f);
            body.longs(hashes);
            body.longs(offs);
            for (long[] l : lists) {
                body.room(8);
                body.bb.putLong(l.length);
                body.longs(l);
            }
            body.finish();
            ok = true;
        } finally {
            if (!ok) {
                Files.deleteIfExists(tmp);
            }
        }
        Files.move(tmp, hint, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /**
     * {@return the key directory of {@code log}'s hint, if there is a hint of this version, its
     * header and page checksums are whole, it belongs to this file (same file id) and covers no
     * more than the file holds} A bad hint is only a missed shortcut: the records are in the data
     * file. The pages of the arrays are checked as the directory first reads them.
     */
    static Optional<Hint> read(LogFile log) throws IOException {
        Path path = path(log.path);
        ByteBuffer[] maps;
        try (RandomAccessFile raf = new RandomAccessFile(path.toFile(), "r")) {
            long size = raf.length();
            if (size < PAGE + 4) {
                return Optional.empty();
            }
            // On the caller's thread, although FileChannel.map is interruptible and the opener may
            // be a process being killed: an interrupt closes this channel, the hint's own, and no
            // one else's, and the map is then done again on a worker. (A hand-off to a worker each
            // time cost a clean open 0.3-1.4 ms of waiting for a core, as much as the rest of it.)
            try {
                maps = map(raf.getChannel(), size);
            } catch (ClosedByInterruptException e) {
                maps = Background.call(() -> {
                    try (RandomAccessFile again = new RandomAccessFile(path.toFile(), "r")) {
                        return map(again.getChannel(), size);
                    }
                });
            }
            // The mappings outlive the file's descriptor.
        } catch (NoSuchFileException | FileNotFoundException e) {
            return Optional.empty();
        }
        ByteBuffer h = maps[0];
        byte[] fields = new byte[FIELDS];
        h.get(0, fields);
        ByteBuffer b = ByteBuffer.wrap(fields);
        byte[] magic = new byte[MAGIC.length];
        b.get(magic);
        int version = b.getShort();
        long id = b.getLong();
        long length = b.getLong();
        long keys = b.getLong();
        long objects = b.getLong();
        long dead = b.getLong();
        long capacity = b.getLong();
        long lists = b.getLong();
        long listed = b.getLong();
        if (!Arrays.equals(magic, MAGIC) || version != VERSION || h.getInt(FIELDS) != crc(fields, 0, FIELDS)
                || id != log.fileId || length > log.length() || length < log.headerLength || capacity < 16
                || capacity > 1 << 30 || Long.bitCount(capacity) != 1 || keys < 0 || 5 * keys > 4 * capacity
                || objects < keys || dead < 0 || lists < 0 || lists > keys || listed < 2 * lists || listed > objects
                || lists == 0 && listed != 0) {
            return Optional.empty();
        }
        Mapped m = new Mapped(path, maps, (int) capacity, 8 * (2 * capacity + lists + listed));
        if (!m.tableWhole()) {
            return Optional.empty();
        }
        long[][] bag = new long[(int) lists][];
        try {
            long at = 16 * capacity;
            for (int j = 0; j < bag.length; j++) {
                long n = m.body(at);
                if (n < 2 || n > listed) {
                    return Optional.empty();
                }
                listed -= n;
                bag[j] = new long[(int) n];
                m.body(at + 8, bag[j]);
                at += 8 * (n + 1);
            }
        } catch (Damaged e) {
            return Optional.empty();
        }
        if (listed != 0) {
            return Optional.empty();
        }
        return Optional.of(new Hint(KeyDir.of(log, m, length, bag, (int) keys, objects, dead), length));
    }

    /** {@return mappings of the {@code size} bytes of {@code ch}'s file}, read-only, {@code 1 << MAP_BITS} bytes each. */
    private static ByteBuffer[] map(FileChannel ch, long size) throws IOException {
        ByteBuffer[] m = new ByteBuffer[(int) ((size - 1) >>> MAP_BITS) + 1];
        for (int i = 0; i < m.length; i++) {
            long start = (long) i << MAP_BITS;
            m[i] = ch.map(FileChannel.MapMode.READ_ONLY, start, Math.min(size - start, 1L << MAP_BITS));
        }
        return m;
    }

    /**
     * {@return whether {@code log} has a hint of an older format version that covers it whole}:
     * the file was closed cleanly, and its key directory is rebuilt from the records.
     */
    static boolean olderCovering(LogFile log) throws IOException {
        try (RandomAccessFile raf = new RandomAccessFile(path(log.path).toFile(), "r")) {
            byte[] h = new byte[8 + 2 + 8 + 8];
            if (raf.length() < h.length) {
                return false;
            }
            raf.readFully(h);
            ByteBuffer b = ByteBuffer.wrap(h);
            byte[] magic = new byte[MAGIC.length];
            b.get(magic);
            int version = b.getShort();
            return Arrays.equals(magic, MAGIC) && version >= 1 && version < VERSION && b.getLong() == log.fileId
                    && b.getLong() == log.length();
        } catch (NoSuchFileException | FileNotFoundException e) {
            return false;
        }
    }

    private static int crc(byte[] b, int off, int len) {
        CRC32C c = new CRC32C();
        c.update(b, off, len);
        return (int) c.getValue();
    }

    /** A page of a mapped hint whose checksum does not match: the hint cannot be trusted, the data file can. */
    static final class Damaged extends IOException {
        private static final long serialVersionUID = 1L;

        Damaged(Path hint, long page) {
            super(hint + ": page " + page + " of the hint file does not match its checksum");
        }
    }

    /**
     * A mapped hint, read-only: the arrays of a key directory, read in place. Each page of the
     * body (what follows the header page) is checked against its checksum the first time it is
     * read, so a clean open costs the header and the table of checksums, and a lookup after it
     * the pages its probe meets. The pages read stay in the operating system's cache, shared with
     * every other reader of the file; nothing is copied into the heap until the directory changes
     * ({@link #copy}). Not thread-safe: the table's lock guards it, as it guards the directory.
     */
    static final class Mapped {
        private final Path path;
        private final ByteBuffer[] maps;
        final int capacity;
        private final long bodyLength;
        private final long pages;
        /** Where the page checksums start: one u32 per page of the body, then the checksum of the table. */
        private final long table;
        /** A bit per page of the body: set once the page matched its checksum. */
        private final long[] checked;

        Mapped(Path path, ByteBuffer[] maps, int capacity, long bodyLength) {
            this.path = path;
            this.maps = maps;
            this.capacity = capacity;
            this.bodyLength = bodyLength;
            this.pages = (bodyLength + PAGE - 1) >>> PAGE_BITS;
            this.table = PAGE + bodyLength;
            this.checked = new long[(int) ((pages + 63) >>> 6)];
        }

        /** {@return whether the file is as long as its header says and its table of checksums is whole} */
        boolean tableWhole() {
            long size = ((long) (maps.length - 1) << MAP_BITS) + maps[maps.length - 1].capacity();
            if (size != table + 4 * pages + 4) {
                return false;
            }
            CRC32C c = new CRC32C();
            update(c, table, 4 * pages);
            return (int) c.getValue() == getInt(table + 4 * pages);
        }

        long hash(int slot) throws Damaged {
            return body(8L * slot);
        }

        long offset(int slot) throws Damaged {
            return body(8L * ((long) capacity + slot));
        }

        /** {@return the u64 at {@code at} in the body}, its page checked first. */
        long body(long at) throws Damaged {
            checkOnce(at >>> PAGE_BITS);
            return map(PAGE + at).getLong(in(PAGE + at));
        }

        /** Reads {@code into.length} u64s of the body from {@code at}, their pages checked first. */
        void body(long at, long[] into) throws Damaged {
            long end = at + 8L * into.length;
            for (long page = at >>> PAGE_BITS; page < (end + PAGE - 1) >>> PAGE_BITS; page++) {
                checkOnce(page);
            }
            for (int i = 0; i < into.length; ) {
                long p = PAGE + at + 8L * i;
                ByteBuffer m = map(p);
                int n = Math.min(into.length - i, (m.capacity() - in(p)) / 8);
                m.slice(in(p), 8 * n).asLongBuffer().get(into, i, n);
                i += n;
            }
        }

        /** {@return the directory's two arrays, hashes and offsets}, each page checked (a copy the directory can change). */
        long[][] copy() throws Damaged {
            long[] hashes = new long[capacity];
            long[] offs = new long[capacity];
            body(0, hashes);
            body(8L * capacity, offs);
            return new long[][] {hashes, offs};
        }

        private void checkOnce(long page) throws Damaged {
            if ((checked[(int) (page >>> 6)] & 1L << page) == 0) {
                check(page);
            }
        }

        private void check(long page) throws Damaged {
            long start = PAGE + (page << PAGE_BITS);
            CRC32C c = new CRC32C();
            update(c, start, Math.min(PAGE, bodyLength - (page << PAGE_BITS)));
            if ((int) c.getValue() != getInt(table + 4 * page)) {
                throw new Damaged(path, page);
            }
            checked[(int) (page >>> 6)] |= 1L << page;
        }

        /** Adds {@code n} bytes of the file from {@code at} to {@code c}, across mappings if need be. */
        private void update(CRC32C c, long at, long n) {
            while (n > 0) {
                ByteBuffer m = map(at);
                int k = (int) Math.min(n, m.capacity() - in(at));
                c.update(m.slice(in(at), k));
                at += k;
                n -= k;
            }
        }

        private int getInt(long at) {
            return map(at).getInt(in(at));
        }

        /** {@return the mapping that holds byte {@code at} of the file} */
        private ByteBuffer map(long at) {
            return maps[(int) (at >>> MAP_BITS)];
        }

        /** {@return where byte {@code at} of the file is in its mapping} */
        private static int in(long at) {
            return (int) (at & ((1L << MAP_BITS) - 1));
        }
    }

    /** The writing end of the body: a buffer of {@link #CHUNK} bytes, each page checksummed as it is written out. */
    private static final class Body {
        final FileOutputStream f;
        final byte[] b = new byte[CHUNK];
        final ByteBuffer bb = ByteBuffer.wrap(b);
        final CRC32C page = new CRC32C();
        int inPage;
        int[] sums = new int[64];
        int pages;

        Body(FileOutputStream f) {
            this.f = f;
        }

        void room(int n) throws IOException {
            if (bb.remaining() < n) {
                drain();
            }
        }

        void longs(long[] a) throws IOException {
            for (int i = 0; i < a.length; ) {
                room(8);
                int n = Math.min(a.length - i, bb.remaining() / 8);
                bb.asLongBuffer().put(a, i, n);
                bb.position(bb.position() + 8 * n);
                i += n;
            }
        }

        void drain() throws IOException {
            for (int at = 0, len = bb.position(); len > 0; ) {
                int n = Math.min(len, PAGE - inPage);
                page.update(b, at, n);
                inPage += n;
                at += n;
                len -= n;
                if (inPage == PAGE) {
                    endPage();
                }
            }
            f.write(b, 0, bb.position());
            bb.clear();
        }

        private void endPage() {
            if (pages == sums.length) {
                sums = Arrays.copyOf(sums, 2 * pages);
            }
            sums[pages++] = (int) page.getValue();
            page.reset();
            inPage = 0;
        }

        /** Writes out the rest of the body, then the table of page checksums and its own checksum. */
        void finish() throws IOException {
            drain();
            if (inPage > 0) {
                endPage();
            }
            CRC32C table = new CRC32C();
            for (int i = 0; i < pages; i++) {
                bb.putInt(sums[i]); // the buffer is empty and a whole number of u32s long
                if (!bb.hasRemaining()) {
                    table.update(b, 0, bb.position());
                    f.write(b, 0, bb.position());
                    bb.clear();
                }
            }
            table.update(b, 0, bb.position());
            bb.putInt((int) table.getValue());
            f.write(b, 0, bb.position());
        }
    }
}
