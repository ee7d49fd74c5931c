package otp4j.ets;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A table file that {@link Ets#file2tab} cannot read: not a table file, of another format
 * version or codec, damaged (its checksum does not match) or truncated. The message names the
 * file, what is wrong, and where (the byte offset). No table was created.
 */
public final class TableFileException extends IOException {
    private static final long serialVersionUID = 1L;

    /** The file, as a string: a {@link Path} is not serializable. */
    private final String file;

    /** {@return a new exception about {@code file}; the message is prefixed with the file's name} */
    public TableFileException(Path file, String message, Throwable cause) {
        super(file + ": " + message, cause);
        this.file = Objects.requireNonNull(file, "file").toString();
    }

    /** {@return the file that could not be read} */
    public Path file() {
        return Path.of(file);
    }
}
