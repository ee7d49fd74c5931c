package otp4j.samples.pipeline;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.concurrent.locks.ReentrantLock;

import otp4j.dets.Dets;
import otp4j.dets.DetsOptions;
import otp4j.dets.DiskTable;
import otp4j.dets.Durability;
import otp4j.ets.Query;
import otp4j.ets.TermCodec;

/**
 * A {@link JobStore} in a dets table, so that the jobs outlive the JVM: after a crash, even a
 * {@code kill -9}, the table is repaired on open and every job whose {@link #add} returned is
 * pending again, with the attempts counted before the crash. As in Erlang, where a job queue that
 * must survive the node is a dets table: {@code dets:open_file(jobs, [{file, F}])}.
 *
 * <p>Every write is durable before it returns ({@link Durability#EVERY_WRITE}): a job the HTTP
 * endpoint accepted is on the disk. The table maps a job's id to its {@link StoredJob}, and key
 * {@code 0} to the last id given. A lock makes each call's read and write one step, since the
 * dispatcher and the workers call the store at once.
 *
 * <p>The process that opens the store is the table's opener: the table closes when that process
 * closes the store or exits, as a dets table does. Open it in a process that outlives the
 * pipeline (the main job opens it in its main process).
 */
public final class DetsJobStore implements JobStore, AutoCloseable {
    private static final Long LAST_ID = 0L;
    private static final TermCodec CODEC = TermCodec.standard().withTypes(Job.class, StoredJob.class);

    private final DiskTable<Long, Object> table;
    private final ReentrantLock lock = new ReentrantLock();

    private DetsJobStore(DiskTable<Long, Object> table) {
        this.table = table;
    }

    /**
     * Opens the store kept in {@code file}, creating it if missing, repairing it after a crash.
     *
     * @throws IOException as {@link Dets#openFile(String, DetsOptions)}
     */
    public static DetsJobStore open(Path file) throws IOException {
        Objects.requireNonNull(file, "file");
        return new DetsJobStore(Dets.openFile("jobs:" + file.toAbsolutePath(), DetsOptions.defaults().withFile(file)
                .withDurability(Durability.EVERY_WRITE).withCodec(CODEC)));
    }

    @Override
    public long add(Job job) {
        Objects.requireNonNull(job, "job");
        lock.lock();
        try {
            long id = table.lookup(LAST_ID).stream().mapToLong(v -> (Long) v).findFirst().orElse(0L) + 1;
            table.insertAll(List.of(Map.entry(id, new StoredJob(id, job, 0)),
                    Map.entry(LAST_ID, id))); // one write: the job and its id, or neither
            return id;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public List<StoredJob> pending() {
        return table.select(Query.<Long, Object>all().where((k, v) -> v instanceof StoredJob).map((k, v) -> (StoredJob) v))
                .stream().sorted(Comparator.comparingLong(StoredJob::id)).toList();
    }

    @Override
    public OptionalInt attempt(long id) {
        lock.lock();
        try {
            if (!(stored(id) instanceof StoredJob s)) {
                return OptionalInt.empty();
            }
            table.insert(id, new StoredJob(id, s.job(), s.attempts() + 1));
            return OptionalInt.of(s.attempts() + 1);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void finish(long id, Outcome outcome) {
        Objects.requireNonNull(outcome, "outcome");
        lock.lock();
        try {
            if (!(stored(id) instanceof StoredJob)) {
                throw new NoSuchElementException("no pending job " + id + " to finish");
            }
            table.delete(id);
        } finally {
            lock.unlock();
        }
    }

    private Object stored(long id) {
        return id == LAST_ID ? null : table.lookup(id).stream().findFirst().orElse(null);
    }

    /** Closes the table, as {@code dets:close/1}. */
    @Override
    public void close() {
        table.close();
    }
}
