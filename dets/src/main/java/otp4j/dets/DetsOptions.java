package otp4j.dets;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

import otp4j.ets.BadArgException;
import otp4j.ets.TableType;
import otp4j.ets.TermCodec;

/**
 * The options of {@link Dets#openFile}, as the option list of {@code dets:open_file/2}.
 * Immutable; each {@code with} method returns a copy. An option list has no unknown option here
 * (DETS-003): each option is a component.
 *
 * @param file       {@code {file, File}}; empty: the table's name is the file name, in the
 *                   current directory (DETS-036)
 * @param type       {@code {type, Type}}: set, bag or duplicate bag (DETS has no ordered set,
 *                   DETS-002); empty: the type of an existing file, or a set for a new one
 * @param access     {@code {access, Access}}, by default read and write
 * @param repair     {@code {repair, Repair}}, by default {@link Repair#IF_NEEDED}
 * @param autoSave   {@code {auto_save, Interval}}: how often a table written since its last
 *                   save is synced; empty is {@code infinity}. By default 180 s, as DETS (DETS-009)
 * @param durability when writes reach the disk, by default {@link Durability#ON_SYNC} as DETS
 * @param codec      how keys and values are written, by default {@link TermCodec#standard()};
 *                   its name is in the file and must match on every open
 */
public record DetsOptions(Optional<Path> file, Optional<TableType> type, FileAccess access, Repair repair,
                          Optional<Duration> autoSave, Durability durability, TermCodec codec) {

    /** DETS's default auto-save interval, 180 s ({@code dets:info(T, auto_save)}, DETS-009). */
    public static final Duration DEFAULT_AUTO_SAVE = Duration.ofMinutes(3);

    /**
     * Checks the options.
     *
     * @throws NullPointerException if a component is null
     * @throws BadArgException      if the type is an ordered set, the auto-save interval is not
     *                              positive, or {@link Repair#FORCE} is asked with {@link FileAccess#READ}
     */
    public DetsOptions {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(access, "access");
        Objects.requireNonNull(repair, "repair");
        Objects.requireNonNull(autoSave, "autoSave");
        Objects.requireNonNull(durability, "durability");
        Objects.requireNonNull(codec, "codec");
        if (type.isPresent() && type.get() == TableType.ORDERED_SET) {
            throw new BadArgException("type: a disk table is a set, a bag or a duplicate bag; DETS has no ordered set "
                    + "(use an ets ordered set, filled by DiskTable.toEts)");
        }
        if (autoSave.isPresent() && (autoSave.get().isNegative() || autoSave.get().isZero())) {
            throw new BadArgException("autoSave must be positive, or empty for never (infinity), was " + autoSave.get());
        }
        if (repair == Repair.FORCE && access == FileAccess.READ) {
            throw new BadArgException("repair FORCE rewrites the file, which access READ forbids; open it READ_WRITE");
        }
    }

    /** {@return DETS's defaults: file named after the table, type of the file or set, read and write, repair if needed, auto-save every 180 s} */
    public static DetsOptions defaults() {
        return new DetsOptions(Optional.empty(), Optional.empty(), FileAccess.READ_WRITE, Repair.IF_NEEDED,
                Optional.of(DEFAULT_AUTO_SAVE), Durability.ON_SYNC, TermCodec.standard());
    }

    /** {@return a copy with {@code {file, File}}} */
    public DetsOptions withFile(Path f) {
        return new DetsOptions(Optional.of(Objects.requireNonNull(f, "f")), type, access, repair, autoSave, durability, codec);
    }

    /** {@return a copy with {@code {type, Type}}} */
    public DetsOptions withType(TableType t) {
        return new DetsOptions(file, Optional.of(Objects.requireNonNull(t, "t")), access, repair, autoSave, durability, codec);
    }

    /** {@return a copy with {@code {access, Access}}} */
    public DetsOptions withAccess(FileAccess a) {
        return new DetsOptions(file, type, a, repair, autoSave, durability, codec);
    }

    /** {@return a copy with {@code {repair, Repair}}} */
    public DetsOptions withRepair(Repair r) {
        return new DetsOptions(file, type, access, r, autoSave, durability, codec);
    }

    /** {@return a copy with {@code {auto_save, Interval}}} */
    public DetsOptions withAutoSave(Duration interval) {
        return new DetsOptions(file, type, access, repair, Optional.of(Objects.requireNonNull(interval, "interval")),
                durability, codec);
    }

    /** {@return a copy with {@code {auto_save, infinity}}: no auto-save} */
    public DetsOptions withoutAutoSave() {
        return new DetsOptions(file, type, access, repair, Optional.empty(), durability, codec);
    }

    /** {@return a copy with durability {@code d}} */
    public DetsOptions withDurability(Durability d) {
        return new DetsOptions(file, type, access, repair, autoSave, d, codec);
    }

    /** {@return a copy with codec {@code c}} */
    public DetsOptions withCodec(TermCodec c) {
        return new DetsOptions(file, type, access, repair, autoSave, durability, c);
    }
}
