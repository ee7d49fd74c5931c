package otp4j.runtime.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import org.junit.jupiter.api.Test;

class ProcessTableTest {

    @Test
    void keepsEntriesInSerialOrderAndForgetsRemovedOnes() {
        ProcessTable<String> t = new ProcessTable<>(1);
        for (long s = 1; s <= 10_000; s++) {
            t.put(s, "p" + s);
        }
        for (long s = 1; s <= 10_000; s += 2) {
            t.remove(s);
        }
        t.remove(1); // again: no effect
        assertThat(t.size()).isEqualTo(5_000);
        List<String> values = t.values();
        assertThat(values).hasSize(5_000).startsWith("p2", "p4").endsWith("p10000");
        for (long s = 2; s <= 10_000; s += 2) {
            t.remove(s);
        }
        assertThat(t.isEmpty()).isTrue();
        assertThat(t.values()).isEmpty();
    }

    @Test
    void concurrentPutsAndRemovesLoseNothing() throws Exception {
        ProcessTable<Long> t = new ProcessTable<>(1);
        int threads = 4;
        int each = 50_000;
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> ts = new ArrayList<>();
        for (int k = 0; k < threads; k++) {
            int id = k;
            ts.add(Thread.ofPlatform().start(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                for (long i = 0; i < each; i++) {
                    long serial = 1 + i * threads + id;
                    t.put(serial, serial);
                    if (i % 3 != 0) {
                        t.remove(serial);
                    }
                }
            }));
        }
        go.countDown();
        for (Thread th : ts) {
            th.join();
        }
        List<Long> left = t.values();
        assertThat(left).hasSize(threads * ((each + 2) / 3)).isSorted();
        assertThat(left).allMatch(serial -> ((serial - 1) / threads) % 3 == 0);
    }
}
