package otp4j.samples.pipeline;

/** Runs a job, in a worker process of its own. */
@FunctionalInterface
public interface JobRunner {
    /**
     * {@return the job's result}
     *
     * @throws Exception to fail this attempt: the worker crashes and its supervisor restarts it
     *                   for another attempt, until the pipeline's attempts are spent
     */
    String run(Job job) throws Exception;
}
