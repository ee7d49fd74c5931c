package otp4j.testing;

import java.time.Duration;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import otp4j.runtime.Ticker;

/** A {@link Ticker} that moves only when told to, so tests about time never wait for it. */
public final class ManualTicker implements Ticker {
    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final CopyOnWriteArrayList<Runnable> listeners = new CopyOnWriteArrayList<>();

    @Override
    public long nanoTime() {
        return now.get();
    }

    /** Moves time forward by {@code d}; timers that became due fire soon after. */
    public void advance(Duration d) {
        if (d.isNegative()) {
            throw new IllegalArgumentException("time only moves forward, not by " + d);
        }
        now.addAndGet(d.toNanos());
        listeners.forEach(Runnable::run);
    }

    @Override
    public void addListener(Runnable listener) {
        listeners.add(listener);
    }

    @Override
    public void removeListener(Runnable listener) {
        listeners.remove(listener);
    }
}
