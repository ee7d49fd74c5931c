package otp4j.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The Runner's command line and its table, without running a workload. */
class RunnerTest {
    @Test
    void noArgumentsRunsEveryWorkloadThreeTimesAtFullSize() {
        Runner.Options o = Runner.Options.parse();
        assertThat(o.passes()).isEqualTo(3);
        assertThat(o.quick()).isFalse();
        assertThat(o.jdkDefaults()).isFalse();
        assertThat(o.workloads()).extracting(Runner.Workload::name)
                .containsExactly("w1", "w2", "w3", "w4", "w5", "w6", "w7", "w8", "w9");
        assertThat(o.unknown()).isEmpty();
        assertThat(o.observer()).isFalse();
    }

    @Test
    void observerRunsOtp4jAgainWithTheObserverOpen() {
        Runner.Options o = Runner.Options.parse("--observer", "w2");
        assertThat(o.observer()).isTrue();
        assertThat(o.workloads()).extracting(Runner.Workload::name).containsExactly("w2");
    }

    @Test
    void eachPassRunsTheImplementationsOnePlaceFurtherRound() {
        List<String> impls = List.of("otp4j", "otp4j+observer", "vt", "beam");
        assertThat(Runner.inPassOrder(impls, 1)).containsExactly("otp4j", "otp4j+observer", "vt", "beam");
        assertThat(Runner.inPassOrder(impls, 2)).containsExactly("otp4j+observer", "vt", "beam", "otp4j");
        assertThat(Runner.inPassOrder(impls, 3)).containsExactly("vt", "beam", "otp4j", "otp4j+observer");
        assertThat(Runner.inPassOrder(impls, 5)).as("round again").isEqualTo(impls);
    }

    @Test
    void quickRunsOnePassUnlessTold() {
        assertThat(Runner.Options.parse("--quick").passes()).isEqualTo(1);
        assertThat(Runner.Options.parse("--quick", "--passes", "2").passes()).isEqualTo(2);
    }

    @Test
    void workloadsRunInTheirOwnOrderWhateverTheOrderGiven() {
        assertThat(Runner.Options.parse("w5", "w2", "--jdk-defaults").workloads()).extracting(Runner.Workload::name)
                .containsExactly("w2", "w5");
    }

    @Test
    void anUnknownWorkloadIsSetAsideAndTheOthersRun() {
        Runner.Options o = Runner.Options.parse("w3", "w10", "w4");
        assertThat(o.workloads()).extracting(Runner.Workload::name).containsExactly("w3", "w4");
        assertThat(o.unknown()).containsExactly("w10");
    }

    @Test
    void onlyUnknownWorkloadsIsNothingToRun() {
        assertThatThrownBy(() -> Runner.Options.parse("w10", "pingpong"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("nothing to run")
                .hasMessageContaining("w10, pingpong")
                .hasMessageContaining("w1 w2 w3 w4 w5 w6 w7 w8 w9");
    }

    @Test
    void badOptionsAreRefusedWithWhatIsWrong() {
        assertThatThrownBy(() -> Runner.Options.parse("--pases", "3"))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("unknown option --pases");
        assertThatThrownBy(() -> Runner.Options.parse("--passes", "0"))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("--passes needs a positive number, not 0");
        assertThatThrownBy(() -> Runner.Options.parse("--passes"))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("--passes needs a positive number");
    }

    @Test
    void theTableShowsMediansAndRatiosAboveOneWhenOtp4jIsAhead() {
        Runner r = new Runner(Runner.Options.parse("--quick", "--passes", "3", "w3", "w4"));
        for (double v : new double[] {300, 100, 200}) {
            r.add("otp4j", "w3_pingpong_ns_per_rt", v, "ns/roundtrip");
        }
        r.add("vt", "w3_pingpong_ns_per_rt", 100, "ns/roundtrip");
        r.add("pekko", "w3_pingpong_ns_per_rt", 800, "ns/roundtrip");
        r.add("pekko-vt", "w3_pingpong_ns_per_rt", 4000, "ns/roundtrip");
        r.add("otp4j", "w4_fanin_msgs_per_s", 6_000_000, "msgs/s");
        r.add("pekko", "w4_fanin_msgs_per_s", 2_000_000, "msgs/s");
        r.add("otp4j", "w6_skynet_result", 4999950000.0, "sum");

        String table = print(r);
        assertThat(table).contains("| otp4j/BEAM | otp4j/Pekko | otp4j/Pekko VT | otp4j/floor |")
                // ns: other ÷ otp4j; BEAM not run, and quick sizes have no reference figures
                .contains("| w3_pingpong_ns_per_rt | ns/roundtrip | 200 | 100 | - | 800 | 4,000 | - | 4.00 | 20.00 | 0.50 |")
                // rates: otp4j ÷ other
                .contains("| w4_fanin_msgs_per_s | msgs/s | 6,000,000 | - | - | 2,000,000 | - | - | 3.00 | - | - |")
                .doesNotContain("w6_skynet_result")
                .doesNotContain("(ref)")
                .doesNotContain("Failed");
    }

    @Test
    void atFullSizeWithoutErlTheBeamColumnShowsMarkedReferenceFigures() {
        Runner r = new Runner(Runner.Options.parse("w6"));
        r.add("otp4j", "w6_skynet_s", 1.0, "s");
        assertThat(print(r)).contains("| w6_skynet_s | s | 1.00 | - | 2.17 (ref) | - | - | 2.17 | - | - | - |")
                .contains("(ref): BEAM not run here");
    }

    @Test
    void anUnknownWorkloadIsListedAfterTheTable() {
        Runner r = new Runner(Runner.Options.parse("--quick", "w3", "w33"));
        assertThat(print(r)).contains("Failed or skipped, left out of the medians:")
                .contains("- unknown workload w33, not run (known: w1 w2 w3 w4 w5 w6 w7 w8 w9)");
    }

    @Test
    void w9FlatnessIsTheMedianOfEachRunsLastOverFirst() {
        Runner r = new Runner(Runner.Options.parse("--quick", "w9"));
        double[][] firstLast = {{1000, 500}, {1000, 900}, {2000, 1400}};
        for (double[] run : firstLast) {
            r.add("otp4j", "w9_restarts_first1000_per_s", run[0], "restarts/s");
            r.add("otp4j", "w9_restarts_last1000_per_s", run[1], "restarts/s");
        }
        assertThat(print(r)).contains("| otp4j | 0.70 |");
    }

    private static String print(Runner r) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        r.printTable(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
