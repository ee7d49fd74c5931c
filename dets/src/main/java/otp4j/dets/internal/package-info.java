/**
 * The implementation of the dets module. <b>Not API.</b> The data file is a {@link
 * otp4j.dets.internal.LogFile}; its key directory a {@link otp4j.dets.internal.KeyDir}, read from
 * its {@link otp4j.dets.internal.HintFile} at a clean open, or rebuilt by
 * {@link otp4j.dets.internal.Recovery}; {@link otp4j.dets.internal.DiskTableImpl} runs the
 * calls; {@link otp4j.dets.internal.DetsRegistry} counts the opens of each process and closes a
 * table when its last opener closes it or dies. No file I/O here runs on a FileChannel that a
 * caller's thread could be interrupted on: see {@code LogFile}.
 */
package otp4j.dets.internal;
