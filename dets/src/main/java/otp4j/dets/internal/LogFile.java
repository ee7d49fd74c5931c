package otp4j.dets.internal;

import java.io.EOFException;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.CRC32C;

import otp4j.dets.DetsFileException;
import otp4j.dets.DetsFileException.Reason;
import otp4j.ets.TableType;

/**
 * The data file of a disk table: a header, then an append-only log of checksummed records. The
 * format is in the dets-format document; this class reads and writes it, nothing more.
 */
final class LogFile {
    /*
     * Overview
     *
     * All file I/O goes through one RandomAccessFile and its java.io methods (seek, read, write,
     * getFD().sync()), which an interrupt does not stop. A FileChannel closes itself when the
     * thread using it is interrupted, and a process that is killed is interrupted: one kill in the
     * middle of a read would close the file for every user of the table. The channel is used
     * only once, to take the file lock when the file is opened, on the opening thread.
     *
     * Reads of flushed bytes go to read-only mappings of the file, one per 4 MiB chunk, made the
     * first time a read falls in the chunk, as far as the file goes then (a read past that maps
     * the chunk again): a lookup is a memory copy, not two system calls. The mapping is made on a
     * worker thread (FileChannel.map is interruptible); reading a MappedByteBuffer is not.
     * Flushed bytes never change, and the file only grows while open (the one truncation, of a
     * torn tail, comes before any read), so a mapping never covers bytes that change or vanish.
     *
     * Appends go to a buffer first and reach the file (the operating system) when it fills, or
     * at flush; records are never split between the buffer and the file, so a record is read from
     * one or the other. The caller (DiskTableImpl) serialises every call with its lock: this class
     * is not thread-safe, except force(), see there.
     */

    static final byte[] MAGIC = "OTP4JDTS".getBytes(StandardCharsets.US_ASCII);
    static final int VERSION = 1;
    static final byte RECORD_MAGIC = (byte) 0xD5;
    static final int PUT = 1, DELETE_KEY = 2, DELETE_OBJECT = 3, CLEAR = 4;
    /** Largest record payload written or believed when read: bounds what a damaged length can make us allocate. */
    static final int MAX_PAYLOAD = 1 << 30;
    private static final int BUFFER = 1 << 16;
    private static final int CHUNK_BITS = 22;
    private static final long CHUNK = 1L << CHUNK_BITS;

    final Path path;
    private final RandomAccessFile raf;
    /** Held until close; closing the file releases it. */
    private final FileLock lock;
    final long fileId;
    final TableType type;
    final long headerLength;
    private final byte[] buffer = new byte[BUFFER];
    private int buffered;
    /** Bytes handed to the operating system; the file's length. */
    private long flushed;
    /** Where raf's file pointer is, so that appends after appends need no seek. */
    private long pointer = -1;
    /**
     * Bytes the disk still takes, for a test of a full disk: a write past it writes what fits
     * and fails as a full disk does. Unbounded unless a test sets it.
     */
    private long spaceLeft = Long.MAX_VALUE;
    /** Chunk i maps bytes [i * CHUNK, (i + 1) * CHUNK), or is null until first read. */
    private java.nio.MappedByteBuffer[] chunks = new java.nio.MappedByteBuffer[0];

    private LogFile(Path path, RandomAccessFile raf, FileLock lock, long fileId, TableType type, long headerLength,
                    long length) {
        this.path = path;
        this.raf = raf;
        this.lock = lock;
        this.fileId = fileId;
        this.type = type;
        this.headerLength = headerLength;
        this.flushed = length;
    }

    // ---------------------------------------------------------------- opening

    /**
     * Opens and locks {@code file}, known as {@code path} (they differ while compaction writes a
     * file to move over {@code path}), and checks its header; or creates it, with a header, when
     * {@code create} and it is empty. Never writes to a file that has a header.
     */
    static LogFile open(Path file, Path path, boolean writable, boolean create, TableType newType, String codec)
            throws IOException {
        RandomAccessFile raf = new RandomAccessFile(file.toFile(), writable ? "rw" : "r");
        boolean ok = false;
        try {
            FileLock lock;
            try {
                lock = raf.getChannel().tryLock(0, Long.MAX_VALUE, !writable);
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                throw new DetsFileException(Reason.IN_USE, path, "the file is locked: it is open in another JVM"
                        + (writable ? "" : " for writing") + ", or in this one outside this node's tables; close it there first");
            }
            LogFile f;
            if (create && raf.length() == 0) {
                long id = java.util.concurrent.ThreadLocalRandom.current().nextLong() | 1;
                byte[] header = header(newType, id, codec);
                raf.write(header);
                f = new LogFile(path, raf, lock, id, newType, header.length, header.length);
            } else {
                f = readHeader(path, raf, lock, codec);
            }
            ok = true;
            return f;
        } finally {
            if (!ok) {
                raf.close();
            }
        }
    }

    static byte[] header(TableType type, long fileId, String codec) {
        byte[] c = codec.getBytes(StandardCharsets.UTF_8);
        if (c.length > 255) {
            throw new IllegalArgumentException("the codec's name is longer than 255 bytes in UTF-8: " + codec);
        }
        Bytes b = new Bytes(32 + c.length);
        b.raw(MAGIC);
        b.u16(VERSION);
        b.u8(type.ordinal());
        b.u8(0);
        b.u64(fileId);
        b.u8(c.length);
        b.raw(c);
        b.u32(crc(b.array(), 0, b.length()));
        return b.toArray();
    }

    /** {@return whether the file starts as a disk table file} As {@code dets:is_dets_file/1} (DETS-022). */
    static boolean isDetsFile(Path path) throws IOException {
        try (RandomAccessFile raf = new RandomAccessFile(path.toFile(), "r")) {
            byte[] m = new byte[MAGIC.length];
            return raf.length() >= MAGIC.length && raf.read(m) == m.length && Arrays.equals(m, MAGIC);
        }
    }

    private static LogFile readHeader(Path path, RandomAccessFile raf, FileLock lock, String codec) throws IOException {
        long length = raf.length();
        byte[] h = new byte[(int) Math.min(length, 32 + 255)];
        raf.seek(0);
        raf.readFully(h);
        if (h.length < MAGIC.length || !Arrays.equals(Arrays.copyOf(h, MAGIC.length), MAGIC)) {
            throw new DetsFileException(Reason.NOT_A_DETS_FILE, path, 0, "not a disk table file: it does not start with "
                    + new String(MAGIC, StandardCharsets.US_ASCII) + "; Dets.isDetsFile tells them apart", null);
        }
        int fixed = MAGIC.length + 2 + 1 + 1 + 8 + 1;
        if (h.length < fixed) {
            throw corruptHeader(path, "the header is truncated at byte " + h.length);
        }
        int version = ((h[8] & 0xFF) << 8) | (h[9] & 0xFF);
        if (version > VERSION) {
            throw new DetsFileException(Reason.NEWER_VERSION, path, 8, "written by format version " + version
                    + "; this library reads versions up to " + VERSION + ": open it with a newer otp4j", null);
        }
        int n = h[fixed - 1] & 0xFF;
        int end = fixed + n;
        if (h.length < end + 4) {
            throw corruptHeader(path, "the header is truncated at byte " + h.length);
        }
        int stored = ((h[end] & 0xFF) << 24) | ((h[end + 1] & 0xFF) << 16) | ((h[end + 2] & 0xFF) << 8) | (h[end + 3] & 0xFF);
        if (stored != crc(h, 0, end) || version < 1 || (h[10] & 0xFF) >= TableType.values().length) {
            throw corruptHeader(path, "the header's checksum does not match (bytes 0 to " + (end + 3) + ")");
        }
        TableType type = TableType.values()[h[10] & 0xFF];
        long id = 0;
        for (int i = 12; i < 20; i++) {
            id = (id << 8) | (h[i] & 0xFF);
        }
        String written = new String(h, fixed, n, StandardCharsets.UTF_8);
        if (!written.equals(codec)) {
            throw new DetsFileException(Reason.CODEC_MISMATCH, path, fixed, "written with codec \"" + written
                    + "\"; it is being opened with codec \"" + codec + "\": open it with the codec it was written with", null);
        }
        return new LogFile(path, raf, lock, id, type, end + 4, length);
    }

    private static DetsFileException corruptHeader(Path path, String what) {
        return new DetsFileException(Reason.CORRUPT, path, 0, "the disk table header is damaged: " + what
                + "; the file cannot be recovered by repair, restore it from a copy", null);
    }

    // ---------------------------------------------------------------- records

    /** {@return a record of {@code kind} for {@code key} (may be null for CLEAR) and {@code value} (may be null)} */
    static byte[] record(int kind, byte[] key, byte[] value) {
        int payload = key == null ? 0 : Bytes.varintSize(key.length) + key.length + (value == null ? 0 : value.length);
        if (payload > MAX_PAYLOAD) {
            throw new IllegalArgumentException("a key and value of " + payload + " bytes exceed the largest record, "
                    + MAX_PAYLOAD + " bytes");
        }
        Bytes b = new Bytes(2 + 5 + payload + 4);
        b.u8(RECORD_MAGIC & 0xFF);
        b.u8(kind);
        b.varint(payload);
        if (key != null) {
            b.varint(key.length);
            b.raw(key);
            if (value != null) {
                b.raw(value);
            }
        }
        b.u32(crc(b.array(), 1, b.length() - 1));
        return b.toArray();
    }

    /** A record read back: its kind, key and value bytes, and where the next record starts. */
    record Rec(long offset, int kind, byte[] key, byte[] value, long end) {
    }

    /** A record that cannot be read; {@code torn} when the file simply ends inside it. */
    static final class BadRecord extends Exception {
        private static final long serialVersionUID = 1L;
        final long offset;
        final boolean torn;

        BadRecord(long offset, boolean torn, String message) {
            super(message, null, false, false);
            this.offset = offset;
            this.torn = torn;
        }
    }

    /**
     * {@return the record at {@code off} of {@code data}, which holds the file from byte
     * {@code base}; the file ends at {@code fileEnd}} Checks the magic, the length and the checksum.
     * Without {@code withValue} the value is left out (null) unless the record deletes an object
     * by value: a replay needs only the keys.
     *
     * @throws BadRecord if there is no whole, valid record there
     */
    static Rec parse(byte[] data, int from, int limit, long base, long fileEnd, boolean withValue) throws BadRecord {
        long off = base + from;
        if (limit - from < 3) {
            throw new BadRecord(off, base + limit >= fileEnd, "the file ends inside a record header");
        }
        if (data[from] != RECORD_MAGIC) {
            throw new BadRecord(off, false, "no record starts here (byte " + (data[from] & 0xFF) + ")");
        }
        int kind = data[from + 1];
        if (kind < PUT || kind > CLEAR) {
            throw new BadRecord(off, false, "unknown record kind " + kind);
        }
        int p = from + 2;
        long payload = 0;
        int shift = 0;
        while (true) {
            if (p >= limit) {
                throw new BadRecord(off, base + limit >= fileEnd, "the file ends inside a record length");
            }
            int b = data[p++];
            payload |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                break;
            }
            shift += 7;
            if (shift > 28) {
                throw new BadRecord(off, false, "a record length longer than 5 bytes");
            }
        }
        if (payload > MAX_PAYLOAD) {
            throw new BadRecord(off, false, "a record length of " + payload + " bytes, more than the largest record");
        }
        long end = p + payload + 4;
        if (end > limit) {
            throw new BadRecord(off, base + limit >= fileEnd && base + end > fileEnd,
                    "a record of " + (end - from) + " bytes, of which the file holds " + (limit - from));
        }
        int e = (int) end;
        int stored = ((data[e - 4] & 0xFF) << 24) | ((data[e - 3] & 0xFF) << 16) | ((data[e - 2] & 0xFF) << 8)
                | (data[e - 1] & 0xFF);
        if (stored != crc(data, from + 1, e - 4 - from - 1)) {
            throw new BadRecord(off, base + end >= fileEnd, "the record's checksum does not match");
        }
        byte[] key = null;
        byte[] value = null;
        if (kind != CLEAR) {
            int q = p;
            long kl = 0;
            shift = 0;
            while (true) {
                if (q >= p + payload || shift > 28) {
                    throw new BadRecord(off, false, "a key length that does not fit its record");
                }
                int b = data[q++];
                kl |= (long) (b & 0x7F) << shift;
                if ((b & 0x80) == 0) {
                    break;
                }
                shift += 7;
            }
            if (kl > p + payload - q) {
                throw new BadRecord(off, false, "a key length that does not fit its record");
            }
            key = Arrays.copyOfRange(data, q, q + (int) kl);
            if (withValue || kind == DELETE_OBJECT) {
                value = Arrays.copyOfRange(data, q + (int) kl, (int) (p + payload));
            }
        }
        return new Rec(off, kind, key, value, base + end);
    }

    // ---------------------------------------------------------------- I/O

    /** {@return the file's length, buffered appends included} */
    long length() {
        return flushed + buffered;
    }

    /** {@return the offset of {@code record}, appended} */
    long append(byte[] record) throws IOException {
        long at = length();
        if (record.length > BUFFER - buffered) {
            flush();
        }
        if (record.length > BUFFER) {
            writeAt(flushed, record, record.length);
            flushed += record.length;
        } else {
            System.arraycopy(record, 0, buffer, buffered, record.length);
            buffered += record.length;
        }
        return at;
    }

    /** Hands the buffered appends to the operating system. */
    void flush() throws IOException {
        if (buffered > 0) {
            writeAt(flushed, buffer, buffered);
            flushed += buffered;
            buffered = 0;
        }
    }

    /**
     * Writes {@code n} bytes at {@code at}. If it fails (a full disk), part of them may be in the
     * file: the caller's length does not move, so the next write goes over them, and a crash
     * leaves them as a torn tail past the length that the hint or the last record names.
     */
    private void writeAt(long at, byte[] b, int n) throws IOException {
        if (pointer != at) {
            raf.seek(at);
        }
        pointer = -1; // unknown if write throws
        if (n > spaceLeft) {
            raf.write(b, 0, (int) spaceLeft);
            spaceLeft = 0;
            throw new IOException("No space left on device");
        }
        raf.write(b, 0, n);
        if (spaceLeft != Long.MAX_VALUE) {
            spaceLeft -= n;
        }
        pointer = at + n;
    }

    /** For tests: the disk takes {@code bytes} more bytes of this file, then is full; {@code Long.MAX_VALUE} frees it. */
    void spaceLeft(long bytes) {
        spaceLeft = bytes;
    }

    /**
     * Drops the appended record at {@code at} and any after it, which are still in the buffer
     * (their flush failed): the write that appended them fails as a whole.
     */
    void unappend(long at) {
        if (at < flushed || at > length()) {
            throw new IllegalStateException("record at " + at + " is not in the buffer [" + flushed + ", " + length() + ")");
        }
        buffered = (int) (at - flushed);
    }

    /**
     * Forces what was flushed to the disk. May run without the caller's lock, concurrently with
     * appends and flushes (the group commit does): fsync on a descriptor that is being written is
     * safe, and forces at least what was flushed before it started.
     */
    void force() throws IOException {
        raf.getFD().sync();
    }

    /** {@return the record at {@code off}}, checked. */
    Rec read(long off) throws IOException, BadRecord {
        if (off >= flushed) {
            return parse(buffer, (int) (off - flushed), buffered, flushed, length(), true);
        }
        long available = flushed - off;
        int n = (int) Math.min(512, available);
        // Most records are short: copy only the record from the mapping, as its header says.
        byte[] head = mapped(off, Math.min(7, n));
        long size = head != null && head.length >= 3 && head[0] == RECORD_MAGIC ? recordLength(head, head.length) : 0;
        if (size > 0 && size <= available) {
            byte[] whole = mapped(off, (int) size);
            if (whole != null) {
                return parse(whole, 0, whole.length, off, flushed, true);
            }
        }
        byte[] b = mapped(off, n);
        if (b == null) {
            b = readAt(off, n);
        }
        if (n >= 3 && b[0] == RECORD_MAGIC) {
            long whole = recordLength(b, n);
            if (whole > n && whole <= available) {
                n = (int) whole;
                byte[] m = mapped(off, n);
                b = m != null ? m : readAt(off, n);
            }
        }
        return parse(b, 0, n, off, flushed, true);
    }

    /** {@return the length of the record whose first {@code n} bytes are {@code b}, as its header says; 0 if it cannot say} */
    private static long recordLength(byte[] b, int n) {
        long payload = 0;
        int p = 2;
        for (int shift = 0; shift <= 28 && p < n; shift += 7) {
            int x = b[p++];
            payload |= (long) (x & 0x7F) << shift;
            if ((x & 0x80) == 0) {
                return p + payload + 4;
            }
        }
        return 0;
    }

    /**
     * {@return the {@code n} bytes at {@code off} from a mapped chunk, or null if they cross a
     * chunk's end} The file's last chunk is mapped as far as the file goes, and mapped again,
     * further, when a read goes past its mapping: at most once per flush of appends.
     */
    private byte[] mapped(long off, int n) throws IOException {
        long i = off >>> CHUNK_BITS;
        if (((off + n - 1) >>> CHUNK_BITS) != i) {
            return null;
        }
        long start = i * CHUNK;
        if (i >= chunks.length) {
            chunks = Arrays.copyOf(chunks, (int) i + 1);
        }
        java.nio.MappedByteBuffer m = chunks[(int) i];
        if (m == null || off + n - start > m.capacity()) {
            long size = Math.min(CHUNK, flushed - start);
            m = Background.call(() -> raf.getChannel().map(java.nio.channels.FileChannel.MapMode.READ_ONLY, start, size));
            chunks[(int) i] = m;
        }
        byte[] b = new byte[n];
        m.get((int) (off - start), b);
        return b;
    }

    /** Reads {@code n} flushed bytes at {@code off}. */
    byte[] readAt(long off, int n) throws IOException {
        byte[] b = new byte[n];
        pointer = -1;
        raf.seek(off);
        try {
            raf.readFully(b);
        } catch (EOFException e) {
            throw new IOException(path + ": the file is shorter than expected (" + raf.length() + " bytes) at byte "
                    + off + "; was it truncated while open?", e);
        }
        return b;
    }

    /** Cuts the file at {@code length} (a torn tail). Only for a flushed, writable file. */
    void truncate(long length) throws IOException {
        flush();
        raf.setLength(length);
        flushed = length;
        pointer = -1;
    }

    /** Releases the lock and closes the file; flushes nothing. */
    void close() throws IOException {
        raf.close(); // releases the lock, without the channel's interruptible release
    }

    static int crc(byte[] b, int off, int len) {
        CRC32C c = new CRC32C();
        c.update(b, off, len);
        return (int) c.getValue();
    }
}
