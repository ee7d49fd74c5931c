package otp4j.samples.quickstart;

import otp4j.behaviour.CallResult;
import otp4j.behaviour.From;
import otp4j.behaviour.GenServer;
import otp4j.behaviour.InitResult;
import otp4j.behaviour.Result;

/** The README's "Write a GenServer": a counter, compiled and tested so that it cannot rot. */
// @start region="counter"
public record Counter() implements GenServer<Long, Counter.Msg> {
    public sealed interface Msg {}
    public record Add(long n) implements Msg {}
    public record Get() implements Msg {}

    public InitResult<Long> init() {
        return GenServer.ok(0L);
    }

    public CallResult<Long> handleCall(Msg msg, From from, Long total) {
        return GenServer.reply(total, total);                          // Get
    }

    public Result<Long> handleCast(Msg msg, Long total) {
        return msg instanceof Add(long n) ? GenServer.noreply(total + n) : GenServer.noreply(total);
    }
}
// @end
