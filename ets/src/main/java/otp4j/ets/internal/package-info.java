/**
 * The implementation of {@link otp4j.ets}. <b>Not API</b>: public only so that otp4j's own modules
 * and tests can reach it; it changes without notice.
 */
package otp4j.ets.internal;
