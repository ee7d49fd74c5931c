package otp4j.samples.pipeline;

import java.util.List;
import java.util.OptionalInt;

/**
 * Where the pipeline's jobs wait until they finish, and where their attempts are counted: the
 * pipeline's only state that outlives its processes. {@link MemoryJobStore} keeps it in the
 * JVM's memory; a store on disk keeps it across a crash of the JVM, and the pipeline then runs,
 * after a restart, every job that had not finished.
 *
 * <p>Implementations are called from several processes at once (the dispatcher adds and lists,
 * each worker counts its attempts and finishes its job), and must make each call atomic.
 */
public interface JobStore {

    /** {@return the new job's id} Stores {@code job}, not started, with no attempt counted. Ids increase. */
    long add(Job job);

    /** {@return the jobs not finished, oldest first} */
    List<StoredJob> pending();

    /**
     * {@return the attempts at job {@code id} so far, this one included; empty if the job is not
     * pending} Counts an attempt, before it is made: an attempt cut short by a crash still
     * counts. A job that is no longer pending has finished: a worker killed after finishing it,
     * and restarted, finds it so.
     */
    OptionalInt attempt(long id);

    /**
     * Records job {@code id} finished; it is no longer pending.
     *
     * @throws java.util.NoSuchElementException if no pending job has that id
     */
    void finish(long id, Outcome outcome);

    /**
     * A job in the store.
     *
     * @param id       its id
     * @param job      the job
     * @param attempts the attempts counted so far
     */
    record StoredJob(long id, Job job, int attempts) {
    }
}
