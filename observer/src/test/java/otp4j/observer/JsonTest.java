package otp4j.observer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import otp4j.observer.internal.HttpError;
import otp4j.observer.internal.Json;
import otp4j.observer.internal.JsonReader;
import otp4j.observer.internal.Params;

/** The JSON writer escapes everything, the reader reads it back, and query parameters are strict. */
class JsonTest {
    @Test
    void everyStringIsEscapedAndReadsBackTheSame() {
        String nasty = "q\"b\\s/\n\r\t\u0000\u001f<script>&\u2028\u2029 é 😀";
        String doc = new Json().beginObject().field("s", nasty).field("n", -42).field("d", 1.5)
                .field("nan", Double.NaN).field("t", true).name("a").beginArray().value("x").nullValue()
                .beginObject().endObject().endArray().endObject().toString();
        assertThat(doc).doesNotContain("<", ">", "&", "\u2028", "\n").contains("\\u003cscript\\u003e");
        @SuppressWarnings("unchecked")
        Map<String, Object> back = (Map<String, Object>) JsonReader.parse(doc);
        assertThat(back).containsEntry("s", nasty).containsEntry("n", -42L).containsEntry("d", 1.5)
                .containsEntry("nan", null).containsEntry("t", true)
                .containsEntry("a", java.util.Arrays.asList("x", null, Map.of()));
        assertThat(new Json().value("\ud800x").toString()).isEqualTo("\"\\ud800x\"");
    }

    @Test
    void theReaderRefusesWhatIsNotJson() {
        for (String bad : List.of("", "{", "{\"a\"}", "[1,]", "\"\\x\"", "01", "1 2", "tru", "{\"a\":1,}", "\"\u0001\"")) {
            assertThatThrownBy(() -> JsonReader.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("bad JSON at character");
        }
        assertThat(JsonReader.parse(" [1, 2.5e3, \"\\u0041\", null, false] ")).isEqualTo(
                java.util.Arrays.asList(1L, 2500.0, "A", null, false));
    }

    @Test
    void queryParametersAreStrict() {
        Params p = Params.parse("limit=5&filter=a%20b+c", Set.of("limit", "filter"));
        assertThat(p.integer("limit", 1, 1, 10)).isEqualTo(5);
        assertThat(p.string("filter", "", 10)).isEqualTo("a b c");
        assertThat(Params.parse(null, Set.of()).string("x")).isEmpty();
        assertBad("a", Set.of("a"), "malformed query parameter \"a\": expected name=value");
        assertBad("=1", Set.of("a"), "malformed query parameter");
        assertBad("a=1&&b=2", Set.of("a", "b"), "malformed query parameter \"\"");
        assertBad("a=%2", Set.of("a"), "bad percent-encoding in parameter a");
        assertBad("a=\u00e9", Set.of("a"), "unencoded character in parameter a");
        assertBad("x" + "=1&x".repeat(2000) + "=1", Set.of("x"), "query string too long");
        assertThatThrownBy(() -> Params.parse("f=" + "y".repeat(101), Set.of("f")).string("f", "", 100))
                .isInstanceOf(HttpError.class).hasMessage("parameter f is 101 characters long, at most 100 allowed");
        assertThatThrownBy(() -> Params.parse("n=99999999999999999999", Set.of("n")).integer("n", 0, 0, 10))
                .isInstanceOf(HttpError.class).hasMessageContaining("n must be an integer");
    }

    private static void assertBad(String query, Set<String> allowed, String message) {
        assertThatThrownBy(() -> Params.parse(query, allowed)).isInstanceOf(HttpError.class)
                .hasMessageContaining(message).satisfies(e -> assertThat(((HttpError) e).status()).isEqualTo(400));
    }
}
