/**
 * JMH microbenchmarks of otp4j's hot paths, each beside the bare JDK or JCTools structure it is
 * built on: {@link otp4j.bench.jmh.MailboxBench} (a mailbox's offer and take; a send to self and
 * its receive; a selective receive past 10,000 messages that do not match),
 * {@link otp4j.bench.jmh.CallBench} (a {@code GenServer.call} round trip) and
 * {@link otp4j.bench.jmh.EtsBench} (lookup, insert and update_counter on a set of 1,000,000
 * keys). Disk-table benchmarks (dets append and lookup) belong in this package too, as a
 * {@code DetsBench}. Run them with {@code benchmarks/jmh.sh}; every benchmark checks what it gets,
 * so that a broken path fails rather than reporting a fast time.
 */
package otp4j.bench.jmh;
