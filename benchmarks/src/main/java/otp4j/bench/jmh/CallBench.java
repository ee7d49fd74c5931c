package otp4j.bench.jmh;

import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import otp4j.behaviour.CallResult;
import otp4j.behaviour.From;
import otp4j.behaviour.GenServer;
import otp4j.behaviour.InitResult;
import otp4j.runtime.AttachedProcess;
import otp4j.runtime.Node;
import otp4j.runtime.Pid;

/**
 * A {@code GenServer.call} round trip: the benchmark's thread, attached as a process, calls a
 * counter server that answers each call with its count + 1, and checks every answer. The
 * caller is a platform thread outside otp4j's scheduler, so each call also wakes a parked
 * thread of the OS; W5 of {@code benchmarks/run.sh} times calls between processes.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class CallBench {
    private enum Request {
        INCR
    }

    private record Counter() implements GenServer<Long, Request> {
        @Override
        public InitResult<Long> init() {
            return GenServer.ok(0L);
        }

        @Override
        public CallResult<Long> handleCall(Request request, From from, Long n) {
            Long next = n + 1;
            return GenServer.reply(next, next);
        }
    }

    private Node node;
    private AttachedProcess me;
    private Pid server;
    private long expected;

    @Setup(Level.Trial)
    public void startNode() {
        node = Node.start();
    }

    /** Per iteration, on the benchmark's thread: a process only between attach and close. */
    @Setup(Level.Iteration)
    public void startServer() {
        me = node.attach();
        server = GenServer.start(new Counter()).orThrow();
        expected = 0;
    }

    @TearDown(Level.Iteration)
    public void stopServer() {
        GenServer.stop(server);
        me.close();
    }

    @TearDown(Level.Trial)
    public void stopNode() {
        node.close();
    }

    @Benchmark
    public long call() {
        long n = GenServer.<Long>call(server, Request.INCR);
        if (n != ++expected) {
            throw new IllegalStateException("the counter answered " + n + ", expected " + expected);
        }
        return n;
    }
}
