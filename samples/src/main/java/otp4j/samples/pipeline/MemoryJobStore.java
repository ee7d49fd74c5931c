package otp4j.samples.pipeline;

import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link JobStore} in the JVM's memory: it survives restarts of the pipeline's processes,
 * since it is an object they share, but not the end of the JVM.
 */
public final class MemoryJobStore implements JobStore {
    private final ConcurrentSkipListMap<Long, StoredJob> pending = new ConcurrentSkipListMap<>();
    private final AtomicLong lastId = new AtomicLong();

    @Override
    public long add(Job job) {
        Objects.requireNonNull(job, "job");
        long id = lastId.incrementAndGet();
        pending.put(id, new StoredJob(id, job, 0));
        return id;
    }

    @Override
    public List<StoredJob> pending() {
        return List.copyOf(pending.values());
    }

    @Override
    public OptionalInt attempt(long id) {
        StoredJob after = pending.computeIfPresent(id, (k, s) -> new StoredJob(k, s.job(), s.attempts() + 1));
        return after == null ? OptionalInt.empty() : OptionalInt.of(after.attempts());
    }

    @Override
    public void finish(long id, Outcome outcome) {
        Objects.requireNonNull(outcome, "outcome");
        if (pending.remove(id) == null) {
            throw new NoSuchElementException("no pending job " + id + " to finish");
        }
    }
}
