package otp4j.dets.internal;

import java.io.FileNotFoundException;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
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
 * own arrays so that reading it back is a bulk copy. The format is in the dets-format document.
 */
final class HintFile {
    private HintFile() {}

    private static final byte[] MAGIC = "OTP4JDHT".getBytes(StandardCharsets.US_ASCII);
    /** Version 1 held each key's bytes and offsets; it is read only to tell that its file was closed cleanly. */
    static final int VERSION = 2;
    /** magic, version, then file id, length, keys, objects, dead, capacity, lists: u64 each. */
    private static final int HEADER = 8 + 2 + 7 * 8;
    /** Bytes read or written at a time: a hint's arrays go through this buffer, not one array of the whole file. */
    private static final int CHUNK = 1 << 20;

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
        Path hint = path(log.path);
        Path tmp = hint.resolveSibling(hint.getFileName() + ".tmp");
        // Not forced: a hint lost or torn by a power cut fails its checksum and costs a replay of
        // the data file, which is forced; a crash of the JVM alone loses nothing written here.
        boolean ok = false;
        try (FileOutputStream f = new FileOutputStream(tmp.toFile())) {
            Out out = new Out(f);
            out.bb.put(MAGIC).putShort((short) VERSION).putLong(log.fileId).putLong(log.length()).putLong(dir.keys())
                    .putLong(dir.objects()).putLong(dir.dead()).putLong(dir.capacity()).putLong(lists.size());
            out.longs(dir.hashes());
            out.longs(offs);
            for (long[] l : lists) {
                out.room(8);
                out.bb.putLong(l.length);
                out.longs(l);
            }
            out.finish();
            ok = true;
        } finally {
            if (!ok) {
                Files.deleteIfExists(tmp);
            }
        }
        Files.move(tmp, hint, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /**
     * {@return the key directory of {@code log}'s hint, if there is a hint of this version, it is
     * whole, it belongs to this file (same file id) and covers no more than the file holds} A bad
     * hint is only a missed shortcut: the records are in the data file.
     */
    static Optional<Hint> read(LogFile log) throws IOException {
        try (RandomAccessFile raf = new RandomAccessFile(path(log.path).toFile(), "r")) {
            long total = raf.length();
            if (total < HEADER + 4) {
                return Optional.empty();
            }
            In in = new In(raf, total - 4);
            in.need(HEADER);
            byte[] magic = new byte[MAGIC.length];
            in.bb.get(magic);
            int version = in.bb.getShort();
            long id = in.bb.getLong();
            long length = in.bb.getLong();
            long keys = in.bb.getLong();
            long objects = in.bb.getLong();
            long dead = in.bb.getLong();
            long capacity = in.bb.getLong();
            long lists = in.bb.getLong();
            long room = total - HEADER - 4;
            if (!Arrays.equals(magic, MAGIC) || version != VERSION || id != log.fileId || length > log.length()
                    || length < log.headerLength || capacity < 16 || capacity > 1 << 30
                    || Long.bitCount(capacity) != 1 || keys < 0 || 5 * keys > 4 * capacity || objects < keys
                    || dead < 0 || lists < 0 || lists > keys || room < 16 * capacity + 8 * lists) {
                return Optional.empty();
            }
            long[] hashes = new long[(int) capacity];
            long[] offs = new long[(int) capacity];
            in.longs(hashes);
            in.longs(offs);
            long[][] bag = new long[(int) lists][];
            long listed = 0;
            for (int j = 0; j < bag.length; j++) {
                in.need(8);
                long n = in.bb.getLong();
                listed += n;
                if (n < 2 || listed > objects) {
                    return Optional.empty();
                }
                bag[j] = new long[(int) n];
                in.longs(bag[j]);
            }
            raf.seek(total - 4);
            if (in.left != 0 || in.bb.hasRemaining() || raf.readInt() != (int) in.crc.getValue()) {
                return Optional.empty();
            }
            return Optional.of(new Hint(KeyDir.of(log, hashes, offs, bag, (int) keys, objects, dead), length));
        } catch (NoSuchFileException | FileNotFoundException | Truncated e) {
            return Optional.empty();
        }
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

    /** A hint shorter than its header says. */
    private static final class Truncated extends Exception {
        private static final long serialVersionUID = 1L;

        Truncated() {
            super(null, null, false, false);
        }
    }

    /** The writing end: a buffer of {@link #CHUNK} bytes, checksummed as it is written out. */
    private static final class Out {
        final FileOutputStream f;
        final byte[] b = new byte[CHUNK];
        final ByteBuffer bb = ByteBuffer.wrap(b);
        final CRC32C crc = new CRC32C();

        Out(FileOutputStream f) {
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
            crc.update(b, 0, bb.position());
            f.write(b, 0, bb.position());
            bb.clear();
        }

        void finish() throws IOException {
            drain();
            bb.putInt((int) crc.getValue());
            f.write(b, 0, 4);
        }
    }

    /** The reading end: {@code left} bytes of the file still to read, checksummed as they are read. */
    private static final class In {
        final RandomAccessFile raf;
        final byte[] b = new byte[CHUNK];
        final ByteBuffer bb = ByteBuffer.wrap(b).limit(0);
        final CRC32C crc = new CRC32C();
        long left;

        In(RandomAccessFile raf, long left) {
            this.raf = raf;
            this.left = left;
        }

        void need(int n) throws IOException, Truncated {
            if (bb.remaining() >= n) {
                return;
            }
            bb.compact();
            int want = (int) Math.min(left, bb.remaining());
            raf.readFully(b, bb.position(), want);
            crc.update(b, bb.position(), want);
            left -= want;
            bb.position(bb.position() + want).flip();
            if (bb.remaining() < n) {
                throw new Truncated();
            }
        }

        void longs(long[] a) throws IOException, Truncated {
            for (int i = 0; i < a.length; ) {
                need(8);
                int n = Math.min(a.length - i, bb.remaining() / 8);
                bb.asLongBuffer().get(a, i, n);
                bb.position(bb.position() + 8 * n);
                i += n;
            }
        }
    }
}
