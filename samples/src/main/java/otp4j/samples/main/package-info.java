/**
 * The main job: every sample in one supervision tree, started as one application by
 * {@link otp4j.samples.main.Main}, and stopped in order on Ctrl-C or SIGTERM.
 */
package otp4j.samples.main;
