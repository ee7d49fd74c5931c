package otp4j.dets;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * A disk table's file cannot be opened or read as it is, as the {@code {error, Reason}} results
 * of {@code dets:open_file/2}. The message starts with the file, says what is wrong, where (the
 * byte offset, when there is one) and what to do. Opening that fails leaves the file as it was.
 */
public final class DetsFileException extends IOException {
    private static final long serialVersionUID = 1L;

    /** Why the file was refused. */
    public enum Reason {
        /** {@code not_a_dets_file} (DETS-022): the file does not start as a disk table file. */
        NOT_A_DETS_FILE,
        /** The file was written by a newer format version than this library reads. */
        NEWER_VERSION,
        /** {@code type_mismatch} (DETS-021): the file holds another table type than the one asked for. */
        TYPE_MISMATCH,
        /** The file was written with a codec of another name. */
        CODEC_MISMATCH,
        /** {@code needs_repair} (DETS-025): not closed properly, and {@link Repair#NEVER} was asked. */
        NEEDS_REPAIR,
        /**
         * A damaged record with valid records after it (not a torn write at the end): opening
         * would lose or resurrect data, so it is refused; {@link Repair#FORCE} keeps the records
         * before the damage and moves the damaged file aside. Also thrown, inside an
         * {@link java.io.UncheckedIOException}, by a read that meets a damaged record.
         */
        CORRUPT,
        /** The file is open in another JVM, or in this one under another table name (a lock is held). */
        IN_USE,
        /** {@code incompatible_arguments} (DETS-020, DETS-021): the name is open with another file, type or access. */
        INCOMPATIBLE_ARGUMENTS
    }

    private final Reason reason;
    /** The file, as a string: a {@link Path} is not serializable. */
    private final String file;
    private final long offset;

    /** {@return a new exception; {@code offset} is -1 when no place in the file is at fault} */
    public DetsFileException(Reason reason, Path file, long offset, String message, Throwable cause) {
        super(file + ": " + message, cause);
        this.reason = Objects.requireNonNull(reason, "reason");
        this.file = Objects.requireNonNull(file, "file").toString();
        this.offset = offset;
    }

    /** {@return a new exception about no place in particular} */
    public DetsFileException(Reason reason, Path file, String message) {
        this(reason, file, -1, message, null);
    }

    /** {@return why} */
    public Reason reason() {
        return reason;
    }

    /** {@return the file} */
    public Path file() {
        return Path.of(file);
    }

    /** {@return the byte offset in the file where the problem is, if there is one} */
    public OptionalLong offset() {
        return offset < 0 ? OptionalLong.empty() : OptionalLong.of(offset);
    }
}
