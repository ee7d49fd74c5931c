/**
 * An HTTP listener on {@code jdk.httpserver} owned by a process: it closes when its owner exits,
 * keeps its port across restarts, and handles each request in a process of its own.
 */
package otp4j.samples.web;
