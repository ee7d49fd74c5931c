package otp4j.dets.internal;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.Optional;

import otp4j.dets.DetsFileException;
import otp4j.dets.DetsFileException.Reason;
import otp4j.dets.FileAccess;
import otp4j.dets.Repair;
import otp4j.ets.TableType;

/**
 * Opening a data file: trusting its hint file when the file was closed cleanly, replaying the
 * records after the hint otherwise, cutting a torn tail, refusing a damaged middle; and the
 * rewrite that compaction and {@link Repair#FORCE} do. See the dets-format document.
 */
final class Recovery {
    private Recovery() {}

    private static final System.Logger LOG = System.getLogger("otp4j.dets");
    /** How much of the file a scan reads at a time (more for a longer record). */
    private static final int WINDOW = 1 << 20;

    /** An opened file and its key directory; {@code clean} if its hint covers it (a close need not write one). */
    record Opened(LogFile log, KeyDir dir, boolean clean) {
    }

    static Opened open(Path path, Optional<TableType> type, FileAccess access, Repair repair, String codec)
            throws IOException {
        Path parent = path.toAbsolutePath().getParent();
        if (parent != null && !Files.isDirectory(parent)) {
            throw new NoSuchFileException(path.toString(), null, "the directory " + parent + " does not exist");
        }
        boolean writable = access == FileAccess.READ_WRITE;
        boolean exists = Files.exists(path);
        if (!exists && !writable) {
            throw new NoSuchFileException(path.toString(), null, "no such file to open for reading");
        }
        if (exists && Files.isDirectory(path)) {
            throw new DetsFileException(Reason.NOT_A_DETS_FILE, path, "a directory, not a disk table file");
        }
        if (exists && writable && !Files.isWritable(path)) {
            throw new AccessDeniedException(path.toString(), null,
                    "the file is read-only; open it with FileAccess.READ, or make it writable");
        }
        LogFile log = LogFile.open(path, path, writable, writable, type.orElse(TableType.SET), codec);
        boolean ok = false;
        try {
            if (type.isPresent() && type.get() != log.type) {
                throw new DetsFileException(Reason.TYPE_MISMATCH, path, "holds a " + log.type + " table, not a "
                        + type.get() + "; open it with that type, or without a type");
            }
            Opened o = recover(log, writable, repair, codec);
            ok = true;
            return o;
        } finally {
            if (!ok) {
                log.close();
            }
        }
    }

    private static Opened recover(LogFile log, boolean writable, Repair repair, String codec) throws IOException {
        Path path = log.path;
        if (repair == Repair.FORCE) {
            KeyDir dir = new KeyDir(log, log.type.isSet(), 1024);
            Scan s = scan(log, log.headerLength, log.length(), dir);
            if (s.bad != null && !s.torn) {
                Path aside = path.resolveSibling(path.getFileName() + ".corrupt");
                Files.copy(path, aside, StandardCopyOption.REPLACE_EXISTING);
                LOG.log(System.Logger.Level.ERROR, () -> "dets: file " + path + " is damaged at byte " + s.bad.offset
                        + " (" + s.bad.getMessage() + "); kept the " + dir.objects() + " objects before it; the whole file is in "
                        + aside);
            }
            LogFile compacted = rewrite(log, dir, codec);
            LOG.log(System.Logger.Level.INFO, () -> "dets: file " + path + " is now compacted");
            return new Opened(compacted, reloadHint(compacted), true);
        }
        Optional<HintFile.Hint> hint = HintFile.read(log);
        if (hint.isPresent() && hint.get().length() == log.length()) {
            return new Opened(log, hint.get().dir(), true);
        }
        if (hint.isEmpty() && log.length() == log.headerLength) {
            return new Opened(log, new KeyDir(log, log.type.isSet(), 16), false); // new, or nothing was ever written
        }
        // A hint of an older format that covers the file: closed cleanly, only the shortcut is gone.
        boolean older = hint.isEmpty() && HintFile.olderCovering(log);
        if (repair == Repair.NEVER && !older) {
            throw new DetsFileException(Reason.NEEDS_REPAIR, path, "not closed properly (a crash, or open elsewhere); "
                    + "open it with Repair.IF_NEEDED to recover it");
        }
        KeyDir dir = hint.map(HintFile.Hint::dir).orElseGet(() -> new KeyDir(log, log.type.isSet(), 1024));
        long from = hint.map(HintFile.Hint::length).orElse(log.headerLength);
        if (older) {
            LOG.log(System.Logger.Level.INFO, () -> "dets: file " + path + " has a hint file of an older format; "
                    + "reading its records to rebuild it");
        } else {
            LOG.log(System.Logger.Level.WARNING, () -> "dets: file " + path + " not properly closed, repairing ...");
        }
        Scan s = scan(log, from, log.length(), dir);
        if (s.bad != null) {
            if (!s.torn) {
                throw new DetsFileException(Reason.CORRUPT, path, s.bad.offset, "damaged record at byte " + s.bad.offset
                        + " (" + s.bad.getMessage() + "), with valid records after it; open it with Repair.FORCE to keep "
                        + "the records before the damage (the whole file is copied aside first)", null);
            }
            long cut = log.length() - s.bad.offset;
            if (writable) {
                log.truncate(s.bad.offset);
            }
            LOG.log(System.Logger.Level.WARNING, () -> "dets: file " + path + ": " + (writable ? "cut" : "ignored")
                    + " a torn write of " + cut + " bytes at its end (byte " + s.bad.offset + ")");
        }
        return new Opened(log, dir, false);
    }

    /** The outcome of a scan: the first bad record, if any, and whether it is a torn tail (nothing valid after it). */
    private record Scan(LogFile.BadRecord bad, boolean torn) {
    }

    /**
     * Replays the records of a clean file up to {@code end} into an empty {@code dir}: what a
     * directory read from a damaged hint is rebuilt from. A bad record there is damage.
     */
    static void replay(LogFile log, long end, KeyDir dir) throws IOException {
        Scan s = scan(log, log.headerLength, end, dir);
        if (s.bad != null) {
            throw damaged(log, s.bad.offset, s.bad);
        }
    }

    /** Replays the records in [{@code from}, {@code end}) into {@code dir}. */
    private static Scan scan(LogFile log, long from, long end, KeyDir dir) throws IOException {
        long at = from;
        byte[] window = new byte[0];
        long base = from;
        int limit = 0;
        while (at < end) {
            int i = (int) (at - base);
            if (at < base || i + 16 > limit && base + limit < end) {
                base = at;
                limit = (int) Math.min(end - at, WINDOW);
                window = log.readAt(at, limit);
                i = 0;
            }
            LogFile.Rec r;
            try {
                r = LogFile.parse(window, i, limit, base, end, false);
            } catch (LogFile.BadRecord e) {
                if (base + limit < end) {
                    long whole = lengthOf(window, i, limit);
                    if (whole > limit - i && whole <= end - at) {
                        base = at;
                        limit = (int) Math.max(whole, Math.min(WINDOW, end - at));
                        window = log.readAt(at, limit);
                        continue;
                    }
                }
                return new Scan(e, !validRecordAfter(log, at + 1, end));
            }
            apply(log, dir, r);
            at = r.end();
        }
        return new Scan(null, true);
    }

    private static long lengthOf(byte[] w, int i, int limit) {
        if (limit - i < 3 || w[i] != LogFile.RECORD_MAGIC) {
            return 0;
        }
        long payload = 0;
        int p = i + 2;
        for (int shift = 0; shift <= 28 && p < limit; shift += 7) {
            int x = w[p++];
            payload |= (long) (x & 0x7F) << shift;
            if ((x & 0x80) == 0) {
                return p - i + payload + 4;
            }
        }
        return 0;
    }

    /** {@return whether a whole, valid record starts anywhere in [from, end)}: what tells damage from a torn tail. */
    private static boolean validRecordAfter(LogFile log, long from, long end) throws IOException {
        for (long base = from; base < end; ) {
            int n = (int) Math.min(end - base, WINDOW);
            byte[] w = log.readAt(base, n);
            for (int i = 0; i < n; i++) {
                if (w[i] != LogFile.RECORD_MAGIC) {
                    continue;
                }
                long whole = lengthOf(w, i, n);
                if (whole < 7 || whole > end - (base + i)) {
                    continue;
                }
                byte[] r = whole <= n - i ? w : log.readAt(base + i, (int) whole);
                int start = whole <= n - i ? i : 0;
                try {
                    LogFile.parse(r, start, start + (int) whole, whole <= n - i ? base : base + i, end, false);
                    return true;
                } catch (LogFile.BadRecord e) {
                    // not a record: go on looking
                }
            }
            base += n;
        }
        return false;
    }

    /** Applies one record to the key directory, as a write did when it appended it. */
    static void apply(LogFile log, KeyDir dir, LogFile.Rec r) throws IOException {
        switch (r.kind()) {
            case LogFile.PUT -> dir.put(new KeyBytes(r.key()), r.offset());
            case LogFile.DELETE_KEY -> {
                dir.remove(new KeyBytes(r.key()));
                dir.addDead(1);
            }
            case LogFile.DELETE_OBJECT -> {
                KeyBytes k = new KeyBytes(r.key());
                long[] offsets = dir.get(k);
                if (offsets != null) {
                    long[] gone = new long[offsets.length];
                    int n = 0;
                    for (long o : offsets) {
                        if (Arrays.equals(readChecked(log, o).value(), r.value())) {
                            gone[n++] = o;
                        }
                    }
                    dir.removeOffsets(k, Arrays.copyOf(gone, n));
                }
                dir.addDead(1);
            }
            case LogFile.CLEAR -> {
                dir.clear();
                dir.addDead(1);
            }
            default -> throw new IllegalStateException("record kind " + r.kind() + " passed parse");
        }
    }

    /** {@return the record at {@code off}} A damaged one is a {@link DetsFileException} naming it. */
    static LogFile.Rec readChecked(LogFile log, long off) throws IOException {
        try {
            return log.read(off);
        } catch (LogFile.BadRecord e) {
            throw damaged(log, off, e);
        }
    }

    /** {@return the error for a damaged record at {@code off} of a file opened as clean}: FORCE keeps the rest. */
    private static DetsFileException damaged(LogFile log, long off, LogFile.BadRecord e) {
        return new DetsFileException(Reason.CORRUPT, log.path, off, "damaged record at byte " + off + " ("
                + e.getMessage() + "); reopen the file with Repair.FORCE to keep every undamaged record", null);
    }

    // ---------------------------------------------------------------- compaction

    /**
     * Writes the live records of {@code dir} to a new file, forces it and its hint, and moves it
     * over the old one in one step; {@return the new file, open} The old one is closed.
     */
    static LogFile rewrite(LogFile old, KeyDir dir, String codec) throws IOException {
        Path path = old.path;
        Path tmp = path.resolveSibling(path.getFileName() + ".compact");
        Files.deleteIfExists(tmp);
        LogFile fresh = LogFile.open(tmp, path, true, true, old.type, codec);
        boolean ok = false;
        try {
            KeyDir next = new KeyDir(fresh, old.type.isSet(), dir.keys());
            for (int s = dir.nextSlot(0); s >= 0; s = dir.nextSlot(s + 1)) {
                long[] offsets = dir.offsetsOf(s).clone();
                for (int i = 0; i < offsets.length; i++) {
                    LogFile.Rec r = readChecked(old, offsets[i]);
                    offsets[i] = fresh.append(LogFile.record(LogFile.PUT, r.key(), r.value()));
                }
                next.putNew(dir.hashAt(s), offsets);
            }
            fresh.flush();
            fresh.force();
            HintFile.write(fresh, next);
            Files.move(tmp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            Background.forceDirectory(path);
            ok = true;
        } finally {
            if (!ok) {
                fresh.close();
                Files.deleteIfExists(tmp);
            }
        }
        old.close();
        return fresh;
    }

    static KeyDir reloadHint(LogFile log) throws IOException {
        return HintFile.read(log).map(HintFile.Hint::dir)
                .orElseThrow(() -> new IOException(log.path + ": the hint just written cannot be read back"));
    }
}
