package otp4j.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The regression guard: medians, the direction of "worse" by unit, missing figures, bad input. */
class CompareTest {
    @TempDir
    Path dir;

    @Test
    void readsTheFigureLinesOfARunAndTakesTheirMedians() {
        Map<String, Compare.Figure> f = Compare.parse(List.of(
                "pass1 otp4j.w3_pingpong_ns_per_rt 300.0 ns/roundtrip",
                "pass2 otp4j.w3_pingpong_ns_per_rt 100.0 ns/roundtrip",
                "pass3 otp4j.w3_pingpong_ns_per_rt 200.0 ns/roundtrip",
                "pass1 beam.w6_skynet_result 499999500000 sum",
                "vt.w4_fanin_msgs_per_s 7.5e7 msgs/s",
                "| w3_pingpong_ns_per_rt | ns/roundtrip | 200 | - |",
                "### otp4j benchmarks: medians of 3 pass(es), full sizes"));
        assertThat(f).containsOnlyKeys("otp4j.w3_pingpong_ns_per_rt", "vt.w4_fanin_msgs_per_s");
        assertThat(f.get("otp4j.w3_pingpong_ns_per_rt")).isEqualTo(new Compare.Figure(200, "ns/roundtrip"));
        assertThat(f.get("vt.w4_fanin_msgs_per_s")).isEqualTo(new Compare.Figure(7.5e7, "msgs/s"));
    }

    @Test
    void aRateIsWorseWhenItFallsATimeOrSizeWhenItGrows() {
        assertThat(Compare.cost(new Compare.Figure(1200, "hops/s"), new Compare.Figure(1000, "hops/s"))).isEqualTo(1.2);
        assertThat(Compare.cost(new Compare.Figure(1000, "ns/hop"), new Compare.Figure(1200, "ns/hop"))).isEqualTo(1.2);
        assertThat(Compare.cost(new Compare.Figure(1000, "bytes"), new Compare.Figure(500, "bytes"))).isEqualTo(0.5);
    }

    @Test
    void printsOnlyFiguresMoreThanTheThresholdWorseAndThoseMissing() throws IOException {
        Path base = write("base.txt",
                "pass1 otp4j.w2_ring_100_hops_per_s 1000000 hops/s",
                "pass1 otp4j.w3_pingpong_ns_per_rt 300 ns/roundtrip",
                "pass1 otp4j.w6_skynet_s 2.0 s",
                "pass1 pekko.w6_skynet_s 3.0 s");
        Path now = write("now.txt",
                "pass1 otp4j.w2_ring_100_hops_per_s 800000 hops/s", // 1.25x the cost
                "pass1 otp4j.w3_pingpong_ns_per_rt 350 ns/roundtrip", // 1.17x: within 20%
                "pass1 otp4j.w6_skynet_s 1.0 s"); // better
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int status = Compare.run(new String[] {base.toString(), now.toString()},
                new PrintStream(bytes, true, StandardCharsets.UTF_8));
        assertThat(status).isEqualTo(1);
        assertThat(bytes.toString(StandardCharsets.UTF_8).lines()).containsExactly(
                "worse otp4j.w2_ring_100_hops_per_s: 1000000 -> 800000 hops/s (1.25x the baseline's cost)",
                "missing pekko.w6_skynet_s: in the baseline, not in the new run",
                "3 figures compared, 1 more than 20% worse, 1 missing");
    }

    @Test
    void nothingWorseIsStatusZeroAndTheThresholdCanBeSet() throws IOException {
        Path base = write("base.txt", "pass1 otp4j.w3_pingpong_ns_per_rt 300 ns/roundtrip");
        Path now = write("now.txt", "pass1 otp4j.w3_pingpong_ns_per_rt 350 ns/roundtrip");
        PrintStream out = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        assertThat(Compare.run(new String[] {base.toString(), now.toString()}, out)).isZero();
        assertThat(Compare.run(new String[] {"--threshold", "10", base.toString(), now.toString()}, out)).isEqualTo(1);
    }

    @Test
    void badInputSaysWhatIsWrong() throws IOException {
        Path empty = write("empty.txt", "no figures here");
        Path base = write("base.txt", "pass1 otp4j.w6_skynet_s 2.0 s");
        PrintStream out = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        assertThatThrownBy(() -> Compare.run(new String[] {base.toString()}, out))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("needs two files");
        assertThatThrownBy(() -> Compare.run(new String[] {base.toString(), dir.resolve("nope").toString()}, out))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no such file").hasMessageContaining("nope");
        assertThatThrownBy(() -> Compare.run(new String[] {base.toString(), empty.toString()}, out))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("has no figure lines");
        assertThatThrownBy(() -> Compare.run(new String[] {"--threshold", "x", base.toString(), base.toString()}, out))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--threshold needs a percentage");
    }

    private Path write(String name, String... lines) throws IOException {
        return Files.write(dir.resolve(name), List.of(lines));
    }
}
