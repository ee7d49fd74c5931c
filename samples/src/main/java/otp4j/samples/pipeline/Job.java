package otp4j.samples.pipeline;

import java.io.Serializable;
import java.util.Objects;

/**
 * A job: what to do, and with what. Immutable and serializable, so that a store can keep it on disk.
 *
 * @param kind  what to do, for the {@link JobRunner} to tell jobs apart
 * @param input what to do it with
 */
public record Job(String kind, String input) implements Serializable {
    public Job {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(input, "input");
    }
}
