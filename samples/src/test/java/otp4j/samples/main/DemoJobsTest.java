package otp4j.samples.main;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import otp4j.samples.pipeline.Job;

class DemoJobsTest {

    @Test
    void aPrimesJobCountsThePrimesBelowItsInput() {
        assertThat(DemoJobs.run(new Job("primes", "100"))).isEqualTo("25");
        assertThat(DemoJobs.run(new Job("primes", " 1000000\n"))).isEqualTo("78498");
        assertThat(DemoJobs.run(new Job("primes", "2"))).isEqualTo("0");
    }

    @Test
    void aBadJobSaysWhatIsWrong() {
        assertThatThrownBy(() -> DemoJobs.run(new Job("primes", "many")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a primes job counts primes below a whole number, not \"many\"");
        assertThatThrownBy(() -> DemoJobs.run(new Job("primes", "5000001")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a primes job's bound must be in 2..5000000, was 5000001");
        assertThatThrownBy(() -> DemoJobs.run(new Job("sort", "x")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown job kind \"sort\"; use primes or flaky");
    }
}
