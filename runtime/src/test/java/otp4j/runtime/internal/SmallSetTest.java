package otp4j.runtime.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

class SmallSetTest {

    /** Random adds and removes across the array/hash boundary, both ways, against a HashSet. */
    @Test
    void behavesAsASetWhileGrowingAndShrinkingAcrossTheArrayLimit() {
        SplittableRandom random = new SplittableRandom(42);
        SmallSet<Integer> set = new SmallSet<>();
        Set<Integer> model = new HashSet<>();
        for (int step = 0; step < 20_000; step++) {
            // Bias toward growth for a while, then toward shrinking, so that the set crosses
            // SMALL and SMALL / 2 many times.
            boolean grow = (step / 500) % 2 == 0 ? random.nextInt(10) < 7 : random.nextInt(10) < 3;
            Integer e = random.nextInt(3 * SmallSet.SMALL);
            if (grow) {
                assertThat(set.add(e)).isEqualTo(model.add(e));
            } else if (random.nextBoolean()) {
                assertThat(set.remove(e)).isEqualTo(model.remove(e));
            } else {
                int bound = e;
                set.removeIf(x -> x > bound);
                model.removeIf(x -> x > bound);
            }
            assertThat(set.size()).isEqualTo(model.size());
            assertThat(set.contains(e)).isEqualTo(model.contains(e));
        }
        List<Integer> all = new ArrayList<>();
        set.forEach(all::add);
        assertThat(all).containsExactlyInAnyOrderElementsOf(model);
    }
}
