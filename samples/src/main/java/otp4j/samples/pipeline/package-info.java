/**
 * The job pipeline sample: jobs in a {@link otp4j.samples.pipeline.JobStore}, run by worker tasks
 * under a {@code DynamicSupervisor} with bounded concurrency, and retried through the workers'
 * transient restarts.
 */
package otp4j.samples.pipeline;
