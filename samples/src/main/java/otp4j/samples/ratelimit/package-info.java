/**
 * The rate limiter sample: per-client counters in the ETS table {@code rate_limiter_requests},
 * counted with {@code update_counter} by the request handlers, emptied at each window's end by
 * the table's owner; an HTTP endpoint that answers 429 past the limit, and a load generator.
 */
package otp4j.samples.ratelimit;
